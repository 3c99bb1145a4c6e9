//! The shared types of the catalogue: structs (with hand-rolled lenient serde), enums with an
//! `Unknown` variant, typed ids and tagged unions, and the `Debug` that redacts their secrets.

use super::docs::doc_attr;
use super::tokens::{ident, is_lenient, member_field, rust_type};
use crate::model::*;
use crate::names::pascal_case;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// One shared type, by its kind.
pub(super) fn shared_type(catalogue: &Catalogue, ty: &TypeDef) -> TokenStream {
    match &ty.kind {
        TypeKind::Struct { fields } => shared_struct(ty, fields),
        TypeKind::Enum { repr, values } => shared_enum(catalogue, ty, *repr, values),
        TypeKind::Id => id_type(ty),
        TypeKind::Union(union) => union_type(ty, union),
    }
}

/// An id type: an alias of the runtime's `TypedId` with a marker of its own, so that ids of
/// different kinds do not mix.
fn id_type(ty: &TypeDef) -> TokenStream {
    let name = ident(&ty.name);
    let kind = format_ident!("{}Kind", ty.name);
    let doc = doc_attr(&format!(
        "{}\n\nKept as the text the server sent; make one with `{}::new(..)` from a number or \
         text, read it with `as_str()` or `as_u64()`.",
        ty.doc, ty.name
    ));
    let kind_doc = format!("The marker that makes [`{}`] a type of its own.", ty.name);
    let type_name = &ty.name;
    quote! {
        #doc
        pub type #name = ::chatrace_runtime::TypedId<#kind>;

        #[doc = #kind_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #kind {}

        impl ::chatrace_runtime::IdKind for #kind {
            const NAME: &'static str = #type_name;
        }
    }
}

