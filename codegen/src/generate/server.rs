//! The server side: how a server reads a request body back. Each request type's
//! `Deserialize` (through a private wire struct shaped like the body), and `AnyRequest`, which
//! tells operations apart as the vendor's server does.

use super::docs::doc_attr;
use super::tokens::{ident, is_lenient, rust_type, OpNames};
use super::{Options, ServerSide};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The attributes that derive a request type's `Deserialize` from its wire struct, behind the
/// server side's feature.
pub(super) fn request_deserialize_attr(op: &Operation, server: &ServerSide) -> TokenStream {
    let wire_name = OpNames::of(op).wire.to_string();
    match server {
        ServerSide::Omit => quote!(),
        ServerSide::Always => quote! {
            #[derive(::serde::Deserialize)]
            #[serde(from = #wire_name)]
        },
        ServerSide::Feature(feature) => quote! {
            #[cfg_attr(feature = #feature, derive(::serde::Deserialize), serde(from = #wire_name))]
        },
    }
}

/// The private wire struct of a request, shaped like its body, and its conversion into the
/// request; nothing when the server side is not generated.
pub(super) fn request_wire(op: &Operation, server: &ServerSide) -> Option<TokenStream> {
    let OpNames {
        request,
        wire,
        wire_data,
        ..
    } = &OpNames::of(op);
    if !server.emitted() {
        return None;
    }
    let scoped = op.scope == Scope::Account;
    let wire_account = scoped.then(|| {
        quote! {
            #[serde(default, deserialize_with = "runtime::lenient::deserialize")]
            account_id: Option<u64>,
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
                quote! { #[serde(skip)] #name: Option<#ty>, }
            };
        }
        if let TypeRef::Encoded(_) = param.ty {
            return if param.required {
                quote! { #[serde(rename = #key, deserialize_with = "runtime::wire::encoded")] #name: #ty, }
            } else {
                quote! { #[serde(rename = #key, default, deserialize_with = "runtime::wire::encoded_option")] #name: Option<#ty>, }
            };
        }
        let lenient = lenient_attr(&param.ty, param.required);
        if param.required {
            quote! { #[serde(rename = #key)] #lenient #name: #ty, }
        } else {
            quote! { #[serde(rename = #key)] #lenient #name: Option<#ty>, }
        }
    };
    let wire_top = op.params.iter().filter(|p| !p.in_data()).map(wire_field);
    let data_params: Vec<&Param> = op.params.iter().filter(|p| p.in_data()).collect();
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
        if param.in_data() {
            quote!(#name: wire.data.#name,)
        } else {
            quote!(#name: wire.#name,)
        }
    });

    // A request with nothing to carry over leaves the wire struct unread.
    let wire_binding = if scoped || !op.params.is_empty() {
        quote!(wire)
    } else {
        quote!(_)
    };
    let cfg = server.cfg();
    let data_struct = (!wire_data_struct.is_empty()).then(|| quote!(#cfg #wire_data_struct));
    Some(quote! {
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
            #[inline]
            fn from(#wire_binding: #wire) -> Self {
                #request { #from_account #(#from_fields)* }
            }
        }
    })
}

/// The serde attribute of a field a derived `Deserialize` reads: the lenient decoder for
/// scalars, and `default` for an optional field.
pub(super) fn lenient_attr(ty: &TypeRef, required: bool) -> TokenStream {
    match (is_lenient(ty), required) {
        (true, true) => {
            quote!(#[serde(deserialize_with = "runtime::lenient::deserialize")])
        }
        (true, false) => {
            quote!(#[serde(default, deserialize_with = "runtime::lenient::deserialize")])
        }
        (false, true) => quote!(),
        (false, false) => quote!(#[serde(default)]),
    }
}

/// `AnyRequest`: any request of the catalogue, read from a body, sent on the typed path.
pub(super) fn any_request(catalogue: &Catalogue, options: &Options) -> TokenStream {
    let cfg = options.server.cfg();
    let variants = catalogue.operations.iter().map(|op| {
        let names = OpNames::of(op);
        let (variant, request) = (&names.variant, &names.request);
        let doc = doc_attr(&format!("`{}`: {}.", op.name, op.title));
        let api = options.api_cfg(op.api);
        quote! { #api #doc #variant(operations::#request), }
    });
    let meta_arms = catalogue.operations.iter().map(|op| {
        let names = OpNames::of(op);
        let (variant, request) = (&names.variant, &names.request);
        let api = options.api_cfg(op.api);
        quote! { #api AnyRequest::#variant(_) => <operations::#request as runtime::Operation>::META, }
    });
    let by_name = catalogue.operations.iter().map(|op| {
        let names = OpNames::of(op);
        let (variant, request, name) = (&names.variant, &names.request, &op.name);
        let api = options.api_cfg(op.api);
        quote! {
            #api
            #name => runtime::parse_request::<operations::#request>(&body).map(AnyRequest::#variant),
        }
    });
    let send_arms = catalogue.operations.iter().map(|op| {
        let variant = OpNames::of(op).variant;
        let api = options.api_cfg(op.api);
        quote! { #api AnyRequest::#variant(request) => handle.execute_json(request, options).await, }
    });
    let attach_arms = catalogue.operations.iter().flat_map(|op| {
        let variant = OpNames::of(op).variant;
        let api = options.api_cfg(op.api);
        op.params.iter().filter(|p| p.is_file()).map(move |param| {
            let (wire, rust) = (&param.wire, ident(&param.rust));
            let set = if param.required {
                quote!(request.#rust = file;)
            } else {
                quote!(request.#rust = Some(file);)
            };
            quote! {
                #api
                AnyRequest::#variant(request) if name == #wire => {
                    #set
                    Result::Ok(())
                }
            }
        })
    });
    // The most specific first: an operation told apart by more constants, then by more
    // required params, is tried before the ones its body would also satisfy.
    // REST operations are told apart by their method and path, not by a body: a server reads
    // them with `from_operation` once it has matched the route.
    let mut ordered: Vec<&Operation> = catalogue
        .operations
        .iter()
        .filter(|op| !op.is_rest())
        .collect();
    ordered.sort_by_key(|op| std::cmp::Reverse((op.constants.len(), op.required_paths().len())));
    let routes = ordered.iter().map(|op| {
        let api = options.api_cfg(op.api);
        let variant = OpNames::of(op).variant;
        let pattern = op.discriminator_pattern();
        let discriminators =
            ["op", "op1", "op2", "op3"].map(|key| match pattern.iter().find(|(k, _)| k == key) {
                Some((_, Some(value))) => quote!(Is(#value)),
                Some((_, None)) => quote!(Any),
                None => quote!(Absent),
            });
        let constants = op.constants.iter().map(|c| {
            let (path, value) = (&c.path, c.value.to_string());
            quote!((#path, #value))
        });
        let paths = op.required_paths();
        quote! {
            #api
            Route {
                discriminators: [#(#discriminators),*],
                constants: &[#(#constants),*],
                required: &[#(#paths),*],
                parse: |body| parse_request(body).map(AnyRequest::#variant),
            },
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
            #[inline]
            pub fn meta(&self) -> &'static runtime::OperationMeta {
                match self { #(#meta_arms)* }
            }

            /// Sends the request through `handle`, on the same typed path as the `Client`'s
            /// methods, and returns the decoded answer as JSON (for tools that handle any
            /// operation, such as the CLI).
            ///
            /// # Errors
            ///
            /// The errors of the operation's `send`.
            #[inline]
            pub async fn send(
                self,
                handle: &runtime::Handle,
                options: &runtime::CallOptions,
            ) -> Result<::serde_json::Value, runtime::Error> {
                match self { #(#send_arms)* }
            }

            /// Sets the file param `name` (its wire name, such as `file`) of a multipart request:
            /// a body read from JSON carries no file, its parts arrive beside it.
            ///
            /// # Errors
            ///
            /// Gives the file back when the request has no file param of that name.
            #[allow(clippy::result_large_err)]
            #[inline]
            pub fn attach_file(
                &mut self,
                name: &str,
                file: runtime::FileUpload,
            ) -> Result<(), runtime::FileUpload> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#attach_arms)*
                    _ => Result::Err(file),
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
            /// [`ParseRequestError`](runtime::ParseRequestError) when the body is not
            /// an object, names no known operation, or does not fit the operation's params.
            #[inline]
            pub fn from_json(
                body: ::serde_json::Value,
                header: impl Fn(&str) -> Option<String>,
            ) -> Result<Self, runtime::ParseRequestError> {
                // Without the mobile API's operations, the table is empty.
                #[allow(unused_imports)]
                use ::chatrace_runtime::{parse_request, Discriminator::{Absent, Any, Is}, Route};
                const ROUTES: &[Route<AnyRequest>] = &[#(#routes)*];
                runtime::route_request(body, AnyRequest::HEADER_PARAMS, header, ROUTES)
            }

            /// Reads the request of the operation named `operation` (`get_contact_record`) from
            /// one JSON object holding its params by wire name: how a server reads a REST call,
            /// once its method and path have named the operation, with the path params, the
            /// query and the body gathered into `body`.
            ///
            /// # Errors
            ///
            /// [`ParseRequestError`](runtime::ParseRequestError) when no operation has
            /// that name, or `body` does not fit its params.
            #[inline]
            pub fn from_operation(
                operation: &str,
                body: ::serde_json::Value,
            ) -> Result<Self, runtime::ParseRequestError> {
                match operation {
                    #(#by_name)*
                    _ => Result::Err(runtime::ParseRequestError::unknown_operation(&body)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::test_support::{catalogue, compact};

    #[test]
    fn any_request_tries_the_most_specific_operation_first() {
        // Both share their discriminators; a body holding `me: true` also fits `list_admins`,
        // so `get_current_user`, told apart by more constants, must be tried first.
        let catalogue = catalogue(
            r#"
operations:
  - name: list_admins
    title: Get list of admins
    summary: Lists the admins.
    provenance: inferred
    kind: read
    discriminators: { op: admins, op1: get }
    constants: { basic_info: true }
  - name: get_current_user
    title: Get logged user information
    summary: Reads the logged user.
    provenance: inferred
    kind: read
    scope: none
    discriminators: { op: admins, op1: get }
    constants: { account_id: null, me: true }
"#,
        );
        let tokens = compact(&any_request(&catalogue, &Options::default()));
        let tried = |variant: &str| {
            tokens
                .find(&format!("map(AnyRequest::{variant})"))
                .unwrap_or_else(|| panic!("{variant} is not tried: {tokens}"))
        };
        assert!(tried("GetCurrentUser") < tried("ListAdmins"));
        assert!(tokens.contains(
            "discriminators:[Is(\"admins\"),Is(\"get\"),Absent,Absent],\
             constants:&[(\"account_id\",\"null\"),(\"me\",\"true\")],"
        ));
    }

    #[test]
    fn a_request_with_nothing_to_carry_leaves_its_wire_struct_unbound() {
        // Compiled as plain source (`chatrace-codegen expand --server`), a named binding that
        // nothing reads is an `unused_variables` warning.
        let catalogue = catalogue(
            r#"
operations:
  - name: get_whitelabel
    title: Get white-label
    summary: Reads the white-label.
    provenance: inferred
    kind: read
    scope: none
    discriminators: { op: wt, op1: get }
  - name: get_account
    title: Get account
    summary: Reads the account.
    provenance: inferred
    kind: read
    discriminators: { op: accounts, op1: get }
"#,
        );
        let from = |name: &str| {
            let op = catalogue
                .operations
                .iter()
                .find(|op| op.name == name)
                .unwrap();
            let tokens = compact(&request_wire(op, &ServerSide::Always).unwrap());
            let at = tokens.find("fnfrom(").expect("a From impl");
            tokens[at..].split_once(')').unwrap().0.to_owned()
        };
        assert_eq!(from("get_whitelabel"), "fnfrom(_:GetWhitelabelWire");
        assert_eq!(from("get_account"), "fnfrom(wire:GetAccountWire");
    }
}
