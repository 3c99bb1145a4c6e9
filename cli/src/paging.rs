//! `--all`: every page of a paged list, one call after the other, each page handed on as it
//! arrives.
//!
//! The pages follow the SDK's own rule, through the same [`chatrace::Pager`] its streams use:
//! from the `--offset` given (or 0), in pages of the limit given (or the catalogue's default)
//! within `1..=max_limit`, until an empty page or a short one the SDK takes for the last (see
//! `Pager`); a page that repeats the previous one
//! (a server that ignores the offset) or the page cap (`--max-pages`, or the SDK's default) ends
//! the listing with an error that says so, instead of looping.
//!
//! Where the items go is the caller's [`PageSink`]: kept to print one answer at the end
//! (`-o json`), or printed as JSON lines page by page (`-o jsonl`), so that memory does not grow
//! with the number of pages. A listing that fails part way tells from which offset to resume.

use chatrace::{fingerprint, CallOptions, Handle, Pager, PagingMeta};
use serde_json::Value;

use crate::body::WireRequest;
use crate::error::CliError;
use crate::output::JsonLines;
use crate::progress::Progress;
use crate::typed;

/// Where the items of each page go.
pub trait PageSink {
    /// Takes one page's items; answers whether to go on (`false`: nobody reads any more).
    ///
    /// # Errors
    ///
    /// When the items cannot be written.
    fn page(&mut self, items: Vec<Value>) -> Result<bool, CliError>;

    /// Whether what was handed on is already printed, so that a listing that fails keeps it
    /// and says where to resume.
    fn prints(&self) -> bool;
}

/// Keeps every item, to print them as one answer.
impl PageSink for Vec<Value> {
    fn page(&mut self, items: Vec<Value>) -> Result<bool, CliError> {
        self.extend(items);
        Ok(true)
    }

    fn prints(&self) -> bool {
        false
    }
}

/// Prints each page's items as JSON lines, and flushes them, as the page arrives.
impl PageSink for JsonLines {
    fn page(&mut self, items: Vec<Value>) -> Result<bool, CliError> {
        self.write_all(&items)?;
        self.flush()?;
        Ok(!self.closed())
    }

    fn prints(&self) -> bool {
        true
    }
}

/// How a listing ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// Every page was read: the first page's answer, its list taken out.
    Done {
        /// The first page's answer (its items field `null`), when there was a page.
        first: Option<Value>,
        /// How many items were handed on.
        items: u64,
    },
    /// The first answer holds no list: it is the whole answer.
    NotAList(Value),
}

impl Listing {
    /// The answer of a listing whose items were kept: one array of every item, or, when the
    /// items are a field of the answer (`PagingMeta.items`), the first answer with that field
    /// holding every item.
    pub fn answer(self, paging: PagingMeta, items: Vec<Value>) -> Value {
        match (self, paging.items) {
            (Listing::NotAList(answer), _) => answer,
            (
                Listing::Done {
                    first: Some(Value::Object(mut answer)),
                    ..
                },
                Some(field),
            ) => {
                answer.insert(field.to_owned(), Value::Array(items));
                Value::Object(answer)
            }
            _ => Value::Array(items),
        }
    }
}

/// Every page of the list `wire` asks for, each page's items handed to `sink` as it arrives.
///
/// An answer that holds no list ends the paging and is returned as it is.
///
/// # Errors
///
/// The first failing call's, or the reason the listing stopped early. When `sink` prints, the
/// message ends with how many items were printed and the `--offset` to resume from.
#[allow(clippy::too_many_arguments)]
pub async fn every_page(
    command: &str,
    paging: PagingMeta,
    mut wire: WireRequest,
    max_pages: Option<u32>,
    handle: &Handle,
    options: &CallOptions,
    sink: &mut dyn PageSink,
    progress: &Progress,
) -> Result<Listing, CliError> {
    let op = wire.op();
    let param = |name: &str| op.params.iter().find(|p| p.wire == name);
    let (Some(offset_param), Some(limit_param)) = (param(paging.offset), param(paging.limit))
    else {
        return typed::call(command, &wire, handle, options)
            .await
            .map(Listing::NotAList);
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
    let mut first: Option<Value> = None;
    let (mut pages, mut handed) = (0u64, 0u64);
    let offset_flag = crate::flags::flag_of(op, paging.offset);
    let resume = |error: CliError, offset: u64, handed: u64, sink: &dyn PageSink| {
        if sink.prints() {
            with_resume(error, handed, &offset_flag, offset)
        } else {
            error
        }
    };
    while let Some((offset, limit)) = pager.next_page() {
        wire.set(offset_param, Value::from(offset));
        wire.set(limit_param, Value::from(limit));
        let mut answer = match typed::call(command, &wire, handle, options).await {
            Ok(answer) => answer,
            Err(error) => return Err(resume(error, offset, handed, &*sink)),
        };
        let page = match take_items(&mut answer, paging.items) {
            Some(page) => page,
            None if first.is_none() => return Ok(Listing::NotAList(answer)),
            None => Vec::new(),
        };
        // What the API takes with the first page only is not sent again.
        for name in paging.first_page_only {
            if let Some(param) = param(name) {
                wire.remove(param);
            }
        }
        let verdict = pager.record(page.len(), fingerprint(&page));
        first.get_or_insert(answer);
        if let Err(stop) = verdict {
            let capped = matches!(stop, chatrace::PagingStop::Cap { .. });
            let error = chatrace::Error::Paging {
                operation: op.name,
                stop,
            };
            let mut error = CliError::from_sdk(command, &error);
            // The SDK names its option; here the cap is a flag.
            error.message = error.message.replace("`max_pages`", "--max-pages");
            if !capped {
                // A repeated page is not handed on: its items were handed on already.
                return Err(error);
            }
            let next = offset + page.len() as u64;
            let handed = handed + page.len() as u64;
            sink.page(page)?;
            return Err(resume(error, next, handed, &*sink));
        }
        pages += 1;
        handed += page.len() as u64;
        let go_on = sink.page(page)?;
        progress.page(pages, handed);
        if !go_on {
            break;
        }
    }
    Ok(Listing::Done {
        first,
        items: handed,
    })
}

/// `error`, saying what was printed and where to resume.
fn with_resume(mut error: CliError, printed: u64, offset_flag: &str, offset: u64) -> CliError {
    error.message = format!(
        "{}; {printed} items printed before it: resume with --{offset_flag} {offset}",
        error.message
    );
    error
}

/// Takes the items out of one page's answer: the answer itself, or its `field`; `null` is an
/// empty page; `None` when the answer holds no list.
fn take_items(answer: &mut Value, field: Option<&str>) -> Option<Vec<Value>> {
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
        assert_eq!(
            take_items(&mut answer, None),
            Some(vec![json!(1), json!(2)])
        );
        let mut answer = json!({"data": [3], "hash": "h"});
        assert_eq!(take_items(&mut answer, Some("data")), Some(vec![json!(3)]));
        assert_eq!(answer, json!({"data": null, "hash": "h"}));
        let mut answer = json!({"data": null});
        assert_eq!(take_items(&mut answer, Some("data")), Some(vec![]));
        let mut answer = json!({"other": 1});
        assert_eq!(take_items(&mut answer, Some("data")), None);
        let mut answer = json!({"a": 1});
        assert_eq!(take_items(&mut answer, None), None);
        assert_eq!(answer, json!({"a": 1}), "kept as it was");
    }
}
