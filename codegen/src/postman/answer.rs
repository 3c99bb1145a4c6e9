//! What an operation answers, from its examples' answers: the response type (in `data`, or the
//! keys beside it: `response_in: envelope`), whether the answer starts a session, and how a
//! list pages.

use super::json::Ordered;
use super::report::Report;
use super::shape::{Shape, TypeBuilder};
use crate::diag::Pos;
use crate::model::*;
use serde_json::Value as Json;

/// The largest page a list operation asks for, unless the template asks for more.
const DEFAULT_MAX_LIMIT: u32 = 100;

/// The page size asked for when neither the template nor an example shows one.
const FALLBACK_PAGE_SIZE: u32 = 20;

/// What the examples' answers say of an operation.
pub(super) struct Answer {
    /// The response type, if the answers carry anything.
    pub response: Option<TypeRef>,
    /// Where the answer is: `data`, or the keys beside it.
    pub response_in: ResponseIn,
    /// `start` when the answer holds a session token.
    pub session: Option<SessionEffect>,
}

/// The answer of `name` (types prefixed `op_type`), from the examples' answers with
/// `"status": "OK"`: the keys beside `data` when there are any (an envelope), else `data`.
pub(super) fn answer_of(
    answers: &[Ordered],
    name: &str,
    op_type: &str,
    types: &mut TypeBuilder,
    report: &mut Report,
) -> Answer {
    let ok: Vec<&Ordered> = answers
        .iter()
        .filter(|a| matches!(a.get("status"), Some(Ordered::Scalar(Json::String(s))) if s == "OK"))
        .collect();
    let beside_data = ok.iter().any(|a| {
        a.entries()
            .unwrap_or_default()
            .iter()
            .any(|(k, _)| k != "status" && k != "data")
    });
    let (response, response_in) = if ok.is_empty() {
        report.not_inferred(
            "no saved answer with `\"status\": \"OK\"`: the response type is not inferred (until one is declared the call returns `()`)",
        );
        (None, ResponseIn::Data)
    } else if beside_data {
        let shape = ok
            .iter()
            .map(|answer| Shape::of_answer("", &without_status(answer)))
            .fold(Shape::Unknown, Shape::join);
        let ty = types.answer_type(
            &shape,
            &format!("{op_type}Response"),
            &format!(
                "The answer of `{name}`: the keys beside `status`, as the collection's examples show them."
            ),
        );
        report.guessed(format!(
            "response {ty}, response_in: envelope (the answers carry keys beside `data`), typed from the examples' answers"
        ));
        (Some(ty), ResponseIn::Envelope)
    } else {
        let shape = ok
            .iter()
            .filter_map(|a| a.get("data"))
            .map(|data| Shape::of_answer("data", data))
            .fold(Shape::Unknown, Shape::join);
        if shape == Shape::Unknown {
            (None, ResponseIn::Data)
        } else {
            let type_name = match shape {
                Shape::List(_) => format!("{op_type}Item"),
                _ => format!("{op_type}Response"),
            };
            let ty = types.answer_type(
                &shape,
                &type_name,
                &format!("What `{name}` answers in `data`, as the collection's examples show it."),
            );
            report.guessed(format!("response {ty}, typed from the examples' answers"));
            (Some(ty), ResponseIn::Data)
        }
    };
    if matches!(response, Some(TypeRef::Scalar(Scalar::Json))) {
        report.not_inferred("the examples' answers disagree: the response is any JSON (`json`)");
    }
    let session = session_of(&response, types, report);
    Answer {
        response,
        response_in,
        session,
    }
}

fn without_status(answer: &Ordered) -> Ordered {
    match answer {
        Ordered::Object(entries) => Ordered::Object(
            entries
                .iter()
                .filter(|(k, _)| k != "status")
                .cloned()
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A session starts with an answer that holds a `token`: it becomes a required secret.
fn session_of(
    response: &Option<TypeRef>,
    types: &mut TypeBuilder,
    report: &mut Report,
) -> Option<SessionEffect> {
    let Some(TypeRef::Named(struct_name)) = response else {
        return None;
    };
    let token = types
        .fields_mut(struct_name)?
        .iter_mut()
        .find(|f| f.wire == "token" && f.ty == TypeRef::Scalar(Scalar::String))?;
    token.required = true;
    token.secret = true;
    report.guessed(
        "session: start (the answer holds a `token`, which becomes the client's session token)",
    );
    Some(SessionEffect::Start)
}

/// How a list pages: `offset` + `limit` params over a list answer (`data`, or an envelope's
/// `data` field), as many a page as the template's `limit` (else the examples' largest).
pub(super) fn paging_of(
    answer: &Answer,
    template_limit: Option<&Ordered>,
    example_limits: &[Json],
    types: &TypeBuilder,
    report: &mut Report,
) -> Option<Paging> {
    let items = match (&answer.response, answer.response_in) {
        (Some(TypeRef::List(_)), ResponseIn::Data) => Some(None),
        (Some(TypeRef::Named(struct_name)), ResponseIn::Envelope) => types
            .fields(struct_name)
            .and_then(|fields| {
                fields
                    .iter()
                    .find(|f| f.wire == "data" && matches!(f.ty, TypeRef::List(_)))
            })
            .map(|f| Some(f.wire.clone())),
        _ => None,
    };
    let Some(items) = items else {
        report
            .not_inferred("it sends `offset` and `limit`, but its answer is not a list: no paging");
        return None;
    };
    let page_size =
        |value: Option<u64>| value.and_then(|l| u32::try_from(l).ok()).filter(|l| *l > 0);
    let (default_limit, source) = match page_size(template_limit.and_then(|l| l.to_json().as_u64()))
    {
        Some(limit) => (limit, "the template's `limit`"),
        None => match page_size(example_limits.iter().filter_map(Json::as_u64).max()) {
            Some(limit) => (limit, "the examples' largest `limit`"),
            None => (FALLBACK_PAGE_SIZE, "no `limit` shown"),
        },
    };
    let max_limit = default_limit.max(DEFAULT_MAX_LIMIT);
    report.guessed(format!(
        "paging: offset + limit, {default_limit} a page ({source}), at most {max_limit}"
    ));
    Some(Paging {
        offset: "offset".into(),
        limit: "limit".into(),
        items,
        default_limit,
        max_limit,
        first_page_only: Vec::new(),
        pos: Pos::default(),
    })
}
