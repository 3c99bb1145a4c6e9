//! The `Spelled` trait, and the macro that declares an enum together with its spellings.

/// An enum of the catalogue whose values the catalogue spells as words (`read`, `write`).
pub trait Spelled: Sized + Copy + Eq + 'static {
    /// The Rust name of the enum (`ParamLocation`), for code that names it.
    const TYPE_NAME: &'static str;

    /// Every value, in the order the catalogue's documentation lists them.
    const ALL: &'static [Self];

    /// How the catalogue spells the value.
    fn spelling(self) -> &'static str;

    /// The Rust name of the value's variant (`DateTime`), for code that names it.
    fn variant_name(self) -> &'static str;

    /// The value the catalogue spells `text`, if any.
    fn from_spelling(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.spelling() == text)
    }

    /// The spellings, comma-separated, for a message that says what was expected.
    fn expected() -> ExpectedSpellings<Self> {
        ExpectedSpellings(core::marker::PhantomData)
    }
}

/// The spellings of `T`, comma-separated when displayed (see [`Spelled::expected`]).
pub struct ExpectedSpellings<T>(core::marker::PhantomData<T>);

impl<T: Spelled> core::fmt::Display for ExpectedSpellings<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, value) in T::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(value.spelling())?;
        }
        Ok(())
    }
}

impl<T: Spelled> core::fmt::Debug for ExpectedSpellings<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(self, f)
    }
}

/// Declares an enum whose variants are spelled in the catalogue: the variants, their docs and
/// their spellings in one place, with `Display` writing the spelling.
#[macro_export]
#[doc(hidden)]
macro_rules! spelled {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $spelling:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $crate::Spelled for $name {
            const TYPE_NAME: &'static str = stringify!($name);
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn spelling(self) -> &'static str {
                match self { $($name::$variant => $spelling),+ }
            }

            fn variant_name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str($crate::Spelled::spelling(*self))
            }
        }
    };
}
