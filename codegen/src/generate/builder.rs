//! The builder of each operation: optional params as chained setters, per-call options,
//! paging streams, and `send`, which hands the request to the runtime's one generic path.

use super::docs::{doc_attr, member_doc};
use super::request::{output_type, paged_item};
use super::tokens::{client_name, ident, rust_type, OpNames};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The builder struct of `op` and its methods.
pub(super) fn builder(catalogue: &Catalogue, op: &Operation) -> TokenStream {
    let OpNames {
        request, builder, ..
    } = &OpNames::of(op);
    let builder_doc = doc_attr(&format!(
        "Builds and sends [`{request}`]: {title}. Made by [`{client}::{name}`](super::{client}::{name}); \
         optional params are chained setters, and `send().await` runs the call.",
        name = op.name,
        title = op.title,
        client = client_name(op),
    ));
    let scoped = op.scope == Scope::Account;
    let output = output_type(op);

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
                self.handle.pages(self.request, self.paging.with_call(self.options))
            }

            /// Every item of the list across pages, fetched lazily (see [`pages`](Self::pages)).
            #[inline]
            pub fn items(self) -> impl ::chatrace_runtime::Stream<Item = ::std::result::Result<#item, ::chatrace_runtime::Error>> + Send {
                self.handle.items(self.request, self.paging.with_call(self.options))
            }
        }
    });
    let page_size_field = item
        .as_ref()
        .map(|_| quote!(paging: ::chatrace_runtime::PageOptions,));
    let page_size_init = item
        .as_ref()
        .map(|_| quote!(paging: ::std::default::Default::default(),));
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

    quote! {
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
