//! The command tree is driven only by the generated metadata: one subcommand per operation of
//! the catalogue, and an operation added to a copy of the catalogue is a subcommand with its
//! flags, which sends the body the catalogue describes.

use std::sync::Arc;

use chatrace::{
    Auth, BodyEncoding, OperationKind, OperationMeta, ParamLocation, ParamMeta, Provenance, Scope,
    SessionEffect, WireAs,
};
use chatrace_cli::commands::{build_cli, kebab, operation_commands, Route};
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
    kind: write
    discriminators: { op: ecommerce, op1: orders, op2: archive }
    params:
      id: { type: id, required: true, in: top, as: string, doc: The order to archive. }
      reason: { type: string, doc: Why it is archived. }
      status: { type: OrderStatus, doc: The status to leave it in. }
      tags: { type: list<id>, in: top, rust: tag_ids, doc: Tags to put on it. }
"#;

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// The runtime metadata of a model operation, as the macro would generate it.
fn meta_of(catalogue: &model::Catalogue, op: &model::Operation) -> &'static OperationMeta {
    let params: Vec<ParamMeta> = op
        .params
        .iter()
        .map(|p| {
            let enum_values: Vec<&'static str> = match p
                .ty
                .named()
                .and_then(|n| catalogue.type_named(n))
                .map(|t| &t.kind)
            {
                Some(TypeKind::Enum { values, .. }) => {
                    values.iter().map(|v| leak(&v.value.to_string())).collect()
                }
                _ => Vec::new(),
            };
            ParamMeta {
                wire: leak(&p.wire),
                rust: leak(p.rust.trim_start_matches("r#")),
                ty: leak(&p.ty.to_string()),
                required: p.required,
                location: match p.location {
                    model::Location::Top => ParamLocation::Top,
                    model::Location::Data => ParamLocation::Data,
                    model::Location::Header => ParamLocation::Header,
                },
                wire_as: match p.wire_as {
                    model::WireAs::Number => WireAs::Number,
                    model::WireAs::String => WireAs::String,
                },
                doc: leak(p.doc.as_deref().unwrap_or("")),
                enum_values: Vec::leak(enum_values),
            }
        })
        .collect();
    let discriminators: Vec<(&'static str, &'static str)> = op
        .discriminators
        .iter()
        .map(|(k, v)| (leak(k), leak(v)))
        .collect();
    Box::leak(Box::new(OperationMeta {
        name: leak(&op.name),
        title: leak(&op.title),
        summary: leak(&op.summary),
        provenance: match op.provenance {
            model::Provenance::Documented => Provenance::Documented,
            model::Provenance::Inferred => Provenance::Inferred,
        },
        kind: match op.kind {
            model::OperationKind::Read => OperationKind::Read,
            model::OperationKind::Write => OperationKind::Write,
        },
        discriminators: Vec::leak(discriminators),
        auth: match op.auth {
            model::Auth::Token => Auth::Token,
            model::Auth::None => Auth::None,
        },
        scope: match op.scope {
            model::Scope::Account => Scope::Account,
            model::Scope::None => Scope::None,
        },
        session: op.session.map(|s| match s {
            model::SessionEffect::Start => SessionEffect::Start,
            model::SessionEffect::End => SessionEffect::End,
        }),
        body: match op.body {
            model::BodyEncoding::Json => BodyEncoding::Json,
            model::BodyEncoding::Multipart => BodyEncoding::Multipart,
        },
        retry_safe: op.retry_safe(),
        params: Vec::leak(params),
        paging: None,
        response: op.response.as_ref().map(|r: &TypeRef| leak(&r.to_string())),
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
    let catalogue =
        chatrace_codegen::load_str(CATALOGUE, "api-spec.yaml").unwrap_or_else(|e| panic!("{e}"));
    let commands = operation_commands(&chatrace::OPERATIONS);
    assert_eq!(commands.len(), catalogue.operations.len());
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
fn every_param_is_a_flag_with_its_doc_and_requiredness() {
    let commands = operation_commands(&chatrace::OPERATIONS);
    for (op, command) in chatrace::OPERATIONS.iter().zip(&commands) {
        for param in op.params {
            let arg = command
                .get_arguments()
                .find(|a| a.get_id().as_str() == format!("param:{}", param.rust))
                .unwrap_or_else(|| panic!("{}: no flag for {}", op.name, param.rust));
            assert!(arg.get_long().is_some(), "{}.{}", op.name, param.rust);
            assert_eq!(
                arg.is_required_set(),
                param.required,
                "{}.{}",
                op.name,
                param.rust
            );
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert_eq!(help, param.doc, "{}.{}", op.name, param.rust);
        }
    }
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
    let longs: Vec<&str> = sub.get_arguments().filter_map(|a| a.get_long()).collect();
    for flag in ["id", "reason", "status", "tag-ids", "data-json"] {
        assert!(longs.contains(&flag), "--{flag} missing from {longs:?}");
    }
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
        .unwrap_or_else(|| panic!("parsed without --id"));
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("--id"), "{e}");
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

#[tokio::test]
async fn the_added_operation_sends_the_body_the_catalogue_describes() {
    let ops = operations_with_extra();
    let (url, seen) = answer_once(json!({"status": "OK", "data": {"archived": true}})).await;
    let code = chatrace_cli::run(
        &ops,
        [
            "chatrace",
            "--base-url",
            url.as_str(),
            "--token",
            "t",
            "--account-id",
            "42",
            "archive-order",
            "--id",
            "1000000",
            "--status",
            "10",
            "--tag-ids",
            "1,2",
            "--reason",
            "duplicate",
        ],
    )
    .await;
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let body = seen.lock().await.take();
    assert_eq!(
        body,
        Some(json!({
            "op": "ecommerce", "op1": "orders", "op2": "archive",
            "account_id": 42,
            "id": "1000000",
            "tags": [1, 2],
            "data": {"reason": "duplicate", "status": 10},
        }))
    );
}
