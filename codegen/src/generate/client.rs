//! The `Client`: its own methods (token, account, base URL), one method per operation grouped
//! by area, and the `OPERATIONS` table.

use super::docs::{doc_attr, operation_doc};
use super::tokens::{ident, param_argument, OpNames};
use super::Options;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The clients: `Client` (the mobile API, with its session) and `PublicClient` (the public
/// API, with the account's API token), each with one method per operation of its API grouped
/// by area, behind the API's feature; and the `OPERATIONS` table.
pub(super) fn client(catalogue: &Catalogue, options: &Options) -> TokenStream {
    let mobile = api_client(catalogue, Api::Mobile, options).map(|methods| {
        let cfg = options.api_cfg(Api::Mobile);
        mobile_client(catalogue, cfg, methods)
    });
    let public = api_client(catalogue, Api::Public, options).and_then(|methods| {
        let cfg = options.api_cfg(Api::Public);
        public_client(catalogue.public_api.as_ref()?, cfg, methods)
    });
    let table = operations_table(catalogue, options);
    let types = types_table(catalogue);
    quote! {
        #mobile
        #public
        #table
        #types
    }
}

/// `TYPES` and `ENUMS`: the metadata of every struct and enum type of the catalogue, in its
/// order.
fn types_table(catalogue: &Catalogue) -> TokenStream {
    let type_metas: Vec<TokenStream> = catalogue
        .types
        .iter()
        .filter_map(|ty| super::meta::type_meta(catalogue, ty))
        .collect();
    let type_count = type_metas.len();
    let enum_metas: Vec<TokenStream> = catalogue
        .types
        .iter()
        .filter_map(super::meta::enum_meta)
        .collect();
    let enum_count = enum_metas.len();
    quote! {
        /// The metadata of every struct type of the catalogue, in its order: its fields'
        /// shapes, and the fields of its row when a tool shows a list of it.
        pub static TYPES: [&runtime::TypeMeta; #type_count] = [#(#type_metas),*];
        /// The metadata of every enum type of the catalogue, in its order: what each of its
        /// wire values is called.
        pub static ENUMS: [runtime::EnumMeta; #enum_count] = [#(#enum_metas),*];
    }
}

/// The methods of `api`'s client: one `impl` block per area, in the order areas first
/// appear (rustdoc shows each block with its heading, so the page reads as the API's areas);
/// `None` when the catalogue has no operation of `api`.
fn api_client(catalogue: &Catalogue, api: Api, options: &Options) -> Option<TokenStream> {
    let client = ident(match api {
        Api::Mobile => "Client",
        Api::Public => "PublicClient",
    });
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
            #[inline]
            pub fn #method(&self, #(#args),*) -> operations::#builder {
                operations::#builder::from_request(
                    self.handle.clone(),
                    operations::#request::new(#(#arg_names),*),
                )
            }
        }
    };
    let mut areas: Vec<(Option<&str>, Vec<&Operation>)> = Vec::new();
    for op in catalogue.operations.iter().filter(|op| op.api == api) {
        let area = op.area.as_deref();
        match areas.iter_mut().find(|(a, _)| *a == area) {
            Some((_, ops)) => ops.push(op),
            None => areas.push((area, vec![op])),
        }
    }
    if areas.is_empty() {
        return None;
    }
    let cfg = options.api_cfg(api);
    let blocks = areas.iter().map(|(area, ops)| {
        let heading = doc_attr(&format!(
            "# {}\n\nThe operations of {}.",
            area.unwrap_or("Other operations"),
            area.map_or_else(|| "no area".to_owned(), |a| format!("the area `{a}`"))
        ));
        let methods = ops.iter().map(|op| method(op));
        quote! {
            #cfg
            #heading
            impl #client {
                #(#methods)*
            }
        }
    });
    Some(quote!(#(#blocks)*))
}

/// The metadata tables, one per API behind its feature: `OPERATIONS` (the mobile API's, as
/// before the public API joined) and `PUBLIC_OPERATIONS`, each in the catalogue's order.
fn operations_table(catalogue: &Catalogue, options: &Options) -> TokenStream {
    let tables = [
        (Api::Mobile, "OPERATIONS", "mobile (inbox) API"),
        (Api::Public, "PUBLIC_OPERATIONS", "public (REST) API"),
    ];
    let definitions = tables.map(|(api, name, title)| {
        let metas: Vec<TokenStream> = catalogue
            .operations
            .iter()
            .filter(|op| op.api == api)
            .map(|op| {
                let request = OpNames::of(op).request;
                quote!(<operations::#request as runtime::Operation>::META)
            })
            .collect();
        if metas.is_empty() {
            return quote!();
        }
        let cfg = options.api_cfg(api);
        let name = ident(name);
        let count = metas.len();
        let doc = doc_attr(&format!(
            "The metadata of every operation of the {title}, in the catalogue's order."
        ));
        quote! {
            #cfg
            #doc
            pub static #name: [&runtime::OperationMeta; #count] = [#(#metas),*];
        }
    });
    quote!(#(#definitions)*)
}

/// The mobile API's `Client`: the session, the default account, and the methods.
fn mobile_client(catalogue: &Catalogue, cfg: TokenStream, methods: TokenStream) -> TokenStream {
    let client_doc = doc_attr(&format!(
        "A client of the {}: one method per operation of the catalogue, grouped by area below.\n\n\
         Cheap to clone (one connection pool is shared); `Send + Sync`. The session token and \
         the default account are read and set with the methods of the first block; \
         [`handle`](Client::handle) gives the runtime's [`Handle`](runtime::Handle) \
         for what the runtime does beyond the operations.",
        catalogue.api.title
    ));
    let declaration = client_struct(
        "Client",
        "ClientBuilder",
        &cfg,
        client_doc,
        "Configures and builds a [`Client`].",
    );
    quote! {
        #declaration

        #cfg
        /// # The client itself
        ///
        /// Building it, and its session: the token a login stores and a logout clears, and the
        /// default account of account-scoped operations.
        impl Client {
            /// A builder: set at least the base URL, then `build()`.
            #[inline]
            pub fn builder() -> ClientBuilder {
                runtime::ClientBuilder::new().error_codes(&ERROR_CODES)
            }

            /// The runtime handle the client sends through.
            #[inline]
            pub fn handle(&self) -> &runtime::Handle {
                &self.handle
            }

            /// The current session token (shown as `***` by `Debug`).
            #[inline]
            pub fn token(&self) -> Option<runtime::SecretToken> {
                self.handle.token()
            }

            /// Sets the session token; one that is not a valid HTTP header value is refused
            /// with a warning, and the previous one is kept (see [`Client::try_set_token`]).
            #[inline]
            pub fn set_token(&self, token: impl ::std::convert::Into<String>) {
                self.handle.set_token(token)
            }

            /// Sets the session token.
            ///
            /// # Errors
            ///
            /// [`Error::Config`](runtime::Error::Config) when the token is not a valid
            /// HTTP header value.
            #[inline]
            pub fn try_set_token(
                &self,
                token: impl ::std::convert::Into<String>,
            ) -> Result<(), runtime::Error> {
                self.handle.try_set_token(token)
            }

            /// Forgets the session token.
            #[inline]
            pub fn clear_token(&self) {
                self.handle.clear_token()
            }

            /// The default account of account-scoped operations.
            #[inline]
            pub fn default_account_id(&self) -> Option<u64> {
                self.handle.default_account_id()
            }

            /// The API URL.
            #[inline]
            pub fn base_url(&self) -> &str {
                self.handle.base_url()
            }
        }

        #methods
    }
}

/// The public API's `PublicClient`: the account's API token, the base URL (the catalogue's,
/// unless a white-label's is set), and the methods.
fn public_client(
    public: &PublicApi,
    cfg: TokenStream,
    methods: TokenStream,
) -> Option<TokenStream> {
    let base_url = &public.base_url;
    let header = &public.auth_header;
    let error_member = public.error.as_ref().map(|error| {
        let at = &error.at;
        quote!(.rest_error_member(#at))
    });
    let client_doc = doc_attr(&format!(
        "A client of the {title}: one method per operation of its catalogue, grouped by area \
         below. Every request carries the account's API token in `{header}`; there is no \
         login.\n\nBuilt with [`PublicClient::builder`], whose base URL is `{base_url}` \
         unless set (a white-label's is `https://<app domain>/api/`). Cheap to clone; \
         `Send + Sync`. It shares the typed ids and types of [`types`] with the mobile API's \
         client: a `ContactId` read here is the one the inbox's operations take.",
        title = public.title,
    ));
    let declaration = client_struct(
        "PublicClient",
        "PublicClientBuilder",
        &cfg,
        client_doc,
        "Configures and builds a [`PublicClient`]: set the API token with `api_token`.",
    );
    Some(quote! {
        #declaration

        #cfg
        /// # The client itself
        impl PublicClient {
            /// The base URL every path is joined to, unless the builder sets another.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            /// A builder with the default base URL: set the API token with
            /// [`api_token`](runtime::ClientBuilder::api_token), then `build()`.
            #[inline]
            pub fn builder() -> PublicClientBuilder {
                runtime::ClientBuilder::new()
                    .base_url(Self::DEFAULT_BASE_URL)
                    #error_member
            }

            /// The runtime handle the client sends through.
            #[inline]
            pub fn handle(&self) -> &runtime::Handle {
                &self.handle
            }

            /// The base URL paths are joined to.
            #[inline]
            pub fn base_url(&self) -> &str {
                self.handle.base_url()
            }
        }

        #methods
    })
}

/// A client struct over the runtime's handle, its builder alias and its `From<Handle>`.
fn client_struct(
    name: &str,
    builder: &str,
    cfg: &TokenStream,
    doc: TokenStream,
    builder_doc: &str,
) -> TokenStream {
    let (name, builder) = (ident(name), ident(builder));
    let builder_doc = doc_attr(builder_doc);
    quote! {
        #cfg
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            handle: runtime::Handle,
        }

        #cfg
        #builder_doc
        pub type #builder = runtime::ClientBuilder<#name>;

        #cfg
        impl ::std::convert::From<runtime::Handle> for #name {
            #[inline]
            fn from(handle: runtime::Handle) -> Self {
                #name { handle }
            }
        }
    }
}
