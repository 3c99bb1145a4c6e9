//! The Rust the `chatrace` crate is made of: shared types, one request type and one builder per
//! operation, the `Client` with one method per operation, and the operations' metadata.
//!
//! Generated code stays thin: every builder's `send` hands its request to the runtime's one
//! generic `execute` path, and the wire rules live in the runtime, not here.

use crate::model::*;
use crate::names::pascal_case;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

/// What to generate besides the client side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The server side: `Deserialize` for every request type, and `AnyRequest`, which reads
    /// any request body back. Only servers (the sandbox) need it, and it is a large part of the
    /// generated code, so clients need not compile it.
    pub server: ServerSide,
    /// The realtime module (`Client::realtime`), when the catalogue describes the socket. It
    /// needs the runtime's `realtime` feature, so a crate gates it behind a feature of its own.
    pub realtime: ServerSide,
}

/// Whether, and when, the server side is generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ServerSide {
    /// Not generated.
    #[default]
    Omit,
    /// Generated.
    Always,
    /// Generated behind `#[cfg(feature = "..")]` of the invoking crate.
    Feature(String),
}

impl ServerSide {
    /// Whether any server-side code is emitted.
    fn emitted(&self) -> bool {
        *self != ServerSide::Omit
    }

    /// The `cfg` attribute server-side items carry.
    fn cfg(&self) -> TokenStream {
        match self {
            ServerSide::Feature(feature) => quote!(#[cfg(feature = #feature)]),
            _ => quote!(),
        }
    }
}

/// Generates the code for `catalogue`. `source_path`, when given, is included with
/// `include_str!` so that cargo rebuilds the invoking crate when the catalogue changes.
pub fn generate(catalogue: &Catalogue, source_path: Option<&str>, options: Options) -> TokenStream {
    let tracker = source_path.map(|path| quote! { const _: &str = include_str!(#path); });
    let types = catalogue.types.iter().map(|t| shared_type(catalogue, t));
    let secret_debug = options
        .server
        .emitted()
        .then(|| secret_holders_debug(catalogue, options.server.cfg()));
    let operations = catalogue
        .operations
        .iter()
        .map(|op| operation(catalogue, op, &options.server));
    let client = client(catalogue);
    let realtime = catalogue
        .realtime
        .as_ref()
        .filter(|_| options.realtime.emitted())
        .map(|realtime| realtime_module(catalogue, realtime, options.realtime.cfg()));
    let any_request = options
        .server
        .emitted()
        .then(|| any_request(catalogue, options.server.cfg()));
    let api_doc = doc_attr(&format!(
        "Shared types of the {}, declared once in the catalogue and referenced by the operations.",
        catalogue.api.title
    ));
    quote! {
        #tracker

        #api_doc
        pub mod types {
            #(#types)*
            #secret_debug
        }

        /// One request type and one builder per operation of the catalogue.
        pub mod operations {
            #(#operations)*
        }

        #client
        #any_request
        #realtime
    }
}

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn doc_attr(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = format!(" {line}");
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// A doc line for a field or param the catalogue gives no doc for.
fn fallback_doc(doc: &Option<String>, wire: &str) -> String {
    doc.clone()
        .unwrap_or_else(|| format!("The `{wire}` value, as the server names it."))
}

/// The rustdoc of a field or param: its doc, its wire name when the Rust name differs, and
/// whether its meaning is our reading.
fn member_doc(doc: &Option<String>, wire: &str, rust: &str, inferred: bool) -> String {
    let mut text = fallback_doc(doc, wire);
    if rust.trim_start_matches("r#") != wire {
        text.push_str(&format!(" (On the wire: `{wire}`.)"));
    }
    if inferred {
        text.push_str(" *Inferred: the vendor does not say what this means; this is our reading.*");
    }
    text
}

/// The Rust type of a type expression, as seen from inside `types` or `operations`.
fn rust_type(ty: &TypeRef) -> TokenStream {
    rust_type_in(ty, &quote!(super::types))
}

/// The Rust type of a type expression, with shared types under `types_path`.
fn rust_type_in(ty: &TypeRef, types_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::String) => quote!(::std::string::String),
        TypeRef::Scalar(Scalar::Integer) => quote!(i64),
        TypeRef::Scalar(Scalar::Number) => quote!(f64),
        TypeRef::Scalar(Scalar::Boolean) => quote!(bool),
        TypeRef::Scalar(Scalar::Id) => quote!(::chatrace_runtime::Id),
        TypeRef::Scalar(Scalar::Millis) => quote!(::chatrace_runtime::UnixMillis),
        TypeRef::Scalar(Scalar::Seconds) => quote!(::chatrace_runtime::UnixSeconds),
        TypeRef::Scalar(Scalar::DateTime) => quote!(::chatrace_runtime::DateTimeText),
        TypeRef::Scalar(Scalar::Json) => quote!(::serde_json::Value),
        TypeRef::Scalar(Scalar::File) => quote!(::chatrace_runtime::FileUpload),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#types_path::#name)
        }
        TypeRef::List(inner) => {
            let inner = rust_type_in(inner, types_path);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Encoded(inner) => rust_type_in(inner, types_path),
    }
}

/// Whether values of this type decode through the runtime's lenient scalar decoder (ids and
/// times are lenient by themselves).
fn is_lenient(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(
            Scalar::File | Scalar::Id | Scalar::Millis | Scalar::Seconds | Scalar::DateTime,
        ) => false,
        TypeRef::Scalar(_) => true,
        TypeRef::Named(_) | TypeRef::Encoded(_) => false,
        TypeRef::List(inner) => is_lenient(inner),
    }
}

fn lenient_attr(ty: &TypeRef, required: bool) -> TokenStream {
    match (is_lenient(ty), required) {
        (true, true) => {
            quote!(#[serde(deserialize_with = "::chatrace_runtime::lenient::deserialize")])
        }
        (true, false) => {
            quote!(#[serde(default, deserialize_with = "::chatrace_runtime::lenient::deserialize")])
        }
        (false, true) => quote!(),
        (false, false) => quote!(#[serde(default)]),
    }
}

fn shared_type(catalogue: &Catalogue, ty: &TypeDef) -> TokenStream {
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
    let picks = union.variants.iter().enumerate().map(|(i, v)| {
        let value = &v.tag_value;
        quote! { ::std::option::Option::Some(::std::option::Option::Some(#value)) => #i, }
    });
    let default_pick = match union
        .default
        .as_ref()
        .and_then(|d| union.variants.iter().position(|v| &v.tag_value == d))
    {
        Some(i) => quote! { ::std::option::Option::None => #i, },
        None => quote!(),
    };
    let builds = union
        .variants
        .iter()
        .zip(&variants)
        .enumerate()
        .map(|(i, (_, variant))| {
            quote! { #i => ::chatrace_runtime::wire::from_map(map).map(#name::#variant), }
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
                let which: usize = match map.get(#tag).map(::serde_json::Value::as_str) {
                    // The tag's value, when it is a string; `None` when the tag is absent.
                    #(#picks)*
                    #default_pick
                    _ => usize::MAX,
                };
                match which {
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
fn secret_holders_debug(catalogue: &Catalogue, cfg: TokenStream) -> TokenStream {
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
fn redacting_debug(name: &Ident, members: &[(Ident, bool)], extra: bool) -> TokenStream {
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
        let rust = ident(&field.rust);
        let doc = doc_attr(&member_doc(
            &field.doc,
            &field.wire,
            &field.rust,
            field.inferred,
        ));
        let inner = rust_type(&field.ty);
        if field.required {
            quote! { #doc pub #rust: #inner, }
        } else {
            quote! { #doc pub #rust: ::std::option::Option<#inner>, }
        }
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

/// The generated names of one operation.
struct OpNames {
    method: Ident,
    request: Ident,
    builder: Ident,
    wire: Ident,
    wire_data: Ident,
    data_ref: Ident,
    variant: Ident,
}

impl OpNames {
    fn of(op: &Operation) -> OpNames {
        let base = pascal_case(&op.name);
        OpNames {
            method: ident(&op.name),
            request: format_ident!("{base}Request"),
            builder: format_ident!("{base}Builder"),
            wire: format_ident!("{base}Wire"),
            wire_data: format_ident!("{base}WireData"),
            data_ref: format_ident!("{base}Data"),
            variant: format_ident!("{base}"),
        }
    }
}

fn provenance_text(op: &Operation) -> &'static str {
    match op.provenance {
        Provenance::Collection => {
            "**From the vendor's collection**: the vendor's Postman collection gives this wire \
             form, and the SDK sends what its examples send."
        }
        Provenance::Inferred => {
            "**Inferred**: the vendor's collection does not have this operation; its wire form \
             is our inference and is not confirmed."
        }
    }
}

/// The first example request of the collection, or one made from the params for an operation
/// without examples.
fn example_request(catalogue: &Catalogue, op: &Operation) -> (String, &'static str) {
    if let Some(example) = op.examples.first() {
        let heading = if op.body == BodyEncoding::Multipart {
            "The vendor's example (the JSON of the form's `param` field):"
        } else {
            "The vendor's example request:"
        };
        return (trim_lines(&example.request), heading);
    }
    let mut body = serde_json::Map::new();
    if op.scope == Scope::Account {
        body.insert("account_id".into(), serde_json::json!(123456));
    }
    for (key, value) in &op.discriminators {
        body.insert(key.clone(), serde_json::Value::String(value.clone()));
    }
    let mut data = serde_json::Map::new();
    for constant in &op.constants {
        match constant.location() {
            (Location::Data, key) => data.insert(key.to_owned(), constant.value.clone()),
            (_, key) => body.insert(key.to_owned(), constant.value.clone()),
        };
    }
    for param in op.params.iter().filter(|p| !p.is_file()) {
        let value = sample_value(catalogue, &param.ty, param.sent_as(catalogue));
        match param.location {
            Location::Top => {
                body.insert(param.wire.clone(), value);
            }
            Location::Data => {
                data.insert(param.wire.clone(), value);
            }
            Location::Header => {}
        }
    }
    if op.has_data() {
        body.insert("data".into(), serde_json::Value::Object(data));
    }
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(body)).unwrap_or_default();
    (text, "The request this operation sends (inferred):")
}

/// The example's lines, without the trailing spaces the vendor's text carries.
fn trim_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_owned()
}

fn sample_value(catalogue: &Catalogue, ty: &TypeRef, wire_as: WireAs) -> serde_json::Value {
    use serde_json::json;
    match ty {
        TypeRef::Scalar(Scalar::String | Scalar::DateTime) => json!("..."),
        TypeRef::Scalar(
            Scalar::Integer | Scalar::Id | Scalar::Number | Scalar::Millis | Scalar::Seconds,
        ) => {
            if wire_as == WireAs::String {
                json!("12345")
            } else {
                json!(12345)
            }
        }
        TypeRef::Scalar(Scalar::Boolean) => json!(true),
        TypeRef::Scalar(Scalar::Json) => json!("..."),
        TypeRef::Scalar(Scalar::File) => json!("<file>"),
        TypeRef::List(inner) => json!([sample_value(catalogue, inner, wire_as)]),
        TypeRef::Encoded(_) => json!("[...]"),
        TypeRef::Named(name) => match catalogue.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum { values, .. }) => match values.first().map(|v| &v.value) {
                Some(EnumLiteral::Integer(i)) if wire_as == WireAs::String => json!(i.to_string()),
                Some(EnumLiteral::Integer(i)) => json!(i),
                Some(EnumLiteral::String(s)) => json!(s),
                None => json!(null),
            },
            Some(TypeKind::Id) if wire_as == WireAs::String => json!("12345"),
            Some(TypeKind::Id) => json!(12345),
            _ => json!({}),
        },
    }
}

fn operation_doc(catalogue: &Catalogue, op: &Operation) -> String {
    let mut discriminators: Vec<String> = op
        .discriminators
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if let Some(param) = op.discriminator_param() {
        discriminators.push(format!("{}=<{}>", param.wire, param.rust));
    }
    for constant in &op.constants {
        discriminators.push(format!("{}={}", constant.path, constant.value));
    }
    let (example, example_heading) = example_request(catalogue, op);
    let auth = match op.auth {
        Auth::Token => "the session token (`X-ACCESS-TOKEN`)",
        Auth::None => "none",
    };
    let scope = match op.scope {
        Scope::Account => {
            "account-scoped (`account_id`: the client's default, or `.account_id(..)`)"
        }
        Scope::None => "not account-scoped",
    };
    let retry = match (op.kind, op.idempotent) {
        (OperationKind::Read, _) => "yes (a read)",
        (OperationKind::Write, true) => "yes (sending this write twice cannot be seen by anyone)",
        (OperationKind::Write, false) => {
            "no (a write whose repetition could be seen is sent once; its error is returned)"
        }
    };
    let inferred = if op.inferred.is_empty() {
        String::new()
    } else {
        let items: Vec<String> = op.inferred.iter().map(|s| format!("- {s}")).collect();
        format!("\n\n**Still our inference:**\n\n{}", items.join("\n"))
    };
    format!(
        "{title}\n\n{summary}\n\n{provenance}{inferred}\n\n\
         Wire: `{discriminators}`; auth: {auth}; {scope}; retried on failure: {retry}.\n\n\
         {example_heading}\n\n```json\n{example}\n```",
        title = op.title,
        summary = op.summary.trim(),
        provenance = provenance_text(op),
        discriminators = discriminators.join(" "),
    )
}

/// How a required param is taken by a constructor, and how it is stored; shared types are
/// under `types_path`. Text is taken as anything `Into<String>`; every other type exactly, so
/// that two ids of different kinds cannot be swapped.
fn param_argument(param: &Param, types_path: &TokenStream) -> (TokenStream, TokenStream) {
    let name = ident(&param.rust);
    match param.ty {
        TypeRef::Scalar(Scalar::String) => (
            quote!(#name: impl ::std::convert::Into<::std::string::String>),
            quote!(#name.into()),
        ),
        _ => {
            let ty = rust_type_in(&param.ty, types_path);
            (quote!(#name: #ty), quote!(#name))
        }
    }
}

/// An expression serializing to a JSON value of the catalogue (a constant or a default).
fn json_literal(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value as Json;
    match value {
        Json::Null => quote!(&()),
        Json::Bool(b) => quote!(&#b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                let lit = Literal::i64_suffixed(i);
                quote!(&#lit)
            } else if let Some(u) = n.as_u64() {
                let lit = Literal::u64_suffixed(u);
                quote!(&#lit)
            } else {
                let lit = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(&#lit)
            }
        }
        Json::String(s) => quote!(&#s),
        Json::Array(items) if items.is_empty() => quote!(&[(); 0]),
        other => {
            let text = other.to_string();
            quote!(&::chatrace_runtime::wire::RawJson(#text))
        }
    }
}

/// The value expression of a param's entry (`value` is a reference to the Rust value).
fn entry_value(catalogue: &Catalogue, param: &Param) -> TokenStream {
    if let TypeRef::Encoded(_) = param.ty {
        return quote!(&::chatrace_runtime::wire::EncodedRef(value));
    }
    match param.form(catalogue) {
        ValueForm::Natural => quote!(value),
        ValueForm::AsString => quote!(&::chatrace_runtime::wire::AsString(value)),
        ValueForm::AsNumber => quote!(&::chatrace_runtime::wire::AsNumber(value)),
    }
}

/// The statements writing the constants and params of one level of the body (the top or
/// `data`) into `map`, reading the request through `this`.
fn body_entries(
    catalogue: &Catalogue,
    op: &Operation,
    location: Location,
    this: &TokenStream,
) -> TokenStream {
    let constants = op
        .constants
        .iter()
        .filter(|c| c.location().0 == location)
        .map(|c| {
            let key = c.location().1;
            let value = json_literal(&c.value);
            quote! { map.serialize_entry(#key, #value)?; }
        });
    let params = op
        .params
        .iter()
        .filter(|p| p.location == location && !p.is_file())
        .map(|param| {
            let key = &param.wire;
            let name = ident(&param.rust);
            let value = entry_value(catalogue, param);
            match (param.required, &param.default) {
                (true, _) => quote! { { let value = &#this.#name; map.serialize_entry(#key, #value)?; } },
                (false, None) => quote! {
                    if let ::std::option::Option::Some(value) = &#this.#name {
                        map.serialize_entry(#key, #value)?;
                    }
                },
                (false, Some(default)) => {
                    let default = json_literal(default);
                    quote! {
                        match &#this.#name {
                            ::std::option::Option::Some(value) => map.serialize_entry(#key, #value)?,
                            ::std::option::Option::None => map.serialize_entry(#key, #default)?,
                        }
                    }
                }
            }
        });
    quote! { #(#constants)* #(#params)* }
}

fn operation(catalogue: &Catalogue, op: &Operation, server: &ServerSide) -> TokenStream {
    let names = OpNames::of(op);
    let OpNames {
        request,
        builder,
        wire,
        wire_data,
        data_ref,
        ..
    } = &names;
    let wire_name = wire.to_string();
    let doc_text = operation_doc(catalogue, op);
    let request_doc = doc_attr(&format!(
        "The request of [`Client::{name}`](super::Client::{name}): {title}.\n\n{doc_text}",
        name = op.name,
        title = op.title,
    ));
    let builder_doc = doc_attr(&format!(
        "Builds and sends [`{request}`]: {title}. Made by [`Client::{name}`](super::Client::{name}); \
         optional params are chained setters, and `send().await` runs the call.",
        name = op.name,
        title = op.title,
    ));
    let scoped = op.scope == Scope::Account;
    let output = match &op.response {
        Some(ty) => rust_type(ty),
        None => quote!(()),
    };

    // The request's fields.
    let account_field = scoped.then(|| {
        quote! {
            /// The account to act on; `None` uses the client's default account.
            pub account_id: ::std::option::Option<u64>,
        }
    });
    let fields = op.params.iter().map(|param| {
        let name = ident(&param.rust);
        let doc = doc_attr(&member_doc(
            &param.doc,
            &param.wire,
            &param.rust,
            param.inferred,
        ));
        let ty = rust_type(&param.ty);
        if param.required {
            quote! { #doc pub #name: #ty, }
        } else {
            quote! { #doc pub #name: ::std::option::Option<#ty>, }
        }
    });

    // Serialize: the whole body, discriminators first.
    let discriminator_entries = op.discriminators.iter().map(|(key, value)| {
        quote! { map.serialize_entry(#key, #value)?; }
    });
    let account_entry = scoped.then(|| {
        let value = match op.account_as {
            WireAs::Number => quote!(account_id),
            WireAs::String => quote!(&::chatrace_runtime::wire::AsString(account_id)),
        };
        quote! {
            if let ::std::option::Option::Some(account_id) = &self.account_id {
                map.serialize_entry("account_id", #value)?;
            }
        }
    });
    let top_entries = body_entries(catalogue, op, Location::Top, &quote!(self));
    let (data_entry, data_ref_struct) = if op.has_data() {
        let data_entries = body_entries(catalogue, op, Location::Data, &quote!(this));
        (
            quote! { map.serialize_entry("data", &#data_ref(self))?; },
            quote! {
                /// The `data` object of the request's body.
                struct #data_ref<'a>(&'a #request);

                impl ::serde::Serialize for #data_ref<'_> {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        use ::serde::ser::SerializeMap as _;
                        let this = self.0;
                        let mut map = serializer.serialize_map(::std::option::Option::None)?;
                        #data_entries
                        map.end()
                    }
                }
            },
        )
    } else {
        (quote!(), quote!())
    };

    // Deserialize: a private wire struct shaped like the body, turned into the request.
    let wire_account = scoped.then(|| {
        quote! {
            #[serde(default, deserialize_with = "::chatrace_runtime::lenient::deserialize")]
            account_id: ::std::option::Option<u64>,
        }
    });
    let wire_field = |param: &Param| {
        let name = ident(&param.rust);
        let key = &param.wire;
        let ty = rust_type(&param.ty);
        if param.is_file() {
            return if param.required {
                quote! { #[serde(skip)] #name: #ty, }
            } else {
                quote! { #[serde(skip)] #name: ::std::option::Option<#ty>, }
            };
        }
        if let TypeRef::Encoded(_) = param.ty {
            return if param.required {
                quote! { #[serde(rename = #key, deserialize_with = "::chatrace_runtime::wire::encoded")] #name: #ty, }
            } else {
                quote! { #[serde(rename = #key, default, deserialize_with = "::chatrace_runtime::wire::encoded_option")] #name: ::std::option::Option<#ty>, }
            };
        }
        let lenient = lenient_attr(&param.ty, param.required);
        if param.required {
            quote! { #[serde(rename = #key)] #lenient #name: #ty, }
        } else {
            quote! { #[serde(rename = #key)] #lenient #name: ::std::option::Option<#ty>, }
        }
    };
    let wire_top = op
        .params
        .iter()
        .filter(|p| p.location != Location::Data || p.is_file())
        .map(wire_field);
    let data_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Data && !p.is_file())
        .collect();
    let wire_data_fields = data_params.iter().map(|p| wire_field(p));
    let data_required = data_params.iter().any(|p| p.required);
    let (wire_data_field, wire_data_struct) = if data_params.is_empty() {
        (quote!(), quote!())
    } else {
        let default = (!data_required).then(|| quote!(#[serde(default)]));
        let derive_default = (!data_required).then(|| quote!(Default,));
        (
            quote! { #default data: #wire_data, },
            quote! {
                #[derive(#derive_default ::serde::Deserialize)]
                struct #wire_data { #(#wire_data_fields)* }
            },
        )
    };
    let from_account = scoped.then(|| quote!(account_id: wire.account_id,));
    let from_fields = op.params.iter().map(|param| {
        let name = ident(&param.rust);
        if param.location == Location::Data && !param.is_file() {
            quote!(#name: wire.data.#name,)
        } else {
            quote!(#name: wire.#name,)
        }
    });

    // Operation impl.
    let meta = operation_meta(catalogue, op);
    let account_methods = if scoped {
        quote! {
            fn account_id(&self) -> ::std::option::Option<u64> { self.account_id }
            fn set_account_id(&mut self, id: u64) { self.account_id = ::std::option::Option::Some(id); }
        }
    } else {
        quote! {
            fn account_id(&self) -> ::std::option::Option<u64> { ::std::option::Option::None }
            fn set_account_id(&mut self, _id: u64) {}
        }
    };
    let header_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Header)
        .collect();
    let headers_method = (!header_params.is_empty()).then(|| {
        let pushes = header_params.iter().map(|param| {
            let name = ident(&param.rust);
            let key = &param.wire;
            if param.required {
                quote! { headers.push((#key, ::std::string::ToString::to_string(&self.#name))); }
            } else {
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#name {
                        headers.push((#key, ::std::string::ToString::to_string(value)));
                    }
                }
            }
        });
        quote! {
            fn headers(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                let mut headers = ::std::vec::Vec::new();
                #(#pushes)*
                headers
            }
        }
    });
    let session_method = (op.session == Some(SessionEffect::Start)).then(|| {
        quote! {
            fn session_token(output: &Self::Output) -> ::std::option::Option<&str> {
                ::std::option::Option::Some(output.token.as_str())
            }
        }
    });
    let file_params: Vec<&Param> = op.params.iter().filter(|p| p.is_file()).collect();
    let files_method = (!file_params.is_empty()).then(|| {
        let takes = file_params.iter().map(|param| {
            let name = ident(&param.rust);
            let key = &param.wire;
            if param.required {
                quote! { files.push((#key, ::std::mem::take(&mut self.#name))); }
            } else {
                quote! {
                    if let ::std::option::Option::Some(file) = self.#name.take() {
                        files.push((#key, file));
                    }
                }
            }
        });
        quote! {
            fn take_files(&mut self) -> ::std::vec::Vec<(&'static str, ::chatrace_runtime::FileUpload)> {
                let mut files = ::std::vec::Vec::new();
                #(#takes)*
                files
            }
        }
    });

    // Builder setters for optional params.
    let setters = op.params.iter().filter(|p| !p.required).map(|param| {
        let name = ident(&param.rust);
        let unset = match &param.default {
            Some(default) => format!(" When not set, the SDK sends `{default}`."),
            None => " When not set, it is not sent.".to_owned(),
        };
        let doc = doc_attr(&format!(
            "Sets `{}`: {}{unset}",
            param.wire,
            member_doc(&param.doc, &param.wire, &param.rust, param.inferred),
        ));
        match param.ty {
            TypeRef::Scalar(Scalar::String) => quote! {
                #doc
                pub fn #name(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.request.#name = ::std::option::Option::Some(value.into());
                    self
                }
            },
            _ => {
                let ty = rust_type(&param.ty);
                quote! {
                    #doc
                    pub fn #name(mut self, value: #ty) -> Self {
                        self.request.#name = ::std::option::Option::Some(value);
                        self
                    }
                }
            }
        }
    });
    let account_setter = scoped.then(|| {
        quote! {
            /// Acts on this account instead of the client's default account.
            pub fn account_id(mut self, account_id: u64) -> Self {
                self.request.account_id = ::std::option::Option::Some(account_id);
                self
            }
        }
    });
    let item = paged_item(catalogue, op);
    let paging_methods = item.as_ref().map(|item| {
        quote! {
            /// Sets the page size used by [`pages`](Self::pages) and [`items`](Self::items)
            /// (the catalogue's default when not set; clamped to its maximum).
            pub fn page_size(mut self, page_size: u64) -> Self {
                self.paging.page_size = ::std::option::Option::Some(page_size);
                self
            }

            /// Sets the most pages [`pages`](Self::pages) and [`items`](Self::items) read
            /// (1000 when not set): reaching it ends the listing with
            /// [`Error::Paging`](::chatrace_runtime::Error::Paging).
            pub fn max_pages(mut self, max_pages: u32) -> Self {
                self.paging.max_pages = ::std::option::Option::Some(max_pages);
                self
            }

            /// Every page of the list, fetched lazily one call at a time from the offset set
            /// on the builder (or the start). It ends on an empty or short page; it stops early,
            /// yielding [`Error::Paging`](::chatrace_runtime::Error::Paging), on a page that
            /// repeats the previous one or at the page cap. Each page's call uses this
            /// builder's options (timeouts, retries, account).
            #[inline]
            pub fn pages(self) -> impl ::chatrace_runtime::Stream<Item = ::std::result::Result<::std::vec::Vec<#item>, ::chatrace_runtime::Error>> + Send {
                let mut paging = self.paging;
                paging.call = self.options;
                self.handle.pages(self.request, paging)
            }

            /// Every item of the list across pages, fetched lazily (see [`pages`](Self::pages)).
            #[inline]
            pub fn items(self) -> impl ::chatrace_runtime::Stream<Item = ::std::result::Result<#item, ::chatrace_runtime::Error>> + Send {
                let mut paging = self.paging;
                paging.call = self.options;
                self.handle.items(self.request, paging)
            }
        }
    });
    let paged_impl = op.paging.as_ref().zip(item.as_ref()).map(|(paging, item)| {
        let offset = op.param(&paging.offset).map(|p| ident(&p.rust));
        let limit = op.param(&paging.limit).map(|p| ident(&p.rust));
        let into_items = match paged_items_field(catalogue, op) {
            None => quote!(output),
            Some((field, true)) => quote!(output.#field),
            Some((field, false)) => quote!(output.#field.unwrap_or_default()),
        };
        quote! {
            impl ::chatrace_runtime::Paged for #request {
                type Item = #item;
                fn set_page(&mut self, offset: u64, limit: u64) {
                    self.#offset = ::std::option::Option::Some(offset as i64);
                    self.#limit = ::std::option::Option::Some(limit as i64);
                }
                fn into_items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                    #into_items
                }
                fn start_offset(&self) -> ::std::option::Option<u64> {
                    self.#offset.and_then(|offset| u64::try_from(offset).ok())
                }
            }
        }
    });
    let page_size_field = item
        .as_ref()
        .map(|_| quote!(paging: ::chatrace_runtime::PageOptions,));
    let page_size_init = item
        .as_ref()
        .map(|_| quote!(paging: ::std::default::Default::default(),));
    let request_new_args = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| param_argument(p, &quote!(super::types)).0);
    let request_new_fields = op.params.iter().map(|param| {
        let name = ident(&param.rust);
        if param.required {
            let (_, init) = param_argument(param, &quote!(super::types));
            quote!(#name: #init,)
        } else {
            quote!(#name: ::std::option::Option::None,)
        }
    });
    let account_init = scoped.then(|| quote!(account_id: ::std::option::Option::None,));
    let send_doc = doc_attr(&format!(
        "Sends the request and decodes the answer.\n\n\
         # Errors\n\n\
         [`Error::Api`](::chatrace_runtime::Error::Api) when the server answers an error, and the \
         transport, timeout, HTTP and decode errors of [`chatrace_runtime::Error`]; \
         [`Error::Config`](::chatrace_runtime::Error::Config) when {what}.",
        what = if scoped {
            "no account id is set on the call or the client"
        } else {
            "the client is misconfigured"
        }
    ));
    let new_doc = doc_attr(&format!(
        "A request with its required params; optional params start unset.{}",
        if scoped {
            " The account is the client's default unless `account_id` is set."
        } else {
            ""
        }
    ));
    let has_secret = op.params.iter().any(|p| p.secret);
    let derive_debug = (!has_secret).then(|| quote!(Debug,));
    let debug_impl = has_secret.then(|| {
        let mut members: Vec<(Ident, bool)> = Vec::new();
        if scoped {
            members.push((ident("account_id"), false));
        }
        members.extend(op.params.iter().map(|p| (ident(&p.rust), p.secret)));
        redacting_debug(request, &members, false)
    });

    let cfg = server.cfg();
    let server_side = server.emitted().then(|| {
        let data_struct = (!wire_data_struct.is_empty()).then(|| quote!(#cfg #wire_data_struct));
        quote! {
            #cfg
            #[derive(::serde::Deserialize)]
            struct #wire {
                #wire_account
                #(#wire_top)*
                #wire_data_field
            }

            #data_struct

            #cfg
            impl ::std::convert::From<#wire> for #request {
                fn from(wire: #wire) -> Self {
                    #request { #from_account #(#from_fields)* }
                }
            }
        }
    });
    let deserialize = match server {
        ServerSide::Omit => quote!(),
        ServerSide::Always => quote! {
            #[derive(::serde::Deserialize)]
            #[serde(from = #wire_name)]
        },
        ServerSide::Feature(feature) => quote! {
            #[cfg_attr(feature = #feature, derive(::serde::Deserialize), serde(from = #wire_name))]
        },
    };

    quote! {
        #request_doc
        #[derive(#derive_debug Clone, PartialEq)]
        #[non_exhaustive]
        #deserialize
        pub struct #request {
            #account_field
            #(#fields)*
        }

        #debug_impl

        impl #request {
            #new_doc
            pub fn new(#(#request_new_args),*) -> Self {
                #request { #account_init #(#request_new_fields)* }
            }
        }

        impl ::serde::Serialize for #request {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                #(#discriminator_entries)*
                #account_entry
                #top_entries
                #data_entry
                map.end()
            }
        }

        #data_ref_struct

        #server_side

        impl ::chatrace_runtime::Operation for #request {
            type Output = #output;
            const META: &'static ::chatrace_runtime::OperationMeta = &#meta;
            #account_methods
            #headers_method
            #session_method
            #files_method
        }

        #paged_impl

        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            handle: ::chatrace_runtime::Handle,
            request: #request,
            options: ::chatrace_runtime::CallOptions,
            #page_size_field
        }

        impl #builder {
            /// A builder that sends `request` through `handle`.
            pub fn from_request(handle: ::chatrace_runtime::Handle, request: #request) -> Self {
                #builder { handle, request, options: ::std::default::Default::default(), #page_size_init }
            }

            #(#setters)*
            #account_setter

            /// Overrides the client's timeout of each attempt for this call.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = ::std::option::Option::Some(timeout);
                self
            }

            /// Overrides the client's deadline for this call: every attempt and the waits
            /// between them.
            pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
                self.options.deadline = ::std::option::Option::Some(deadline);
                self
            }

            /// Overrides the client's retry policy for this call.
            pub fn retry(mut self, policy: ::chatrace_runtime::RetryPolicy) -> Self {
                self.options.retry = ::std::option::Option::Some(policy);
                self
            }

            /// The request as built so far.
            pub fn request(&self) -> &#request {
                &self.request
            }

            /// The request, without sending it.
            pub fn into_request(self) -> #request {
                self.request
            }

            #paging_methods

            #send_doc
            // Inline: the call path is then compiled only for the operations a program uses,
            // not for all of them in `chatrace` itself.
            #[inline]
            pub async fn send(self) -> ::std::result::Result<#output, ::chatrace_runtime::Error> {
                self.handle.execute_with(self.request, &self.options).await
            }
        }
    }
}

/// The Rust type of one item of a paged operation's list.
fn paged_item(catalogue: &Catalogue, op: &Operation) -> Option<TokenStream> {
    op.paging.as_ref()?;
    match (&op.response, paged_items_type(catalogue, op)) {
        (Some(TypeRef::List(inner)), _) => Some(rust_type(inner)),
        (_, Some(TypeRef::List(inner))) => Some(rust_type(&inner)),
        _ => None,
    }
}

/// The list type of the `items` field of a paged struct answer.
fn paged_items_type(catalogue: &Catalogue, op: &Operation) -> Option<TypeRef> {
    let items = op.paging.as_ref()?.items.as_ref()?;
    let name = op.response.as_ref()?.named()?;
    match &catalogue.type_named(name)?.kind {
        TypeKind::Struct { fields } => fields
            .iter()
            .find(|f| &f.wire == items)
            .map(|f| f.ty.clone()),
        _ => None,
    }
}

/// The Rust name of the `items` field of a paged struct answer, and whether it is required.
fn paged_items_field(catalogue: &Catalogue, op: &Operation) -> Option<(Ident, bool)> {
    let items = op.paging.as_ref()?.items.as_ref()?;
    let name = op.response.as_ref()?.named()?;
    match &catalogue.type_named(name)?.kind {
        TypeKind::Struct { fields } => fields
            .iter()
            .find(|f| &f.wire == items)
            .map(|f| (ident(&f.rust), f.required)),
        _ => None,
    }
}

/// A value of the catalogue's vocabulary, as the runtime names it (`::chatrace_runtime::Auth::Token`).
fn vocab_value<T: Spelled>(value: T) -> TokenStream {
    let ty = ident(T::TYPE_NAME);
    let variant = ident(value.variant_name());
    quote!(::chatrace_runtime::#ty::#variant)
}

/// `Some(tokens)` or `None`, as tokens.
fn option_tokens(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(tokens) => quote!(::std::option::Option::Some(#tokens)),
        None => quote!(::std::option::Option::None),
    }
}

/// The resolved shape of a type expression, as a `::chatrace_runtime::TypeShape` constant.
fn type_shape(catalogue: &Catalogue, ty: &TypeRef) -> TokenStream {
    let shape = quote!(::chatrace_runtime::TypeShape);
    match ty {
        TypeRef::Scalar(scalar) => {
            let scalar = vocab_value(*scalar);
            quote!(#shape::Scalar(#scalar))
        }
        TypeRef::List(inner) => {
            let inner = type_shape(catalogue, inner);
            quote!(#shape::List(&#inner))
        }
        TypeRef::Encoded(inner) => {
            let inner = type_shape(catalogue, inner);
            quote!(#shape::Encoded(&#inner))
        }
        TypeRef::Named(name) => match catalogue.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Id) => quote!(#shape::Id { name: #name }),
            Some(TypeKind::Enum { repr, values }) => {
                let repr = vocab_value(*repr);
                let values = values.iter().map(|v| v.value.to_string());
                quote!(#shape::Enum { name: #name, repr: #repr, values: &[#(#values),*] })
            }
            Some(TypeKind::Union(_)) => quote!(#shape::Union { name: #name }),
            // Validation has rejected undeclared names; a struct is what is left.
            Some(TypeKind::Struct { .. }) | None => quote!(#shape::Struct { name: #name }),
        },
    }
}

fn operation_meta(catalogue: &Catalogue, op: &Operation) -> TokenStream {
    let name = &op.name;
    let title = &op.title;
    let summary = op.summary.trim();
    let provenance = vocab_value(op.provenance);
    let inferred = &op.inferred;
    let kind = vocab_value(op.kind);
    let discriminators = op.discriminators.iter().map(|(k, v)| quote!((#k, #v)));
    let auth = vocab_value(op.auth);
    let scope = vocab_value(op.scope);
    let account_as = vocab_value(op.account_as);
    let session = option_tokens(op.session.map(vocab_value));
    let body = vocab_value(op.body);
    let retry_safe = op.retry_safe();
    let constants = op.constants.iter().map(|c| {
        let path = &c.path;
        let value = c.value.to_string();
        quote!((#path, #value))
    });
    let params = op.params.iter().map(|param| {
        let wire = &param.wire;
        let rust = param.rust.trim_start_matches("r#");
        let ty = type_shape(catalogue, &param.ty);
        let required = param.required;
        let location = vocab_value(param.location);
        let sent_as = vocab_value(param.sent_as(catalogue));
        let doc = fallback_doc(&param.doc, &param.wire);
        let default = match &param.default {
            Some(value) => {
                let text = value.to_string();
                quote!(::std::option::Option::Some(#text))
            }
            None => quote!(::std::option::Option::None),
        };
        let secret = param.secret;
        quote! {
            ::chatrace_runtime::ParamMeta {
                wire: #wire, rust: #rust, ty: #ty, required: #required, location: #location,
                wire_as: #sent_as, doc: #doc, default: #default, secret: #secret,
            }
        }
    });
    let paging = match &op.paging {
        None => quote!(::std::option::Option::None),
        Some(p) => {
            let (offset, limit, default_limit, max_limit) =
                (&p.offset, &p.limit, p.default_limit, p.max_limit);
            let items = match &p.items {
                Some(items) => quote!(::std::option::Option::Some(#items)),
                None => quote!(::std::option::Option::None),
            };
            quote!(::std::option::Option::Some(::chatrace_runtime::PagingMeta {
                offset: #offset, limit: #limit, items: #items, default_limit: #default_limit,
                max_limit: #max_limit,
            }))
        }
    };
    let response = option_tokens(op.response.as_ref().map(|ty| type_shape(catalogue, ty)));
    let response_in = vocab_value(op.response_in);
    let examples = op.examples.iter().map(|example| {
        let name = &example.name;
        let headers = example.headers.iter().map(|(k, v)| quote!((#k, #v)));
        let request = &example.request;
        let response = match &example.response {
            Some(text) => quote!(::std::option::Option::Some(#text)),
            None => quote!(::std::option::Option::None),
        };
        let renamed = example
            .renamed
            .iter()
            .map(|(from, to)| quote!((#from, #to)));
        quote! {
            ::chatrace_runtime::ExampleMeta {
                name: #name, headers: &[#(#headers),*], request: #request, response: #response,
                renamed: &[#(#renamed),*],
            }
        }
    });
    quote! {
        ::chatrace_runtime::OperationMeta {
            name: #name, title: #title, summary: #summary, provenance: #provenance,
            inferred: &[#(#inferred),*], kind: #kind,
            discriminators: &[#(#discriminators),*], auth: #auth, scope: #scope,
            account_as: #account_as, session: #session, body: #body, retry_safe: #retry_safe,
            constants: &[#(#constants),*], params: &[#(#params),*], paging: #paging,
            response: #response, response_in: #response_in, examples: &[#(#examples),*],
        }
    }
}
fn client(catalogue: &Catalogue) -> TokenStream {
    let method = |op: &Operation| {
        let names = OpNames::of(op);
        let (method, request, builder) = (&names.method, &names.request, &names.builder);
        let doc = doc_attr(&operation_doc(catalogue, op));
        let args = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| param_argument(p, &quote!(types)).0);
        let arg_names = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| ident(&p.rust));
        quote! {
            #doc
            pub fn #method(&self, #(#args),*) -> operations::#builder {
                operations::#builder::from_request(
                    self.handle.clone(),
                    operations::#request::new(#(#arg_names),*),
                )
            }
        }
    };
    // One `impl` block per area, in the order areas first appear: rustdoc shows each block
    // with its heading, so the client's page reads as the API's areas.
    let mut areas: Vec<(Option<&str>, Vec<&Operation>)> = Vec::new();
    for op in &catalogue.operations {
        let area = op.area.as_deref();
        match areas.iter_mut().find(|(a, _)| *a == area) {
            Some((_, ops)) => ops.push(op),
            None => areas.push((area, vec![op])),
        }
    }
    let blocks = areas.iter().map(|(area, ops)| {
        let heading = doc_attr(&format!(
            "# {}\n\nThe operations of {}.",
            area.unwrap_or("Other operations"),
            area.map_or_else(|| "no area".to_owned(), |a| format!("the area `{a}`"))
        ));
        let methods = ops.iter().map(|op| method(op));
        quote! {
            #heading
            impl Client {
                #(#methods)*
            }
        }
    });
    let metas = catalogue.operations.iter().map(|op| {
        let request = OpNames::of(op).request;
        quote!(<operations::#request as ::chatrace_runtime::Operation>::META)
    });
    let count = catalogue.operations.len();
    let client_doc = doc_attr(&format!(
        "A client of the {}: one method per operation of the catalogue, grouped by area below.\n\n\
         Cheap to clone (one connection pool is shared); `Send + Sync`. The session token and \
         the default account are read and set with the methods of the first block; \
         [`handle`](Client::handle) gives the runtime's [`Handle`](::chatrace_runtime::Handle) \
         for what the runtime does beyond the operations.",
        catalogue.api.title
    ));
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: ::chatrace_runtime::Handle,
        }

        /// Configures and builds a [`Client`].
        pub type ClientBuilder = ::chatrace_runtime::ClientBuilder<Client>;

        impl ::std::convert::From<::chatrace_runtime::Handle> for Client {
            fn from(handle: ::chatrace_runtime::Handle) -> Self {
                Client { handle }
            }
        }

        /// # The client itself
        ///
        /// Building it, and its session: the token a login stores and a logout clears, and the
        /// default account of account-scoped operations.
        impl Client {
            /// A builder: set at least the base URL, then `build()`.
            pub fn builder() -> ClientBuilder {
                ::chatrace_runtime::ClientBuilder::new()
            }

            /// The runtime handle the client sends through.
            pub fn handle(&self) -> &::chatrace_runtime::Handle {
                &self.handle
            }

            /// The current session token (shown as `***` by `Debug`).
            pub fn token(&self) -> ::std::option::Option<::chatrace_runtime::SecretToken> {
                self.handle.token()
            }

            /// Sets the session token; one that is not a valid HTTP header value is refused
            /// with a warning, and the previous one is kept (see [`Client::try_set_token`]).
            pub fn set_token(&self, token: impl ::std::convert::Into<::std::string::String>) {
                self.handle.set_token(token)
            }

            /// Sets the session token.
            ///
            /// # Errors
            ///
            /// [`Error::Config`](::chatrace_runtime::Error::Config) when the token is not a valid
            /// HTTP header value.
            pub fn try_set_token(
                &self,
                token: impl ::std::convert::Into<::std::string::String>,
            ) -> ::std::result::Result<(), ::chatrace_runtime::Error> {
                self.handle.try_set_token(token)
            }

            /// Forgets the session token.
            pub fn clear_token(&self) {
                self.handle.clear_token()
            }

            /// The default account of account-scoped operations.
            pub fn default_account_id(&self) -> ::std::option::Option<u64> {
                self.handle.default_account_id()
            }

            /// The API URL.
            pub fn base_url(&self) -> &str {
                self.handle.base_url()
            }
        }

        #(#blocks)*

        /// The metadata of every operation of the catalogue, in its order.
        pub static OPERATIONS: [&::chatrace_runtime::OperationMeta; #count] = [#(#metas),*];
    }
}

fn any_request(catalogue: &Catalogue, cfg: TokenStream) -> TokenStream {
    let variants = catalogue.operations.iter().map(|op| {
        let names = OpNames::of(op);
        let (variant, request) = (&names.variant, &names.request);
        let doc = doc_attr(&format!("`{}`: {}.", op.name, op.title));
        quote! { #doc #variant(operations::#request), }
    });
    let meta_arms = catalogue.operations.iter().map(|op| {
        let names = OpNames::of(op);
        let (variant, request) = (&names.variant, &names.request);
        quote! { AnyRequest::#variant(_) => <operations::#request as ::chatrace_runtime::Operation>::META, }
    });
    let send_arms = catalogue.operations.iter().map(|op| {
        let variant = OpNames::of(op).variant;
        quote! {
            AnyRequest::#variant(request) => {
                let meta = ::chatrace_runtime::Operation::meta_of(&request);
                let output = handle.execute_with(request, options).await?;
                ::chatrace_runtime::output_to_json(meta, &output)
            }
        }
    });
    let attach_arms = catalogue.operations.iter().flat_map(|op| {
        let variant = OpNames::of(op).variant;
        op.params.iter().filter(|p| p.is_file()).map(move |param| {
            let (wire, rust) = (&param.wire, ident(&param.rust));
            let set = if param.required {
                quote!(request.#rust = file;)
            } else {
                quote!(request.#rust = ::std::option::Option::Some(file);)
            };
            quote! {
                AnyRequest::#variant(request) if name == #wire => {
                    #set
                    ::std::result::Result::Ok(())
                }
            }
        })
    });
    // The most specific first: an operation told apart by more constants, then by more
    // required params, is tried before the ones its body would also satisfy.
    let mut ordered: Vec<&Operation> = catalogue.operations.iter().collect();
    ordered.sort_by_key(|op| std::cmp::Reverse((op.constants.len(), op.required_paths().len())));
    let tries = ordered.iter().map(|op| {
        let names = OpNames::of(op);
        let (variant, request) = (&names.variant, &names.request);
        let pattern = ["op", "op1", "op2", "op3"].map(|key| {
            match op
                .discriminator_pattern()
                .into_iter()
                .find(|(k, _)| k == key)
            {
                Some((_, Some(value))) => quote!(::std::option::Option::Some(#value)),
                Some((_, None)) => quote!(::std::option::Option::Some(_)),
                None => quote!(::std::option::Option::None),
            }
        });
        let constants = op.constants.iter().map(|c| {
            let (path, value) = (&c.path, c.value.to_string());
            quote!((#path, #value))
        });
        let paths = op.required_paths();
        quote! {
            if matches!(key, [#(#pattern),*])
                && ::chatrace_runtime::holds_constants(&body, &[#(#constants),*])
                && ::chatrace_runtime::has_paths(&body, &[#(#paths),*])
            {
                return ::chatrace_runtime::parse_request::<operations::#request>(&body)
                    .map(AnyRequest::#variant);
            }
        }
    });
    let header_inserts: Vec<String> = {
        let mut names: Vec<String> = catalogue
            .operations
            .iter()
            .flat_map(|op| op.params.iter())
            .filter(|p| p.location == Location::Header)
            .map(|p| p.wire.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    quote! {
        /// Any request of the catalogue, as a server reads it from a body. Non-exhaustive: a
        /// later catalogue adds operations, so a `match` needs a `_` arm.
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum AnyRequest {
            #(#variants)*
        }

        #cfg
        impl AnyRequest {
            /// The metadata of the request's operation.
            pub fn meta(&self) -> &'static ::chatrace_runtime::OperationMeta {
                match self { #(#meta_arms)* }
            }

            /// Sends the request through `handle`, on the same typed path as the `Client`'s
            /// methods, and returns the decoded answer as JSON (for tools that handle any
            /// operation, such as the CLI).
            ///
            /// # Errors
            ///
            /// The errors of the operation's `send`.
            pub async fn send(
                self,
                handle: &::chatrace_runtime::Handle,
                options: &::chatrace_runtime::CallOptions,
            ) -> ::std::result::Result<::serde_json::Value, ::chatrace_runtime::Error> {
                match self { #(#send_arms)* }
            }

            /// Sets the file param `name` (its wire name, such as `file`) of a multipart request:
            /// a body read from JSON carries no file, its parts arrive beside it.
            ///
            /// # Errors
            ///
            /// Gives the file back when the request has no file param of that name.
            #[allow(clippy::result_large_err)]
            pub fn attach_file(
                &mut self,
                name: &str,
                file: ::chatrace_runtime::FileUpload,
            ) -> ::std::result::Result<(), ::chatrace_runtime::FileUpload> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#attach_arms)*
                    _ => ::std::result::Result::Err(file),
                }
            }

            /// The header names that carry params of some operation.
            pub const HEADER_PARAMS: &'static [&'static str] = &[#(#header_inserts),*];

            /// Reads a request body as the vendor's server tells operations apart: by the
            /// discriminators, then (for operations that share them) by the constants the body
            /// holds and the required params it has, the most specific operation first; then the
            /// body is decoded with that operation's request type. Header params are read from
            /// `header` (called with each name of [`HEADER_PARAMS`](Self::HEADER_PARAMS)).
            ///
            /// # Errors
            ///
            /// [`ParseRequestError`](::chatrace_runtime::ParseRequestError) when the body is not
            /// an object, names no known operation, or does not fit the operation's params.
            pub fn from_json(
                body: ::serde_json::Value,
                header: impl Fn(&str) -> ::std::option::Option<::std::string::String>,
            ) -> ::std::result::Result<Self, ::chatrace_runtime::ParseRequestError> {
                let body = ::chatrace_runtime::prepare_request_body(body, Self::HEADER_PARAMS, header)?;
                let key = ::chatrace_runtime::discriminators_of(&body);
                #(#tries)*
                ::std::result::Result::Err(::chatrace_runtime::ParseRequestError::unknown_operation(&body))
            }
        }
    }
}

/// The type of the field that a template fills with the placeholder `{name}`, in the struct
/// type `data` (a whole-value placeholder on a member).
fn template_field_type<'a>(
    catalogue: &'a Catalogue,
    template: &serde_json::Value,
    data: &str,
    name: &str,
) -> Option<&'a TypeRef> {
    let wanted = format!("{{{name}}}");
    let (key, _) = template
        .as_object()?
        .iter()
        .find(|(_, value)| value.as_str() == Some(wanted.as_str()))?;
    match &catalogue.type_named(data)?.kind {
        TypeKind::Struct { fields } => fields.iter().find(|f| &f.wire == key).map(|f| &f.ty),
        _ => None,
    }
}

/// The struct type of a union's variant named by a part template's tag.
fn part_variant_type<'a>(
    catalogue: &'a Catalogue,
    union_name: &str,
    template: &serde_json::Value,
) -> Option<&'a str> {
    let TypeKind::Union(union) = &catalogue.type_named(union_name)?.kind else {
        return None;
    };
    let tag = template
        .get(&union.tag)
        .and_then(|t| t.as_str())
        .or(union.default.as_deref())?;
    union
        .variants
        .iter()
        .find(|v| v.tag_value == tag)
        .map(|v| v.ty.as_str())
}

/// The realtime module: the frames' types, the builder `Client::realtime` returns, and the
/// connection that sends and hears. Everything a frame holds comes from the catalogue's
/// templates; what the operations answer is read by wire path.
fn realtime_module(catalogue: &Catalogue, realtime: &Realtime, cfg: TokenStream) -> TokenStream {
    let module_doc = doc_attr(&format!(
        "{}\n\nMade by [`Client::realtime`](super::Client::realtime): it finds the socket's URL, \
         authenticates with the client's session, and gives a [`Realtime`] connection that \
         sends messages to contacts and a stream of what happens in the inbox. It reconnects \
         after a drop (and says so in its events), re-authenticates and re-subscribes; a message \
         that cannot be confirmed is reported, never sent twice.",
        realtime.doc.trim()
    ));
    let event_ty = ident(&realtime.events.ty);
    let at = &realtime.events.at;
    let frame_ident = |name: &str| format_ident!("{}Frame", pascal_case(name));
    let frames = realtime.frames.iter().map(|frame| {
        let name = frame_ident(&frame.name);
        let action = frame.action.to_string();
        let frame_name = &frame.name;
        let doc = format!(
            "The `{}` frame: `{{\"action\": {action}, \"data\": ...}}`, its data checked as [`{}`](super::types::{}).",
            frame.name, frame.data, frame.data
        );
        quote! {
            #[doc = #doc]
            struct #name(::serde_json::Value);

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    ::serde::Serialize::serialize(&self.0, serializer)
                }
            }

            impl rt::Action for #name {
                const ACTION: &'static str = #action;
                const NAME: &'static str = #frame_name;
            }
        }
    });
    // Each template is parsed once, at its first use.
    let template_const = |name: &str, value: &serde_json::Value| {
        let ident = format_ident!("{}", name.to_ascii_uppercase());
        let text = value.to_string();
        quote! { static #ident: template::Template = template::Template::new(#text); }
    };
    let frame_consts = realtime
        .frames
        .iter()
        .map(|f| template_const(&format!("frame_{}", f.name), &f.template));
    let part_consts = realtime
        .parts
        .iter()
        .map(|(name, t)| template_const(&format!("part_{name}"), t));
    let windows = realtime.reply_windows.iter().map(|(channel, hours)| {
        let channel = Literal::i64_unsuffixed(*channel);
        quote!((#channel, #hours))
    });
    let data_ty = |frame: &str| {
        realtime
            .frame(frame)
            .map(|f| ident(&f.data))
            .unwrap_or_else(|| ident("Unknown"))
    };
    let (auth_data, subscribe_data, send_data) = (
        data_ty("authenticate"),
        data_ty("subscribe"),
        data_ty("send"),
    );
    let auth_frame = realtime.frame("authenticate");
    // The builder's platform: the type of the field the authenticate template fills with it.
    let platform_setter = auth_frame
        .and_then(|f| template_field_type(catalogue, &f.template, &f.data, "platform"))
        .map(|ty| {
            let ty = rust_type_in(ty, &quote!(types));
            quote! {
                /// The platform the app runs on, sent when authenticating and with each message
                /// (not sent when not set).
                pub fn platform(mut self, platform: #ty) -> Self {
                    self.platform = ::serde_json::to_value(&platform).ok();
                    self
                }
            }
        });
    // The contact's id type and the channel's type, from the contact operation.
    let contact_op = catalogue.operation_named(&realtime.contact.operation);
    let contact_param = contact_op.and_then(|op| op.param(&realtime.contact.param));
    let contact_ty = contact_param
        .map(|p| rust_type_in(&p.ty, &quote!(types)))
        .unwrap_or_else(|| quote!(::chatrace_runtime::Id));
    let contact_method = contact_op.map(|op| ident(&op.name));
    let contact_response = contact_op.and_then(|op| op.response.as_ref());
    let contact_field = |wire: &str| -> Option<&Field> {
        match &catalogue.type_named(contact_response?.named()?)?.kind {
            TypeKind::Struct { fields } => fields.iter().find(|f| f.wire == wire),
            _ => None,
        }
    };
    let channel_ty = contact_field(&realtime.contact.channel)
        .map(|f| rust_type_in(&f.ty, &quote!(types)))
        .unwrap_or_else(|| quote!(::serde_json::Value));
    // The module's example: the send/watch loop, in the catalogue's own types.
    let example_doc = {
        let in_crate = quote!(chatrace::types);
        let contact_path = contact_param
            .map(|p| rust_type_in(&p.ty, &in_crate).to_string())
            .unwrap_or_else(|| "chatrace::Id".to_owned());
        let channel_path = contact_field(&realtime.contact.channel)
            .map(|f| rust_type_in(&f.ty, &in_crate).to_string())
            .unwrap_or_else(|| "serde_json::Value".to_owned());
        let send = if realtime.part("text").is_some() {
            "realtime.send_text(&contact, channel, \"Your order shipped!\").await?;\n"
        } else {
            ""
        };
        doc_attr(&format!(
            "\n# Example\n\nSubscribe to a contact's conversation, send them a text, and print \
             what happens:\n\n```no_run\n\
             # async fn run(client: chatrace::Client, contact: {contact_path}, channel: {channel_path}) \
             -> Result<(), chatrace::realtime::RealtimeError> {{\n\
             use chatrace::realtime::RealtimeEvent;\nuse futures::StreamExt;\n\n\
             let realtime = client.realtime().connect().await?; // finds the socket, authenticates\n\
             let mut events = realtime.events();\n\
             realtime.subscribe(&contact).await?; // sent again after each reconnect\n\
             {send}\
             while let Some(event) = events.next().await {{\n\
             \x20   match event {{\n\
             \x20       RealtimeEvent::Event(event) => println!(\"{{event:?}}\"), // messages, changes, seen...\n\
             \x20       other => eprintln!(\"{{other:?}}\"), // disconnected, reconnected...\n\
             \x20   }}\n\
             }}\n\
             # Ok(()) }}\n```"
        ))
    };
    let last_in_seconds = contact_field(&realtime.contact.last_interaction)
        .is_some_and(|f| f.ty == TypeRef::Scalar(Scalar::Seconds));
    let (hash_path, channel_path, last_path) = (
        &realtime.contact.hash,
        &realtime.contact.channel,
        &realtime.contact.last_interaction,
    );
    let url_method = ident(&realtime.url.operation);
    let url_paths = &realtime.url.paths;
    let user_method = ident(&realtime.user.operation);
    let user_path = realtime.user.paths.first().cloned().unwrap_or_default();
    // The type of the parts a message holds: the list the send template fills with `{parts}`.
    let part_union = realtime
        .frame("send")
        .and_then(|f| template_field_type(catalogue, &f.template, &f.data, "parts"))
        .and_then(|ty| match ty {
            TypeRef::List(inner) => inner.named().map(str::to_owned),
            _ => None,
        });
    let part_ty = part_union
        .as_deref()
        .map(ident)
        .unwrap_or_else(|| ident("MessagePart"));
    let part_method = |name: &str, args: TokenStream, doc: &str, values: TokenStream| {
        realtime.part(name).map(|_| {
            let method = ident(&format!("send_{name}"));
            let method = if name == "reply" { ident("reply") } else { method };
            let constant = format_ident!("PART_{}", name.to_ascii_uppercase());
            quote! {
                #[doc = #doc]
                ///
                /// # Errors
                ///
                /// The contact cannot be looked up, is outside the channel's reply window (nothing
                /// is sent), the part does not fit the catalogue's types, or the send is not
                /// confirmed (it is not sent again).
                pub async fn #method(&self, contact: &#contact_ty, channel: #channel_ty, #args) -> ::std::result::Result<(), rt::RealtimeError> {
                    self.send_part(contact, channel, &#constant, #values).await
                }
            }
        })
    };
    let reply_ty = realtime
        .part("reply")
        .zip(part_union.as_deref())
        .and_then(|(template, union)| {
            let variant = part_variant_type(catalogue, union, template)?;
            template_field_type(catalogue, template, variant, "replying_to")
        })
        .map(|ty| rust_type_in(ty, &quote!(types)))
        .unwrap_or_else(|| quote!(::chatrace_runtime::Id));
    let send_text = part_method(
        "text",
        quote!(text: &str),
        "Sends a text to a contact on a channel.",
        quote!(vec![("text", ::serde_json::Value::from(text))]),
    );
    let send_reply = part_method(
        "reply",
        quote!(replying_to: &#reply_ty, text: &str),
        "Sends a text that answers one of the conversation's messages.",
        quote!(vec![
            ("text", ::serde_json::Value::from(text)),
            (
                "replying_to",
                ::serde_json::Value::from(replying_to.to_string())
            ),
        ]),
    );
    let send_file = realtime.upload.as_ref().zip(realtime.part("file")).and_then(|(upload, _)| {
        let op = catalogue.operation_named(&upload.operation)?;
        let method = ident(&op.name);
        let kind_param = op.param(&upload.kind)?;
        let kind_ty = rust_type_in(&kind_param.ty, &quote!(types));
        let args = op.params.iter().filter(|p| p.required).map(|p| {
            if p.wire == upload.kind {
                quote!(kind.clone())
            } else if p.wire == upload.contact {
                quote!(contact.clone())
            } else {
                quote!(file)
            }
        });
        let url_path = &upload.url;
        Some(quote! {
            /// Sends a file to a contact: uploads it with the upload operation, then sends a
            /// file part with its URL.
            ///
            /// # Errors
            ///
            /// As [`send_text`](Self::send_text), and the upload's errors.
            pub async fn send_file(
                &self,
                contact: &#contact_ty,
                channel: #channel_ty,
                kind: #kind_ty,
                file: ::chatrace_runtime::FileUpload,
            ) -> ::std::result::Result<(), rt::RealtimeError> {
                // The reply window is checked before the file goes anywhere.
                let channel_value = ::serde_json::to_value(&channel).unwrap_or_default();
                let facts = self.session.reachable(contact, &channel_value).await?;
                let name = file.file_name().map(::std::borrow::ToOwned::to_owned);
                let length = file.length().await;
                let uploaded = self.session.client.#method(#(#args),*).send().await.map_err(rt::RealtimeError::call)?;
                let answer = ::serde_json::to_value(&uploaded).unwrap_or_default();
                let url = template::lookup(&answer, #url_path)
                    .cloned()
                    .ok_or_else(|| rt::RealtimeError::lookup("the uploaded file's URL", "the upload's answer has none"))?;
                let mut values = vec![("url", url), ("kind", ::serde_json::to_value(&kind).unwrap_or_default())];
                if let ::std::option::Option::Some(name) = name {
                    values.push(("file_name", ::serde_json::Value::from(name)));
                }
                if let ::std::option::Option::Some(length) = length {
                    values.push(("length", ::serde_json::Value::from(length)));
                }
                self.send_part(contact, channel, &PART_FILE, values).await
            }
        })
    });
    let events_doc = doc_attr(&format!(
        "What happens from now on: messages, state changes, seen and delivered (as \
         [`types::{0}`](super::types::{0})), and the connection's own news (dropped, reconnected).",
        realtime.events.ty
    ));
    quote! {
        #cfg
        #module_doc
        #example_doc
        pub mod realtime {
            use super::{types, Client};
            use ::chatrace_runtime::realtime as rt;
            use ::chatrace_runtime::template;

            // What the signatures below name, so that a user of this crate alone can name it.
            pub use ::chatrace_runtime::realtime::{Connection, RealtimeError, RealtimeEvent, RealtimeOptions};

            impl rt::EventFrame for types::#event_ty {
                const AT: &'static str = #at;
            }

            #(#frames)*
            #(#frame_consts)*
            #(#part_consts)*

            /// Hours a contact stays reachable after they last wrote, by channel wire value.
            const REPLY_WINDOWS: &[(i64, u32)] = &[#(#windows),*];

            impl Client {
                /// The inbox's realtime socket: sends messages to contacts, and hears new
                /// messages and changes as they happen. `connect().await` finds the socket,
                /// authenticates with this client's session (log in first) and its default
                /// account.
                pub fn realtime(&self) -> RealtimeBuilder {
                    RealtimeBuilder {
                        client: self.clone(),
                        platform: ::std::option::Option::None,
                        options: ::std::default::Default::default(),
                    }
                }
            }

            /// Connects to the realtime socket; made by [`Client::realtime`].
            #[derive(Debug)]
            #[must_use = "nothing connects until `connect().await`"]
            pub struct RealtimeBuilder {
                client: Client,
                platform: ::std::option::Option<::serde_json::Value>,
                options: rt::RealtimeOptions,
            }

            impl RealtimeBuilder {
                #platform_setter

                /// The connection's options: reconnection, timeouts, event buffer.
                pub fn options(mut self, options: rt::RealtimeOptions) -> Self {
                    self.options = options;
                    self
                }

                /// Finds the socket's URL, the logged user and the account, connects and
                /// authenticates.
                ///
                /// # Errors
                ///
                /// A lookup call fails, the client has no session or no default account, or the
                /// socket cannot be reached.
                pub async fn connect(self) -> ::std::result::Result<Realtime, rt::RealtimeError> {
                    let token = self.client.token().ok_or_else(|| {
                        rt::RealtimeError::lookup("the session", "the client has no session token: log in first")
                    })?;
                    let account = self.client.default_account_id().ok_or_else(|| {
                        rt::RealtimeError::lookup("the account", "the client has no default account")
                    })?;
                    let found = self.client.#url_method().send().await.map_err(rt::RealtimeError::call)?;
                    let found = ::serde_json::to_value(&found).unwrap_or_default();
                    let url = [#(#url_paths),*]
                        .iter()
                        .find_map(|path| template::lookup(&found, path))
                        .and_then(::serde_json::Value::as_str)
                        .map(::std::borrow::ToOwned::to_owned)
                        .ok_or_else(|| rt::RealtimeError::lookup("the socket's URL", "the white-label names none"))?;
                    let me = self.client.#user_method().send().await.map_err(rt::RealtimeError::call)?;
                    let me = ::serde_json::to_value(&me).unwrap_or_default();
                    let user = template::lookup(&me, #user_path)
                        .cloned()
                        .ok_or_else(|| rt::RealtimeError::lookup("the logged user", "the answer names none"))?;
                    let session = Session {
                        client: self.client,
                        account,
                        user,
                        token: token.clone(),
                        platform: self.platform,
                        contacts: ::std::default::Default::default(),
                        checked: ::std::default::Default::default(),
                    };
                    let authenticate = session.fill::<types::#auth_data>("authenticate", &FRAME_AUTHENTICATE, ::std::vec::Vec::new())?;
                    let options = self.options.with_redact_token(token);
                    let connection = rt::Connection::connect(&url, AuthenticateFrame(authenticate), options).await?;
                    ::std::result::Result::Ok(Realtime {
                        connection,
                        session: ::std::sync::Arc::new(session),
                    })
                }
            }

            /// What a realtime connection knows of the session and of the contacts it wrote to.
            struct Session {
                client: Client,
                account: u64,
                user: ::serde_json::Value,
                token: ::chatrace_runtime::SecretToken,
                platform: ::std::option::Option<::serde_json::Value>,
                contacts: ::std::sync::Mutex<::std::collections::HashMap<::std::string::String, rt::ContactFacts>>,
                /// The (part template, contact) pairs whose `send` frame was checked against the
                /// catalogue's types (see `Realtime::send_message`).
                checked: ::std::sync::Mutex<::std::collections::HashSet<(usize, ::std::string::String)>>,
            }

            impl Session {
                /// A template filled with the session's values and `extra`, checked against the
                /// type it must decode as.
                fn fill<T: ::serde::de::DeserializeOwned>(
                    &self,
                    frame: &'static str,
                    template: &'static template::Template,
                    extra: ::std::vec::Vec<(&'static str, ::serde_json::Value)>,
                ) -> ::std::result::Result<::serde_json::Value, rt::RealtimeError> {
                    let template = template
                        .parsed()
                        .map_err(|e| rt::RealtimeError::frame(frame, e))?;
                    let filled = template::fill(template, &|name| {
                        if let ::std::option::Option::Some((_, value)) = extra.iter().find(|(n, _)| *n == name) {
                            return ::std::option::Option::Some(value.clone());
                        }
                        match name {
                            "account" => ::std::option::Option::Some(::serde_json::Value::from(self.account)),
                            "user" => ::std::option::Option::Some(self.user.clone()),
                            "token" => ::std::option::Option::Some(::serde_json::Value::from(self.token.expose())),
                            "platform" => self.platform.clone(),
                            "now" => ::std::option::Option::Some(::serde_json::Value::from(rt::now_ms())),
                            _ => ::std::option::Option::None,
                        }
                    });
                    // Read in place (`&Value` is a deserializer): the check copies nothing.
                    <T as ::serde::Deserialize>::deserialize(&filled)
                        .map_err(|e| rt::RealtimeError::frame(frame, e.to_string()))?;
                    ::std::result::Result::Ok(filled)
                }

                /// What sending to `contact` needs to know: read once, then kept.
                async fn contact(&self, contact: &#contact_ty) -> ::std::result::Result<rt::ContactFacts, rt::RealtimeError> {
                    let key = contact.to_string();
                    if let ::std::option::Option::Some(facts) = self.contacts.lock().unwrap_or_else(::std::sync::PoisonError::into_inner).get(&key) {
                        return ::std::result::Result::Ok(facts.clone());
                    }
                    self.read_contact(contact).await
                }

                /// The facts of `contact` for a send on `channel`, whose reply window must be
                /// open. The kept facts can be stale (the contact may have written since they
                /// were read), so a window they say is closed is checked again on fresh ones.
                async fn reachable(
                    &self,
                    contact: &#contact_ty,
                    channel: &::serde_json::Value,
                ) -> ::std::result::Result<rt::ContactFacts, rt::RealtimeError> {
                    let facts = self.contact(contact).await?;
                    if rt::check_reply_window(REPLY_WINDOWS, channel, facts.last_interaction_ms).is_ok() {
                        return ::std::result::Result::Ok(facts);
                    }
                    let facts = self.read_contact(contact).await?;
                    rt::check_reply_window(REPLY_WINDOWS, channel, facts.last_interaction_ms)?;
                    ::std::result::Result::Ok(facts)
                }

                /// Reads `contact` from the server and keeps what sending needs.
                async fn read_contact(&self, contact: &#contact_ty) -> ::std::result::Result<rt::ContactFacts, rt::RealtimeError> {
                    let key = contact.to_string();
                    let answer = self.client.#contact_method(contact.clone()).send().await.map_err(rt::RealtimeError::call)?;
                    let answer = ::serde_json::to_value(&answer).unwrap_or_default();
                    let facts = rt::ContactFacts {
                        hash: template::lookup(&answer, #hash_path).cloned(),
                        channel: template::lookup(&answer, #channel_path).cloned(),
                        last_interaction_ms: template::lookup(&answer, #last_path)
                            .and_then(|value| template::time_ms(value, #last_in_seconds)),
                    };
                    self.contacts
                        .lock()
                        .unwrap_or_else(::std::sync::PoisonError::into_inner)
                        .insert(key, facts.clone());
                    ::std::result::Result::Ok(facts)
                }

                fn contact_values(
                    contact: &#contact_ty,
                    facts: &rt::ContactFacts,
                    channel: ::std::option::Option<::serde_json::Value>,
                ) -> ::std::vec::Vec<(&'static str, ::serde_json::Value)> {
                    let mut values = vec![("contact", template::id_json(&contact.to_string()))];
                    if let ::std::option::Option::Some(hash) = &facts.hash {
                        values.push(("hash", hash.clone()));
                    }
                    if let ::std::option::Option::Some(channel) = channel.or_else(|| facts.channel.clone()) {
                        values.push(("channel", channel));
                    }
                    values
                }
            }

            /// A live connection to the realtime socket: cheap to clone; every clone sends on
            /// the same socket. Made by [`RealtimeBuilder::connect`].
            #[derive(Clone)]
            pub struct Realtime {
                connection: rt::Connection<types::#event_ty>,
                session: ::std::sync::Arc<Session>,
            }

            impl ::std::fmt::Debug for Realtime {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("Realtime").field("account", &self.session.account).finish_non_exhaustive()
                }
            }

            impl Realtime {
                #events_doc
                pub fn events(&self) -> impl ::chatrace_runtime::Stream<Item = rt::RealtimeEvent<types::#event_ty>> + Send + Unpin {
                    self.connection.events()
                }

                /// The connection itself, for frames the catalogue describes and this API does
                /// not wrap.
                pub fn connection(&self) -> &rt::Connection<types::#event_ty> {
                    &self.connection
                }

                /// Hears a conversation: looks the contact up, then subscribes (and subscribes
                /// again after each reconnect).
                ///
                /// # Errors
                ///
                /// The contact cannot be looked up, or the subscription is not sent.
                pub async fn subscribe(&self, contact: &#contact_ty) -> ::std::result::Result<(), rt::RealtimeError> {
                    let facts = self.session.contact(contact).await?;
                    let data = self.session.fill::<types::#subscribe_data>(
                        "subscribe",
                        &FRAME_SUBSCRIBE,
                        Session::contact_values(contact, &facts, ::std::option::Option::None),
                    )?;
                    self.connection.subscribe(contact.to_string(), SubscribeFrame(data)).await
                }

                #send_text
                #send_reply
                #send_file

                /// Sends a message of parts built by the caller.
                ///
                /// # Errors
                ///
                /// As [`send_text`](Self::send_text).
                pub async fn send_parts(
                    &self,
                    contact: &#contact_ty,
                    channel: #channel_ty,
                    parts: ::std::vec::Vec<types::#part_ty>,
                ) -> ::std::result::Result<(), rt::RealtimeError> {
                    let channel = ::serde_json::to_value(&channel).unwrap_or_default();
                    let facts = self.session.reachable(contact, &channel).await?;
                    let parts = ::serde_json::to_value(&parts)
                        .map_err(|e| rt::RealtimeError::frame("send", e.to_string()))?;
                    self.send_message(contact, &facts, channel, parts, ::std::option::Option::None).await
                }

                /// Fills a part template, checks the reply window, and sends the message.
                async fn send_part(
                    &self,
                    contact: &#contact_ty,
                    channel: #channel_ty,
                    template: &'static template::Template,
                    mut values: ::std::vec::Vec<(&'static str, ::serde_json::Value)>,
                ) -> ::std::result::Result<(), rt::RealtimeError> {
                    let channel = ::serde_json::to_value(&channel).unwrap_or_default();
                    let facts = self.session.reachable(contact, &channel).await?;
                    values.push(("channel", channel.clone()));
                    // Checked as a part of the message with the whole frame, below.
                    let part = self.session.fill::<::serde::de::IgnoredAny>("send", template, values)?;
                    self.send_message(contact, &facts, channel, ::serde_json::Value::Array(vec![part]), ::std::option::Option::Some(template)).await
                }

                /// Fills the `send` frame and sends it once. The frame is checked against the
                /// catalogue's types; for a message of one of the catalogue's `part` templates,
                /// once per contact: later ones differ from the first only in the caller's typed
                /// values (a text, an id, a number), which fit the same types.
                async fn send_message(
                    &self,
                    contact: &#contact_ty,
                    facts: &rt::ContactFacts,
                    channel: ::serde_json::Value,
                    parts: ::serde_json::Value,
                    part: ::std::option::Option<&'static template::Template>,
                ) -> ::std::result::Result<(), rt::RealtimeError> {
                    let mut values = Session::contact_values(contact, facts, ::std::option::Option::Some(channel));
                    values.push(("parts", parts));
                    let key = part.map(|part| (::std::ptr::from_ref(part) as usize, contact.to_string()));
                    let known = key.as_ref().is_some_and(|key| {
                        self.session.checked.lock().unwrap_or_else(::std::sync::PoisonError::into_inner).contains(key)
                    });
                    let data = if known {
                        self.session.fill::<::serde::de::IgnoredAny>("send", &FRAME_SEND, values)?
                    } else {
                        let data = self.session.fill::<types::#send_data>("send", &FRAME_SEND, values)?;
                        if let ::std::option::Option::Some(key) = key {
                            self.session.checked.lock().unwrap_or_else(::std::sync::PoisonError::into_inner).insert(key);
                        }
                        data
                    };
                    self.connection.send(&SendFrame(data)).await
                }

                /// Closes the socket; no reconnection follows.
                pub async fn close(&self) {
                    self.connection.close().await
                }
            }
        }
    }
}
