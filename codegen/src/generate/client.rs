//! The `Client`: its own methods (token, account, base URL), one method per operation grouped
//! by area, and the `OPERATIONS` table.

use super::docs::{doc_attr, operation_doc};
use super::tokens::{ident, param_argument, OpNames};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The `Client` and its methods.
pub(super) fn client(catalogue: &Catalogue) -> TokenStream {
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
    let type_metas: Vec<TokenStream> = catalogue
        .types
        .iter()
        .filter_map(|ty| super::meta::type_meta(catalogue, ty))
        .collect();
    let type_count = type_metas.len();
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
                ::chatrace_runtime::ClientBuilder::new().error_codes(&ERROR_CODES)
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

        /// The metadata of every struct type of the catalogue, in its order: its fields'
        /// shapes, and the fields of its row when a tool shows a list of it.
        pub static TYPES: [&::chatrace_runtime::TypeMeta; #type_count] = [#(#type_metas),*];
    }
}
