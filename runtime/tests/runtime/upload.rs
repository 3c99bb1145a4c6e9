//! Multipart uploads stream files with their length.

use std::sync::{Arc, Mutex};

use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::HeaderMap;
use axum::Router;
use chatrace_runtime::{Error, FileUpload};
use serde_json::json;

use crate::common::*;

/// What the server saw of one multipart request.
#[derive(Debug, Default, Clone)]
struct Seen {
    content_length: Option<u64>,
    chunked: bool,
    token: Option<String>,
    content_type: Option<String>,
    /// Text fields: name and value.
    fields: Vec<(String, String)>,
    files: Vec<FilePart>,
}

/// A file part: name, file name, content type, length, whether every byte had the pattern.
type FilePart = (String, Option<String>, Option<String>, usize, bool);

async fn multipart_server() -> (Server, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = Router::new()
        .fallback(move |headers: HeaderMap, mut multipart: Multipart| {
            let log = log.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                let mut seen = Seen {
                    content_length: header("content-length").and_then(|v| v.parse().ok()),
                    chunked: header("transfer-encoding").is_some(),
                    token: header("x-access-token"),
                    content_type: header("content-type"),
                    ..Seen::default()
                };
                while let Ok(Some(mut field)) = multipart.next_field().await {
                    let name = field.name().unwrap_or_default().to_owned();
                    match field.file_name().map(str::to_owned) {
                        Some(file_name) => {
                            let mime = field.content_type().map(str::to_owned);
                            let (mut length, mut pattern) = (0usize, true);
                            while let Ok(Some(chunk)) = field.chunk().await {
                                pattern &= chunk
                                    .iter()
                                    .enumerate()
                                    .all(|(i, b)| *b == ((length + i) % 251) as u8);
                                length += chunk.len();
                            }
                            seen.files
                                .push((name, Some(file_name), mime, length, pattern));
                        }
                        None => {
                            let text = field.text().await.unwrap_or_default();
                            seen.fields.push((name, text));
                        }
                    }
                }
                log.lock().unwrap_or_else(|e| e.into_inner()).push(seen);
                r#"{"status":"OK","data":{"url":"https://files.example/x"}}"#
            }
        })
        .layer(DefaultBodyLimit::disable());
    (Server::serve(app, Arc::default()).await, seen)
}

/// A temporary file removed on drop.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const FIVE_MB: usize = 5 * 1024 * 1024;

#[tokio::test]
async fn a_file_from_a_path_arrives_whole_with_its_length() {
    let path = std::env::temp_dir().join(format!(
        "chatrace-runtime-upload-{}-{:?}.bin",
        std::process::id(),
        std::time::SystemTime::now()
    ));
    let contents: Vec<u8> = (0..FIVE_MB).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &contents).expect("write the temp file");
    let file = TempFile(path.clone());

    let (server, seen) = multipart_server().await;
    let upload = FileUpload::from_path(&file.0).with_file_name("report.bin");
    let data = handle(&server.url)
        .execute(FakeUpload::new(upload, "monthly report"))
        .await
        .expect("uploaded");
    assert_eq!(data, json!({"url": "https://files.example/x"}));

    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(seen.len(), 1);
    let seen = &seen[0];
    assert!(!seen.chunked, "the request is not chunked");
    assert!(
        seen.content_length.unwrap_or(0) > FIVE_MB as u64,
        "{seen:?}"
    );
    assert!(
        seen.content_type
            .as_deref()
            .unwrap_or("")
            .starts_with("multipart/form-data"),
        "{seen:?}"
    );
    assert_eq!(seen.token.as_deref(), Some(TOKEN));
    assert_eq!(
        seen.files,
        vec![(
            "file".to_owned(),
            Some("report.bin".to_owned()),
            None,
            FIVE_MB,
            true
        )]
    );
    // The vendor's form: one text field `param` holding the request's JSON, without the file.
    assert_eq!(seen.fields.len(), 1, "one text field: {:?}", seen.fields);
    let (name, text) = &seen.fields[0];
    assert_eq!(name, "param");
    let param: serde_json::Value = serde_json::from_str(text).expect("`param` holds JSON");
    assert_eq!(
        param,
        json!({"account_id": ACCOUNT, "data": {"caption": "monthly report"}, "op": "upload", "op1": "file"}),
        "no text field for the file param"
    );
}

#[tokio::test]
async fn a_file_from_bytes_carries_its_mime_type() {
    let (server, seen) = multipart_server().await;
    let bytes: Vec<u8> = (0..1000).map(|i| (i % 251) as u8).collect();
    let upload = FileUpload::from_bytes("photo.png", bytes).with_mime("image/png");
    handle(&server.url)
        .execute(FakeUpload::new(upload, "hi"))
        .await
        .expect("uploaded");
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(
        seen[0].files,
        vec![(
            "file".to_owned(),
            Some("photo.png".to_owned()),
            Some("image/png".to_owned()),
            1000,
            true
        )]
    );
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_before_sending() {
    let (server, seen) = multipart_server().await;
    let upload = FileUpload::from_path("/nonexistent/chatrace-runtime/none.bin");
    let error = handle(&server.url)
        .execute(FakeUpload::new(upload, "x"))
        .await
        .expect_err("no such file");
    assert!(
        matches!(
            error,
            Error::Io {
                operation: "fake_upload",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with("fake_upload: cannot read"),
        "{error}"
    );
    assert!(seen.lock().unwrap_or_else(|e| e.into_inner()).is_empty());
}
