//! `expand`: the formatted Rust of a catalogue is exactly what the macro generates, it parses,
//! and it has the client and one method per operation.

use chatrace_codegen::{expand_file, generate, load_file};
use std::path::PathBuf;
use std::process::Command;

fn api_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-spec.yaml")
}

#[test]
fn expand_is_the_macro_s_code_formatted() {
    let options = generate::Options {
        server: generate::ServerSide::Always,
    };
    let expanded = expand_file(api_spec(), options.clone()).expect("api-spec.yaml expands");
    let parsed: syn::File = syn::parse_str(&expanded).expect("the expansion parses as Rust");

    // The macro's tokens (without the include_str! tracker), formatted the same way.
    let catalogue = load_file(api_spec()).unwrap();
    let tokens = generate::generate(&catalogue, None, options);
    let from_macro: syn::File = syn::parse2(tokens).expect("the generated tokens parse");
    assert_eq!(expanded, prettyplease::unparse(&from_macro));
    // Formatting lost nothing: the printed code reads back as the same items.
    assert_eq!(prettyplease::unparse(&parsed), expanded);

    assert!(expanded.contains("pub struct Client"), "no Client");
    for op in &catalogue.operations {
        let method = format!("pub fn {}(", op.name);
        assert!(expanded.contains(&method), "no `{method}`");
    }
    // One method of `impl Client` per operation.
    let methods: Vec<String> = parsed
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => Some(block),
            _ => None,
        })
        .filter(|block| block.trait_.is_none())
        .filter(|block| matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")))
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    for op in &catalogue.operations {
        assert_eq!(
            methods.iter().filter(|m| **m == op.name).count(),
            1,
            "`Client::{}` once; methods: {methods:?}",
            op.name
        );
    }
}

#[test]
fn the_cli_prints_the_expansion() {
    let output = Command::new(env!("CARGO_BIN_EXE_chatrace-codegen"))
        .arg("expand")
        .arg(api_spec())
        .output()
        .expect("run chatrace-codegen");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(
        printed,
        expand_file(api_spec(), generate::Options::default()).unwrap()
    );
}

#[test]
fn an_invalid_catalogue_does_not_expand() {
    let bad = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/undeclared_type.yaml");
    let error = expand_file(&bad, generate::Options::default()).expect_err("an invalid catalogue");
    assert!(
        error.to_string().contains("undeclared_type.yaml:"),
        "{error}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_chatrace-codegen"))
        .arg("expand")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
}
