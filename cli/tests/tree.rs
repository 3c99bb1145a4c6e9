//! The command tree is driven only by the generated metadata: one subcommand per operation of
//! the catalogue, one flag per param, and an operation added to a copy of the catalogue is a
//! subcommand with its flags whose wire-shaped body is the one the catalogue describes. An
//! operation subcommand sends what the typed SDK sends.

use std::sync::Arc;

use chatrace::{OperationMeta, PagingMeta, ParamMeta, TypeShape};
use chatrace_cli::body::WireRequest;
use chatrace_cli::commands::{build_cli, operation_commands, Route};
use chatrace_cli::flags::{kebab, param_flags};
use chatrace_codegen::model::{self, TypeKind, TypeRef};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;

const CATALOGUE: &str = include_str!("../../api-spec.yaml");

const EXTRA_OPERATION: &str = r#"
  - name: archive_order
    title: Archive an order
    summary: A made-up operation, added to a copy of the catalogue by this test.
    provenance: inferred
    inferred:
      - "Everything: this test made it up."
    kind: write
    discriminators: { op: ecommerce, op1: orders, op2: archive }
    constants: { archived: true }
    params:
      id: { type: OrderId, required: true, in: top, as: string, rust: order_id, doc: The order to archive. }
      reason: { type: string, default: "", doc: Why it is archived. }
      status: { type: OrderStatus, doc: The status to leave it in. }
      tags: { type: list<TagId>, in: top, as: number, rust: tag_ids, doc: Tags to put on it. }
"#;

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// The resolved shape of a model type, as the macro would generate it (leaked: the metadata is
/// `'static`).
fn shape_of(catalogue: &model::Catalogue, ty: &TypeRef) -> TypeShape {
    match ty {
        TypeRef::Scalar(scalar) => TypeShape::Scalar(*scalar),
        TypeRef::List(inner) => TypeShape::List(Box::leak(Box::new(shape_of(catalogue, inner)))),
        TypeRef::Encoded(inner) => {
            TypeShape::Encoded(Box::leak(Box::new(shape_of(catalogue, inner))))
        }
        TypeRef::Named(name) => {
            let name = leak(name);
            match catalogue.type_named(name).map(|t| &t.kind) {
                Some(TypeKind::Id) => TypeShape::Id { name },
                Some(TypeKind::Enum { repr, values }) => TypeShape::Enum {
                    name,
                    repr: *repr,
                    values: Vec::leak(values.iter().map(|v| leak(&v.value.to_string())).collect()),
                },
                Some(TypeKind::Union(_)) => TypeShape::Union { name },
                _ => TypeShape::Struct { name },
            }
        }
    }
}

/// The runtime metadata of a model operation, as the macro would generate it (examples are
/// left out: the added operation has none). The model and the metadata share the catalogue's
/// vocabulary, so its enums carry over as they are.
fn meta_of(catalogue: &model::Catalogue, op: &model::Operation) -> &'static OperationMeta {
    let params: Vec<ParamMeta> = op
        .params
        .iter()
        .map(|p| ParamMeta {
            wire: leak(&p.wire),
            rust: leak(p.rust.trim_start_matches("r#")),
            ty: shape_of(catalogue, &p.ty),
            required: p.required,
            location: p.location,
            wire_as: p.sent_as(catalogue),
            doc: leak(p.doc.as_deref().unwrap_or("")),
            default: p.default.as_ref().map(|v| leak(&v.to_string())),
            secret: p.secret,
        })
        .collect();
    let pairs = |pairs: Vec<(String, String)>| -> &'static [(&'static str, &'static str)] {
        Vec::leak(pairs.iter().map(|(k, v)| (leak(k), leak(v))).collect())
    };
    Box::leak(Box::new(OperationMeta {
        name: leak(&op.name),
        title: leak(&op.title),
        summary: leak(&op.summary),
        api: op.api,
        http: op.http.as_ref().map(|route| chatrace::HttpMeta {
            method: route.method,
            path: leak(&route.path),
        }),
        provenance: op.provenance,
        inferred: Vec::leak(op.inferred.iter().map(|s| leak(s)).collect()),
        kind: op.kind,
        discriminators: pairs(op.discriminators.to_vec()),
        auth: op.auth,
        scope: op.scope,
        account_as: op.account_as,
        session: op.session,
        body: op.body,
        retry_safe: op.retry_safe(),
        constants: pairs(
            op.constants
                .iter()
                .map(|c| (c.path.clone(), c.value.to_string()))
                .collect(),
        ),
        params: Vec::leak(params),
        paging: op.paging.as_ref().map(|p| PagingMeta {
            offset: leak(&p.offset),
            limit: leak(&p.limit),
            items: p.items.as_deref().map(leak),
            default_limit: p.default_limit,
            max_limit: p.max_limit,
            first_page_only: Vec::leak(p.first_page_only.iter().map(|n| leak(n)).collect()),
        }),
        response: op.response.as_ref().map(|r| shape_of(catalogue, r)),
        response_in: op.response_in,
        examples: &[],
    }))
}

