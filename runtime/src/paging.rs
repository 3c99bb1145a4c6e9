//! Paging that always ends: lazy streams over paged list operations, and the [`Pager`] that
//! decides where each page starts and when to stop, which tools (the CLI's `--all`) use too.

use std::hash::Hasher;

use futures::stream::{self, Stream, TryStreamExt};
use serde::Serialize;

use crate::client::{CallOptions, Handle};
use crate::error::{Error, PagingStop};
use crate::meta::PagingMeta;
use crate::operation::Paged;

/// The page size used when an operation declares no paging (generated code always does).
const FALLBACK_PAGE_SIZE: u64 = 20;

/// How many pages a listing reads at most unless told otherwise: a safety net for a server that
/// never answers an empty page.
pub const DEFAULT_MAX_PAGES: u32 = 1000;

/// How to page through a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// The page size (the operation's `default_limit` when not set; clamped to its maximum).
    pub page_size: Option<u64>,
    /// The most pages to read ([`DEFAULT_MAX_PAGES`] when not set); reaching it ends the
    /// listing with [`Error::Paging`].
    pub max_pages: Option<u32>,
    /// The options of each page's call.
    pub call: CallOptions,
}

impl PageOptions {
    /// These options, each page's call made with `call` (a builder's per-call options).
    pub fn with_call(mut self, call: CallOptions) -> Self {
        self.call = call;
        self
    }
}

/// Where the pages of a listing start and when the listing ends.
///
/// The listing starts at the caller's offset (0 when none), asks for `limit` items at a time,
/// and moves on by the number of items each page holds. It ends normally on an empty page, or on
/// a page shorter than the limit when the server is known to answer that limit in full: the
/// operation's `default_limit` is the page size the vendor's own app asks for (and moves on by),
/// and a page that came back full shows it for a larger one. Short of that, a short page may be
/// a cap of the server's own (the largest limit it takes is our guess), and the listing goes on
/// to an empty page rather than end early without a word. It ends early, with a
/// [`PagingStop`], on a page that repeats the previous one (the server ignores the offset: going
/// on would never end) or at the cap on the number of pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    offset: u64,
    limit: u64,
    /// Whether the server is known to answer `limit` items in full (see the type's doc).
    limit_answered_in_full: bool,
    pages_read: u32,
    max_pages: u32,
    previous: Option<(usize, u64)>,
    done: bool,
}

impl Pager {
    /// A pager for an operation's `paging`, starting at `start`.
    pub fn new(
        paging: Option<PagingMeta>,
        start: Option<u64>,
        page_size: Option<u64>,
        max_pages: Option<u32>,
    ) -> Pager {
        let limit = page_limit(paging, page_size);
        Pager {
            offset: start.unwrap_or(0),
            limit,
            limit_answered_in_full: limit
                <= paging.map_or(FALLBACK_PAGE_SIZE, |p| u64::from(p.default_limit)),
            pages_read: 0,
            max_pages: max_pages.unwrap_or(DEFAULT_MAX_PAGES).max(1),
            previous: None,
            done: false,
        }
    }

    /// The offset and limit of the next page to ask for, or `None` when the listing is over.
    pub fn next_page(&self) -> Option<(u64, u64)> {
        (!self.done).then_some((self.offset, self.limit))
    }

    /// Records the page just received: how many items it held, and a fingerprint of them (see
    /// [`fingerprint`]). Answers whether to ask for another page.
    ///
    /// # Errors
    ///
    /// The [`PagingStop`] that ends the listing early: the page repeats the previous one, or
    /// the cap on pages was reached while the server still had more.
    pub fn record(&mut self, items: usize, fingerprint: u64) -> Result<bool, PagingStop> {
        if items == 0 {
            self.done = true;
            return Ok(false);
        }
        if self.previous == Some((items, fingerprint)) {
            self.done = true;
            return Err(PagingStop::RepeatedPage {
                offset: self.offset,
            });
        }
        self.previous = Some((items, fingerprint));
        self.pages_read += 1;
        self.offset += items as u64;
        if items as u64 >= self.limit {
            self.limit_answered_in_full = true;
        } else if self.limit_answered_in_full {
            self.done = true;
            return Ok(false);
        }
        if self.pages_read >= self.max_pages {
            self.done = true;
            // The cap forbids asking whether more follows: a short page is the best sign that
            // nothing does, a full one that the cap cut the listing short.
            return if (items as u64) < self.limit {
                Ok(false)
            } else {
                Err(PagingStop::Cap {
                    pages: self.max_pages,
                })
            };
        }
        Ok(true)
    }
}

