//! `--all`: every page of a paged list, one call after the other, as one answer.
//!
//! The pages follow the SDK's own rule, through the same [`chatrace::Pager`] its streams use:
//! from the `--offset` given (or 0), in pages of the limit given (or the catalogue's default)
//! within `1..=max_limit`, until an empty or short page; a page that repeats the previous one
//! (a server that ignores the offset) or the page cap (`--max-pages`, or the SDK's default) ends
//! the listing with an error that says so, instead of looping.

use chatrace::{fingerprint, CallOptions, Handle, Pager, PagingMeta};
use serde_json::Value;

use crate::body::WireRequest;
use crate::error::CliError;
use crate::typed;

/// Every page of the list `wire` asks for.
///
/// The answer is one array of every item; when the operation's answer is an object whose
/// `items` field holds the page (`PagingMeta.items`), it is the first page's answer with that
/// field holding every item. An answer that holds no list ends the paging and is returned as
/// it is.
///
/// # Errors
///
/// The first failing call's, or the reason the listing stopped early.
pub async fn every_page(
    command: &str,
    paging: PagingMeta,
    mut wire: WireRequest,
    max_pages: Option<u32>,
    handle: &Handle,
    options: &CallOptions,
) -> Result<Value, CliError> {
    let op = wire.op();
    let param = |name: &str| op.params.iter().find(|p| p.wire == name);
    let (Some(offset_param), Some(limit_param)) = (param(paging.offset), param(paging.limit))
    else {
        return typed::call(command, &wire, handle, options).await;
    };
    let number = |value: Option<Value>| match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let mut pager = Pager::new(
        Some(paging),
        number(wire.get(offset_param)),
        number(wire.get(limit_param)),
        max_pages,
    );
    let mut first_answer: Option<Value> = None;
    let mut items = Vec::new();
    while let Some((offset, limit)) = pager.next_page() {
        wire.set(offset_param, Value::from(offset));
        wire.set(limit_param, Value::from(limit));
        let mut answer = typed::call(command, &wire, handle, options).await?;
        let page = match items_of(&mut answer, paging.items) {
            Some(page) => page,
            None if first_answer.is_none() => return Ok(answer),
            None => Vec::new(),
        };
        let verdict = pager.record(page.len(), fingerprint(&page));
        items.extend(page);
        first_answer.get_or_insert(answer);
        if let Err(stop) = verdict {
            let error = chatrace::Error::Paging {
                operation: op.name,
                stop,
            };
            let mut error = CliError::from_sdk(command, &error);
            // The SDK names its option; here the cap is a flag.
            error.message = error.message.replace("`max_pages`", "--max-pages");
            return Err(error);
        }
    }
    Ok(match (first_answer, paging.items) {
        (Some(Value::Object(mut answer)), Some(field)) => {
            answer.insert(field.to_owned(), Value::Array(items));
            Value::Object(answer)
        }
        _ => Value::Array(items),
    })
}

/// Takes the items out of one page's answer: the answer itself, or its `field`; `null` is an
/// empty page; `None` when the answer holds no list.
fn items_of(answer: &mut Value, field: Option<&str>) -> Option<Vec<Value>> {
    let list = match field {
        Some(field) => answer.get_mut(field)?,
        None => answer,
    };
    match list.take() {
        Value::Array(items) => Some(items),
        Value::Null => Some(Vec::new()),
        other => {
            *list = other;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_are_the_answer_or_its_field() {
        let mut answer = json!([1, 2]);
        assert_eq!(items_of(&mut answer, None), Some(vec![json!(1), json!(2)]));
        let mut answer = json!({"data": [3], "hash": "h"});
        assert_eq!(items_of(&mut answer, Some("data")), Some(vec![json!(3)]));
        assert_eq!(answer, json!({"data": null, "hash": "h"}));
        let mut answer = json!({"data": null});
        assert_eq!(items_of(&mut answer, Some("data")), Some(vec![]));
        let mut answer = json!({"other": 1});
        assert_eq!(items_of(&mut answer, Some("data")), None);
        let mut answer = json!({"a": 1});
        assert_eq!(items_of(&mut answer, None), None);
        assert_eq!(answer, json!({"a": 1}), "kept as it was");
    }
}
