//! The Rust the `chatrace` crate is made of, generated from a catalogue: what to generate
//! ([`Options`]) and the entry point ([`generate`]) that puts the modules' parts together.
//!
//! One module per job: `types` (the shared types), `request` (each operation's request type),
//! `builder` (its builder), `client` (the `Client`), `meta` (the operations' metadata),
//! `server` (reading requests back), `realtime` (the realtime module), `docs` (rustdoc text),
//! `tokens` (names and types). Generated code stays thin: every builder's `send` hands its
//! request to the runtime's one generic `execute` path, and the wire rules live in the runtime,
//! not here.

mod builder;
mod client;
mod docs;
mod errors;
mod meta;
mod realtime;
mod request;
mod server;
mod tokens;
mod types;

use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

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
    /// The cargo feature of the invoking crate that gates the mobile API (its operations, the
    /// `Client` and the realtime module); `None`: always generated.
    pub mobile: Option<String>,
    /// The cargo feature of the invoking crate that gates the public API (its operations and
    /// the `PublicClient`); `None`: always generated.
    pub public: Option<String>,
}

impl Options {
    /// The `cfg` attribute of what belongs to `api` (nothing when it is not gated).
    fn api_cfg(&self, api: Api) -> TokenStream {
        let feature = match api {
            Api::Mobile => &self.mobile,
            Api::Public => &self.public,
        };
        match feature {
            Some(feature) => quote!(#[cfg(feature = #feature)]),
            None => quote!(),
        }
    }
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
    let prelude = tokens::module_prelude();
    let types = catalogue
        .types
        .iter()
        .map(|t| types::shared_type(catalogue, t));
    let secret_debug = options
        .server
        .emitted()
        .then(|| types::secret_holders_debug(catalogue, options.server.cfg()));
    // A gated API's operations in a module of their own, behind the API's feature, and
    // re-exported: `operations::GetOrderRequest` whichever API it belongs to.
    let operation_modules =
        [(Api::Mobile, "mobile"), (Api::Public, "public")].map(|(api, name)| {
            let ops: Vec<TokenStream> = catalogue
                .operations
                .iter()
                .filter(|op| op.api == api)
                .map(|op| operation(catalogue, op, &options.server))
                .collect();
            if ops.is_empty() {
                return quote!();
            }
            let cfg = options.api_cfg(api);
            if cfg.is_empty() {
                // Not gated: the items stand in `operations` itself.
                return quote!(#(#ops)*);
            }
            let module = tokens::ident(name);
            let client = tokens::ident(match api {
                Api::Mobile => "Client",
                Api::Public => "PublicClient",
            });
            let doc = docs::doc_attr(&format!("The operations of the {name} API."));
            quote! {
                #cfg
                #doc
                mod #module {
                    #prelude
                    #[allow(unused_imports)]
                    use super::Builder;
                    #(#ops)*
                }
                #cfg
                #[doc(inline)]
                pub use self::#module::*;
                // What the module's items name as `super::..` (`super::types`, and their
                // client in rustdoc links).
                #cfg
                #[allow(unused_imports)]
                use super::#client;
            }
        });
    let generic_builder = builder::generic_builder();
    let client = client::client(catalogue, &options);
    let error_table = errors::error_table(catalogue);
    let realtime = catalogue
        .realtime
        .as_ref()
        .filter(|_| options.realtime.emitted())
        .map(|realtime| {
            let mobile = options.api_cfg(Api::Mobile);
            let module = realtime::realtime_module(catalogue, realtime, options.realtime.cfg());
            quote! { #mobile #module }
        });
    let any_request = options
        .server
        .emitted()
        .then(|| server::any_request(catalogue, &options));
    let apis = match &catalogue.public_api {
        Some(public) => format!("{} and the {}", catalogue.api.title, public.title),
        None => catalogue.api.title.clone(),
    };
    let api_doc = docs::doc_attr(&format!(
        "Shared types of the {apis}, declared once in the catalogue and referenced by the operations."
    ));
    // Everything stands in one module, re-exported where the macro was invoked: its code can
    // then import the names it uses (`tokens::module_prelude`) without adding them to the
    // invoking crate's own namespace.
    quote! {
        #tracker

        mod generated {
            #prelude

            #api_doc
            pub mod types {
                #prelude
                #(#types)*
                #secret_debug
            }

            /// One request type and one builder per operation of the catalogue.
            pub mod operations {
                #prelude
                #[allow(unused_imports)]
                use super::types;
                #generic_builder
                #(#operation_modules)*
            }

            #client
            #error_table
            #any_request
            #realtime
        }
        pub use self::generated::*;
    }
}

/// Everything generated for one operation: its request type, the server's reading of it, its
/// `Operation` and `Paged` impls, and its builder.
fn operation(catalogue: &Catalogue, op: &Operation, server: &ServerSide) -> TokenStream {
    let request = request::request_type(catalogue, op, server);
    let request_wire = server::request_wire(op, server);
    let operation_impl = request::operation_impl(catalogue, op);
    let paged_impl = request::paged_impl(catalogue, op);
    let builder = builder::builder(op);
    quote! {
        #request
        #request_wire
        #operation_impl
        #paged_impl
        #builder
    }
}

/// What the modules' unit tests share.
#[cfg(test)]
mod test_support {
    use crate::model::Catalogue;
    use proc_macro2::TokenStream;

    /// A catalogue for a unit test, with the small API header every one needs before
    /// `types:` or `operations:`.
    pub(super) fn catalogue(body: &str) -> Catalogue {
        let text = format!("format: 1\napi:\n  title: Tiny API\n{body}");
        crate::load_str(&text, "test.yaml").unwrap_or_else(|e| panic!("{e}"))
    }

    /// One account-scoped operation, `list_things`, with a constant in `data` and a param of
    /// each place (top, `data`, header): a required id sent as text, an integer enum sent as
    /// text, and an integer with a default.
    pub(super) fn list_things() -> Catalogue {
        catalogue(
            r#"
types:
  Channel:
    doc: A channel.
    enum: integer
    values:
      - { value: 9, name: web_chat }
operations:
  - name: list_things
    title: Get things
    summary: Lists things.
    provenance: inferred
    kind: read
    discriminators: { op: things, op1: get }
    constants: { data.archived: false }
    params:
      contact: { type: id, required: true, in: top, as: string }
      channel: { type: Channel, as: string }
      limit: { type: integer, default: 20 }
      X-PLATFORM: { type: string, in: header }
"#,
        )
    }

    /// Tokens as text without whitespace, so that a check does not depend on how tokens are
    /// spaced when printed.
    pub(super) fn compact(tokens: &TokenStream) -> String {
        tokens.to_string().split_whitespace().collect()
    }
}
