//! Lazy streams over paged list operations.

use futures::stream::{self, Stream, TryStreamExt};

use crate::client::{CallOptions, Handle};
use crate::error::Error;
use crate::meta::PagingMeta;
use crate::operation::Paged;

/// The page size used when an operation declares no paging (generated code always does).
const FALLBACK_PAGE_SIZE: u64 = 20;

struct PageState<Op> {
    handle: Handle,
    op: Op,
    options: CallOptions,
    offset: u64,
    limit: u64,
    done: bool,
}

impl Handle {
    /// The pages of a list, fetched one by one as the stream is polled.
    ///
    /// The first page starts at offset 0 (whatever offset `op` holds); each next page starts
    /// after the items received so far. `page_size` defaults to the operation's
    /// `paging.default_limit` and is clamped to `1..=paging.max_limit`. The stream ends after a
    /// page shorter than the page size; an empty page is not yielded. After an error the stream
    /// yields that error and ends.
    pub fn pages<Op: Paged>(
        &self,
        op: Op,
        page_size: Option<u64>,
    ) -> impl Stream<Item = Result<Vec<Op::Item>, Error>> + Send + Unpin {
        self.pages_with(op, page_size, CallOptions::default())
    }

    /// [`Handle::pages`] with per-call options applied to every page.
    pub fn pages_with<Op: Paged>(
        &self,
        op: Op,
        page_size: Option<u64>,
        options: CallOptions,
    ) -> impl Stream<Item = Result<Vec<Op::Item>, Error>> + Send + Unpin {
        let state = PageState {
            handle: self.clone(),
            op,
            options,
            offset: 0,
            limit: page_limit(Op::META.paging, page_size),
            done: false,
        };
        Box::pin(stream::unfold(state, |mut state| async move {
            if state.done {
                return None;
            }
            let mut request = state.op.clone();
            request.set_page(state.offset, state.limit);
            match state.handle.execute_with(request, &state.options).await {
                Ok(output) => {
                    let items = Op::into_items(output);
                    let received = items.len() as u64;
                    state.offset += received;
                    state.done = received < state.limit;
                    if items.is_empty() {
                        return None;
                    }
                    Some((Ok(items), state))
                }
                Err(error) => {
                    state.done = true;
                    Some((Err(error), state))
                }
            }
        }))
    }

    /// The items of a list, page after page (see [`Handle::pages`]).
    pub fn items<Op: Paged>(
        &self,
        op: Op,
        page_size: Option<u64>,
    ) -> impl Stream<Item = Result<Op::Item, Error>> + Send + Unpin {
        self.items_with(op, page_size, CallOptions::default())
    }

    /// [`Handle::items`] with per-call options applied to every page.
    pub fn items_with<Op: Paged>(
        &self,
        op: Op,
        page_size: Option<u64>,
        options: CallOptions,
    ) -> impl Stream<Item = Result<Op::Item, Error>> + Send + Unpin {
        Box::pin(
            self.pages_with(op, page_size, options)
                .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
                .try_flatten(),
        )
    }
}

/// The page size: the caller's or the default, within `1..=max_limit`.
fn page_limit(paging: Option<PagingMeta>, page_size: Option<u64>) -> u64 {
    match paging {
        Some(p) => page_size
            .unwrap_or(u64::from(p.default_limit))
            .clamp(1, u64::from(p.max_limit).max(1)),
        None => page_size.unwrap_or(FALLBACK_PAGE_SIZE).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_defaults_and_clamps() {
        let p = Some(PagingMeta {
            offset: "offset",
            limit: "limit",
            default_limit: 20,
            max_limit: 100,
        });
        assert_eq!(page_limit(p, None), 20);
        assert_eq!(page_limit(p, Some(50)), 50);
        assert_eq!(page_limit(p, Some(500)), 100);
        assert_eq!(page_limit(p, Some(0)), 1);
        assert_eq!(page_limit(None, None), 20);
        assert_eq!(page_limit(None, Some(7)), 7);
    }
}