/// The generated operations plus `archive_order`, from a copy of the catalogue.
fn operations_with_extra() -> Vec<&'static OperationMeta> {
    let copy = format!("{}\n{EXTRA_OPERATION}", CATALOGUE.trim_end());
    let catalogue = chatrace_codegen::load_str(&copy, "api-spec-copy.yaml")
        .unwrap_or_else(|e| panic!("the extended catalogue does not load: {e}"));
    let extra = catalogue
        .operation_named("archive_order")
        .unwrap_or_else(|| panic!("archive_order is missing"));
    let mut ops: Vec<&'static OperationMeta> = chatrace::OPERATIONS.to_vec();
    ops.push(meta_of(&catalogue, extra));
    ops
}

#[test]
fn one_subcommand_per_operation_of_the_catalogue() {
    // The mobile API's operations (`chatrace::OPERATIONS`).
    let mut catalogue =
        chatrace_codegen::load_str(CATALOGUE, "api-spec.yaml").unwrap_or_else(|e| panic!("{e}"));
    catalogue.operations.retain(|op| !op.is_rest());
    let commands = operation_commands(&chatrace::OPERATIONS);
    assert_eq!(commands.len(), catalogue.operations.len());
    assert_eq!(commands.len(), 57);
    let names: Vec<String> = commands.iter().map(|c| c.get_name().to_owned()).collect();
    let expected: Vec<String> = catalogue
        .operations
        .iter()
        .map(|o| kebab(&o.name))
        .collect();
    assert_eq!(names, expected);
    // Every operation is reachable from the root, under its name or merged into `logout`.
    let cli = build_cli(&chatrace::OPERATIONS);
    cli.command.clone().debug_assert();
    for op in chatrace::OPERATIONS.iter() {
        let reachable = cli.routes.iter().any(|(_, route)| match route {
            Route::Operation(meta) => std::ptr::eq(*meta, *op),
            Route::Logout(Some(meta)) => std::ptr::eq(*meta, *op),
            _ => false,
        });
        assert!(reachable, "{} has no subcommand", op.name);
    }
}

#[test]
fn every_param_is_a_flag_with_its_doc_and_requiredness_and_no_constant_is() {
    let commands = operation_commands(&chatrace::OPERATIONS);
    for (op, command) in chatrace::OPERATIONS.iter().zip(&commands) {
        for param in op.params {
            let what = format!("{}.{}", op.name, param.rust);
            let arg = command
                .get_arguments()
                .find(|a| a.get_id().as_str() == format!("param:{}", param.rust))
                .unwrap_or_else(|| panic!("{what}: no flag"));
            assert!(arg.get_long().is_some(), "{what}");
            assert_eq!(arg.is_required_set(), param.required, "{what}");
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(help.starts_with(param.doc.trim()), "{what}: {help}");
            if let Some(default) = param.default {
                assert!(!param.required, "{what}");
                assert!(
                    help.contains(&format!("the SDK sends `{default}`")),
                    "{what}: {help}"
                );
            }
        }
        let longs: Vec<&str> = command
            .get_arguments()
            .filter_map(|a| a.get_long())
            .collect();
        for (path, _) in op.constants {
            let declared = op.params.iter().any(|p| p.wire == *path);
            assert!(
                declared || !longs.contains(&kebab(path).as_str()),
                "{}: --{path}",
                op.name
            );
        }
        assert_eq!(
            longs.len(),
            // Paged operations also have --all and --max-pages.
            op.params.len() + 2 * usize::from(op.paging.is_some()),
            "{}",
            op.name
        );
    }
}

