//! The `chatrace-codegen` tool's library side: what the tool does that the codegen library,
//! which the proc-macro builds on, must not carry (formatting Rust with prettyplease).

#![deny(missing_docs)]

use std::path::Path;

use chatrace_codegen::{generate, CatalogueError};
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// The generated Rust of the catalogue at `path`, formatted, for review (`chatrace-codegen
/// expand`): the client side, and the server side with `options.server`. Docs are printed as
/// `///` lines; the macro hands rustc each item's docs as one `#[doc]` attribute, which rustdoc
/// reads the same.
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
    let tokens = docs_per_line(generate::generate(&catalogue, None, options));
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| {
        CatalogueError::whole_file(
            path.display().to_string(),
            format!("the generated code does not parse (a codegen bug): {e}"),
        )
    })?;
    Ok(prettyplease::unparse(&file))
}

/// `tokens` with every multi-line `#[doc = ".."]` split into one attribute per line, which
/// prettyplease prints as `///` lines (a multi-line one it prints as a `/** */` block).
/// Nothing else changes: the docs' text, read in order, is the same.
pub fn docs_per_line(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(pound) if pound.as_char() == '#' => {
                let lines = match trees.peek() {
                    Some(TokenTree::Group(attr)) => doc_lines(attr),
                    _ => None,
                };
                match lines {
                    Some(lines) => {
                        trees.next();
                        out.extend(lines.iter().flat_map(|line| doc_attr(line)));
                    }
                    None => out.push(TokenTree::Punct(pound)),
                }
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), docs_per_line(group.stream()));
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The lines of an attribute's brackets when they hold a doc of more than one line.
fn doc_lines(attr: &Group) -> Option<Vec<String>> {
    if attr.delimiter() != Delimiter::Bracket {
        return None;
    }
    let doc: syn::MetaNameValue = syn::parse2(attr.stream()).ok()?;
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(text),
        ..
    }) = &doc.value
    else {
        return None;
    };
    let text = text.value();
    (doc.path.is_ident("doc") && text.contains('\n'))
        .then(|| text.lines().map(str::to_owned).collect())
}

/// `#[doc = "line"]`.
fn doc_attr(line: &str) -> [TokenTree; 2] {
    let inner: TokenStream = [
        TokenTree::Ident(Ident::new("doc", Span::call_site())),
        TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        TokenTree::Literal(Literal::string(line)),
    ]
    .into_iter()
    .collect();
    [
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, inner)),
    ]
}
