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
    let operations = catalogue
        .operations
        .iter()
        .map(|op| operation(catalogue, op, &options.server));
    let client = client(catalogue);
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
        }

        /// One request type and one builder per operation of the catalogue.
        pub mod operations {
            #(#operations)*
        }

        #client
        #any_request
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
        TypeRef::Scalar(Scalar::Id) => quote!(u64),
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
    }
}

/// Whether values of this type decode through the runtime's lenient scalar decoder.
fn is_lenient(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(Scalar::File) => false,
        TypeRef::Scalar(_) => true,
        TypeRef::Named(_) => false,
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
        let doc = doc_attr(&fallback_doc(&field.doc, &field.wire));
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
        if field.required {
            quote! { map.serialize_entry(#wire, &self.#rust)?; }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#rust {
                    map.serialize_entry(#wire, value)?;
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
        let value = match (is_lenient(&field.ty), field.required) {
            (true, true) => quote!(map.next_value_seed(::chatrace_runtime::lenient::Lenient::<#inner>::new())?),
            (true, false) => quote!(map.next_value_seed(::chatrace_runtime::lenient::Lenient::<::std::option::Option<#inner>>::new())?),
            (false, true) => quote!(map.next_value::<#inner>()?),
            (false, false) => quote!(map.next_value::<::std::option::Option<#inner>>()?),
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
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
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
        doc_attr(
            &v.doc
                .clone()
                .unwrap_or_else(|| format!("The value `{}`.", v.value)),
        )
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
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value the catalogue does not list, kept as the server sent it.
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
        Provenance::Documented => {
            "**Documented**: the vendor's docs give this wire form, and the SDK sends it exactly."
        }
        Provenance::Inferred => {
            "**Inferred**: the vendor's docs name this operation without its wire form; the form \
             here follows the conventions of the documented operations and is not confirmed."
        }
    }
}

/// The example request of the docs, or one made from the params for an inferred operation.
fn example_request(catalogue: &Catalogue, op: &Operation) -> (String, &'static str) {
    if let Some(example) = &op.example {
        return (
            example.request.trim_end().to_string(),
            "The docs' example request:",
        );
    }
    let mut body = serde_json::Map::new();
    if op.scope == Scope::Account {
        body.insert("account_id".into(), serde_json::json!(123456));
    }
    for (key, value) in &op.discriminators {
        body.insert(key.clone(), serde_json::Value::String(value.clone()));
    }
    let mut data = serde_json::Map::new();
    for param in &op.params {
        let value = sample_value(catalogue, &param.ty, param.wire_as);
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

fn sample_value(catalogue: &Catalogue, ty: &TypeRef, wire_as: WireAs) -> serde_json::Value {
    use serde_json::json;
    match ty {
        TypeRef::Scalar(Scalar::String) => json!("..."),
        TypeRef::Scalar(Scalar::Integer | Scalar::Id | Scalar::Number) => {
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
        TypeRef::Named(name) => match catalogue.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum { values, .. }) => match values.first().map(|v| &v.value) {
                Some(EnumLiteral::Integer(i)) => json!(i),
                Some(EnumLiteral::String(s)) => json!(s),
                None => json!(null),
            },
            _ => json!({}),
        },
    }
}

fn operation_doc(catalogue: &Catalogue, op: &Operation) -> String {
    let discriminators: Vec<String> = op
        .discriminators
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
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
    let retry = if op.retry_safe() {
        "yes"
    } else {
        "no (a write that is not idempotent is sent once)"
    };
    format!(
        "{title}\n\n{summary}\n\n{provenance}\n\n\
         Wire: `{discriminators}`; auth: {auth}; {scope}; retried on failure: {retry}.\n\n\
         {example_heading}\n\n```json\n{example}\n```",
        title = op.title,
        summary = op.summary.trim(),
        provenance = provenance_text(op),
        discriminators = discriminators.join(" "),
    )
}

/// How a required param is taken by a constructor, and how it is stored; shared types are
/// under `types_path`.
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

/// How a value of `param` is written into a serialize map: numbers sent `as: string` go
/// through the runtime's `AsString`.
fn sent_as_string(param: &Param) -> bool {
    param.wire_as == WireAs::String && matches!(&param.ty, TypeRef::Scalar(s) if s.is_numeric())
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
        let doc = doc_attr(&fallback_doc(&param.doc, &param.wire));
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
        quote! {
            if let ::std::option::Option::Some(account_id) = &self.account_id {
                map.serialize_entry("account_id", account_id)?;
            }
        }
    });
    let top_entries = op
        .params
        .iter()
        .filter(|p| p.location == Location::Top)
        .map(|param| {
            let key = &param.wire;
            let name = ident(&param.rust);
            let value = if sent_as_string(param) {
                quote!(&::chatrace_runtime::wire::AsString(value))
            } else {
                quote!(value)
            };
            if param.required {
                quote! { { let value = &self.#name; map.serialize_entry(#key, #value)?; } }
            } else {
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#name {
                        map.serialize_entry(#key, #value)?;
                    }
                }
            }
        });
    let data_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Data && p.ty.scalar() != Some(Scalar::File))
        .collect();
    let (data_entry, data_ref_struct) = if op.has_data() {
        let ref_fields = data_params.iter().map(|param| {
            let name = ident(&param.rust);
            let key = &param.wire;
            let ty = if sent_as_string(param) {
                let inner = rust_type(&param.ty);
                quote!(::chatrace_runtime::wire::AsString<'a, #inner>)
            } else {
                let inner = rust_type(&param.ty);
                quote!(&'a #inner)
            };
            if param.required {
                quote! { #[serde(rename = #key)] #name: #ty, }
            } else {
                quote! {
                    #[serde(rename = #key, skip_serializing_if = "::std::option::Option::is_none")]
                    #name: ::std::option::Option<#ty>,
                }
            }
        });
        let ref_values = data_params.iter().map(|param| {
            let name = ident(&param.rust);
            match (param.required, sent_as_string(param)) {
                (true, false) => quote!(#name: &self.#name,),
                (true, true) => quote!(#name: ::chatrace_runtime::wire::AsString(&self.#name),),
                (false, false) => quote!(#name: self.#name.as_ref(),),
                (false, true) => {
                    quote!(#name: self.#name.as_ref().map(::chatrace_runtime::wire::AsString),)
                }
            }
        });
        let lifetime = if data_params.is_empty() {
            quote!()
        } else {
            quote!(<'a>)
        };
        (
            quote! { map.serialize_entry("data", &#data_ref { #(#ref_values)* })?; },
            quote! {
                #[derive(::serde::Serialize)]
                struct #data_ref #lifetime { #(#ref_fields)* }
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
        if param.ty.scalar() == Some(Scalar::File) && matches!(param.ty, TypeRef::Scalar(_)) {
            return if param.required {
                quote! { #[serde(skip)] #name: #ty, }
            } else {
                quote! { #[serde(skip)] #name: ::std::option::Option<#ty>, }
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
        .filter(|p| p.location != Location::Data)
        .map(wire_field);
    let wire_data_fields = op
        .params
        .iter()
        .filter(|p| p.location == Location::Data)
        .map(wire_field);
    // File params are not read from the body (they arrive as parts), so they do not make
    // `data` required.
    let data_required = op.params.iter().any(|p| {
        p.location == Location::Data && p.required && p.ty != TypeRef::Scalar(Scalar::File)
    });
    let (wire_data_field, wire_data_struct) = if op.has_data() {
        let default = (!data_required).then(|| quote!(#[serde(default)]));
        let derive_default = (!data_required).then(|| quote!(Default,));
        (
            quote! { #default data: #wire_data, },
            quote! {
                #[derive(#derive_default ::serde::Deserialize)]
                struct #wire_data { #(#wire_data_fields)* }
            },
        )
    } else {
        (quote!(), quote!())
    };
    let from_account = scoped.then(|| quote!(account_id: wire.account_id,));
    let from_fields = op.params.iter().map(|param| {
        let name = ident(&param.rust);
        match param.location {
            Location::Data => quote!(#name: wire.data.#name,),
            _ => quote!(#name: wire.#name,),
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
    let file_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.ty == TypeRef::Scalar(Scalar::File))
        .collect();
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
        let doc = doc_attr(&format!(
            "Sets `{}`: {}",
            param.wire,
            fallback_doc(&param.doc, &param.wire)
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
    let paging_methods = op.paging.as_ref().map(|_| {
        let item = match &op.response {
            Some(TypeRef::List(inner)) => rust_type(inner),
            _ => quote!(()),
        };
        quote! {
            /// Sets the page size used by [`pages`](Self::pages) and [`items`](Self::items)
            /// (the catalogue's default when not set; clamped to its maximum).
            pub fn page_size(mut self, page_size: u64) -> Self {
                self.page_size = ::std::option::Option::Some(page_size);
                self
            }

            /// Every page of the list, fetched lazily one call at a time, until the server's
            /// data ends.
            #[inline]
            pub fn pages(self) -> impl ::chatrace_runtime::Stream<Item = ::std::result::Result<::std::vec::Vec<#item>, ::chatrace_runtime::Error>> + Send {
                self.handle.pages(self.request, self.page_size)
            }

            /// Every item of the list across pages, fetched lazily.
            #[inline]
            pub fn items(self) -> impl ::chatrace_runtime::Stream<Item = ::std::result::Result<#item, ::chatrace_runtime::Error>> + Send {
                self.handle.items(self.request, self.page_size)
            }
        }
    });
    let paged_impl = op.paging.as_ref().map(|paging| {
        let item = match &op.response {
            Some(TypeRef::List(inner)) => rust_type(inner),
            _ => quote!(()),
        };
        let offset = op.param(&paging.offset).map(|p| ident(&p.rust));
        let limit = op.param(&paging.limit).map(|p| ident(&p.rust));
        quote! {
            impl ::chatrace_runtime::Paged for #request {
                type Item = #item;
                fn set_page(&mut self, offset: u64, limit: u64) {
                    self.#offset = ::std::option::Option::Some(offset as i64);
                    self.#limit = ::std::option::Option::Some(limit as i64);
                }
                fn into_items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                    output
                }
            }
        }
    });
    let page_size_field = op
        .paging
        .as_ref()
        .map(|_| quote!(page_size: ::std::option::Option<u64>,));
    let page_size_init = op
        .paging
        .as_ref()
        .map(|_| quote!(page_size: ::std::option::Option::None,));
    let (request_new_args, request_new_init): (Vec<TokenStream>, Vec<TokenStream>) = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| param_argument(p, &quote!(super::types)))
        .unzip();
    let request_new_fields = op.params.iter().map(|param| {
        let name = ident(&param.rust);
        if param.required {
            let (_, init) = param_argument(param, &quote!(super::types));
            quote!(#name: #init,)
        } else {
            quote!(#name: ::std::option::Option::None,)
        }
    });
    let _ = request_new_init;
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
        #[derive(Debug, Clone, PartialEq)]
        #deserialize
        pub struct #request {
            #account_field
            #(#fields)*
        }

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
                #(#top_entries)*
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

            /// Overrides the client's per-request timeout for this call.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = ::std::option::Option::Some(timeout);
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

fn operation_meta(catalogue: &Catalogue, op: &Operation) -> TokenStream {
    let name = &op.name;
    let title = &op.title;
    let summary = op.summary.trim();
    let provenance = match op.provenance {
        Provenance::Documented => quote!(::chatrace_runtime::Provenance::Documented),
        Provenance::Inferred => quote!(::chatrace_runtime::Provenance::Inferred),
    };
    let kind = match op.kind {
        OperationKind::Read => quote!(::chatrace_runtime::OperationKind::Read),
        OperationKind::Write => quote!(::chatrace_runtime::OperationKind::Write),
    };
    let discriminators = op.discriminators.iter().map(|(k, v)| quote!((#k, #v)));
    let auth = match op.auth {
        Auth::Token => quote!(::chatrace_runtime::Auth::Token),
        Auth::None => quote!(::chatrace_runtime::Auth::None),
    };
    let scope = match op.scope {
        Scope::Account => quote!(::chatrace_runtime::Scope::Account),
        Scope::None => quote!(::chatrace_runtime::Scope::None),
    };
    let session = match op.session {
        None => quote!(::std::option::Option::None),
        Some(SessionEffect::Start) => {
            quote!(::std::option::Option::Some(
                ::chatrace_runtime::SessionEffect::Start
            ))
        }
        Some(SessionEffect::End) => {
            quote!(::std::option::Option::Some(
                ::chatrace_runtime::SessionEffect::End
            ))
        }
    };
    let body = match op.body {
        BodyEncoding::Json => quote!(::chatrace_runtime::BodyEncoding::Json),
        BodyEncoding::Multipart => quote!(::chatrace_runtime::BodyEncoding::Multipart),
    };
    let retry_safe = op.retry_safe();
    let params = op.params.iter().map(|param| {
        let wire = &param.wire;
        let rust = param.rust.trim_start_matches("r#");
        let ty = param.ty.to_string();
        let required = param.required;
        let location = match param.location {
            Location::Top => quote!(::chatrace_runtime::ParamLocation::Top),
            Location::Data => quote!(::chatrace_runtime::ParamLocation::Data),
            Location::Header => quote!(::chatrace_runtime::ParamLocation::Header),
        };
        let wire_as = match param.wire_as {
            WireAs::Number => quote!(::chatrace_runtime::WireAs::Number),
            WireAs::String => quote!(::chatrace_runtime::WireAs::String),
        };
        let doc = fallback_doc(&param.doc, &param.wire);
        let enum_values: Vec<String> = match param
            .ty
            .named()
            .and_then(|n| catalogue.type_named(n))
            .map(|t| &t.kind)
        {
            Some(TypeKind::Enum { values, .. }) => {
                values.iter().map(|v| v.value.to_string()).collect()
            }
            _ => Vec::new(),
        };
        quote! {
            ::chatrace_runtime::ParamMeta {
                wire: #wire, rust: #rust, ty: #ty, required: #required, location: #location,
                wire_as: #wire_as, doc: #doc, enum_values: &[#(#enum_values),*],
            }
        }
    });
    let paging = match &op.paging {
        None => quote!(::std::option::Option::None),
        Some(p) => {
            let (offset, limit, default_limit, max_limit) =
                (&p.offset, &p.limit, p.default_limit, p.max_limit);
            quote!(::std::option::Option::Some(::chatrace_runtime::PagingMeta {
                offset: #offset, limit: #limit, default_limit: #default_limit, max_limit: #max_limit,
            }))
        }
    };
    let response = match &op.response {
        None => quote!(::std::option::Option::None),
        Some(ty) => {
            let text = ty.to_string();
            quote!(::std::option::Option::Some(#text))
        }
    };
    quote! {
        ::chatrace_runtime::OperationMeta {
            name: #name, title: #title, summary: #summary, provenance: #provenance, kind: #kind,
            discriminators: &[#(#discriminators),*], auth: #auth, scope: #scope, session: #session,
            body: #body, retry_safe: #retry_safe, params: &[#(#params),*], paging: #paging,
            response: #response,
        }
    }
}

fn client(catalogue: &Catalogue) -> TokenStream {
    let methods = catalogue.operations.iter().map(|op| {
        let names = OpNames::of(op);
        let (method, request, builder) = (&names.method, &names.request, &names.builder);
        let doc = doc_attr(&operation_doc(catalogue, op));
        let (args, _): (Vec<TokenStream>, Vec<TokenStream>) = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| param_argument(p, &quote!(types)))
            .unzip();
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
    });
    let metas = catalogue.operations.iter().map(|op| {
        let request = OpNames::of(op).request;
        quote!(<operations::#request as ::chatrace_runtime::Operation>::META)
    });
    let count = catalogue.operations.len();
    let client_doc = doc_attr(&format!(
        "A client of the {}: one method per operation of the catalogue.\n\n\
         Cheap to clone (one connection pool is shared); `Send + Sync`. Everything that is not \
         an operation (the session token, the default account) comes from the runtime's \
         [`Handle`](::chatrace_runtime::Handle), which `Client` dereferences to.",
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

        impl ::std::ops::Deref for Client {
            type Target = ::chatrace_runtime::Handle;
            fn deref(&self) -> &Self::Target {
                &self.handle
            }
        }

        impl Client {
            /// A builder: set at least the base URL, then `build()`.
            pub fn builder() -> ClientBuilder {
                ::chatrace_runtime::ClientBuilder::new()
            }

            /// The runtime handle the client sends through.
            pub fn handle(&self) -> &::chatrace_runtime::Handle {
                &self.handle
            }

            #(#methods)*
        }

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
    // Group operations by discriminators; within a group, the most required params first.
    let mut groups: Vec<(&Discriminators, Vec<&Operation>)> = Vec::new();
    for op in &catalogue.operations {
        match groups.iter_mut().find(|(d, _)| **d == op.discriminators) {
            Some((_, ops)) => ops.push(op),
            None => groups.push((&op.discriminators, vec![op])),
        }
    }
    let arms = groups.into_iter().map(|(discriminators, mut ops)| {
        ops.sort_by_key(|op| std::cmp::Reverse(op.required_paths().len()));
        let pattern = ["op", "op1", "op2", "op3"].map(|key| {
            match discriminators.iter().find(|(k, _)| k == key) {
                Some((_, value)) => quote!(::std::option::Option::Some(#value)),
                None => quote!(::std::option::Option::None),
            }
        });
        let tries = ops.iter().map(|op| {
            let names = OpNames::of(op);
            let (variant, request) = (&names.variant, &names.request);
            let paths = op.required_paths();
            let parse = quote! {
                return ::chatrace_runtime::parse_request::<operations::#request>(&body)
                    .map(AnyRequest::#variant);
            };
            if ops.len() == 1 || paths.is_empty() {
                parse
            } else {
                quote! {
                    if ::chatrace_runtime::has_paths(&body, &[#(#paths),*]) { #parse }
                }
            }
        });
        quote! {
            [#(#pattern),*] => { #(#tries)* }
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
        /// Any request of the catalogue, as a server reads it from a body.
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        pub enum AnyRequest {
            #(#variants)*
        }

        #cfg
        impl AnyRequest {
            /// The metadata of the request's operation.
            pub fn meta(&self) -> &'static ::chatrace_runtime::OperationMeta {
                match self { #(#meta_arms)* }
            }

            /// The header names that carry params of some operation.
            pub const HEADER_PARAMS: &'static [&'static str] = &[#(#header_inserts),*];

            /// Reads a request body: the operation is chosen by the discriminators (and, when
            /// two operations share them, by which required params are present), then the body
            /// is decoded with that operation's request type. Header params are read from
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
                match [key[0], key[1], key[2], key[3]] {
                    #(#arms)*
                    _ => {}
                }
                ::std::result::Result::Err(::chatrace_runtime::ParseRequestError::unknown_operation(&body))
            }
        }
    }
}