#[test]
fn the_help_says_where_the_wire_form_comes_from_and_what_is_inferred() {
    let commands = operation_commands(&chatrace::OPERATIONS);
    for (op, command) in chatrace::OPERATIONS.iter().zip(&commands) {
        let long = command
            .get_long_about()
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(long.contains(op.summary.trim()), "{}", op.name);
        let provenance = format!("Provenance: {}", op.provenance);
        assert!(long.contains(&provenance), "{}: {long}", op.name);
        for sentence in op.inferred {
            assert!(long.contains(sentence.trim()), "{}: {sentence}", op.name);
        }
    }
    let upload = chatrace::OPERATIONS
        .iter()
        .zip(&commands)
        .find(|(op, _)| op.name == "upload_file")
        .map(|(_, c)| c.clone())
        .unwrap_or_else(|| panic!("no upload-file"));
    // The caller's discriminator is a flag with the kinds of file; the constants are not.
    let kind = upload
        .get_arguments()
        .find(|a| a.get_long() == Some("kind"))
        .unwrap_or_else(|| panic!("no --kind"));
    let kinds: Vec<String> = kind
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_owned())
        .collect();
    assert!(kinds.contains(&"voice".to_owned()), "{kinds:?}");
    assert!(upload
        .get_arguments()
        .all(|a| a.get_long() != Some("inbox")));
}

#[test]
fn an_operation_added_to_the_catalogue_is_a_subcommand_with_its_flags() {
    let ops = operations_with_extra();
    let cli = build_cli(&ops);
    cli.command.clone().debug_assert();
    let sub = cli
        .command
        .find_subcommand("archive-order")
        .unwrap_or_else(|| panic!("no archive-order subcommand"));
    assert_eq!(
        sub.get_about().map(|a| a.to_string()).as_deref(),
        Some("Archive an order")
    );
    let long = sub
        .get_long_about()
        .map(|h| h.to_string())
        .unwrap_or_default();
    assert!(long.contains("Provenance: inferred"), "{long}");
    assert!(long.contains("Everything: this test made it up."), "{long}");
    let longs: Vec<&str> = sub.get_arguments().filter_map(|a| a.get_long()).collect();
    assert_eq!(longs, ["order-id", "reason", "status", "tag-ids"]);
    let status = sub
        .get_arguments()
        .find(|a| a.get_long() == Some("status"))
        .unwrap_or_else(|| panic!("no --status"));
    let values: Vec<String> = status
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_owned())
        .collect();
    assert_eq!(values, ["4", "6", "7", "10", "13"]);

    // A missing required flag of the new subcommand is a usage error naming it.
    let e = cli
        .command
        .clone()
        .try_get_matches_from(["chatrace", "archive-order"])
        .err()
        .unwrap_or_else(|| panic!("parsed without --order-id"));
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("--order-id"), "{e}");
}

