//! The `chatrace-codegen` tool's library side: what the tool does that the codegen library,
//! which the proc-macro builds on, must not carry (formatting Rust with prettyplease).

#![deny(missing_docs)]

use std::path::Path;

use chatrace_codegen::{generate, CatalogueError};

/// The generated Rust of the catalogue at `path`, formatted, for review (`chatrace-codegen
/// expand`): the client side, and the server side with `options.server`.
///
/// # Errors
///
/// The catalogue's errors, or a codegen bug when the generated code does not parse.
pub fn expand_file(
    path: impl AsRef<Path>,
    options: generate::Options,
) -> Result<String, CatalogueError> {
    let path = path.as_ref();
    let catalogue = chatrace_codegen::load_file(path)?;
    let tokens = generate::generate(&catalogue, None, options);
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| {
        CatalogueError::whole_file(
            path.display().to_string(),
            format!("the generated code does not parse (a codegen bug): {e}"),
        )
    })?;
    Ok(prettyplease::unparse(&file))
}
