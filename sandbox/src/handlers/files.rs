//! Files uploaded for the inbox to send. The sandbox measures them as they stream in (length
//! and checksum, see [`crate::Upload`]) and keeps no bytes.

use chatrace::operations::UploadFileRequest;
use chatrace::types::{UploadKind, UploadedFile};

use crate::call::{envelope, ApiError, Call, Outcome};
use crate::Upload;

/// A file name made safe for a URL path.
fn url_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub(super) fn upload_file(call: &mut Call<'_>, r: UploadFileRequest) -> Outcome {
    if let UploadKind::Unknown(other) = &r.kind {
        return Err(ApiError::refused(format!(
            "`op2` must be image, video, audio, voice or file, not `{other}`"
        )));
    }
    let account_id = call.account()?.id;
    call.contact(&r.contact_id)?;
    let file = call
        .files
        .iter()
        .find(|f| f.field == "file")
        .cloned()
        .ok_or_else(|| ApiError::refused("the form has no `file` part"))?;
    let name = r
        .file_name
        .clone()
        .or_else(|| file.file_name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| r.kind.as_str().to_owned());
    call.state.tick();
    let id = call.state.fresh_id();
    let url = format!(
        "{}files/{account_id}/{id}/{}",
        call.base_url,
        url_safe(&name)
    );
    call.state.uploads.push(Upload {
        account_id,
        contact_id: r.contact_id.as_str().to_owned(),
        kind: r.kind.as_str().to_owned(),
        file_name: file.file_name,
        named: r.file_name.clone(),
        mime_type: file.content_type,
        length: file.length,
        checksum: file.checksum,
        url: url.clone(),
    });
    let mut answer = UploadedFile::new(url);
    answer.file_name = Some(name);
    envelope(&answer)
}

#[cfg(test)]
mod tests {
    use super::url_safe;

    #[test]
    fn file_names_are_made_safe_for_urls() {
        assert_eq!(url_safe("beans.bin"), "beans.bin");
        assert_eq!(url_safe("my photo (1).jpg"), "my_photo__1_.jpg");
        assert_eq!(url_safe("../x"), ".._x");
    }
}
