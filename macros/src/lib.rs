//! chatrace-macros: the proc-macro that turns a ChatRace catalogue into Rust.
//!
//! It only reads its input, asks `chatrace-codegen` for the code and turns catalogue errors
//! into compile errors; all the knowledge lives in codegen.

use proc_macro::TokenStream;
use std::path::PathBuf;

/// Generates the ChatRace bindings from a catalogue file.
///
/// The path is relative to the invoking crate's `Cargo.toml` directory:
///
/// ```text
/// chatrace_macros::generate!("api-spec.yaml");
/// ```
///
/// The expansion includes the file's bytes, so cargo rebuilds the crate when the catalogue
/// changes. An invalid catalogue is a compile error naming the file, line, column and problem,
/// with every further problem listed after it.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let literal = match syn::parse::<syn::LitStr>(input) {
        Ok(literal) => literal,
        Err(e) => return e.to_compile_error().into(),
    };
    let manifest_dir = match std::env::var("CARGO_MANIFEST_DIR") {
        Ok(dir) => PathBuf::from(dir),
        Err(_) => {
            return syn::Error::new(
                literal.span(),
                "CARGO_MANIFEST_DIR is not set: build with cargo",
            )
            .to_compile_error()
            .into()
        }
    };
    let path = manifest_dir.join(literal.value());
    match chatrace_codegen::generate_file(&path, &literal.value()) {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let mut message = String::from("invalid catalogue:");
            for diagnostic in &error.diagnostics {
                message.push_str("\n  ");
                message.push_str(&error.render(diagnostic));
            }
            syn::Error::new(literal.span(), message)
                .to_compile_error()
                .into()
        }
    }
}
