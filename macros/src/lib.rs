//! chatrace-macros: the proc-macro that turns a ChatRace catalogue into Rust.
//!
//! It only reads its input, asks `chatrace-codegen` for the code and turns catalogue errors
//! into compile errors; all the knowledge lives in codegen.

use proc_macro::TokenStream;
use std::path::PathBuf;

/// Generates the ChatRace bindings from a catalogue file.
///
/// The path is relative to the invoking crate's `Cargo.toml` directory, or starts with an
/// environment variable (`$OUT_DIR/api-spec.yaml` for a catalogue a build script writes; the
/// project's compile-fail tests use a variable of their own, as their crate is built elsewhere):
///
/// ```text
/// chatrace_macros::generate!("api-spec.yaml");
/// chatrace_macros::generate!("$OUT_DIR/api-spec.yaml");
/// // also request `Deserialize` and `AnyRequest`, always or behind a cargo feature:
/// chatrace_macros::generate!("api-spec.yaml", server);
/// chatrace_macros::generate!("api-spec.yaml", server(feature = "server"));
/// // also the realtime client (`Client::realtime`), behind a feature of the crate:
/// chatrace_macros::generate!("api-spec.yaml", realtime(feature = "realtime"));
/// // each API (its operations and its client) behind a feature of the crate; without these
/// // options both are always generated:
/// chatrace_macros::generate!("api-spec.yaml", mobile(feature = "mobile"), public(feature = "public"));
/// ```
///
/// The items (`types`, `operations`, `Client`, ...) are generated in a private module named
/// `generated` and re-exported from where the macro is invoked, so that name is taken there.
///
/// The expansion includes the file's bytes, so cargo rebuilds the crate when the catalogue
/// changes. An invalid catalogue is a compile error naming the file, line, column and problem,
/// with every further problem listed after it.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let Input { literal, options } = match syn::parse::<Input>(input) {
        Ok(input) => input,
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
    let path = match resolve(&literal.value(), &manifest_dir) {
        Ok(path) => path,
        Err(message) => {
            return syn::Error::new(literal.span(), message)
                .to_compile_error()
                .into()
        }
    };
    match chatrace_codegen::generate_file(&path, &literal.value(), options) {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            let mut message = String::from("invalid catalogue:");
            for diagnostic in &error.diagnostics {
                message.push_str("\n\n");
                message.push_str(&error.render_snippet(diagnostic, &source));
            }
            syn::Error::new(literal.span(), message)
                .to_compile_error()
                .into()
        }
    }
}

/// The catalogue's path: `$NAME/rest` under the directory in the environment variable `NAME`,
/// anything else relative to the invoking crate's directory.
fn resolve(written: &str, manifest_dir: &std::path::Path) -> Result<PathBuf, String> {
    let Some(rest) = written.strip_prefix('$') else {
        return Ok(manifest_dir.join(written));
    };
    let (name, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let dir = std::env::var(name).map_err(|_| {
        format!("the catalogue path `{written}` names the environment variable `{name}`, which is not set")
    })?;
    Ok(PathBuf::from(dir).join(tail))
}

use chatrace_codegen::generate::ServerSide;

/// The macro's input: the catalogue path, then options: `server` and `realtime`, each alone or
/// as `server(feature = "name")`; `mobile(feature = "name")` and `public(feature = "name")`.
struct Input {
    literal: syn::LitStr,
    options: chatrace_codegen::generate::Options,
}

impl syn::parse::Parse for Input {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let literal: syn::LitStr = input.parse()?;
        let mut options = chatrace_codegen::generate::Options::default();
        while input.parse::<Option<syn::Token![,]>>()?.is_some() {
            if input.is_empty() {
                break;
            }
            let flag: syn::Ident = input.parse()?;
            const OPTIONS: [&str; 4] = ["server", "realtime", "mobile", "public"];
            if !OPTIONS.iter().any(|option| flag == option) {
                return Err(syn::Error::new(
                    flag.span(),
                    format!("unknown option `{flag}`: the options are `server` and `realtime`, each alone or as `server(feature = \"...\")`, and `mobile(feature = \"...\")` and `public(feature = \"...\")`"),
                ));
            }
            let feature = if input.peek(syn::token::Paren) {
                let inner;
                syn::parenthesized!(inner in input);
                let key: syn::Ident = inner.parse()?;
                if key != "feature" {
                    return Err(syn::Error::new(key.span(), "expected `feature = \"...\"`"));
                }
                inner.parse::<syn::Token![=]>()?;
                let feature: syn::LitStr = inner.parse()?;
                Some(feature.value())
            } else {
                None
            };
            let gate = || match &feature {
                Some(feature) => ServerSide::Feature(feature.clone()),
                None => ServerSide::Always,
            };
            if flag == "server" {
                options.server = gate();
            } else if flag == "realtime" {
                options.realtime = gate();
            } else if feature.is_none() {
                return Err(syn::Error::new(
                    flag.span(),
                    format!("`{flag}` takes the feature that gates its API: `{flag}(feature = \"...\")`"),
                ));
            } else if flag == "mobile" {
                options.mobile = feature;
            } else {
                options.public = feature;
            }
        }
        Ok(Input { literal, options })
    }
}
