//! What each operation does to the state, one module per family, and the helpers they share
//! (checks of params, paging). [`dispatch`] picks the handler of a request.

mod appointments;
mod auth;
mod catalogue;
mod contacts;
mod conversations;
pub(crate) mod dispatch;
mod files;
mod filters;
mod notes;
mod orders;
pub(crate) mod public;
mod saved_replies;
mod sends;
mod templates;

use chatrace::PagingMeta;

use crate::call::ApiError;

/// Refuses an empty (or blank) text param.
pub(crate) fn non_empty(name: &str, text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::refused(format!("`{name}` must not be empty")));
    }
    Ok(())
}

/// One page of `items`, as `offset` and `limit` ask (the operation's paging gives the default
/// and the largest page size; a page past the end is empty).
pub(crate) fn page<T: Clone>(
    items: &[T],
    offset: Option<i64>,
    limit: Option<i64>,
    paging: Option<PagingMeta>,
) -> Result<Vec<T>, ApiError> {
    let (default_limit, max_limit) = paging.map_or((20, 100), |p| {
        (i64::from(p.default_limit), i64::from(p.max_limit))
    });
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::refused(format!(
            "`offset` must be 0 or more, not {offset}"
        )));
    }
    let limit = limit.unwrap_or(default_limit);
    if limit < 1 {
        return Err(ApiError::refused(format!(
            "`limit` must be 1 or more, not {limit}"
        )));
    }
    let limit = limit.min(max_limit);
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(items.len());
    let end = start
        .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
        .min(items.len());
    Ok(items[start..end].to_vec())
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn pages_clamp_and_refuse_nonsense() {
        let items: Vec<u32> = (0..45).collect();
        let paging = Some(PagingMeta {
            offset: "offset",
            limit: "limit",
            items: None,
            default_limit: 20,
            max_limit: 30,
            first_page_only: &[],
        });
        assert_eq!(page(&items, None, None, paging).map(|p| p.len()), Ok(20));
        assert_eq!(
            page(&items, Some(40), None, paging),
            Ok(vec![40, 41, 42, 43, 44])
        );
        assert_eq!(page(&items, Some(99), Some(5), paging), Ok(vec![]));
        assert_eq!(
            page(&items, None, Some(500), paging).map(|p| p.len()),
            Ok(30)
        );
        assert_eq!(
            page(&items, Some(-1), None, paging).map_err(|e| e.code),
            Err(codes::REFUSED)
        );
        assert_eq!(
            page(&items, None, Some(0), paging).map_err(|e| e.code),
            Err(codes::REFUSED)
        );
    }
}
