//! Files sent as multipart parts.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures::TryStreamExt;
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
    sent: Option<SentBytes>,
}

/// A count of the bytes of uploads handed to the connection so far, for a progress display:
/// give a clone to [`FileUpload::counting`] and read it while the request is sent.
#[derive(Debug, Clone, Default)]
pub struct SentBytes(Arc<AtomicU64>);

impl SentBytes {
    /// A count at zero.
    pub fn new() -> Self {
        SentBytes::default()
    }

    /// The bytes counted so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    fn add(&self, bytes: usize) {
        self.0.fetch_add(bytes as u64, Ordering::Relaxed);
    }
}

/// Two counts are the same when they are clones of one.
impl PartialEq for SentBytes {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SentBytes {}

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
            sent: None,
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
            sent: None,
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

    /// This file, its bytes added to `sent` as they are handed to the connection.
    pub fn counting(mut self, sent: SentBytes) -> Self {
        self.sent = Some(sent);
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
        let part = match (&self.source, &self.sent) {
            (Source::Bytes(bytes), None) => {
                Part::stream_with_length(bytes.clone(), bytes.len() as u64)
            }
            (Source::Bytes(bytes), Some(sent)) => {
                let (sent, chunk) = (sent.clone(), bytes.clone());
                let stream = futures::stream::once(async move {
                    sent.add(chunk.len());
                    Ok::<_, std::io::Error>(chunk)
                });
                Part::stream_with_length(reqwest::Body::wrap_stream(stream), bytes.len() as u64)
            }
            (Source::Path(path), sent) => {
                let file = tokio::fs::File::open(path).await.map_err(PartError::Io)?;
                let length = file.metadata().await.map_err(PartError::Io)?.len();
                let sent = sent.clone();
                let stream = tokio_util::io::ReaderStream::new(file).inspect_ok(move |chunk| {
                    if let Some(sent) = &sent {
                        sent.add(chunk.len());
                    }
                });
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
            .field("sent", &self.sent.as_ref().map(SentBytes::get))
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
    async fn a_counted_file_counts_its_bytes_as_they_are_read() {
        use futures::StreamExt;
        let path = std::env::temp_dir().join(format!("upload-count-{}.bin", std::process::id()));
        std::fs::write(&path, vec![7u8; 200_000]).unwrap_or_else(|e| panic!("{e}"));
        let sent = SentBytes::new();
        let file = FileUpload::from_path(&path).counting(sent.clone());
        assert_eq!(file.clone(), file, "a clone counts into the same count");
        let part = file.to_part().await.unwrap_or_else(|_| panic!("a part"));
        assert_eq!(sent.get(), 0, "nothing is read before the part is sent");
        let form = reqwest::multipart::Form::new().part("file", part);
        let mut stream = form.into_stream();
        while let Some(chunk) = stream.next().await {
            chunk.unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(sent.get(), 200_000);
        let _ = std::fs::remove_file(&path);

        let in_memory = SentBytes::new();
        let part = FileUpload::from_bytes("a", &b"hello"[..])
            .counting(in_memory.clone())
            .to_part()
            .await
            .unwrap_or_else(|_| panic!("a part"));
        let mut stream = reqwest::multipart::Form::new()
            .part("f", part)
            .into_stream();
        while stream.next().await.is_some() {}
        assert_eq!(in_memory.get(), 5);
    }

    #[tokio::test]
    async fn a_missing_file_is_an_io_error() {
        let f = FileUpload::from_path("/definitely/not/here.bin");
        assert!(matches!(f.to_part().await, Err(PartError::Io(_))));
        let bad = FileUpload::from_bytes("a", &b"x"[..]).with_mime("not a mime");
        assert!(matches!(bad.to_part().await, Err(PartError::Mime(_))));
    }
}
