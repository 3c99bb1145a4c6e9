//! The metadata of each operation: the `OperationMeta` constant the runtime and tools read
//! (wire form, policies, params and their type shapes, paging, examples); and of each struct
//! type, the `TypeMeta` tools read (its fields' shapes and the fields of its row).

use super::docs::fallback_doc;
use super::tokens::ident;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// A value of the catalogue's vocabulary, as the runtime names it (`runtime::Auth::Token`).
fn vocab_value<T: Spelled>(value: T) -> TokenStream {
    let ty = ident(T::TYPE_NAME);
    let variant = ident(value.variant_name());
    quote!(runtime::#ty::#variant)
}

/// `Some(tokens)` or `None`, as tokens.
fn option_tokens(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(tokens) => quote!(Some(#tokens)),
        None => quote!(None),
    }
}

/// The resolved shape of a type expression, as a `runtime::TypeShape` constant.
fn type_shape(catalogue: &Catalogue, ty: &TypeRef) -> TokenStream {
    let shape = quote!(runtime::TypeShape);
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

/// A reference to the `TypeMeta` of a struct type, as a constant expression; `None` for the
/// other kinds.
pub(super) fn type_meta(catalogue: &Catalogue, ty: &TypeDef) -> Option<TokenStream> {
    let TypeKind::Struct { fields } = &ty.kind else {
        return None;
    };
    let name = &ty.name;
    let fields = fields.iter().map(|field| {
        let wire = &field.wire;
        let shape = type_shape(catalogue, &field.ty);
        quote!(runtime::FieldMeta { wire: #wire, shape: #shape })
    });
    let row = ty.row.iter().map(|field| &field.wire);
    Some(quote!(&runtime::TypeMeta {
        name: #name,
        fields: &[#(#fields),*],
        row: &[#(#row),*],
    }))
}

/// The `EnumMeta` of an enum type, as a constant expression; `None` for the other kinds.
pub(super) fn enum_meta(ty: &TypeDef) -> Option<TokenStream> {
    let TypeKind::Enum { values, .. } = &ty.kind else {
        return None;
    };
    let name = &ty.name;
    let values = values.iter().map(|v| {
        let (wire, named) = (v.value.to_string(), &v.name);
        quote!((#wire, #named))
    });
    Some(quote!(runtime::EnumMeta {
        name: #name,
        values: &[#(#values),*],
    }))
}

/// The `OperationMeta` of `op`, as a constant expression.
pub(super) fn operation_meta(catalogue: &Catalogue, op: &Operation) -> TokenStream {
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
    let api = vocab_value(op.api);
    let http = option_tokens(op.http.as_ref().map(|route| {
        let method = vocab_value(route.method);
        let path = &route.path;
        quote!(runtime::HttpMeta { method: #method, path: #path })
    }));
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
                quote!(Some(#text))
            }
            None => quote!(None),
        };
        let secret = param.secret;
        quote! {
            runtime::ParamMeta {
                wire: #wire, rust: #rust, ty: #ty, required: #required, location: #location,
                wire_as: #sent_as, doc: #doc, default: #default, secret: #secret,
            }
        }
    });
    let paging = match &op.paging {
        None => quote!(None),
        Some(p) => {
            let (offset, limit, default_limit, max_limit) =
                (&p.offset, &p.limit, p.default_limit, p.max_limit);
            let items = match &p.items {
                Some(items) => quote!(Some(#items)),
                None => quote!(None),
            };
            let first_page_only = &p.first_page_only;
            quote!(Some(runtime::PagingMeta {
                offset: #offset, limit: #limit, items: #items, default_limit: #default_limit,
                max_limit: #max_limit, first_page_only: &[#(#first_page_only),*],
            }))
        }
    };
    let response = option_tokens(op.response.as_ref().map(|ty| type_shape(catalogue, ty)));
    let response_in = vocab_value(op.response_in);
    let examples = op.examples.iter().map(|example| {
        let name = &example.name;
        let headers = example.headers.iter().map(|(k, v)| quote!((#k, #v)));
        // A REST example may show only an answer: its request is then empty.
        let request = example.request.as_deref().unwrap_or_default();
        let response = match &example.response {
            Some(text) => quote!(Some(#text)),
            None => quote!(None),
        };
        let renamed = example
            .renamed
            .iter()
            .map(|(from, to)| quote!((#from, #to)));
        quote! {
            runtime::ExampleMeta {
                name: #name, headers: &[#(#headers),*], request: #request, response: #response,
                renamed: &[#(#renamed),*],
            }
        }
    });
    quote! {
        runtime::OperationMeta {
            name: #name, title: #title, summary: #summary, api: #api, http: #http, provenance: #provenance,
            inferred: &[#(#inferred),*], kind: #kind,
            discriminators: &[#(#discriminators),*], auth: #auth, scope: #scope,
            account_as: #account_as, session: #session, body: #body, retry_safe: #retry_safe,
            constants: &[#(#constants),*], params: &[#(#params),*], paging: #paging,
            response: #response, response_in: #response_in, examples: &[#(#examples),*],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::test_support::{catalogue, compact, list_things};

    #[test]
    fn a_param_s_meta_says_its_shape_and_how_it_is_sent() {
        let catalogue = list_things();
        let meta = compact(&operation_meta(&catalogue, &catalogue.operations[0]));
        // An id sent as text.
        assert!(
            meta.contains(
                "wire:\"contact\",rust:\"contact\",\
                 ty:runtime::TypeShape::Scalar(runtime::Scalar::Id),\
                 required:true,location:runtime::ParamLocation::Top,\
                 wire_as:runtime::WireAs::String,"
            ),
            "{meta}"
        );
        // An integer enum sent as text, with the values it may hold.
        assert!(
            meta.contains(
                "wire:\"channel\",rust:\"channel\",ty:runtime::TypeShape::Enum{\
                 name:\"Channel\",repr:runtime::EnumRepr::Integer,values:&[\"9\"]},\
                 required:false,location:runtime::ParamLocation::Data,\
                 wire_as:runtime::WireAs::String,"
            ),
            "{meta}"
        );
        assert!(
            meta.contains("default:Some(\"20\"),"),
            "the default of `limit`, as JSON text: {meta}"
        );
        assert!(meta.contains("scope:runtime::Scope::Account,"), "{meta}");
        assert!(
            meta.contains("constants:&[(\"data.archived\",\"false\")]"),
            "{meta}"
        );
    }

    #[test]
    fn a_type_shape_resolves_the_names_it_holds() {
        let catalogue = list_things();
        let channel = TypeRef::Named("Channel".into());
        let ty = TypeRef::List(Box::new(TypeRef::Encoded(Box::new(channel))));
        let expected = quote!(runtime::TypeShape::List(&runtime::TypeShape::Encoded(
            &runtime::TypeShape::Enum {
                name: "Channel",
                repr: runtime::EnumRepr::Integer,
                values: &["9"]
            }
        )));
        assert_eq!(
            type_shape(&catalogue, &ty).to_string(),
            expected.to_string()
        );
    }

    #[test]
    fn a_struct_s_meta_has_its_fields_shapes_and_its_row() {
        let catalogue = catalogue(
            r#"
types:
  ThingId:
    doc: A thing's id.
    id: true
  Thing:
    doc: A thing.
    row: [name, id]
    fields:
      id: { type: ThingId, required: true }
      name: { type: string }
      seen: { type: millis }
operations:
  - name: get_thing
    title: Get a thing
    summary: Reads a thing.
    provenance: inferred
    kind: read
    discriminators: { op: things }
    response: Thing
"#,
        );
        assert!(
            type_meta(&catalogue, &catalogue.types[0]).is_none(),
            "an id"
        );
        let meta = compact(&type_meta(&catalogue, &catalogue.types[1]).unwrap_or_default());
        assert_eq!(
            meta,
            "&runtime::TypeMeta{name:\"Thing\",fields:&[\
             runtime::FieldMeta{wire:\"id\",shape:runtime::TypeShape::Id{name:\"ThingId\"}},\
             runtime::FieldMeta{wire:\"name\",shape:runtime::TypeShape::Scalar(runtime::Scalar::String)},\
             runtime::FieldMeta{wire:\"seen\",shape:runtime::TypeShape::Scalar(runtime::Scalar::Millis)}],\
             row:&[\"name\",\"id\"],}"
        );
    }
}
