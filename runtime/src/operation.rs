//! The traits generated request types implement.

use crate::meta::OperationMeta;
use crate::upload::FileUpload;

/// One request of the catalogue, ready to send.
///
/// Generated code implements this for each operation's request type; its `Serialize` writes the
/// whole body: the discriminators, `account_id` (when set), the top-level params and `data`.
pub trait Operation: serde::Serialize + Send + Sync + 'static {
    /// What `data` decodes into (`()` when the operation answers no data).
    type Output: serde::de::DeserializeOwned + Send + 'static;

    /// The static description of the operation.
    const META: &'static OperationMeta;

    /// The per-call account id override, None for unscoped operations (the default) or when
    /// not set.
    fn account_id(&self) -> Option<u64> {
        None
    }

    /// Sets account_id before serialization (the default, for unscoped operations, does
    /// nothing).
    fn set_account_id(&mut self, id: u64) {
        let _ = id;
    }

    /// Header params (e.g. `("X-PLATFORM", "ios")`).
    fn headers(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// For `session: start` operations: the token in the output.
    fn session_token(_output: &Self::Output) -> Option<&str> {
        None
    }

    /// The static description of the request's operation (`Self::META`, reachable from a
    /// value).
    fn meta_of(&self) -> &'static OperationMeta {
        Self::META
    }

    /// For multipart operations: takes the file params out of the request.
    fn take_files(&mut self) -> Vec<(&'static str, FileUpload)> {
        Vec::new()
    }
}

/// A paged list operation (generated for operations with `paging`).
pub trait Paged: Operation + Clone {
    /// One element of a page (written to JSON only to tell a repeated page).
    type Item: serde::Serialize + Send + 'static;

    /// Sets the offset and page size params of the request.
    fn set_page(&mut self, offset: u64, limit: u64);

    /// The offset the caller set, where the listing starts (`None`: the start of the list).
    fn start_offset(&self) -> Option<u64> {
        None
    }

    /// The items of one page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;

    /// Unsets the params the API takes on a listing's first request only (the catalogue's
    /// `first_page_only`), once that request is made; by default there are none.
    fn for_later_pages(&mut self) {}
}
