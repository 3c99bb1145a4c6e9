//! A request body as the import reads it: parsed with its placeholders filled, and the keys
//! of its params (top level or inside `data`), their values and the JSON form they take.

use super::json::Ordered;
use crate::model::*;
use serde_json::Value as Json;

/// The keys a list is paged with, as the vendor's apps page (`offset` grows by `limit`).
pub(super) const PAGING_KEYS: [&str; 2] = ["offset", "limit"];

/// A body param by where it goes and its wire name.
pub(super) type ParamKey = (Location, String);

/// A request body as JSON, with the placeholders outside strings (`{{account_id}}`) filled.
pub(super) fn parse_body(text: &str) -> Result<Ordered, String> {
    match Ordered::parse(&fill_placeholders(text, 1)) {
        Ok(body @ Ordered::Object(_)) => Ok(body),
        Ok(_) => Err("the body is not a JSON object".into()),
        Err(e) => Err(format!("the body is not JSON: {e}")),
    }
}

/// The value at `key` of a body: a top-level key, or a key of its `data` object.
pub(super) fn lookup<'a>(body: &'a Ordered, (location, key): &ParamKey) -> Option<&'a Ordered> {
    match location {
        Location::Top => body.get(key),
        Location::Data => body.get("data")?.get(key),
        Location::Header | Location::Path | Location::Query | Location::Form | Location::Body => {
            None
        }
    }
}

/// The JSON form values are sent in: all numbers, or all strings (a list by its items).
pub(super) fn form_of(values: &[Json]) -> Option<WireAs> {
    let form = |value: &Json| match value {
        Json::Number(_) => Some(WireAs::Number),
        Json::String(_) => Some(WireAs::String),
        Json::Array(items) => items.iter().find_map(|item| match item {
            Json::Number(_) => Some(WireAs::Number),
            Json::String(_) => Some(WireAs::String),
            _ => None,
        }),
        _ => None,
    };
    let mut forms = values.iter().filter_map(form);
    let first = forms.next()?;
    forms.all(|f| f == first).then_some(first)
}
