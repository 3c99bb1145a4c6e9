//! `expand`: the formatted Rust of a catalogue is exactly what the macro generates, it parses,
//! and it has the client and one method per operation; the expansion of `api-spec.yaml` is
//! the committed snapshot, so that a change to the generator or the catalogue shows in review
//! as its effect on the generated code.

use chatrace_codegen::{generate, load_file};
use chatrace_codegen_cli::{docs_per_line, expand_file};
use proc_macro2::{TokenStream, TokenTree};
use std::path::PathBuf;
use std::process::Command;

fn api_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-spec.yaml")
}

/// The tokens as text without their `#[doc = ..]` attributes, and the docs' texts in order.
fn code_and_docs(tokens: TokenStream) -> (String, Vec<String>) {
    fn walk(tokens: TokenStream, code: &mut String, docs: &mut Vec<String>) {
        let mut trees = tokens.into_iter().peekable();
        while let Some(tree) = trees.next() {
            if let (TokenTree::Punct(pound), Some(TokenTree::Group(attr))) = (&tree, trees.peek()) {
                let doc = syn::parse2::<syn::MetaNameValue>(attr.stream())
                    .ok()
                    .filter(|meta| pound.as_char() == '#' && meta.path.is_ident("doc"));
                if let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                })) = doc.map(|meta| meta.value)
                {
                    docs.push(text.value());
                    trees.next();
                    continue;
                }
            }
            match tree {
                TokenTree::Group(group) => {
                    code.push_str(&format!("{:?}(", group.delimiter()));
                    walk(group.stream(), code, docs);
                    code.push(')');
                }
                other => {
                    code.push_str(&other.to_string());
                    code.push(' ');
                }
            }
        }
    }
    let (mut code, mut docs) = (String::new(), Vec::new());
    walk(tokens, &mut code, &mut docs);
    (code, docs)
}

#[test]
fn expand_is_the_macro_s_code_formatted() {
    let options = generate::Options {
        server: generate::ServerSide::Always,
        realtime: generate::ServerSide::Always,
        ..Default::default()
    };
    let expanded = expand_file(api_spec(), options.clone()).expect("api-spec.yaml expands");
    let parsed: syn::File = syn::parse_str(&expanded).expect("the expansion parses as Rust");

    // The macro's tokens (without the include_str! tracker), formatted the same way, their
    // docs printed a line per `///`.
    let catalogue = load_file(api_spec()).unwrap();
    let tokens = generate::generate(&catalogue, None, options);
    let per_line = docs_per_line(tokens.clone());
    let from_macro: syn::File = syn::parse2(per_line.clone()).expect("the generated tokens parse");
    assert_eq!(expanded, prettyplease::unparse(&from_macro));
    // Printing docs a line each changed nothing else: the same code around them, and the same
    // doc text in the same order.
    let (macro_code, macro_docs) = code_and_docs(tokens);
    let (printed_code, printed_docs) = code_and_docs(per_line);
    assert_eq!(printed_code, macro_code);
    assert_eq!(printed_docs.join("\n"), macro_docs.join("\n"));
    assert!(
        macro_docs.len() < printed_docs.len(),
        "the macro writes multi-line docs as one attribute"
    );
    // Formatting lost nothing: the printed code reads back as the same items.
    assert_eq!(prettyplease::unparse(&parsed), expanded);

    assert!(expanded.contains("pub struct Client"), "no Client");
    assert!(
        expanded.contains("pub struct PublicClient"),
        "no PublicClient"
    );
    for op in &catalogue.operations {
        let method = format!("pub fn {}(", op.name);
        assert!(expanded.contains(&method), "no `{method}`");
    }
    // One method per operation: the mobile API's on `Client`, the public API's on
    // `PublicClient`.
    let methods_of = |client: &str| -> Vec<String> {
        generated(&parsed)
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(block) => Some(block),
                _ => None,
            })
            .filter(|block| block.trait_.is_none())
            .filter(
                |block| matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident(client)),
            )
            .flat_map(|block| &block.items)
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect()
    };
    let (mobile, public) = (methods_of("Client"), methods_of("PublicClient"));
    for op in &catalogue.operations {
        let (methods, other) = if op.is_rest() {
            (&public, &mobile)
        } else {
            (&mobile, &public)
        };
        assert!(
            !other.contains(&op.name),
            "`{}` on the other client",
            op.name
        );
        assert_eq!(
            methods.iter().filter(|m| **m == op.name).count(),
            1,
            "`{}` once; methods: {methods:?}",
            op.name
        );
    }
}

