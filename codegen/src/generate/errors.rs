//! The catalogue's `errors` table as code: `ERROR_CODES`, which the generated client hands to
//! the runtime, and one constant per code in `error_codes`.

use chatrace_vocab::Spelled;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attr;
use super::tokens::ident;
use crate::model::{Catalogue, ErrorSource};

/// `ERROR_CODES` and `error_codes`.
pub(super) fn error_table(catalogue: &Catalogue) -> TokenStream {
    let entries = catalogue.errors.iter().map(|error| {
        let (code, name, meaning) = (error.code, &error.name, &error.meaning);
        let fields = error
            .fields
            .iter()
            .map(|(path, doc)| quote!(runtime::ErrorFieldMeta { path: #path, doc: #doc }));
        let (unauthorized, retryable, fails_when_ok) =
            (error.unauthorized, error.retryable, error.fails_when_ok);
        let source = ident(error.source.variant_name());
        quote! {
            runtime::ErrorCodeMeta {
                code: #code,
                name: #name,
                meaning: #meaning,
                fields: &[#(#fields),*],
                unauthorized: #unauthorized,
                retryable: #retryable,
                fails_when_ok: #fails_when_ok,
                source: runtime::ErrorSource::#source,
            }
        }
    });
    let count = catalogue.errors.len();
    let prelude = super::tokens::module_prelude();
    let constants = catalogue.errors.iter().map(|error| {
        let name = ident(&error.name.to_ascii_uppercase());
        let code = error.code;
        let mut doc = format!("{} ({})", error.meaning, source_text(error.source));
        for (path, field) in &error.fields {
            doc.push_str(&format!("\n- `{path}`: {field}"));
        }
        let doc = doc_attr(&doc);
        quote! { #doc pub const #name: i64 = #code; }
    });
    quote! {
        /// The API's error codes, from the catalogue's `errors` table: what each means, the
        /// members its envelope carries, and whether it means the session was refused or the
        /// call may be retried. [`Client::builder`] hands it to the runtime, which reads every
        /// error answer with it (see [`ApiError`](runtime::ApiError)).
        pub static ERROR_CODES: [runtime::ErrorCodeMeta; #count] = [#(#entries),*];

        /// The codes of [`ERROR_CODES`] by name, to compare with
        /// [`ApiCode::number`](runtime::ApiCode::number).
        pub mod error_codes {
            #prelude
            #(#constants)*
        }
    }
}

fn source_text(source: ErrorSource) -> &'static str {
    match source {
        ErrorSource::WebInbox => "the vendor's web inbox handles this code",
        ErrorSource::Observed => "seen in an answer of the real server",
        ErrorSource::Inferred => "inferred: neither the vendor's code nor an answer shows it",
    }
}
