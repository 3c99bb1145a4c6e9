//! What generated code declares for a realtime session: the catalogue's frames ([`FrameSpec`]),
//! its parts, reply windows and types, and its lookups as typed calls of the client
//! ([`Inbox`], [`Uploads`]). The session ([`Session`](super::Session)) acts on them.

use std::fmt;
use std::future::Future;

use chatrace_vocab::RealtimePart;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{ContactFacts, EventFrame, RealtimeError, ReplyWindows};
use crate::{Error, FileUpload, Handle};

/// A frame the client builds from a template of the catalogue: implemented by a generated
/// marker type per frame.
pub trait FrameSpec: 'static {
    /// The frame's name in errors and traces (`send`).
    const NAME: &'static str;
    /// The JSON text of the frame's `action` value: `"\"authenticate\""`, `"0"`, `"-1"`.
    const ACTION: &'static str;
    /// The JSON text of the frame's `data`, with `{placeholders}`.
    const TEMPLATE: &'static str;
    /// The type the filled `data` must decode as: a frame that does not is not sent.
    type Data: DeserializeOwned;
}

/// The catalogue's realtime section, as a [`Session`](super::Session) needs it: the types its
/// methods take, the frames and parts it fills, the channels' reply windows, and the lookups
/// it makes over HTTP. Generated code implements it with one-line calls of the client's
/// typed operations; the session does the rest.
pub trait Inbox: fmt::Debug + Send + Sync + 'static {
    /// A contact's id, as the contact lookup takes it.
    type Contact: fmt::Display + Clone + Send + Sync + 'static;
    /// A channel, as messages name it.
    type Channel: Serialize + Send + Sync;
    /// The logged user's id, as the user lookup answers it.
    type User: Serialize + Send + Sync + 'static;
    /// The platform the app runs on (`{platform}`).
    type Platform: Serialize + fmt::Debug + Send + Sync + 'static;
    /// A message part a caller builds.
    type Part: Serialize + Send + Sync;
    /// What the socket sends.
    type Event: EventFrame;
    /// The `authenticate` frame.
    type AuthenticateFrame: FrameSpec;
    /// The `subscribe` frame.
    type SubscribeFrame: FrameSpec;
    /// The `send` frame (a message).
    type SendFrame: FrameSpec;

    /// The templates of the message parts, by part.
    const PARTS: &'static [(RealtimePart, &'static str)];
    /// The channels' reply windows, and what still reaches a contact past one.
    const REPLY_WINDOWS: ReplyWindows;

    /// The client's runtime handle: its session token and default account.
    fn handle(&self) -> &Handle;

    /// The socket's URL, from the URL lookup (`None` when its answer names none).
    fn socket_url(&self) -> impl Future<Output = Result<Option<String>, Error>> + Send;

    /// The logged user, from the user lookup (`None` when its answer names none).
    fn logged_user(&self) -> impl Future<Output = Result<Option<Self::User>, Error>> + Send;

    /// What sending to `contact` needs to know, from the contact lookup.
    fn contact(
        &self,
        contact: &Self::Contact,
    ) -> impl Future<Output = Result<ContactFacts, RealtimeError>> + Send;
}

/// How a file is uploaded before a file part sends its URL: implemented when the catalogue
/// names an upload operation.
pub trait Uploads: Inbox {
    /// The kind of file (`{kind}`), as the upload takes it.
    type Kind: Serialize + Send + Sync;

    /// Uploads `file` for `contact`: the uploaded file's URL (`None` when the answer names
    /// none).
    fn upload(
        &self,
        contact: &Self::Contact,
        kind: &Self::Kind,
        file: FileUpload,
    ) -> impl Future<Output = Result<Option<String>, Error>> + Send;
}

/// The first of `candidates` that is not empty: the text a lookup reads, from the typed
/// fields of an answer, in the catalogue's order.
pub fn first_text<'a, S>(candidates: impl IntoIterator<Item = Option<&'a S>>) -> Option<String>
where
    S: AsRef<str> + ?Sized + 'a,
{
    candidates
        .into_iter()
        .flatten()
        .map(AsRef::as_ref)
        .find(|text| !text.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_text_that_is_not_empty_is_the_one() {
        let (empty, url) = (String::new(), "wss://ws.example.com".to_owned());
        assert_eq!(
            first_text([None, Some(&empty), Some(&url)]),
            Some(url.clone())
        );
        assert_eq!(first_text([Some(&empty), None]), None);
        assert_eq!(first_text([Some("x")]), Some("x".to_owned()));
    }
}