/// What `chatrace-codegen expand api-spec.yaml` prints, with `--server` when asked.
fn printed_expansion(server: bool) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_chatrace-codegen"))
        .arg("expand")
        .args(server.then_some("--server"))
        .arg(api_spec())
        .output()
        .expect("run chatrace-codegen");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_cli_prints_the_expansion() {
    // The tool shows the client side with the realtime module (what a user of `chatrace`
    // compiles by default), and with `--server` the server side too.
    let mut options = generate::Options {
        realtime: generate::ServerSide::Always,
        ..generate::Options::default()
    };
    let client = printed_expansion(false);
    assert_eq!(client, expand_file(api_spec(), options.clone()).unwrap());
    options.server = generate::ServerSide::Always;
    let with_server = printed_expansion(true);
    assert_eq!(with_server, expand_file(api_spec(), options).unwrap());
    assert!(!client.contains("pub enum AnyRequest"));
    assert!(with_server.contains("pub enum AnyRequest"));
}

/// The committed expansion of `api-spec.yaml`, server side included (what `chatrace-codegen
/// expand --server api-spec.yaml` prints), relative to this crate.
const SNAPSHOT: &str = "tests/snapshots/api-spec.expanded.rs";

/// Set (to anything) to rewrite the snapshot instead of comparing with it.
const UPDATE_SNAPSHOTS: &str = "CHATRACE_UPDATE_SNAPSHOTS";

#[test]
fn the_expansion_of_api_spec_is_the_snapshot() {
    let expanded = printed_expansion(true);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os(UPDATE_SNAPSHOTS).is_some() {
        std::fs::write(&path, &expanded).expect("write the snapshot");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expanded,
        "{}\nIf the change is meant, rewrite the snapshot with `{UPDATE_SNAPSHOTS}=1 cargo test \
         -p chatrace-codegen-cli --test expand` and review its diff with the change.",
        first_difference(&committed, &expanded)
    );
}

/// Where `now` first departs from `committed`: the line, and a few lines of each from there.
fn first_difference(committed: &str, now: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (committed.lines().collect(), now.lines().collect());
    let at = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let show = |lines: &[&str]| -> String {
        let shown: Vec<String> = lines
            .iter()
            .skip(at)
            .take(6)
            .map(|l| format!("  | {l}"))
            .collect();
        shown.join("\n")
    };
    format!(
        "the expansion of api-spec.yaml differs from {SNAPSHOT} from line {} on ({} lines \
         committed, {} now).\ncommitted:\n{}\nnow:\n{}",
        at + 1,
        old.len(),
        new.len(),
        show(&old),
        show(&new)
    )
}

#[test]
fn an_invalid_catalogue_does_not_expand() {
    let bad = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/fixtures/undeclared_type.yaml");
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

// ---------------------------------------------------------------------------------------------
// A smoke test of the generation of the format's newer keys, on `fixtures/every_key.yaml`: an
// id type, a union, `encoded<T>`, secrets, constants, defaults, `account_as`, `response_in` and a
// discriminator the caller chooses.

fn every_key() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/every_key.yaml")
}

/// The text without whitespace, to compare code whatever its formatting.
fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}

/// The expansion of every_key.yaml with the server side, as text and as parsed Rust.
fn every_key_expansion() -> (String, syn::File) {
    let options = generate::Options {
        server: generate::ServerSide::Always,
        realtime: generate::ServerSide::Always,
        ..Default::default()
    };
    let expanded = expand_file(every_key(), options).expect("every_key.yaml expands");
    let parsed = syn::parse_str(&expanded).expect("the expansion parses as Rust");
    (expanded, parsed)
}