/// A union: one variant per tag value, each holding its struct, and `Unknown` keeping any
/// other object whole.
fn union_type(ty: &TypeDef, union: &Union) -> TokenStream {
    let name = ident(&ty.name);
    let tag = &union.tag;
    let doc = doc_attr(&format!(
        "{}\n\nTold apart by the `{tag}` key{}. An object whose `{tag}` the catalogue does not \
         list is kept whole in `Unknown` and written back unchanged.",
        ty.doc,
        union
            .default
            .as_ref()
            .map(|d| format!(" (an object without it is `{d}`)"))
            .unwrap_or_default()
    ));
    let variants: Vec<Ident> = union
        .variants
        .iter()
        .map(|v| ident(&pascal_case(&v.name)))
        .collect();
    let members = union.variants.iter().zip(&variants).map(|(v, variant)| {
        let doc = doc_attr(
            &v.doc
                .clone()
                .unwrap_or_else(|| format!("An object whose `{tag}` is `{}`.", v.tag_value)),
        );
        let inner = ident(&v.ty);
        quote! { #doc #variant(#inner), }
    });
    let values = union.variants.iter().map(|v| &v.tag_value);
    let default = match union
        .default
        .as_ref()
        .and_then(|d| union.variants.iter().position(|v| &v.tag_value == d))
    {
        Some(i) => quote!(::std::option::Option::Some(#i)),
        None => quote!(::std::option::Option::None),
    };
    let builds = variants.iter().enumerate().map(|(i, variant)| {
        quote! { ::std::option::Option::Some(#i) => ::chatrace_runtime::wire::from_map(map).map(#name::#variant), }
    });
    let writes = union.variants.iter().zip(&variants).map(|(v, variant)| {
        let value = &v.tag_value;
        if union.default.as_deref() == Some(value.as_str()) {
            quote! { #name::#variant(inner) => ::serde::Serialize::serialize(inner, serializer), }
        } else {
            quote! { #name::#variant(inner) => ::chatrace_runtime::wire::tagged(inner, #tag, #value, serializer), }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#members)*
            /// An object whose tag the catalogue does not list, kept as the server sent it.
            Unknown(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                    #name::Unknown(map) => ::serde::Serialize::serialize(map, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let map = <::serde_json::Map<::std::string::String, ::serde_json::Value> as ::serde::Deserialize>::deserialize(deserializer)?;
                match ::chatrace_runtime::wire::variant_of(&map, #tag, &[#(#values),*], #default) {
                    #(#builds)*
                    _ => ::std::result::Result::Ok(#name::Unknown(map)),
                }
            }
        }
    }
}

/// `debug_of_secret_holder`: the `Debug` of a shared type that holds a secret, decoded from
/// JSON, by the type's name. With it a test checks every such type without naming them, so a
/// secret added to the catalogue is checked too.
pub(super) fn secret_holders_debug(catalogue: &Catalogue, cfg: TokenStream) -> TokenStream {
    let arms = catalogue.types.iter().filter_map(|ty| match &ty.kind {
        TypeKind::Struct { fields } if fields.iter().any(|f| f.secret) => {
            let (text, name) = (&ty.name, ident(&ty.name));
            Some(quote! {
                #text => ::std::option::Option::Some(
                    ::serde_json::from_value::<#name>(value).map(|v| ::std::format!("{v:?}")),
                ),
            })
        }
        _ => None,
    });
    quote! {
        /// The `Debug` text of the shared type `name`, decoded from `value`, for the types that
        /// hold a secret field (`None` for other names): what a redaction test walks.
        #cfg
        #[allow(unused_variables)]
        pub fn debug_of_secret_holder(
            name: &str,
            value: ::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<::std::string::String, ::serde_json::Error>> {
            match name {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}

/// A `Debug` impl that shows `***` for the secret members (`members`: Rust name, whether
/// secret, whether optional).
pub(super) fn redacting_debug(name: &Ident, members: &[(Ident, bool)], extra: bool) -> TokenStream {
    let name_text = name.to_string();
    let entries = members.iter().map(|(member, secret)| {
        let label = member.to_string();
        let label = label.trim_start_matches("r#");
        if *secret {
            quote! { .field(#label, &::chatrace_runtime::wire::Redacted(&self.#member)) }
        } else {
            quote! { .field(#label, &self.#member) }
        }
    });
    let extra = extra.then(|| quote! { .field("extra", &self.extra) });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_text) #(#entries)* #extra .finish()
            }
        }
    }
}

/// A shared struct, with hand-rolled serde impls: one `visit_map` that matches each known key,
/// decodes scalars leniently and keeps every other key in `extra`. Serde's derive would need a
/// wrapper type per lenient field and buffer unknown fields for `flatten`; this is less code to
/// compile and one pass to run.
fn shared_struct(ty: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&ty.name);
    let doc = doc_attr(&ty.doc);
    let members = fields.iter().map(|field| {
        member_field(
            &field.rust,
            &field.wire,
            &field.doc,
            field.inferred,
            &field.ty,
            field.required,
        )
    });
    let count = fields.len();
    let writes = fields.iter().map(|field| {
        let rust = ident(&field.rust);
        let wire = &field.wire;
        let value = match field.ty {
            TypeRef::Encoded(_) => quote!(&::chatrace_runtime::wire::EncodedRef(value)),
            _ => quote!(value),
        };
        if field.required {
            quote! { { let value = &self.#rust; map.serialize_entry(#wire, #value)?; } }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#rust {
                    map.serialize_entry(#wire, #value)?;
                }
            }
        }
    });
    // The decoder's locals are prefixed so that no field name can shadow `map` or `key`.
    let slot = |field: &Field| format_ident!("field_{}", field.rust.trim_start_matches("r#"));
    let slots = fields.iter().map(|field| {
        let rust = slot(field);
        let inner = rust_type(&field.ty);
        quote! { let mut #rust: ::std::option::Option<#inner> = ::std::option::Option::None; }
    });
    let arms = fields.iter().map(|field| {
        let rust = slot(field);
        let wire = &field.wire;
        let inner = rust_type(&field.ty);
        // An optional field reads `null` as absent; a required one must hold a value.
        let value = match (&field.ty, field.required) {
            (TypeRef::Encoded(_), true) => quote!(map.next_value_seed(::chatrace_runtime::wire::Encoded::<#inner>::new())?),
            (TypeRef::Encoded(_), false) => quote!(map.next_value_seed(::chatrace_runtime::wire::EncodedOption::<#inner>::new())?),
            _ => match (is_lenient(&field.ty), field.required) {
            (true, true) => quote!(map.next_value_seed(::chatrace_runtime::lenient::Lenient::<#inner>::new())?),
            (true, false) => quote!(map.next_value_seed(::chatrace_runtime::lenient::Lenient::<::std::option::Option<#inner>>::new())?),
            (false, true) => quote!(map.next_value::<#inner>()?),
            (false, false) => quote!(map.next_value::<::std::option::Option<#inner>>()?),
            },
        };
        if field.required {
            quote! { #wire => #rust = ::std::option::Option::Some(#value), }
        } else {
            quote! { #wire => #rust = #value, }
        }
    });
    let inits = fields.iter().map(|field| {
        let rust = ident(&field.rust);
        let local = slot(field);
        let wire = &field.wire;
        if field.required {
            quote! { #rust: #local.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field(#wire))?, }
        } else {
            quote! { #rust: #local, }
        }
    });
    let expecting = format!("an object ({})", ty.name);
    let has_secret = fields.iter().any(|f| f.secret);
    let derive_debug = (!has_secret).then(|| quote!(Debug,));
    // A struct without required fields can start empty, as a value a caller fills in.
    let derive_default = fields.iter().all(|f| !f.required).then(|| quote!(Default,));
    let debug_impl = has_secret.then(|| {
        let members: Vec<(Ident, bool)> =
            fields.iter().map(|f| (ident(&f.rust), f.secret)).collect();
        redacting_debug(&name, &members, true)
    });
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|f| {
            let (rust, ty) = (ident(&f.rust), rust_type(&f.ty));
            quote!(#rust: #ty)
        });
        let inits = fields.iter().map(|f| {
            let rust = ident(&f.rust);
            if f.required {
                quote!(#rust,)
            } else {
                quote!(#rust: ::std::option::Option::None,)
            }
        });
        quote! {
            impl #name {
                /// A value with its required fields; the others start unset, to be set on the
                /// returned value (the type is `#[non_exhaustive]`: a later field must not break
                /// code that builds it).
                pub fn new(#(#args),*) -> Self {
                    #name { #(#inits)* extra: ::serde_json::Map::new() }
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(#derive_debug #derive_default Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
            /// Fields the catalogue does not declare, kept as the server sent them and written
            /// back when the value is serialized.
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::Some(#count + self.extra.len()))?;
                #(#writes)*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Fields;
                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        #(#slots)*
                        let mut extra = ::serde_json::Map::new();
                        while let ::std::option::Option::Some(key) = map.next_key::<::chatrace_runtime::wire::Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => {
                                    let value = map.next_value::<::serde_json::Value>()?;
                                    extra.insert(key.into_string(), value);
                                }
                            }
                        }
                        ::std::result::Result::Ok(#name { #(#inits)* extra })
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }

        #debug_impl
        #constructor
    }
}

/// A shared enum: one variant per listed value, `Unknown` for any other, and its wire
/// accessors.
fn shared_enum(
    _catalogue: &Catalogue,
    ty: &TypeDef,
    repr: EnumRepr,
    values: &[EnumValue],
) -> TokenStream {
    let name = ident(&ty.name);
    let doc = doc_attr(&format!(
        "{}\n\nA value the catalogue does not list decodes into `Unknown` and is written back unchanged.",
        ty.doc
    ));
    let variants: Vec<Ident> = values
        .iter()
        .map(|v| ident(&pascal_case(&v.name)))
        .collect();
    let variant_docs = values.iter().map(|v| {
        let mut text = v
            .doc
            .clone()
            .unwrap_or_else(|| format!("The value `{}`.", v.value));
        text.push_str(&format!(" (`{}` on the wire.)", v.value));
        if v.inferred {
            text.push_str(" *Inferred: our reading of the value, not the vendor's word.*");
        }
        doc_attr(&text)
    });
    let (unknown_ty, wire_ty, wire_fn, to_wire, from_wire_arms, decode, encode, wire_doc) =
        match repr {
            EnumRepr::Integer => {
                let literals: Vec<Literal> = values
                    .iter()
                    .map(|v| match &v.value {
                        EnumLiteral::Integer(i) => Literal::i64_unsuffixed(*i),
                        EnumLiteral::String(s) => Literal::string(s),
                    })
                    .collect();
                let to_wire = quote! {
                    match self { #(Self::#variants => #literals,)* Self::Unknown(value) => *value }
                };
                let from =
                    quote! { #(#literals => Self::#variants,)* other => Self::Unknown(other), };
                (
                    quote!(i64),
                    quote!(i64),
                    quote!(as_i64),
                    to_wire,
                    from,
                    quote!(::chatrace_runtime::wire::int_enum(deserializer)?),
                    quote!(serializer.serialize_i64(self.as_i64())),
                    "The value as the server sends it (a JSON number).",
                )
            }
            EnumRepr::String => {
                let literals: Vec<Literal> = values
                    .iter()
                    .map(|v| Literal::string(&v.value.to_string()))
                    .collect();
                let to_wire = quote! {
                    match self { #(Self::#variants => #literals,)* Self::Unknown(value) => value.as_str() }
                };
                let from = quote! {
                    #(#literals => Self::#variants,)*
                    other => Self::Unknown(::std::string::String::from(other)),
                };
                (
                    quote!(::std::string::String),
                    quote!(&str),
                    quote!(as_str),
                    to_wire,
                    from,
                    quote!(&*::chatrace_runtime::wire::str_enum(deserializer)?),
                    quote!(serializer.serialize_str(self.as_str())),
                    "The value as the server sends it (a JSON string).",
                )
            }
        };
    let from_wire_arg = match repr {
        EnumRepr::Integer => quote!(value: i64),
        EnumRepr::String => quote!(value: &str),
    };
    let wire_values: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value the catalogue does not list, kept as the server sent it. A later version
            /// whose catalogue lists it decodes it as its own variant instead.
            Unknown(#unknown_ty),
        }

        impl #name {
            /// The wire values the catalogue lists, in its order.
            pub const KNOWN_VALUES: &'static [&'static str] = &[#(#wire_values),*];

            #[doc = #wire_doc]
            pub fn #wire_fn(&self) -> #wire_ty {
                #to_wire
            }

            /// The variant of a wire value; a value the catalogue does not list is `Unknown`.
            pub fn from_wire(#from_wire_arg) -> Self {
                match value { #from_wire_arms }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.#wire_fn(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #encode
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::result::Result::Ok(Self::from_wire(#decode))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::test_support::{catalogue, compact};

    #[test]
    fn a_struct_with_a_required_field_is_built_with_new_and_others_by_default() {
        // The diff's verdicts rest on this: a required field added to a struct without one
        // takes `Default` away (breaking), an optional one changes neither `new` nor `Default`.
        let catalogue = catalogue(
            r#"
types:
  Note:
    doc: A note.
    fields:
      text: { type: string, required: true }
      pinned: { type: boolean }
  Filter:
    doc: A filter.
    fields:
      pinned: { type: boolean }
operations:
  - name: list_notes
    title: Get notes
    summary: Lists notes.
    provenance: inferred
    kind: read
    discriminators: { op: notes, op1: get }
    params:
      filter: { type: Filter }
    response: list<Note>
"#,
        );
        let tokens = |name: &str| {
            let ty = catalogue.type_named(name).expect("declared");
            compact(&shared_type(&catalogue, ty))
        };
        let (note, filter) = (tokens("Note"), tokens("Filter"));
        assert!(note.contains("#[derive(Debug,Clone,PartialEq)]"), "{note}");
        assert!(
            note.contains(
                "pubfnnew(text:::std::string::String)->Self{Note{text,pinned:::std::option::Option::None,extra:::serde_json::Map::new()}}"
            ),
            "{note}"
        );
        assert!(
            filter.contains("#[derive(Debug,Default,Clone,PartialEq)]"),
            "{filter}"
        );
        assert!(!filter.contains("fnnew("), "{filter}");
        // Scalars decode leniently; a missing required field is an error naming it.
        assert!(
            note.contains("\"pinned\"=>field_pinned=map.next_value_seed(::chatrace_runtime::lenient::Lenient::<::std::option::Option<bool>>::new())?,"),
            "{note}"
        );
        assert!(note.contains("missing_field(\"text\")"), "{note}");
    }
}