/// A fingerprint of a page's items (a hash of their JSON), to tell a repeated page.
pub fn fingerprint<T: Serialize>(items: &[T]) -> u64 {
    /// Feeds what serde writes into a hasher, without building the text.
    struct HashWriter(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = HashWriter(std::collections::hash_map::DefaultHasher::new());
    // A page that cannot be written hashes what was written so far: the count still differs.
    let _ = serde_json::to_writer(&mut writer, items);
    writer.0.finish()
}

struct PageState<Op> {
    handle: Handle,
    op: Op,
    call: CallOptions,
    pager: Pager,
}

impl Handle {
    /// The pages of a list, fetched one by one as the stream is polled (see [`Pager`] for where
    /// they start and when they end). An empty page is not yielded. When the listing stops
    /// early, or a page fails, the stream yields that error and ends.
    pub fn pages<Op: Paged>(
        &self,
        op: Op,
        options: PageOptions,
    ) -> impl Stream<Item = Result<Vec<Op::Item>, Error>> + Send + Unpin {
        let pager = Pager::new(
            Op::META.paging,
            op.start_offset(),
            options.page_size,
            options.max_pages,
        );
        let state = PageState {
            handle: self.clone(),
            op,
            call: options.call,
            pager,
        };
        Box::pin(stream::unfold(state, |mut state| async move {
            let (offset, limit) = state.pager.next_page()?;
            let mut request = state.op.clone();
            request.set_page(offset, limit);
            state.op.for_later_pages();
            match state.handle.execute_with(request, &state.call).await {
                Ok(output) => {
                    let items = Op::into_items(output);
                    match state.pager.record(items.len(), fingerprint(&items)) {
                        Ok(_) if items.is_empty() => None,
                        Ok(_) => Some((Ok(items), state)),
                        Err(stop) => Some((
                            Err(Error::Paging {
                                operation: Op::META.name,
                                stop,
                            }),
                            state,
                        )),
                    }
                }
                Err(error) => {
                    // Nothing more after an error: mark the listing over.
                    state.pager.done = true;
                    Some((Err(error), state))
                }
            }
        }))
    }

    /// The items of a list, page after page (see [`Handle::pages`]).
    pub fn items<Op: Paged>(
        &self,
        op: Op,
        options: PageOptions,
    ) -> impl Stream<Item = Result<Op::Item, Error>> + Send + Unpin {
        Box::pin(
            self.pages(op, options)
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

    const PAGING: Option<PagingMeta> = Some(PagingMeta {
        offset: "offset",
        limit: "limit",
        items: None,
        default_limit: 20,
        max_limit: 100,
        first_page_only: &[],
    });

    #[test]
    fn page_size_defaults_and_clamps() {
        assert_eq!(page_limit(PAGING, None), 20);
        assert_eq!(page_limit(PAGING, Some(50)), 50);
        assert_eq!(page_limit(PAGING, Some(500)), 100);
        assert_eq!(page_limit(PAGING, Some(0)), 1);
        assert_eq!(page_limit(None, None), 20);
        assert_eq!(page_limit(None, Some(7)), 7);
    }

    #[test]
    fn a_short_or_empty_page_ends_the_listing() {
        let mut pager = Pager::new(PAGING, Some(40), Some(10), None);
        assert_eq!(
            pager.next_page(),
            Some((40, 10)),
            "from the caller's offset"
        );
        assert_eq!(pager.record(10, 1), Ok(true));
        assert_eq!(pager.next_page(), Some((50, 10)));
        // Within the default (the vendor's own page size), a short page is the last.
        assert_eq!(pager.record(3, 2), Ok(false));
        assert_eq!(pager.next_page(), None);
        let mut empty = Pager::new(PAGING, None, None, None);
        assert_eq!(empty.record(0, 0), Ok(false));
        assert_eq!(empty.next_page(), None);
    }

    #[test]
    fn past_the_default_a_short_page_ends_the_listing_once_a_full_one_came() {
        // 50 is more than the default of 20: the server may cap it, so 30 is not the end.
        let mut capped = Pager::new(PAGING, None, Some(50), None);
        assert_eq!(capped.record(30, 1), Ok(true));
        assert_eq!(
            capped.next_page(),
            Some((30, 50)),
            "after the items received"
        );
        assert_eq!(capped.record(30, 2), Ok(true));
        assert_eq!(capped.record(0, 0), Ok(false));
        // A full page shows the server answers 50: a short one after it is the last.
        let mut honoured = Pager::new(PAGING, None, Some(50), None);
        assert_eq!(honoured.record(50, 1), Ok(true));
        assert_eq!(honoured.record(7, 2), Ok(false));
        assert_eq!(honoured.next_page(), None);
    }

    #[test]
    fn a_repeated_page_stops_the_listing_and_says_why() {
        let mut pager = Pager::new(PAGING, None, Some(2), None);
        assert_eq!(pager.record(2, 7), Ok(true));
        assert_eq!(
            pager.record(2, 7),
            Err(PagingStop::RepeatedPage { offset: 2 })
        );
        assert_eq!(pager.next_page(), None);
    }

    #[test]
    fn the_cap_stops_a_listing_that_would_go_on() {
        let mut pager = Pager::new(PAGING, None, Some(1), Some(3));
        assert_eq!(pager.record(1, 1), Ok(true));
        assert_eq!(pager.record(1, 2), Ok(true));
        assert_eq!(pager.record(1, 3), Err(PagingStop::Cap { pages: 3 }));
        // A short last page at the cap is the end of the data, not a stop.
        let mut pager = Pager::new(PAGING, None, Some(2), Some(1));
        assert_eq!(pager.record(1, 1), Ok(false));
    }

    #[test]
    fn fingerprints_tell_pages_apart() {
        assert_eq!(fingerprint(&[1, 2]), fingerprint(&[1, 2]));
        assert_ne!(fingerprint(&[1, 2]), fingerprint(&[2, 1]));
    }
}
