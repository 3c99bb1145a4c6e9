//! Decoding the answer envelope `{"status": "OK", "data": ...}`.
//!
//! A successful answer is decoded in one pass straight into the response type. Only when that
//! fails, the status is not `"OK"`, or the code is one the catalogue's table calls a failure
//! even then (99), is the body parsed again as a `serde_json::Value` to build the most telling
//! error: [`Error::Api`] (the whole envelope, typed), [`Error::Http`] (a non-2xx answer
//! without an envelope) or [`Error::Decode`] (serde's message, cut short, and a snippet).

use std::any::TypeId;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::api_error::{ApiError, ResponseBody};
use crate::error::{DecodeCause, Error};
use crate::meta::{ErrorCodeMeta, OperationMeta, ResponseIn};
use crate::redact;
use crate::secret::Secrets;
use crate::wire::Key;

/// One HTTP answer, as the transport received it.
#[derive(Debug)]
pub(crate) struct RawResponse {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The whole body.
    pub(crate) body: Bytes,
    /// `Retry-After`, in seconds, when present.
    pub(crate) retry_after: Option<Duration>,
    /// The call's secrets (the session token at the time of the call, the values of the
    /// request's secret params), to redact from anything kept of the body.
    pub(crate) secrets: Secrets,
    /// The catalogue's table of error codes.
    pub(crate) codes: &'static [ErrorCodeMeta],
    /// The member of a public API answer that carries its error.
    pub(crate) rest_error: &'static str,
}

impl RawResponse {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn secrets(&self) -> Vec<&str> {
        self.secrets.texts()
    }

    /// A secret-free snippet of the body.
    pub(crate) fn snippet(&self) -> String {
        redact::snippet(&self.body, &self.secrets())
    }

    /// The whole body, to keep in an error (shared, not copied).
    fn whole_body(&self) -> ResponseBody {
        ResponseBody::shared(self.body.clone(), self.secrets.clone())
    }

    /// Whether an answer whose status is `"OK"` still failed: its code is one the table calls
    /// a failure even then.
    fn fails_despite_ok(&self, code: Option<i64>) -> bool {
        code.and_then(|code| ErrorCodeMeta::find(self.codes, code))
            .is_some_and(|meta| meta.fails_when_ok)
    }
}

/// The envelope, with `data` decoded as `T` in the same pass.
#[derive(Deserialize)]
struct Envelope<'a, T> {
    status: Status,
    /// `code`, when it is a number (or a string holding one).
    #[serde(default)]
    code: Code,
    /// A missing `data` is `None` (serde's rule for `Option` fields).
    data: Option<T>,
    /// Where the vendor's web inbox reads lists the same server answers (WhatsApp templates,
    /// products, calendars: `json[1].results` in `original /inbox.js`): decoded as `T` only
    /// when there is no `data`.
    #[serde(borrow, default)]
    results: Option<&'a RawValue>,
}

impl<T: DeserializeOwned> Envelope<'_, T> {
    /// `data`, else `results` (see the field), else `None`.
    fn data_or_results(self) -> Result<Option<T>, serde_json::Error> {
        match (self.data, self.results) {
            (Some(data), _) => Ok(Some(data)),
            (None, Some(results)) => serde_json::from_str(results.get()).map(Some),
            (None, None) => Ok(None),
        }
    }
}

