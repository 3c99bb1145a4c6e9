//! The builders: one generic `Builder<R>` with the per-call options, paging streams and
//! `send` (which hands the request to the runtime's one generic path), and per operation an
//! alias naming it and the operation's optional params as chained setters.

use super::docs::{doc_attr, member_doc};
use super::tokens::{client_name, ident, rust_type, OpNames};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The builder of `op`: its alias of `Builder`, and its setters.
pub(super) fn builder(op: &Operation) -> TokenStream {
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
                #[inline]
                pub fn #name(mut self, value: impl ::std::convert::Into<String>) -> Self {
                    self.request.#name = Some(value.into());
                    self
                }
            },
            _ => {
                let ty = rust_type(&param.ty);
                quote! {
                    #doc
                    #[inline]
                    pub fn #name(mut self, value: #ty) -> Self {
                        self.request.#name = Some(value);
                        self
                    }
                }
            }
        }
    });
    let account_setter = scoped.then(|| {
        quote! {
            /// Acts on this account instead of the client's default account.
            #[inline]
            pub fn account_id(mut self, account_id: u64) -> Self {
                self.request.account_id = Some(account_id);
                self
            }
        }
    });
    let per_op = (op.params.iter().any(|p| !p.required) || scoped).then(|| {
        quote! {
            impl Builder<#request> {
                #(#setters)*
                #account_setter
            }
        }
    });
    quote! {
        #builder_doc
        pub type #builder = Builder<#request>;

        #per_op
    }
}

/// The one builder type of every operation: the per-call options, paging streams and `send`,
/// written once for all requests; each operation adds its own setters in an impl of
/// `Builder<ItsRequest>` and names it with an alias.
pub(super) fn generic_builder() -> TokenStream {
    quote! {
        /// Builds and sends one request `R`: made by a client method (each operation's builder
        /// is an alias of this type, such as `GetOrderBuilder`); optional params are chained
        /// setters, and `send().await` runs the call.
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct Builder<R> {
            handle: runtime::Handle,
            request: R,
            options: runtime::CallOptions,
            paging: runtime::PageOptions,
        }

        impl<R> Builder<R> {
            /// A builder that sends `request` through `handle`.
            #[inline]
            pub fn from_request(handle: runtime::Handle, request: R) -> Self {
                Builder {
                    handle,
                    request,
                    options: ::std::default::Default::default(),
                    paging: ::std::default::Default::default(),
                }
            }

            /// Overrides the client's timeout of each attempt for this call.
            #[inline]
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Overrides the client's deadline for this call: every attempt and the waits
            /// between them.
            #[inline]
            pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
                self.options.deadline = Some(deadline);
                self
            }

            /// Overrides the client's retry policy for this call.
            #[inline]
            pub fn retry(mut self, policy: runtime::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// The request as built so far.
            #[inline]
            pub fn request(&self) -> &R {
                &self.request
            }

            /// The request, without sending it.
            #[inline]
            pub fn into_request(self) -> R {
                self.request
            }
        }

        impl<R: runtime::Operation> Builder<R> {
            /// Sends the request and decodes the answer.
            ///
            /// # Errors
            ///
            /// [`Error::Api`](runtime::Error::Api) when the server answers an error,
            /// and the transport, timeout, HTTP and decode errors of
            /// [`chatrace_runtime::Error`];
            /// [`Error::Config`](runtime::Error::Config) when the client is
            /// misconfigured, or, for an account-scoped operation, when no account id is set on
            /// the call or the client.
            // Inline: the call path is then compiled only for the operations a program uses,
            // not for all of them in `chatrace` itself.
            #[inline]
            pub async fn send(self) -> Result<R::Output, runtime::Error> {
                self.handle.execute_with(self.request, &self.options).await
            }
        }

        impl<R: runtime::Paged> Builder<R> {
            /// Sets the page size used by [`pages`](Self::pages) and [`items`](Self::items)
            /// (the catalogue's default when not set; clamped to its maximum).
            #[inline]
            pub fn page_size(mut self, page_size: u64) -> Self {
                self.paging.page_size = Some(page_size);
                self
            }

            /// Sets the most pages [`pages`](Self::pages) and [`items`](Self::items) read
            /// (1000 when not set): reaching it ends the listing with
            /// [`Error::Paging`](runtime::Error::Paging).
            #[inline]
            pub fn max_pages(mut self, max_pages: u32) -> Self {
                self.paging.max_pages = Some(max_pages);
                self
            }

            /// Every page of the list, fetched lazily one call at a time from the offset set
            /// on the builder (or the start). It ends on an empty page, or a short one
            /// where [`Pager`](runtime::Pager) takes it for the last; it stops early,
            /// yielding [`Error::Paging`](runtime::Error::Paging), on a page that
            /// repeats the previous one or at the page cap. Each page's call uses this
            /// builder's options (timeouts, retries, account).
            #[inline]
            pub fn pages(self) -> impl runtime::Stream<Item = Result<Vec<R::Item>, runtime::Error>> + Send {
                self.handle.pages(self.request, self.paging.with_call(self.options))
            }

            /// Every item of the list across pages, fetched lazily (see [`pages`](Self::pages)).
            #[inline]
            pub fn items(self) -> impl runtime::Stream<Item = Result<R::Item, runtime::Error>> + Send {
                self.handle.items(self.request, self.paging.with_call(self.options))
            }
        }
    }
}
