//! Files uploaded for the inbox.

use chatrace::operations::UploadFileRequest;
use chatrace::types::UploadedFile;
use serde_json::Map;

use super::{ApiError, Call, Outcome, Reply};

/// The MIME type a file name suggests.
fn mime_of(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("mp4") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("mp3") => "audio/mpeg",
        Some("ogg") => "audio/ogg",
        Some("m4a") => "audio/mp4",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

pub(super) fn upload_file(call: &mut Call<'_>, r: UploadFileRequest) -> Outcome {
    let account_id = call.account()?.id;
    if let Some(kind) = r.media_type.as_deref() {
        if !matches!(kind, "image" | "video" | "audio" | "file") {
            return Err(ApiError::bad_request(format!(
                "`type` must be image, video, audio or file, not `{kind}`"
            )));
        }
    }
    let file = call
        .files
        .iter()
        .find(|f| f.field == "file")
        .cloned()
        .ok_or_else(|| {
            ApiError::bad_request(
                "the `file` part is missing: send the file as a multipart part named `file`",
            )
        })?;
    let name = file
        .file_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "file".to_owned());
    let mime = file
        .content_type
        .clone()
        .filter(|m| !m.is_empty() && m != "application/octet-stream")
        .unwrap_or_else(|| mime_of(&name).to_owned());
    call.state.tick();
    let id = call.state.fresh_id();
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let url = format!("{}files/{id}/{safe}", call.base_url);
    call.state.uploads.push(crate::Upload {
        account_id,
        file_name: file.file_name,
        media_type: r.media_type,
        mime_type: mime.clone(),
        length: file.length,
        checksum: file.checksum,
        url: url.clone(),
    });
    Reply::data(&UploadedFile {
        url,
        name: Some(name),
        mime_type: Some(mime),
        size: Some(i64::try_from(file.length).unwrap_or(i64::MAX)),
        extra: Map::new(),
    })
}
