//! The request type of each operation: its struct and constructor, the `Serialize` that writes
//! the whole body (discriminators, account, top-level params, `data`), and its `Operation` and
//! `Paged` impls.

use super::docs::{doc_attr, operation_doc};
use super::meta::operation_meta;
use super::server;
use super::tokens::{client_name, ident, member_field, param_argument, rust_type, OpNames};
use super::types::redacting_debug;
use super::ServerSide;
use crate::model::*;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// The Rust type an operation's call returns.
pub(super) fn output_type(op: &Operation) -> TokenStream {
    match &op.response {
        Some(ty) => rust_type(ty),
        None => quote!(()),
    }
}

/// The request struct, its constructor and redacting `Debug`, and the `Serialize` of its body
/// (with the `data` object's serializer); `server` adds the derived `Deserialize`.
pub(super) fn request_type(
    catalogue: &Catalogue,
    op: &Operation,
    server: &ServerSide,
) -> TokenStream {
    let OpNames {
        request, data_ref, ..
    } = &OpNames::of(op);
    let doc_text = operation_doc(catalogue, op);
    let request_doc = doc_attr(&format!(
        "The request of [`{client}::{name}`](super::{client}::{name}): {title}.\n\n{doc_text}",
        name = op.name,
        title = op.title,
        client = client_name(op),
    ));
    let scoped = op.scope == Scope::Account;

    // The request's fields.
    let account_field = scoped.then(|| {
        quote! {
            /// The account to act on; `None` uses the client's default account.
            pub account_id: Option<u64>,
        }
    });
    let fields = op.params.iter().map(|param| {
        member_field(
            &param.rust,
            &param.wire,
            &param.doc,
            param.inferred,
            &param.ty,
            param.required,
        )
    });

    // Serialize: the whole body, discriminators first.
    let discriminator_entries = op.discriminators.iter().map(|(key, value)| {
        quote! { map.serialize_entry(#key, #value)?; }
    });
    let account_entry = scoped.then(|| {
        let value = match op.account_as {
            WireAs::Number => quote!(account_id),
            WireAs::String => quote!(&runtime::wire::AsString(account_id)),
        };
        quote! {
            if let Some(account_id) = &self.account_id {
                map.serialize_entry("account_id", #value)?;
            }
        }
    });
    // A REST request writes its path, query, form and body params as one flat object, by
    // wire name: the runtime sends each where its metadata says it goes.
    let top_entries = if op.is_rest() {
        let entries = [
            Location::Path,
            Location::Query,
            Location::Form,
            Location::Body,
        ]
        .map(|location| body_entries(catalogue, op, location, &quote!(self)));
        quote!(#(#entries)*)
    } else {
        body_entries(catalogue, op, Location::Top, &quote!(self))
    };
    let (data_entry, data_ref_struct) = if op.has_data() {
        let data_entries = body_entries(catalogue, op, Location::Data, &quote!(this));
        // Only params read the request; a `data` of constants alone does not.
        let this = op
            .params
            .iter()
            .any(Param::in_data)
            .then(|| quote!(let this = self.0;));
        (
            quote! { map.serialize_entry("data", &#data_ref(self))?; },
            quote! {
                /// The `data` object of the request's body.
                struct #data_ref<'a>(&'a #request);

                impl ::serde::Serialize for #data_ref<'_> {
                    #[inline]
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        use ::serde::ser::SerializeMap as _;
                        #this
                        let mut map = serializer.serialize_map(None)?;
                        #data_entries
                        map.end()
                    }
                }
            },
        )
    } else {
        (quote!(), quote!())
    };

    let request_new_args = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| param_argument(p, &quote!(super::types)).0);
    let request_new_fields = op.params.iter().map(|param| {
        let name = ident(&param.rust);
        if param.required {
            let (_, init) = param_argument(param, &quote!(super::types));
            quote!(#init,)
        } else {
            quote!(#name: None,)
        }
    });
    let account_init = scoped.then(|| quote!(account_id: None,));
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

    let deserialize = server::request_deserialize_attr(op, server);
    // A body with no entry at all (a REST request without params) never adds to its map.
    let map_binding = if op.discriminators.is_empty()
        && !scoped
        && top_entries.is_empty()
        && data_entry.is_empty()
    {
        quote!(map)
    } else {
        quote!(mut map)
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
            #[inline]
            pub fn new(#(#request_new_args),*) -> Self {
                #request { #account_init #(#request_new_fields)* }
            }
        }

        impl ::serde::Serialize for #request {
            #[inline]
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let #map_binding = serializer.serialize_map(None)?;
                #(#discriminator_entries)*
                #account_entry
                #top_entries
                #data_entry
                map.end()
            }
        }

        #data_ref_struct
    }
}

/// The request's `Operation` impl: its metadata, account, header params, session effect and
/// file params.
pub(super) fn operation_impl(catalogue: &Catalogue, op: &Operation) -> TokenStream {
    let request = &OpNames::of(op).request;
    let scoped = op.scope == Scope::Account;
    let output = output_type(op);
    let meta = operation_meta(catalogue, op);
    // Unscoped operations keep the trait's defaults: no account, nothing to set.
    let account_methods = scoped.then(|| {
        quote! {
            #[inline]
            fn account_id(&self) -> Option<u64> { self.account_id }
            #[inline]
            fn set_account_id(&mut self, id: u64) { self.account_id = Some(id); }
        }
    });
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
                    if let Some(value) = &self.#name {
                        headers.push((#key, ::std::string::ToString::to_string(value)));
                    }
                }
            }
        });
        quote! {
            #[inline]
            fn headers(&self) -> Vec<(&'static str, String)> {
                let mut headers = Vec::new();
                #(#pushes)*
                headers
            }
        }
    });
    let session_method = (op.session == Some(SessionEffect::Start)).then(|| {
        quote! {
            #[inline]
            fn session_token(output: &Self::Output) -> Option<&str> {
                Some(output.token.as_str())
            }
        }
    });
    let file_params: Vec<&Param> = op.params.iter().filter(|p| p.is_file()).collect();
    let files_method = (!file_params.is_empty()).then(|| {
        let (required, optional): (Vec<&Param>, Vec<&Param>) =
            file_params.iter().partition(|param| param.required);
        let required: Vec<TokenStream> = required
            .iter()
            .map(|param| {
                let name = ident(&param.rust);
                let key = &param.wire;
                quote! { (#key, ::std::mem::take(&mut self.#name)) }
            })
            .collect();
        let optional: Vec<TokenStream> = optional
            .iter()
            .map(|param| {
                let name = ident(&param.rust);
                let key = &param.wire;
                quote! {
                    if let Some(file) = self.#name.take() {
                        files.push((#key, file));
                    }
                }
            })
            .collect();
        let files = if required.is_empty() {
            quote!(Vec::new())
        } else {
            quote!(Vec::from([#(#required),*]))
        };
        let body = if optional.is_empty() {
            files
        } else {
            quote! {
                let mut files = #files;
                #(#optional)*
                files
            }
        };
        quote! {
            #[inline]
            fn take_files(&mut self) -> Vec<(&'static str, runtime::FileUpload)> {
                #body
            }
        }
    });

    quote! {
        impl runtime::Operation for #request {
            type Output = #output;
            const META: &'static runtime::OperationMeta = &#meta;
            #account_methods
            #headers_method
            #session_method
            #files_method
        }
    }
}

/// The `Paged` impl of a paged operation's request: how a page is asked for and read.
pub(super) fn paged_impl(catalogue: &Catalogue, op: &Operation) -> Option<TokenStream> {
    let request = &OpNames::of(op).request;
    let item = paged_item(catalogue, op)?;
    let paging = op.paging.as_ref()?;
    let offset = op.param(&paging.offset).map(|p| ident(&p.rust));
    let limit = op.param(&paging.limit).map(|p| ident(&p.rust));
    let into_items = match paged_items_field(catalogue, op) {
        None => quote!(output),
        Some(field) => {
            let name = ident(&field.rust);
            if field.required {
                quote!(output.#name)
            } else {
                quote!(output.#name.unwrap_or_default())
            }
        }
    };
    // The params of the first request only are unset once it is made.
    let first_only: Vec<Ident> = paging
        .first_page_only
        .iter()
        .filter_map(|name| op.param(name))
        .map(|p| ident(&p.rust))
        .collect();
    let later_pages = (!first_only.is_empty()).then(|| {
        quote! {
            #[inline]
            fn for_later_pages(&mut self) {
                #(self.#first_only = None;)*
            }
        }
    });
    Some(quote! {
        impl runtime::Paged for #request {
            type Item = #item;
            #[inline]
            fn set_page(&mut self, offset: u64, limit: u64) {
                self.#offset = Some(offset as i64);
                self.#limit = Some(limit as i64);
            }
            #[inline]
            fn into_items(output: Self::Output) -> Vec<Self::Item> {
                #into_items
            }
            #[inline]
            fn start_offset(&self) -> Option<u64> {
                self.#offset.and_then(|offset| u64::try_from(offset).ok())
            }
            #later_pages
        }
    })
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
            quote!(&runtime::wire::RawJson(#text))
        }
    }
}

/// The value expression of a param's entry (`value` is a reference to the Rust value).
fn entry_value(catalogue: &Catalogue, param: &Param) -> TokenStream {
    if let TypeRef::Encoded(_) = param.ty {
        return quote!(&runtime::wire::EncodedRef(value));
    }
    match param.form(catalogue) {
        // A whole number goes out as an integer (`300`, not `300.0`), as the vendor writes one.
        ValueForm::Natural if param.ty.scalar() == Some(Scalar::Number) => {
            quote!(&runtime::wire::AsNumber(value))
        }
        ValueForm::Natural => quote!(value),
        ValueForm::AsString => quote!(&runtime::wire::AsString(value)),
        ValueForm::AsNumber => quote!(&runtime::wire::AsNumber(value)),
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
                (true, _) => {
                    quote! { { let value = &#this.#name; map.serialize_entry(#key, #value)?; } }
                }
                (false, None) => quote! {
                    if let Some(value) = &#this.#name {
                        map.serialize_entry(#key, #value)?;
                    }
                },
                (false, Some(default)) => {
                    let default = json_literal(default);
                    quote! {
                        match &#this.#name {
                            Some(value) => map.serialize_entry(#key, #value)?,
                            None => map.serialize_entry(#key, #default)?,
                        }
                    }
                }
            }
        });
    quote! { #(#constants)* #(#params)* }
}

/// The Rust type of one item of a paged operation's list.
pub(super) fn paged_item(catalogue: &Catalogue, op: &Operation) -> Option<TokenStream> {
    op.paging.as_ref()?;
    match (
        &op.response,
        paged_items_field(catalogue, op).map(|f| &f.ty),
    ) {
        (Some(TypeRef::List(inner)), _) => Some(rust_type(inner)),
        (_, Some(TypeRef::List(inner))) => Some(rust_type(inner)),
        _ => None,
    }
}

/// The field of a paged struct answer that holds the list (paging's `items`).
fn paged_items_field<'c>(catalogue: &'c Catalogue, op: &Operation) -> Option<&'c Field> {
    let items = op.paging.as_ref()?.items.as_ref()?;
    let name = op.response.as_ref()?.named()?;
    match &catalogue.type_named(name)?.kind {
        TypeKind::Struct { fields } => fields.iter().find(|f| &f.wire == items),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::test_support::{catalogue, compact, list_things};
    use serde_json::json;

    #[test]
    fn a_catalogue_value_becomes_an_expression_that_serializes_to_it() {
        for (value, expected) in [
            (json!(null), "&()"),
            (json!(false), "&false"),
            (json!(-3), "&-3i64"),
            (json!(u64::MAX), "&18446744073709551615u64"),
            (json!(1.5), "&1.5f64"),
            (json!("text"), "&\"text\""),
            (json!([]), "&[();0]"),
            (json!([1]), "&runtime::wire::RawJson(\"[1]\")"),
        ] {
            assert_eq!(compact(&json_literal(&value)), expected, "{value}");
        }
    }

    #[test]
    fn the_data_object_holds_its_constants_then_its_params() {
        let catalogue = list_things();
        let op = &catalogue.operations[0];
        let data = body_entries(&catalogue, op, Location::Data, &quote!(this));
        let expected = quote! {
            map.serialize_entry("archived", &false)?;
            if let Some(value) = &this.channel {
                map.serialize_entry("channel", &runtime::wire::AsString(value))?;
            }
            match &this.limit {
                Some(value) => map.serialize_entry("limit", value)?,
                None => map.serialize_entry("limit", &20i64)?,
            }
        };
        assert_eq!(data.to_string(), expected.to_string());
        let data = compact(&data);
        // The top level holds the top-level param only; the header param goes in neither.
        let top = compact(&body_entries(&catalogue, op, Location::Top, &quote!(self)));
        assert!(top.contains("\"contact\""), "{top}");
        assert!(!top.contains("X-PLATFORM") && !data.contains("X-PLATFORM"));
    }

    #[test]
    fn the_required_files_are_taken_first_then_the_optional_ones_that_are_set() {
        let catalogue = catalogue(
            r#"
operations:
  - name: upload_things
    title: Upload things
    summary: Uploads things.
    provenance: inferred
    kind: write
    discriminators: { op: things, op1: upload }
    body: multipart
    params:
      file: { type: file, required: true, in: top }
      thumbnail: { type: file, in: top }
  - name: upload_thumbnail
    title: Upload a thumbnail
    summary: Uploads a thumbnail.
    provenance: inferred
    kind: write
    discriminators: { op: things, op1: thumbnail }
    body: multipart
    params:
      thumbnail: { type: file, in: top }
"#,
        );
        let take_files = |at: usize| {
            let tokens = compact(&operation_impl(&catalogue, &catalogue.operations[at]));
            let start = tokens.find("fntake_files").expect("take_files");
            tokens[start..].to_owned()
        };
        let set_thumbnail =
            "ifletSome(file)=self.thumbnail.take(){files.push((\"thumbnail\",file));}";
        let both = take_files(0);
        let required = "letmutfiles=Vec::from([(\"file\",::std::mem::take(&mutself.file))]);";
        assert!(
            both.contains(&format!("{required}{set_thumbnail}files}}")),
            "{both}"
        );
        let optional_only = take_files(1);
        assert!(
            optional_only.contains(&format!("letmutfiles=Vec::new();{set_thumbnail}files}}")),
            "{optional_only}"
        );
    }
}
