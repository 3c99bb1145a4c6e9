//! Files sent as multipart parts.

use std::fmt;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::multipart::Part;

/// A file to upload: bytes in memory, or a path streamed from disk when the request is sent
/// (never read whole into memory).
///
/// The default value is an empty in-memory file with no name (what a skipped field deserializes
/// to). It serializes as its file name and deserializes from a path string, so request types
/// holding one can derive serde.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FileUpload {
    source: Source,
    file_name: Option<String>,
    mime: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
}

impl Default for Source {
    fn default() -> Self {
        Source::Bytes(Bytes::new())
    }
}

impl FileUpload {
    /// A file held in memory, sent under the file name `name`.
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FileUpload {
            source: Source::Bytes(bytes.into()),
            file_name: Some(name.into()),
            mime: None,
        }
    }

    /// A file on disk, streamed when the request is sent; its file name is the path's last
    /// component. The file is opened at send time (again for each retry).
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        FileUpload {
            source: Source::Path(path),
            file_name,
            mime: None,
        }
    }

    /// This file with a MIME type (`image/png`); without one the part has no `Content-Type`.
    pub fn with_mime(mut self, mime: impl Into<String>) -> Self {
        self.mime = Some(mime.into());
        self
    }

    /// This file sent under another file name.
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The MIME type sent with the part.
    pub fn mime(&self) -> Option<&str> {
        self.mime.as_deref()
    }

    /// The path, for a file on disk.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::Path(path) => Some(path),
            Source::Bytes(_) => None,
        }
    }

    /// The contents, for a file in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            Source::Path(_) => None,
        }
    }

    /// The file's length in bytes: the bytes held, or the file's size on disk (`None` when it
    /// cannot be read).
    pub async fn length(&self) -> Option<u64> {
        match (self.bytes(), self.path()) {
            (Some(bytes), _) => Some(bytes.len() as u64),
            (None, Some(path)) => tokio::fs::metadata(path).await.ok().map(|m| m.len()),
            (None, None) => None,
        }
    }

    /// The multipart part for this file, opening the file on disk if there is one. The part
    /// has a known length, so the request is not chunked.
    pub(crate) async fn to_part(&self) -> Result<Part, PartError> {
        let part = match &self.source {
            Source::Bytes(bytes) => Part::stream_with_length(bytes.clone(), bytes.len() as u64),
            Source::Path(path) => {
                let file = tokio::fs::File::open(path).await.map_err(PartError::Io)?;
                let length = file.metadata().await.map_err(PartError::Io)?.len();
                let stream = tokio_util::io::ReaderStream::new(file);
                Part::stream_with_length(reqwest::Body::wrap_stream(stream), length)
            }
        };
        let part = match &self.file_name {
            Some(name) => part.file_name(name.clone()),
            None => part,
        };
        match &self.mime {
            Some(mime) => part
                .mime_str(mime)
                .map_err(|_| PartError::Mime(mime.clone())),
            None => Ok(part),
        }
    }
}

/// Why a file part could not be built.
pub(crate) enum PartError {
    /// The file could not be opened or measured.
    Io(std::io::Error),
    /// The MIME type does not parse.
    Mime(String),
}

impl fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("FileUpload");
        match &self.source {
            Source::Bytes(bytes) => s.field("len", &bytes.len()),
            Source::Path(path) => s.field("path", path),
        };
        s.field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .finish()
    }
}

impl serde::Serialize for FileUpload {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.file_name.as_deref().unwrap_or(""))
    }
}

impl<'de> serde::Deserialize<'de> for FileUpload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let path = String::deserialize(deserializer)?;
        Ok(FileUpload::from_path(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_contents() {
        let f =
            FileUpload::from_bytes("a.txt", &b"very secret contents"[..]).with_mime("text/plain");
        let debug = format!("{f:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("a.txt") && debug.contains("20"), "{debug}");
    }

    #[test]
    fn from_path_takes_the_file_name() {
        let f = FileUpload::from_path("/tmp/dir/photo.png");
        assert_eq!(f.file_name(), Some("photo.png"));
        assert_eq!(f.path(), Some(Path::new("/tmp/dir/photo.png")));
        assert!(f.bytes().is_none());
        let d = FileUpload::default();
        assert_eq!(d.bytes().map(Bytes::len), Some(0));
        assert_eq!(d.file_name(), None);
    }

    #[test]
    fn serde_round_trip_through_a_path() {
        let f: FileUpload = serde_json::from_str(r#""/x/y.pdf""#).unwrap_or_default();
        assert_eq!(f.file_name(), Some("y.pdf"));
        assert_eq!(
            serde_json::to_string(&f).ok().as_deref(),
            Some(r#""y.pdf""#)
        );
    }

    #[tokio::test]
    async fn a_missing_file_is_an_io_error() {
        let f = FileUpload::from_path("/definitely/not/here.bin");
        assert!(matches!(f.to_part().await, Err(PartError::Io(_))));
        let bad = FileUpload::from_bytes("a", &b"x"[..]).with_mime("not a mime");
        assert!(matches!(bad.to_part().await, Err(PartError::Mime(_))));
    }
}