#[test]
fn the_added_operations_flags_make_the_body_the_catalogue_describes() {
    let ops = operations_with_extra();
    let op = ops[ops.len() - 1];
    let matches = build_cli(&ops)
        .command
        .try_get_matches_from([
            "chatrace",
            "archive-order",
            "--order-id",
            "1000000",
            "--status",
            "10",
            "--tag-ids",
            "1,2",
            "--reason",
            "duplicate",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let sub = matches
        .subcommand_matches("archive-order")
        .unwrap_or_else(|| panic!("no archive-order"));
    let wire = WireRequest::from_matches(op, sub, Some(42));
    assert_eq!(
        Value::Object(wire.body().clone()),
        json!({
            "op": "ecommerce", "op1": "orders", "op2": "archive",
            "archived": true,
            "account_id": 42,
            "id": "1000000",
            "tags": ["1", "2"],
            "data": {"reason": "duplicate", "status": 10},
        })
    );
    assert_eq!(param_flags(op).len(), 4);
}

/// A one-shot HTTP server on 127.0.0.1 that records the request body and answers `answer`.
async fn answer_once(answer: Value) -> (String, Arc<Mutex<Option<Value>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let url = format!(
        "http://{}/",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let seen = Arc::new(Mutex::new(None));
    let recorder = seen.clone();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        let body = loop {
            let Ok(n) = socket.read(&mut chunk).await else {
                return;
            };
            if n == 0 {
                return;
            }
            buffer.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buffer).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                if buffer.len() >= end + 4 + length {
                    break buffer[end + 4..end + 4 + length].to_vec();
                }
            }
        };
        *recorder.lock().await = serde_json::from_slice(&body).ok();
        let payload = answer.to_string();
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{payload}",
            payload.len()
        );
        let _ = socket.write_all(response.as_bytes()).await;
    });
    (url, seen)
}

/// Runs the CLI against a one-shot server answering `answer`: the exit code and the body
/// the server received.
async fn sent(ops: &[&'static OperationMeta], answer: Value, args: &[&str]) -> (u8, Option<Value>) {
    let (url, seen) = answer_once(answer).await;
    let mut line = vec![
        "chatrace",
        "--base-url",
        url.as_str(),
        "--token",
        "t",
        "--account-id",
        "42",
    ];
    line.extend_from_slice(args);
    let code = chatrace_cli::run(ops, line).await;
    let code = if code == std::process::ExitCode::SUCCESS {
        0
    } else if code == std::process::ExitCode::from(2) {
        2
    } else {
        255
    };
    let body = seen.lock().await.take();
    (code, body)
}

#[tokio::test]
async fn the_added_operation_is_refused_by_a_build_without_it_and_nothing_is_sent() {
    let ops = operations_with_extra();
    let (code, body) = sent(
        &ops,
        json!({"status": "OK"}),
        &["archive-order", "--order-id", "1"],
    )
    .await;
    assert_eq!(code, 2);
    assert_eq!(body, None);
}

#[tokio::test]
async fn a_subcommand_sends_what_the_typed_sdk_sends() {
    let ops = chatrace::OPERATIONS.to_vec();
    // An id sent as a string, the account as a number.
    let (code, body) = sent(
        &ops,
        json!({"status": "OK", "data": {"ms_id": "2850008055041461"}}),
        &["get-contact", "--contact-id", "2850008055041461"],
    )
    .await;
    assert_eq!(code, 0);
    assert_eq!(
        body,
        Some(json!({"op": "users", "op1": "get", "account_id": 42, "ms_id": "2850008055041461"}))
    );
    // A param left out is sent as its default.
    let (code, body) = sent(
        &ops,
        json!({"status": "OK", "data": {"next": [], "past": []}}),
        &["list-appointments"],
    )
    .await;
    assert_eq!(code, 0);
    assert_eq!(body.as_ref().map(|b| &b["calendarID"]), Some(&Value::Null));
    // A boolean sent as 1/0.
    let (code, body) = sent(
        &ops,
        json!({"status": "OK"}),
        &[
            "archive-conversation",
            "--contact-id",
            "7",
            "--archived",
            "true",
        ],
    )
    .await;
    assert_eq!(code, 0);
    assert_eq!(body.as_ref().map(|b| &b["data"]["value"]), Some(&json!(1)));
}