/// The number of a `code` member, read without allocating; anything else is no number.
#[derive(Default)]
struct Code(Option<i64>);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl<'de> Visitor<'de> for CodeVisitor {
            type Value = Code;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a code")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Code, E> {
                Ok(Code(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Code, E> {
                Ok(Code(i64::try_from(v).ok()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Code, E> {
                Ok(Code(None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Code, E> {
                Ok(Code(v.trim().parse().ok()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Code, E> {
                Ok(Code(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Code, E> {
                Ok(Code(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Code, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| Code(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Code, A::Error> {
                IgnoredAny.visit_map(map).map(|_| Code(None))
            }
        }
        d.deserialize_any(CodeVisitor)
    }
}

/// Whether `status` is `"OK"`, read without allocating.
struct Status(bool);

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StatusVisitor;
        impl Visitor<'_> for StatusVisitor {
            type Value = Status;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a status string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Status, E> {
                Ok(Status(v == "OK"))
            }
        }
        d.deserialize_str(StatusVisitor)
    }
}

/// A whole answer decoded as `T`, for operations whose answer is beside `status`
/// (`{"status":"OK","rid":"…"}`): `T` sees every key but `status`, in one pass.
struct Whole<T> {
    /// Whether `status` is `"OK"` (false when absent).
    ok: bool,
    /// The number of `code`, when there is one.
    code: Option<i64>,
    value: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Whole<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct WholeVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for WholeVisitor<T> {
            type Value = Whole<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an answer object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Whole<T>, A::Error> {
                let mut tap = StatusTap {
                    inner: map,
                    ok: None,
                    code: None,
                    pending: None,
                };
                let value = T::deserialize(MapAccessDeserializer::new(&mut tap))?;
                Ok(Whole {
                    ok: tap.ok.unwrap_or(false),
                    code: tap.code,
                    value,
                })
            }
        }
        d.deserialize_map(WholeVisitor(std::marker::PhantomData))
    }
}

/// The entries of an answer object without `status`, whose value it records; it records the
/// number of `code` too, which `T` still sees.
struct StatusTap<A> {
    inner: A,
    ok: Option<bool>,
    code: Option<i64>,
    /// The value of `code`, read to record it, for `T` to decode next.
    pending: Option<Value>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StatusTap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<Key<'de>>()? else {
                return Ok(None);
            };
            if key.as_str() == "status" {
                self.ok = Some(self.inner.next_value::<Status>()?.0);
                continue;
            }
            if key.as_str() == "code" {
                let value = self.inner.next_value::<Value>()?;
                self.code = match &value {
                    Value::Number(number) => number.as_i64(),
                    Value::String(text) => text.trim().parse().ok(),
                    _ => None,
                };
                self.pending = Some(value);
            }
            return match key.into_cow() {
                std::borrow::Cow::Borrowed(text) => {
                    seed.deserialize(BorrowedStrDeserializer::new(text))
                }
                std::borrow::Cow::Owned(text) => seed.deserialize(StringDeserializer::new(text)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(value) => seed.deserialize(value).map_err(de::Error::custom),
            None => self.inner.next_value_seed(seed),
        }
    }
}

/// Decodes an answer into the operation's output.
///
/// For `()` outputs any `data` (absent, null or a value) is accepted and skipped. Other outputs
/// decode `data` (or `results` when there is no `data`); an absent or null `data` decodes as
/// `null` would (`None` for options, `Null` for `serde_json::Value`), as an empty list for
/// lists, and is an error for other types.
pub(crate) fn decode<T: DeserializeOwned + 'static>(
    meta: &'static OperationMeta,
    raw: &RawResponse,
) -> Result<T, Error> {
    if !raw.is_success() {
        return Err(failure(meta, raw, None));
    }
    let parsed = if TypeId::of::<T>() == TypeId::of::<()>() {
        serde_json::from_slice::<Envelope<IgnoredAny>>(&raw.body)
            .map(|e| (e.status.0, e.code.0, None))
    } else if meta.response_in == ResponseIn::Envelope {
        serde_json::from_slice::<Whole<T>>(&raw.body).map(|w| (w.ok, w.code, Some(w.value)))
    } else {
        serde_json::from_slice::<Envelope<T>>(&raw.body)
            .and_then(|e| Ok((e.status.0, e.code.0, e.data_or_results()?)))
    };
    match parsed {
        Ok((true, code, _)) if raw.fails_despite_ok(code) => Err(failure(meta, raw, None)),
        Ok((true, _, Some(data))) => Ok(data),
        Ok((true, _, None)) => absent_data::<T>()
            .map_err(|e| decode_error(meta, raw, &format!("the answer has no `data`: {e}"))),
        Ok((false, _, _)) => Err(failure(meta, raw, None)),
        Err(e) => Err(failure(meta, raw, Some(&e))),
    }
}

/// Decodes a public API (REST) answer into the operation's output: the whole body is the
/// output (an empty body decodes as `null` would); an answer object carrying an error member
/// is an [`Error::Api`] whatever its HTTP status, and another non-2xx answer an
/// [`Error::Http`].
pub(crate) fn decode_rest<T: DeserializeOwned + 'static>(
    meta: &'static OperationMeta,
    raw: &RawResponse,
) -> Result<T, Error> {
    // An error member can only be there if its name is: the common answer is read once.
    if !raw.is_success() || mentions_member(&raw.body, raw.rest_error) {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&raw.body) {
            let error = ApiError::from_rest_answer_masking(
                &map,
                raw.rest_error,
                raw.status,
                &raw.secrets(),
                raw.whole_body(),
            );
            if let Some(error) = error {
                return Err(Error::Api {
                    operation: meta.name,
                    envelope: Box::new(error),
                });
            }
        }
    }
    if !raw.is_success() {
        return Err(Error::Http {
            operation: meta.name,
            status: raw.status,
            snippet: raw.snippet(),
            body: raw.whole_body(),
        });
    }
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        // Nothing said: what `null` decodes to, else an empty list, else an object with no
        // members (an answer whose members are all optional, such as `{"success": true}`).
        return absent_data::<T>()
            .or_else(|_| serde_json::from_slice::<T>(b"{}"))
            .map_err(|e| decode_error(meta, raw, &format!("the answer is empty: {e}")));
    }
    serde_json::from_slice::<T>(&raw.body).map_err(|e| decode_error(meta, raw, &e.to_string()))
}

/// Whether `body` holds `"member"` anywhere: a quick test before reading it whole. One vector
/// search for the name, then a look at the byte on each side of a hit: comparing every window
/// of the body cost about 7 % of a whole public API call's instructions on a 700-byte answer.
fn mentions_member(body: &[u8], member: &str) -> bool {
    let name = member.as_bytes();
    memchr::memmem::find_iter(body, name)
        .any(|at| at > 0 && body[at - 1] == b'"' && body.get(at + name.len()) == Some(&b'"'))
}

/// The output for an answer without `data` (or with `data: null`): what `null` decodes to
/// (`()`, `None`, `Value::Null`), else an empty sequence (a list with no items).
fn absent_data<T: DeserializeOwned>() -> Result<T, serde_json::Error> {
    T::deserialize(de::value::UnitDeserializer::<serde_json::Error>::new()).or_else(|unit_error| {
        let empty = std::iter::empty::<Value>();
        T::deserialize(de::value::SeqDeserializer::<_, serde_json::Error>::new(
            empty,
        ))
        .map_err(|_| unit_error)
    })
}

/// The error for an answer that did not decode, or whose status is not `"OK"`.
fn failure(
    meta: &'static OperationMeta,
    raw: &RawResponse,
    typed: Option<&serde_json::Error>,
) -> Error {
    let parsed = serde_json::from_slice::<Value>(&raw.body);
    if let Ok(Value::Object(map)) = &parsed {
        let envelope = ApiError::from_answer_masking(
            map,
            raw.status,
            raw.codes,
            &raw.secrets(),
            raw.whole_body(),
        );
        if let Some(envelope) = envelope {
            return Error::Api {
                operation: meta.name,
                envelope: Box::new(envelope),
            };
        }
    }
    if !raw.is_success() {
        return Error::Http {
            operation: meta.name,
            status: raw.status,
            snippet: raw.snippet(),
            body: raw.whole_body(),
        };
    }
    let cause = match (&parsed, typed) {
        (Err(e), _) => e.to_string(),
        (Ok(Value::Object(map)), _) if !map.contains_key("status") => {
            "the answer is not an envelope: it has no `status`".to_owned()
        }
        (Ok(Value::Object(_)), Some(e)) => e.to_string(),
        (Ok(Value::Object(_)), None) => "the answer does not decode".to_owned(),
        (Ok(other), _) => format!(
            "the answer is not an envelope: expected a JSON object, found {}",
            kind(other)
        ),
    };
    decode_error(meta, raw, &cause)
}

fn decode_error(meta: &'static OperationMeta, raw: &RawResponse, cause: &str) -> Error {
    Error::Decode {
        operation: meta.name,
        status: raw.status,
        snippet: raw.snippet(),
        source: DecodeCause::new(cause, &raw.secrets()),
        body: raw.whole_body(),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api_error::test_table::TABLE;
    use crate::meta::*;
    use crate::secret::SecretToken;
    use serde_json::Map;

    static META: OperationMeta = OperationMeta {
        name: "get_order",
        title: "Get order information",
        summary: "",
        api: Api::Mobile,
        http: None,
        provenance: Provenance::Collection,
        inferred: &[],
        kind: OperationKind::Read,
        discriminators: &[("op", "ecommerce")],
        auth: Auth::Token,
        scope: Scope::Account,
        account_as: WireAs::Number,
        session: None,
        body: BodyEncoding::Json,
        retry_safe: true,
        constants: &[],
        params: &[],
        paging: None,
        response: Some(crate::TypeShape::Struct { name: "Order" }),
        response_in: ResponseIn::Data,
        examples: &[],
    };

    static WHOLE: OperationMeta = OperationMeta {
        name: "request_email_otp",
        response_in: ResponseIn::Envelope,
        ..META
    };

    #[derive(Debug, Deserialize, PartialEq)]
    struct Otp {
        rid: String,
        #[serde(default)]
        data: Option<Vec<u8>>,
    }

    #[test]
    fn an_answer_beside_status_decodes_whole_without_status() {
        let got = decode::<Otp>(&WHOLE, &raw(200, r#"{"status":"OK","rid":"6ec0"}"#));
        assert_eq!(
            got.ok(),
            Some(Otp {
                rid: "6ec0".into(),
                data: None
            })
        );
        let got = decode::<Otp>(
            &WHOLE,
            &raw(200, r#"{"data":[1,2],"rid":"x","status":"OK"}"#),
        );
        assert_eq!(
            got.ok(),
            Some(Otp {
                rid: "x".into(),
                data: Some(vec![1, 2])
            })
        );
        let map = decode::<Map<String, Value>>(&WHOLE, &raw(200, r#"{"status":"OK","url":"u"}"#));
        assert_eq!(
            map.ok().map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["url".into()])
        );
    }

    #[test]
    fn a_whole_answer_with_an_error_status_is_an_api_error() {
        let err = decode::<Otp>(&WHOLE, &raw(200, r#"{"status":"ERROR","code":1}"#))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.api_code().as_deref(), Some("1"));
        assert!(err.is_unauthorized());
        assert!(
            err.to_string()
                .starts_with("request_email_otp: API error 1: the session is not valid"),
            "{err}"
        );
        let err = decode::<Otp>(&WHOLE, &raw(200, r#"{"rid":"x"}"#))
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    #[test]
    fn a_null_body_is_a_decode_error_naming_the_operation() {
        for meta in [&META, &WHOLE] {
            let err = decode::<Otp>(meta, &raw(200, "null"))
                .map(|_| ())
                .unwrap_err();
            assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
            let text = err.to_string();
            assert!(
                text.starts_with(meta.name) && text.contains("found null"),
                "{text}"
            );
        }
    }

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            body: Bytes::copy_from_slice(body.as_bytes()),
            retry_after: None,
            secrets: Some(SecretToken::new("tok-SECRET")).into(),
            codes: &TABLE,
            rest_error: "error",
        }
    }

    static FIND: OperationMeta = OperationMeta {
        name: "find_contacts_by_custom_field",
        api: Api::Public,
        http: Some(HttpMeta {
            method: HttpMethod::Get,
            path: "/contacts/find_by_custom_field",
        }),
        ..META
    };

    #[derive(Debug, Deserialize, PartialEq)]
    struct Found {
        data: Vec<Map<String, Value>>,
    }

    #[test]
    fn a_rest_answer_is_the_output_itself() {
        let found: Found = decode_rest(&FIND, &raw(200, r#"{"data": [{"id": 1}]}"#)).unwrap();
        assert_eq!(found.data.len(), 1);
        // An answer that names `error` only inside a value is still a success.
        let found: Found = decode_rest(
            &FIND,
            &raw(200, r#"{"data": [{"note": "\"error\" is a word"}]}"#),
        )
        .unwrap();
        assert_eq!(found.data.len(), 1);
        let unit: () = decode_rest(&FIND, &raw(200, "  ")).unwrap();
        assert_eq!(unit, ());
        // An empty answer to a call whose answer's members are all optional: none of them.
        let outcome: Map<String, Value> = decode_rest(&FIND, &raw(200, "")).unwrap();
        assert!(outcome.is_empty());
        assert!(decode_rest::<Found>(&FIND, &raw(200, "")).is_err());
    }

    #[test]
    fn a_rest_error_object_is_an_api_error_whatever_the_status() {
        for status in [200, 400, 404] {
            let error = decode_rest::<Found>(
                &FIND,
                &raw(status, r#"{"error": {"code": 24, "message": "tok-SECRET is not a contact", "hint": "x"}}"#),
            )
            .unwrap_err();
            let Error::Api { envelope, .. } = &error else {
                panic!("{error:?}");
            };
            assert_eq!(envelope.form(), crate::ErrorForm::Rest);
            assert_eq!(envelope.http_status(), status);
            assert_eq!(
                envelope.code().map(|c| c.as_text().into_owned()),
                Some("24".into())
            );
            assert_eq!(envelope.rest().get("hint"), Some(&Value::from("x")));
            let shown = error.to_string();
            assert!(
                shown.contains("API error 24") && !shown.contains("tok-SECRET"),
                "{shown}"
            );
        }
        // A bare message, and no code: the HTTP status is the code.
        let error =
            decode_rest::<Found>(&FIND, &raw(401, r#"{"error": "Invalid token"}"#)).unwrap_err();
        assert!(error.is_unauthorized(), "{error:?}");
        assert_eq!(error.api_code().as_deref(), Some("401"));
        // `"error": null` is no error.
        let found: Found = decode_rest(&FIND, &raw(200, r#"{"data": [], "error": null}"#)).unwrap();
        assert!(found.data.is_empty());
    }

    #[test]
    fn a_rest_status_without_an_error_object_is_an_http_error() {
        let error = decode_rest::<Found>(&FIND, &raw(404, "<html>Not found</html>")).unwrap_err();
        assert!(
            matches!(error, Error::Http { status: 404, .. }),
            "{error:?}"
        );
        let error = decode_rest::<Found>(&FIND, &raw(200, "[1, 2]")).unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Order {
        id: u64,
    }

    #[test]
    fn ok_with_data() {
        let got = decode::<Order>(&META, &raw(200, r#"{"status":"OK","data":{"id":7}}"#));
        assert_eq!(got.ok(), Some(Order { id: 7 }));
        let list = decode::<Vec<u64>>(&META, &raw(200, r#"{"data":[1,2],"status":"OK"}"#));
        assert_eq!(list.ok(), Some(vec![1, 2]));
    }

    #[test]
    fn unit_accepts_absent_null_or_any_data() {
        for body in [
            r#"{"status":"OK"}"#,
            r#"{"status":"OK","data":null}"#,
            r#"{"status":"OK","data":{"id":1,"deep":[{"x":[]}]}}"#,
            r#"{"status":"OK","data":"done"}"#,
        ] {
            assert!(decode::<()>(&META, &raw(200, body)).is_ok(), "{body}");
        }
    }

    /// The vendor's web inbox reads some lists from `results` (`json[1].results` for the
    /// WhatsApp templates in `original /inbox.js`): without `data`, that is the answer.
    #[test]
    fn a_list_in_results_is_read_when_there_is_no_data() {
        let results = raw(200, r#"{"status":"OK","results":[1, 2]}"#);
        assert_eq!(decode::<Vec<u64>>(&META, &results).ok(), Some(vec![1, 2]));
        let both = raw(
            200,
            r#"{"status":"OK","data":[3],"results":{"other":"shape"}}"#,
        );
        assert_eq!(decode::<Vec<u64>>(&META, &both).ok(), Some(vec![3]));
        let unfit = raw(200, r#"{"status":"OK","results":{"other":"shape"}}"#);
        let err = decode::<Vec<u64>>(&META, &unfit).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        let failed = raw(200, r#"{"status":"ERROR","code":15,"results":[1]}"#);
        assert!(matches!(
            decode::<Vec<u64>>(&META, &failed),
            Err(Error::Api { .. })
        ));
    }

    #[test]
    fn absent_data_is_none_or_null_or_empty_or_an_error() {
        let ok = raw(200, r#"{"status":"OK"}"#);
        assert!(matches!(decode::<Option<Order>>(&META, &ok), Ok(None)));
        assert!(matches!(decode::<Value>(&META, &ok), Ok(Value::Null)));
        let null = raw(200, r#"{"status":"OK","data":null}"#);
        assert_eq!(decode::<Vec<Order>>(&META, &ok).ok(), Some(vec![]));
        assert_eq!(decode::<Vec<u64>>(&META, &null).ok(), Some(vec![]));
        let err = decode::<Order>(&META, &ok).map(|_| ()).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert!(err.to_string().contains("no `data`"), "{err}");
    }

    #[test]
    fn api_error_with_numeric_or_string_code() {
        let err = decode::<Order>(
            &META,
            &raw(
                200,
                r#"{"status":"ERROR","code":401,"message":"invalid token"}"#,
            ),
        )
        .map(|_| ())
        .unwrap_err();
        assert_eq!(err.to_string(), "get_order: API error 401: invalid token");
        assert!(err.is_unauthorized());
        let err = decode::<()>(
            &META,
            &raw(200, r#"{"status":"ERROR","code":"503","error":"busy"}"#),
        )
        .unwrap_err();
        assert_eq!(err.api_code().as_deref(), Some("503"));
        assert!(err.is_retryable());
        assert!(err.to_string().ends_with("busy"), "{err}");
    }

    #[test]
    fn api_error_even_when_data_does_not_match() {
        let err = decode::<Order>(
            &META,
            &raw(
                200,
                r#"{"status":"FAIL","data":"nope","msg":"no such order"}"#,
            ),
        )
        .map(|_| ())
        .unwrap_err();
        match err {
            Error::Api { envelope, .. } => {
                assert_eq!(
                    (envelope.status(), envelope.code(), envelope.message()),
                    (Some("FAIL"), None, Some("no such order"))
                );
                assert_eq!(envelope.data(), Some(&Value::from("nope")));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn api_error_on_http_error_takes_the_http_status_as_code() {
        let err = decode::<Order>(
            &META,
            &raw(403, r#"{"status":"ERROR","message":"forbidden"}"#),
        )
        .map(|_| ())
        .unwrap_err();
        assert_eq!(err.api_code().as_deref(), Some("403"));
        assert!(err.is_unauthorized());
    }

    #[test]
    fn server_message_echoing_the_token_is_redacted() {
        let err = decode::<Order>(
            &META,
            &raw(
                200,
                r#"{"status":"ERROR","code":401,"message":"bad token tok-SECRET"}"#,
            ),
        )
        .map(|_| ())
        .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("tok-SECRET"));
    }

    #[test]
    fn ok_with_a_code_that_fails_even_then_is_an_api_error() {
        let body = r#"{"status":"OK","code":99,"url":"https://app.example.com/x","data":{"id":7}}"#;
        for meta in [&META, &WHOLE] {
            let err = decode::<Map<String, Value>>(meta, &raw(200, body)).unwrap_err();
            let envelope = err.api().expect("an API error");
            assert_eq!(envelope.url(), Some("https://app.example.com/x"));
            assert_eq!(envelope.status(), Some("OK"));
            assert!(err.to_string().contains("API error 99"), "{err}");
        }
        let err = decode::<()>(&META, &raw(200, r#"{"status":"OK","code":"99"}"#)).unwrap_err();
        assert_eq!(err.api_code().as_deref(), Some("99"));
        // Any other code beside OK is not a failure; T still sees `code`.
        let got = decode::<Map<String, Value>>(&WHOLE, &raw(200, r#"{"status":"OK","code":7}"#));
        assert_eq!(
            got.ok().and_then(|m| m.get("code").cloned()),
            Some(Value::from(7))
        );
        let got = decode::<Order>(
            &META,
            &raw(200, r#"{"status":"OK","code":[1],"data":{"id":1}}"#),
        );
        assert_eq!(got.ok(), Some(Order { id: 1 }));
    }

    #[test]
    fn a_huge_value_that_does_not_fit_gives_a_short_line_and_the_whole_body_on_request() {
        let huge = "9".repeat(2_000) + &"x".repeat(20 << 20);
        let body = format!(r#"{{"status":"OK","data":{{"id":"{huge}"}}}}"#);
        let err = decode::<Order>(&META, &raw(200, &body))
            .map(|_| ())
            .unwrap_err();
        let line = err.to_string();
        assert!(line.len() < 1024, "{} bytes", line.len());
        assert!(line.contains("line 1 column"), "{line}");
        assert_eq!(err.body().map(ResponseBody::len), Some(body.len()));
        let echoed = r#"{"status":"OK","data":{"id":"tok-SECRET"}}"#;
        let err = decode::<Order>(&META, &raw(200, echoed))
            .map(|_| ())
            .unwrap_err();
        let text = err.body().map(ResponseBody::text).unwrap_or_default();
        assert_eq!(text, r#"{"status":"OK","data":{"id":"***"}}"#);
    }

    #[test]
    fn html_502_is_an_http_error() {
        let err = decode::<Order>(&META, &raw(502, "<html><h1>Bad Gateway</h1></html>"))
            .map(|_| ())
            .unwrap_err();
        match &err {
            Error::Http {
                operation,
                status,
                snippet,
                ..
            } => {
                assert_eq!((*operation, *status), ("get_order", 502));
                assert!(snippet.contains("Bad Gateway"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().starts_with("get_order: HTTP 502"));
    }

    #[test]
    fn garbage_200_is_a_decode_error_without_the_token() {
        let err = decode::<Order>(&META, &raw(200, "Fatal error in tok-SECRET handler"))
            .map(|_| ())
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
        assert!(text.contains("Fatal error in *** handler"), "{text}");
        assert!(!text.contains("tok-SECRET"), "{text}");
    }

    #[test]
    fn data_of_the_wrong_shape_is_a_decode_error_naming_the_problem() {
        let err = decode::<Order>(&META, &raw(200, r#"{"status":"OK","data":{"id":"x"}}"#))
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }));
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn json_that_is_not_an_envelope() {
        let no_status = decode::<Order>(&META, &raw(200, r#"{"id":1}"#))
            .map(|_| ())
            .unwrap_err();
        assert!(no_status.to_string().contains("no `status`"), "{no_status}");
        let array = decode::<Order>(&META, &raw(200, "[1]"))
            .map(|_| ())
            .unwrap_err();
        assert!(array.to_string().contains("found an array"), "{array}");
    }

    #[test]
    fn a_member_is_found_only_as_a_quoted_name() {
        assert!(mentions_member(br#"{"error":{"code":401}}"#, "error"));
        assert!(mentions_member(br#"{"a":1, "error" :null}"#, "error"));
        assert!(!mentions_member(br#"{"errors":[],"an_error":1}"#, "error"));
        assert!(!mentions_member(br#"{"text":"error here"}"#, "error"));
        assert!(!mentions_member(br#"error""#, "error"));
        assert!(!mentions_member(b"", "error"));
    }
}