/// The items of the module the expansion keeps everything in (re-exported where the macro is
/// invoked).
fn generated(file: &syn::File) -> &[syn::Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "generated" => m.content.as_ref().map(|(_, i)| &i[..]),
            _ => None,
        })
        .expect("no module `generated`")
}

fn module<'f>(file: &'f syn::File, name: &str) -> &'f [syn::Item] {
    generated(file)
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, i)| &i[..]),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no module `{name}`"))
}

fn enum_variants(items: &[syn::Item], name: &str) -> Vec<(String, String)> {
    let found = items.iter().find_map(|item| match item {
        syn::Item::Enum(e) if e.ident == name => Some(e),
        _ => None,
    });
    let e = found.unwrap_or_else(|| panic!("no enum `{name}`"));
    e.variants
        .iter()
        .map(|v| {
            let fields = v.fields.iter().map(|f| &f.ty);
            (
                v.ident.to_string(),
                quote::quote!(#(#fields),*).to_string().replace(' ', ""),
            )
        })
        .collect()
}

/// The text of the first `impl` block whose header (up to its `{`) contains `header`.
fn impl_text<'e>(expanded: &'e str, header: &str) -> &'e str {
    let start = expanded
        .find(header)
        .unwrap_or_else(|| panic!("no `{header}`"));
    let rest = &expanded[start..];
    // The block ends at the first closing brace indented as its header is.
    let indent = &expanded[expanded[..start].rfind('\n').map_or(0, |n| n + 1)..start];
    let close = format!("\n{indent}}}\n");
    let end = rest.find(&close).map_or(rest.len(), |e| e + close.len());
    &rest[..end]
}

