//! The names and types generated code spells: identifiers, the Rust type of a catalogue type,
//! the generated names of an operation, and how a required param is taken as an argument.

use super::docs::{doc_attr, member_doc};
use crate::model::*;
use crate::names::pascal_case;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The imports at the head of every generated module: the standard library's names the code
/// uses unqualified (those of [`crate::names::IMPORTED_TYPE_NAMES`], which no catalogue type may
/// take), and the runtime as `runtime`. Imported by name rather than taken from the prelude,
/// so that the code means the same in a crate with `#![no_implicit_prelude]`; short names
/// rather than full paths, because rustc reads every token of the expansion on every build.
pub(super) fn module_prelude() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use ::std::{option::Option::{self, None, Some}, result::Result, string::String, vec::Vec};
        #[allow(unused_imports)]
        use ::chatrace_runtime as runtime;
    }
}

/// An identifier, raw (`r#type`) when the catalogue's Rust name says so.
pub(super) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a type expression, as seen from inside `types` or `operations`.
pub(super) fn rust_type(ty: &TypeRef) -> TokenStream {
    rust_type_in(ty, &quote!(super::types))
}

/// The Rust type of a type expression, with shared types under `types_path`.
pub(super) fn rust_type_in(ty: &TypeRef, types_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::String) => quote!(String),
        TypeRef::Scalar(Scalar::Integer) => quote!(i64),
        TypeRef::Scalar(Scalar::Number) => quote!(f64),
        TypeRef::Scalar(Scalar::Boolean) => quote!(bool),
        TypeRef::Scalar(Scalar::Id) => quote!(runtime::Id),
        TypeRef::Scalar(Scalar::Millis) => quote!(runtime::UnixMillis),
        TypeRef::Scalar(Scalar::Seconds) => quote!(runtime::UnixSeconds),
        TypeRef::Scalar(Scalar::DateTime) => quote!(runtime::DateTimeText),
        TypeRef::Scalar(Scalar::Json) => quote!(::serde_json::Value),
        TypeRef::Scalar(Scalar::File) => quote!(runtime::FileUpload),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#types_path::#name)
        }
        TypeRef::List(inner) => {
            let inner = rust_type_in(inner, types_path);
            quote!(Vec<#inner>)
        }
        TypeRef::Encoded(inner) => rust_type_in(inner, types_path),
    }
}

/// The `pub` field of a struct field or a param, with its rustdoc; an optional one is an
/// `Option`.
pub(super) fn member_field(
    rust: &str,
    wire: &str,
    doc: &Option<String>,
    inferred: bool,
    ty: &TypeRef,
    required: bool,
) -> TokenStream {
    let name = ident(rust);
    let doc = doc_attr(&member_doc(doc, wire, rust, inferred));
    let ty = rust_type(ty);
    if required {
        quote! { #doc pub #name: #ty, }
    } else {
        quote! { #doc pub #name: Option<#ty>, }
    }
}

/// Whether values of this type decode through the runtime's lenient scalar decoder (ids and
/// times are lenient by themselves).
pub(super) fn is_lenient(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(
            Scalar::File | Scalar::Id | Scalar::Millis | Scalar::Seconds | Scalar::DateTime,
        ) => false,
        TypeRef::Scalar(_) => true,
        TypeRef::Named(_) | TypeRef::Encoded(_) => false,
        TypeRef::List(inner) => is_lenient(inner),
    }
}

/// The generated names of one operation.
pub(super) struct OpNames {
    pub(super) method: Ident,
    pub(super) request: Ident,
    pub(super) builder: Ident,
    pub(super) wire: Ident,
    pub(super) wire_data: Ident,
    pub(super) data_ref: Ident,
    pub(super) variant: Ident,
}

impl OpNames {
    pub(super) fn of(op: &Operation) -> OpNames {
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

/// How a required param is taken by a constructor, and the field initializer that stores it
/// (`name` alone when it is stored as taken); shared types are under `types_path`. Text is
/// taken as anything `Into<String>`; every other type exactly, so that two ids of different
/// kinds cannot be swapped.
pub(super) fn param_argument(
    param: &Param,
    types_path: &TokenStream,
) -> (TokenStream, TokenStream) {
    let name = ident(&param.rust);
    match param.ty {
        TypeRef::Scalar(Scalar::String) => (
            quote!(#name: impl ::std::convert::Into<String>),
            quote!(#name: #name.into()),
        ),
        _ => {
            let ty = rust_type_in(&param.ty, types_path);
            (quote!(#name: #ty), quote!(#name))
        }
    }
}

/// The name of the client type that has `op`'s method: `Client` for the mobile API,
/// `PublicClient` for the public API.
pub(super) fn client_name(op: &Operation) -> &'static str {
    match op.api {
        Api::Mobile => "Client",
        Api::Public => "PublicClient",
    }
}