#[test]
fn an_id_type_is_a_typed_id_of_its_own() {
    let (_, parsed) = every_key_expansion();
    let types = module(&parsed, "types");
    let alias = types
        .iter()
        .find_map(|item| match item {
            syn::Item::Type(t) if t.ident == "ContactId" => Some(t),
            _ => None,
        })
        .expect("`type ContactId`");
    let ty = &alias.ty;
    assert_eq!(
        quote::quote!(#ty).to_string().replace(' ', ""),
        "runtime::TypedId<ContactIdKind>"
    );
    // Its marker (an empty enum), and where it is used: a field and params.
    assert!(enum_variants(types, "ContactIdKind").is_empty());
    let (expanded, _) = every_key_expansion();
    assert!(expanded.contains("pub id: super::types::ContactId,"));
    assert!(expanded.contains("pub fn new(contact_id: super::types::ContactId) -> Self {"));
}

#[test]
fn a_union_has_a_variant_per_tag_and_keeps_unknown_objects() {
    let (expanded, parsed) = every_key_expansion();
    let types = module(&parsed, "types");
    assert_eq!(
        enum_variants(types, "MessagePart"),
        [
            ("Text".to_string(), "TextPart".to_string()),
            ("Attachment".to_string(), "FilePart".to_string()),
            (
                "Unknown".to_string(),
                "::serde_json::Map<String,::serde_json::Value>".to_string()
            ),
        ]
    );
    let serialize = impl_text(&expanded, "impl ::serde::Serialize for MessagePart");
    // The default variant writes no tag; the others write theirs.
    assert!(
        compact(serialize).contains(&compact("MessagePart::Attachment(inner) => { runtime::wire::tagged(inner, \"type\", \"file\", serializer)")),
        "{serialize}"
    );
    assert!(!serialize.contains("\"text\""), "{serialize}");
    let deserialize = impl_text(
        &expanded,
        "impl<'de> ::serde::Deserialize<'de> for MessagePart",
    );
    assert!(
        compact(deserialize).contains(&compact(
            "variant_of(&map, \"type\", &[\"text\", \"file\"], &[(\"url\", 1usize)], Some(0usize),"
        )),
        "the tag's values, the variant an object without the tag has by a member, and the default: {deserialize}"
    );
    assert!(
        deserialize.contains("Ok(MessagePart::Unknown(map))"),
        "{deserialize}"
    );
}

#[test]
fn enums_have_an_unknown_variant_of_their_wire_type() {
    let (_, parsed) = every_key_expansion();
    let types = module(&parsed, "types");
    let names = |e: &str| -> Vec<String> {
        enum_variants(types, e)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    };
    assert_eq!(names("UploadKind"), ["Image", "VoiceNote", "Unknown"]);
    assert_eq!(names("Channel"), ["Messenger", "WebChat", "Unknown"]);
    assert_eq!(enum_variants(types, "UploadKind")[2].1, "String");
    assert_eq!(enum_variants(types, "Channel")[2].1, "i64");
}

#[test]
fn secrets_are_redacted_in_debug() {
    let (expanded, _) = every_key_expansion();
    for (ty, secret, shown) in [
        ("Contact", "token", Some("id")),
        ("AuthToken", "token", Some("extra")),
        ("SendMessageRequest", "password", Some("contact")),
        ("LoginWithGoogleRequest", "id_token", None),
    ] {
        let debug = impl_text(&expanded, &format!("impl ::std::fmt::Debug for {ty} {{"));
        assert!(
            debug.contains(&format!(
                ".field(\"{secret}\", &runtime::wire::Redacted(&self.{secret}))"
            )),
            "{ty}.{secret} is not redacted: {debug}"
        );
        if let Some(shown) = shown {
            assert!(
                debug.contains(&format!(".field(\"{shown}\", &self.{shown})")),
                "{ty}.{shown} is shown: {debug}"
            );
        }
    }
    // A type without secrets derives its Debug.
    assert!(!expanded.contains("impl ::std::fmt::Debug for ContactPage"));
}

#[test]
fn an_encoded_field_is_a_string_of_json_on_the_wire() {
    let (expanded, _) = every_key_expansion();
    assert!(
        compact(&expanded).contains(&compact(
            "pub last_message: Option<Vec<super::types::MessagePart>>,"
        )),
        "the Rust type is the inner type"
    );
    // The record's shape marks the field encoded; the runtime's record codec reads a string
    // holding JSON (or the value itself) and writes a string (its unit tests show both).
    let record = impl_text(&expanded, "impl runtime::record::Record for Contact {");
    let compact: String = record.split_whitespace().collect();
    assert!(
        compact.contains("F{wire:\"last_message\",required:false,form:Form::Encoded,}"),
        "{record}"
    );
    assert!(
        compact.contains("S::target(&mutself.last_message)"),
        "{record}"
    );
}

#[test]
fn an_encoded_param_is_a_string_of_json_on_the_wire() {
    let (expanded, _) = every_key_expansion();
    let data = impl_text(
        &expanded,
        "impl ::serde::Serialize for SendMessageData<'_> {",
    );
    let compact: String = data.split_whitespace().collect();
    assert!(
        compact.contains("map.serialize_entry(\"message\",&runtime::wire::EncodedRef(value))?;"),
        "{data}"
    );
}

#[test]
fn constants_defaults_and_account_as_are_written() {
    let (expanded, _) = every_key_expansion();
    let me = impl_text(
        &expanded,
        "impl ::serde::Serialize for GetCurrentUserRequest {",
    );
    assert!(
        me.contains("map.serialize_entry(\"account_id\", &())?;"),
        "{me}"
    );
    assert!(me.contains("map.serialize_entry(\"me\", &true)?;"), "{me}");
    let admins = impl_text(&expanded, "impl ::serde::Serialize for ListAdminsRequest {");
    assert!(
        admins.contains("map.serialize_entry(\"basic_info\", &true)?;"),
        "{admins}"
    );
    let data = impl_text(
        &expanded,
        "impl ::serde::Serialize for SendMessageData<'_> {",
    );
    assert!(
        data.contains("map.serialize_entry(\"fb_id\", &0i64)?;"),
        "{data}"
    );
    // Defaults: sent when the param is not set.
    let list = impl_text(
        &expanded,
        "impl ::serde::Serialize for ListContactsRequest {",
    );
    assert!(
        list.contains("None => map.serialize_entry(\"channel\", &())?"),
        "{list}"
    );
    let list_data = impl_text(
        &expanded,
        "impl ::serde::Serialize for ListContactsData<'_> {",
    );
    assert!(
        list_data.contains("None => map.serialize_entry(\"search\", &\"\")?"),
        "{list_data}"
    );
    // `as: string` on an integer enum; `account_as: string`.
    assert!(list.contains("&runtime::wire::AsString(value)"), "{list}");
    assert!(
        compact(list).contains(&compact(
            "\"account_id\", &runtime::wire::AsString(account_id),"
        )),
        "{list}"
    );
    // An id type without `as` goes as a number; with `as: string`, as itself (text).
    let get = impl_text(&expanded, "impl ::serde::Serialize for GetContactRequest {");
    assert!(
        get.contains("map.serialize_entry(\"id\", &runtime::wire::AsNumber(value))?;"),
        "{get}"
    );
    assert!(
        get.contains("map.serialize_entry(\"account_id\", account_id)?;"),
        "{get}"
    );
    // `response_in: envelope`, paging `items`.
    assert!(expanded.contains("items: Some(\"data\"),"));
    assert!(expanded.contains("response_in: runtime::ResponseIn::Envelope,"));
}

#[test]
fn a_discriminator_the_caller_chooses_is_an_argument() {
    let (expanded, parsed) = every_key_expansion();
    let operations = module(&parsed, "operations");
    let new = operations
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => Some(block),
            _ => None,
        })
        .filter(|block| {
            matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("UploadFileRequest"))
                && block.trait_.is_none()
        })
        .flat_map(|block| &block.items)
        .find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == "new" => Some(f),
            _ => None,
        })
        .expect("UploadFileRequest::new");
    let args: Vec<String> = new
        .sig
        .inputs
        .iter()
        .map(|a| quote::quote!(#a).to_string().replace(' ', ""))
        .collect();
    assert_eq!(
        args,
        [
            "kind:super::types::UploadKind",
            "contact_id:super::types::ContactId",
            "file:runtime::FileUpload"
        ]
    );
    let serialize = impl_text(&expanded, "impl ::serde::Serialize for UploadFileRequest {");
    assert!(
        compact(serialize).contains(&compact(
            "let value = &self.kind; map.serialize_entry(\"op2\", value)?;"
        )),
        "{serialize}"
    );
    assert!(
        serialize.contains("map.serialize_entry(\"inbox\", &true)?;"),
        "{serialize}"
    );
    // A server reads `op2` as any value of the enum.
    assert!(
        expanded.contains("discriminators: [Is(\"flows\"), Is(\"upload\"), Any, Absent],"),
        "AnyRequest matches the caller's discriminator"
    );
}

#[test]
fn the_client_s_methods_are_grouped_by_area_without_deref() {
    let options = generate::Options::default();
    let expanded = expand_file(api_spec(), options).expect("api-spec.yaml expands");
    let catalogue = load_file(api_spec()).unwrap();
    let mut areas: Vec<&str> = Vec::new();
    // The mobile API's `Client` (the public API's areas are `PublicClient`'s, after it).
    for op in catalogue.operations.iter().filter(|op| !op.is_rest()) {
        let area = op.area.as_deref().expect("every operation has an area");
        if !areas.contains(&area) {
            areas.push(area);
        }
    }
    // One block for the client itself, then one per area, each under its heading, in order.
    assert_eq!(expanded.matches("impl Client {").count(), areas.len() + 1);
    let mut at = 0;
    for area in &areas {
        let heading = format!("/// # {area}\n");
        let found = expanded[at..]
            .find(&heading)
            .unwrap_or_else(|| panic!("the heading of `{area}`, in order"));
        at += found + heading.len();
    }
    assert!(
        !expanded.contains("impl ::std::ops::Deref for Client"),
        "no Deref"
    );
}
