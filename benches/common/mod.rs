//! What the benches share: the hand-written baselines (the code a careful engineer writes with
//! reqwest and serde_json, no SDK) and the deterministic inputs.
//!
//! Every bench target includes this module with `mod common;` and uses part of it.

#![allow(dead_code)]

pub mod cases;

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// The account the encode benches write into account-scoped bodies.
pub const ACCOUNT_ID: u64 = 1_234_567;

/// How many orders the decode bench's `list_orders` answer holds.
pub const ORDERS: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// Inputs

/// A `list_orders` answer of `n` orders, the same bytes on every run.
///
/// The shape is the docs' example (every field of `OrderSummary`). Every second order writes
/// its numbers as strings exactly as the docs' example does (`"total": "1000"`, `"id":
/// "569601"`); the others write them as JSON numbers, as the docs' `get_order` example does
/// (`"total": 20000`). Ids, totals, names, ratings and statuses vary with the index.
pub fn list_orders_body(n: usize) -> Vec<u8> {
    const STATUSES: [u32; 5] = [4, 6, 7, 10, 13];
    let mut out = String::with_capacity(n * 320 + 32);
    out.push_str(r#"{"status":"OK","data":["#);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let id = 569_601 + i as u64;
        let contact_id = 833_274_349_439 + (i as u64 * 7919) % 1_000_003;
        let total = 1000 + (i as u64 * 37) % 90_000;
        let subtotal = total - total / 10;
        let shipping = total - subtotal;
        let rating = 1 + i % 5;
        let status = STATUSES[i % 5];
        let t_confirmed = 1_706_209_200 + i as u64 * 3600;
        let day = 1 + i % 28;
        let hour = i % 24;
        let (q, e) = if i % 2 == 0 { ("\"", "\"") } else { ("", "") };
        // A decimal total on some orders, so floats are exercised as well as integers.
        let total_text = if i % 10 == 3 {
            format!("{total}.50")
        } else {
            total.to_string()
        };
        out.push_str(&format!(
            concat!(
                r#"{{"id":{q}{id}{e},"contact_id":{q}{contact_id}{e},"name":"Name {i}","#,
                r#""currency":"USD","total":{q}{total}{e},"subtotal":{q}{subtotal}{e},"#,
                r#""shipping_price":{q}{shipping}{e},"rating":{q}{rating}{e},"#,
                r#""status":{q}{status}{e},"dt_confirmed":"2024-01-{day:02} {hour:02}:00:00","#,
                r#""t_confirmed":{q}{t_confirmed}{e}}}"#
            ),
            q = q,
            e = e,
            id = id,
            contact_id = contact_id,
            i = i,
            total = total_text,
            subtotal = subtotal,
            shipping = shipping,
            rating = rating,
            status = status,
            day = day,
            hour = hour,
            t_confirmed = t_confirmed,
        ));
    }
    out.push_str("]}");
    out.into_bytes()
}

/// Panics unless the SDK and the hand-written struct read the same values from `body` (a
/// `list_orders` answer): the decode comparison is fair only if both do the same work.
pub fn check_decode_same(body: &[u8]) {
    let sdk = serde_json::from_slice::<HandEnvelope<Vec<chatrace::types::OrderSummary>>>(body)
        .expect("the SDK decodes")
        .data
        .expect("data");
    let hand = serde_json::from_slice::<HandEnvelope<Vec<HandOrderSummary>>>(body)
        .expect("the baseline decodes")
        .data
        .expect("data");
    assert_eq!(sdk.len(), hand.len());
    for (s, h) in sdk.iter().zip(&hand) {
        let sdk_view = (
            s.id.as_str(),
            s.contact_id.as_ref().map(|id| id.as_str()),
            s.name.as_deref(),
            s.currency.as_deref(),
            (s.total, s.subtotal, s.shipping_price, s.rating),
            s.status.as_ref().map(|status| status.as_i64()),
            s.confirmed_at.as_ref().map(|t| t.as_str()),
            s.confirmed_at_unix.as_ref().map(|t| t.as_str()),
        );
        let hand_view = (
            h.id.as_str(),
            h.contact_id.as_deref(),
            h.name.as_deref(),
            h.currency.as_deref(),
            (h.total, h.subtotal, h.shipping_price, h.rating),
            h.status,
            h.dt_confirmed.as_deref(),
            h.t_confirmed.as_deref(),
        );
        assert_eq!(
            sdk_view, hand_view,
            "the SDK and the baseline read the same order"
        );
        assert!(
            s.extra.is_empty(),
            "every key of the body is a declared field"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written decoding

/// The envelope, as a hand-written client reads it.
#[derive(Deserialize)]
pub struct HandEnvelope<T> {
    /// `"OK"` on success.
    pub status: String,
    /// The answer.
    pub data: Option<T>,
}

/// One order of `list_orders`, hand-written with the same fields as `OrderSummary`.
///
/// Each field takes the same forms as the SDK's: ids and Unix times are kept as the text the
/// server sent and accept a JSON number or a string ([`text`]/[`opt_text`], as `OrderId`,
/// `ContactId` and `UnixSeconds` do); amounts and small integers are typed numbers that accept
/// a number or a string holding one ([`num`]/[`opt_num`], as the SDK's lenient numbers do), so
/// the result is as typed as the SDK's, not a `String` to parse later. The status is the wire
/// integer (the SDK maps it to an enum afterwards: a `match`, no allocation). Unknown fields are
/// dropped, as hand-written structs do.
#[derive(Debug, Deserialize)]
pub struct HandOrderSummary {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub total: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub subtotal: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub shipping_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub rating: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub status: Option<i64>,
    #[serde(default)]
    pub dt_confirmed: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub t_confirmed: Option<String>,
}

/// The order of `get_order`, hand-written with the same fields as `Order` (same forms as
/// [`HandOrderSummary`]).
#[derive(Debug, Deserialize)]
pub struct HandOrder {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub contact_id: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub total: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub subtotal: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub shipping_price: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub other_taxes: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub number_items: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub rating: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub status: Option<i64>,
    #[serde(default)]
    pub date_confirmed: Option<String>,
    #[serde(default)]
    pub date_delivered: Option<String>,
    #[serde(default)]
    pub products: Option<Vec<HandOrderItem>>,
    #[serde(default)]
    pub contact: Option<HandContact>,
}

/// One product line of [`HandOrder`] (the fields of `OrderItem`; the product ids are text, as
/// `ProductId` is).
#[derive(Debug, Deserialize)]
pub struct HandOrderItem {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_num")]
    pub price: Option<f64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub short_description: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub parent_product: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub user_note: Option<String>,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub addon_of: Option<String>,
}

/// The contact of [`HandOrder`] (the fields of `OrderContact`; the channel is the wire integer).
#[derive(Debug, Deserialize)]
pub struct HandContact {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub channel: Option<i64>,
}

/// A contact of the public API's `get_contact_record`, hand-written with the same fields as
/// `ContactRecord` and the same forms: ids as text ([`text`]/[`opt_text`], as `ContactId`,
/// `AccountId`, `TagId` and `CustomFieldId` do), numbers typed and taking a string holding one
/// ([`opt_num`]), the channel and a field's type as the wire integers (the SDK maps them to
/// enums afterwards: a `match`, no allocation). `gender` and a field's `value` take a number as
/// its text, as the SDK's strings do: the Swagger model writes the gender as `0` and the public
/// API sends a number field's value as a number.
#[derive(Debug, Deserialize)]
pub struct HandContactRecord {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub page_id: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub channel: Option<i64>,
    #[serde(default)]
    pub profile_pic: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub gender: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub timezone: Option<f64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub last_sent: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub last_delivered: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub last_seen: Option<i64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub last_interaction: Option<i64>,
    #[serde(default)]
    pub subscribed_date: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub subscribed: Option<i64>,
    #[serde(default)]
    pub tags: Option<Vec<HandTag>>,
    #[serde(default)]
    pub custom_fields: Option<Vec<HandFieldValue>>,
}

/// A tag of [`HandContactRecord`] (the fields of `Tag`).
#[derive(Debug, Deserialize)]
pub struct HandTag {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// A custom field value of [`HandContactRecord`] (the fields of `ContactFieldValue`).
#[derive(Debug, Deserialize)]
pub struct HandFieldValue {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub value: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "opt_num")]
    pub field_type: Option<i64>,
}

/// Panics unless the SDK's `ContactRecord` and the hand-written one hold the same values, and
/// the SDK kept no unknown key: the public API comparison is fair only if both do the same work.
pub fn check_contact_same(sdk: &chatrace::types::ContactRecord, hand: &HandContactRecord) {
    let sdk_view = (
        (
            sdk.id.as_str(),
            sdk.account_id.as_ref().map(|id| id.as_str()),
            sdk.first_name.as_deref(),
            sdk.last_name.as_deref(),
            sdk.channel.as_ref().map(|channel| channel.as_i64()),
            sdk.profile_pic.as_deref(),
            sdk.locale.as_deref(),
            sdk.gender.as_deref(),
        ),
        (
            sdk.timezone_offset,
            sdk.last_sent,
            sdk.last_delivered,
            sdk.last_seen,
            sdk.last_interaction,
            sdk.subscribed_at.as_deref(),
            sdk.subscribed,
        ),
    );
    let hand_view = (
        (
            hand.id.as_str(),
            hand.page_id.as_deref(),
            hand.first_name.as_deref(),
            hand.last_name.as_deref(),
            hand.channel,
            hand.profile_pic.as_deref(),
            hand.locale.as_deref(),
            hand.gender.as_deref(),
        ),
        (
            hand.timezone,
            hand.last_sent,
            hand.last_delivered,
            hand.last_seen,
            hand.last_interaction,
            hand.subscribed_date.as_deref(),
            hand.subscribed,
        ),
    );
    assert_eq!(sdk_view, hand_view, "both clients read the same contact");
    assert!(
        sdk.extra.is_empty(),
        "every key of the contact is a declared field"
    );
    let sdk_tags: Vec<_> = sdk
        .tags
        .iter()
        .flatten()
        .inspect(|tag| assert!(tag.extra.is_empty(), "every key of a tag is declared"))
        .map(|tag| (tag.id.as_str(), tag.name.as_deref()))
        .collect();
    let hand_tags: Vec<_> = hand
        .tags
        .iter()
        .flatten()
        .map(|tag| (tag.id.as_str(), tag.name.as_deref()))
        .collect();
    assert_eq!(sdk_tags, hand_tags, "both clients read the same tags");
    let sdk_fields: Vec<_> = sdk
        .custom_fields
        .iter()
        .flatten()
        .inspect(|v| assert!(v.extra.is_empty(), "every key of a value is declared"))
        .map(|v| {
            (
                v.field_id.as_str(),
                v.name.as_deref(),
                v.value.as_deref(),
                v.field_type.as_ref().map(|t| t.as_i64()),
            )
        })
        .collect();
    let hand_fields: Vec<_> = hand
        .custom_fields
        .iter()
        .flatten()
        .map(|v| {
            (
                v.id.as_str(),
                v.name.as_deref(),
                v.value.as_deref(),
                v.field_type,
            )
        })
        .collect();
    assert_eq!(
        sdk_fields, hand_fields,
        "both clients read the same field values"
    );
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// An id or a time kept as text: a string as it is, a number as its text (the server sends
/// `"833274349439"` and `833274349439` for the same id).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// [`text`] for optional fields (`null` is `None`).
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct OptVisitor;
    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null, a string or a number")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            text(d).map(Some)
        }
    }
    d.deserialize_option(OptVisitor)
}

/// The numeric types [`num`] reads.
pub trait FromNumber: Sized + std::str::FromStr {
    fn from_u64(v: u64) -> Option<Self>;
    fn from_i64(v: i64) -> Option<Self>;
    fn from_f64(v: f64) -> Option<Self>;
}

impl FromNumber for u64 {
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok()
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl FromNumber for i64 {
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl FromNumber for f64 {
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

struct NumVisitor<T>(PhantomData<T>);

impl<T: FromNumber> Visitor<'_> for NumVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v).ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v).ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v).ok_or_else(|| E::custom("not an integer"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(|_| E::custom("not a number"))
    }
}

/// A number, or a string holding one: the small helper a hand-written client needs for this API.
pub fn num<'de, D: Deserializer<'de>, T: FromNumber>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(NumVisitor(PhantomData))
}

/// [`num`] for optional fields (`null` is `None`).
pub fn opt_num<'de, D: Deserializer<'de>, T: FromNumber>(d: D) -> Result<Option<T>, D::Error> {
    struct OptVisitor<T>(PhantomData<T>);
    impl<'de, T: FromNumber> Visitor<'de> for OptVisitor<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null, a number or a string holding one")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            num(d).map(Some)
        }
    }
    d.deserialize_option(OptVisitor(PhantomData))
}

// ---------------------------------------------------------------------------------------------
// Hand-written HTTP

/// The body of `get_order`, as a typed struct (cheaper to write than a `json!` map: the
/// stricter baseline). The order id is held as text, as the answers give it, and sent as the
/// JSON number the docs show ([`number_or_text`]), as the SDK sends an `OrderId`.
#[derive(Serialize)]
pub struct HandGetOrder<'a> {
    pub account_id: u64,
    pub op: &'static str,
    pub op1: &'static str,
    pub op2: &'static str,
    #[serde(serialize_with = "number_or_text")]
    pub id: &'a str,
}

/// Writes an id held as text as a JSON number when it is one (`"1000000"` -> `1000000`), else
/// as its text.
pub fn number_or_text<S: serde::Serializer>(id: &&str, s: S) -> Result<S::Ok, S::Error> {
    match id.parse::<u64>() {
        Ok(n) => s.serialize_u64(n),
        Err(_) => s.serialize_str(id),
    }
}

/// [`number_or_text`] for a `json!` body.
pub fn number_or_text_value(id: &str) -> serde_json::Value {
    match id.parse::<u64>() {
        Ok(n) => n.into(),
        Err(_) => id.into(),
    }
}

/// The hand-written client: one `reqwest::Client` with the SDK's default timeouts, and the
/// headers the docs give. The URL is parsed once, as the SDK does (passing a `&str` to `post`
/// parses it again on every call: about 6,000 instructions, 3 % of a call on loopback).
#[derive(Clone)]
pub struct HandClient {
    pub http: reqwest::Client,
    pub url: reqwest::Url,
    pub token: String,
    pub account_id: u64,
}

impl HandClient {
    /// A client for `url` with the session `token` and `account_id`.
    pub fn new(url: &str, token: &str, account_id: u64) -> Self {
        HandClient {
            http: http_client(),
            url: reqwest::Url::parse(url).expect("a valid URL"),
            token: token.to_owned(),
            account_id,
        }
    }

    /// Sends `get_order` as a careful engineer writes it: the docs' body and headers.
    async fn send_get_order(&self, id: &str) -> Result<reqwest::Response, String> {
        let body = HandGetOrder {
            account_id: self.account_id,
            op: "ecommerce",
            op1: "orders",
            op2: "get",
            id,
        };
        self.http
            .post(self.url.clone())
            .header("Content-Type", "application/json")
            .header("User-Agent", "mobile-app")
            .header("X-ACCESS-TOKEN", &self.token)
            .body(serde_json::to_vec(&body).map_err(|e| e.to_string())?)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// The raw answer of `get_order` (the bytes both clients decode in the e2e benches).
    pub async fn get_order_body(&self, id: &str) -> Vec<u8> {
        let response = self.send_get_order(id).await.expect("the sandbox answers");
        response.bytes().await.expect("a body").to_vec()
    }

    /// `get_order` as a careful engineer writes it: the docs' body and headers, the envelope
    /// checked, `data` decoded into [`HandOrder`].
    pub async fn get_order(&self, id: &str) -> Result<HandOrder, String> {
        let response = self.send_get_order(id).await?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        let envelope: HandEnvelope<HandOrder> =
            serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        match (envelope.status.as_str(), envelope.data) {
            ("OK", Some(order)) => Ok(order),
            (status, _) => Err(format!("API status {status}")),
        }
    }
}

/// The HTTP client of the hand-written clients, with the SDK's default timeouts (connect 10 s,
/// total 30 s).
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a reqwest client")
}

/// The hand-written client of the public API: one `reqwest::Client` with the SDK's default
/// timeouts, the base URL parsed once, and the account's API token.
#[derive(Clone)]
pub struct HandPublicClient {
    pub http: reqwest::Client,
    pub base: reqwest::Url,
    pub token: String,
}

impl HandPublicClient {
    /// A client for the public API at `base` (a folder: `http://host/api/`) with `token`.
    pub fn new(base: &str, token: &str) -> Self {
        HandPublicClient {
            http: http_client(),
            base: reqwest::Url::parse(base).expect("a valid URL"),
            token: token.to_owned(),
        }
    }

    /// `GET {base}/contacts/{id}` with the headers the SDK sends (the API token in
    /// `X-ACCESS-TOKEN`, and the same user agent). The id is pushed as an escaped path segment
    /// onto the parsed base, as careful code (and the SDK) does, rather than formatted into a
    /// text that is parsed again.
    async fn send_get_contact(&self, id: &str) -> Result<reqwest::Response, String> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| "the base URL cannot take a path".to_owned())?
            .pop_if_empty()
            .push("contacts")
            .push(id);
        self.http
            .get(url)
            .header("User-Agent", "mobile-app")
            .header("X-ACCESS-TOKEN", &self.token)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// The raw answer of `get_contact_record` (the bytes both clients decode).
    pub async fn get_contact_record_body(&self, id: &str) -> Vec<u8> {
        let response = self
            .send_get_contact(id)
            .await
            .expect("the sandbox answers");
        assert!(response.status().is_success(), "HTTP {}", response.status());
        response.bytes().await.expect("a body").to_vec()
    }

    /// `get_contact_record` as a careful engineer writes it: the HTTP status checked, the body
    /// decoded into [`HandContactRecord`] (an error object has no `id`, so it does not decode).
    pub async fn get_contact_record(&self, id: &str) -> Result<HandContactRecord, String> {
        let response = self.send_get_contact(id).await?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// End to end

/// The order the e2e benches read: the docs' example id, seeded in every sandbox. Both sides
/// hold it as text (an `OrderId` for the SDK, a `&str` by hand) and send it as a JSON number.
pub const ORDER_ID: &str = "1000000";

/// How many tasks the concurrent e2e benches run at once, and how many calls each makes.
pub const TASKS: usize = 64;
pub const CALLS_PER_TASK: usize = 4;

/// One sandbox, the SDK's clients and the hand-written ones: the mobile API's with the sandbox's
/// demo token and account, the public API's with the demo account's API token. Call inside the
/// Tokio runtime the benches run on.
pub struct E2e {
    pub sandbox: chatrace_sandbox::Sandbox,
    /// The sandbox's answer to `get_order`, for the decode-only comparison.
    pub order_body: Vec<u8>,
    pub sdk: chatrace::Client,
    pub hand: HandClient,
    /// [`ORDER_ID`] as the SDK's typed id.
    pub order_id: chatrace::types::OrderId,
    /// The sandbox's answer to `get_contact_record`, for the decode-only comparison.
    pub contact_body: Vec<u8>,
    pub public: chatrace::PublicClient,
    pub hand_public: HandPublicClient,
    /// The contact the public API pairs read (the demo contact, with tags and field values),
    /// as the SDK's typed id and as the text the hand-written client holds.
    pub contact_id: chatrace::types::ContactId,
    pub contact_text: String,
}

impl E2e {
    /// Starts the sandbox, builds the clients and checks that both sides of each pair read the
    /// same answer.
    pub async fn start() -> E2e {
        let sandbox = chatrace_sandbox::Sandbox::start()
            .await
            .expect("the sandbox starts");
        let credentials = sandbox.credentials().clone();
        let sdk = chatrace::Client::builder()
            .base_url(sandbox.base_url())
            .token(credentials.token.clone())
            .account_id(credentials.account_id)
            .build()
            .expect("the SDK client builds");
        let hand = HandClient::new(
            &sandbox.base_url(),
            &credentials.token,
            credentials.account_id,
        );
        let order_body = hand.get_order_body(ORDER_ID).await;
        let public = chatrace::PublicClient::builder()
            .base_url(sandbox.public_api_url())
            .api_token(credentials.api_token.clone())
            .build()
            .expect("the SDK's public client builds");
        let hand_public = HandPublicClient::new(&sandbox.public_api_url(), &credentials.api_token);
        let contact_text = credentials.contact_id.to_string();
        let contact_body = hand_public.get_contact_record_body(&contact_text).await;
        let e2e = E2e {
            sandbox,
            order_body,
            sdk,
            hand,
            order_id: chatrace::types::OrderId::new(ORDER_ID),
            contact_body,
            public,
            hand_public,
            contact_id: chatrace::types::ContactId::new(&contact_text),
            contact_text,
        };
        let from_sdk = e2e.sdk_call().await;
        let by_hand = e2e.hand_call().await;
        assert_eq!(
            from_sdk.id.as_str(),
            by_hand.id,
            "both clients read the same order"
        );
        assert_eq!(
            from_sdk.products.as_ref().map(Vec::len),
            by_hand.products.as_ref().map(Vec::len)
        );
        let from_sdk = e2e.public_sdk_call().await;
        let by_hand = e2e.public_hand_call().await;
        check_contact_same(&from_sdk, &by_hand);
        // The same check on the bytes alone, and a realistic object: tags and field values.
        let decoded = serde_json::from_slice::<chatrace::types::ContactRecord>(&e2e.contact_body)
            .expect("the SDK decodes the contact");
        check_contact_same(&decoded, &by_hand);
        assert!(
            by_hand.tags.as_ref().is_some_and(|tags| !tags.is_empty())
                && by_hand
                    .custom_fields
                    .as_ref()
                    .is_some_and(|v| !v.is_empty()),
            "the contact read carries tags and custom field values"
        );
        e2e
    }

    /// `get_order` through the SDK.
    pub async fn sdk_call(&self) -> chatrace::types::Order {
        sdk_get_order(&self.sdk, &self.order_id).await
    }

    /// `get_order` by hand.
    pub async fn hand_call(&self) -> HandOrder {
        self.hand
            .get_order(ORDER_ID)
            .await
            .expect("get_order by hand")
    }

    /// [`TASKS`] tasks making [`CALLS_PER_TASK`] SDK calls each, at once.
    pub async fn sdk_concurrent(&self) {
        in_tasks(|| {
            let client = self.sdk.clone();
            let order_id = self.order_id.clone();
            async move {
                for _ in 0..CALLS_PER_TASK {
                    std::hint::black_box(sdk_get_order(&client, &order_id).await);
                }
            }
        })
        .await;
    }

    /// [`TASKS`] tasks making [`CALLS_PER_TASK`] hand-written calls each, at once.
    pub async fn hand_concurrent(&self) {
        in_tasks(|| {
            let client = self.hand.clone();
            async move {
                for _ in 0..CALLS_PER_TASK {
                    std::hint::black_box(client.get_order(ORDER_ID).await.expect("get_order"));
                }
            }
        })
        .await;
    }

    /// `get_contact_record` through the SDK's public client.
    pub async fn public_sdk_call(&self) -> chatrace::types::ContactRecord {
        sdk_get_contact(&self.public, &self.contact_id).await
    }

    /// `get_contact_record` by hand.
    pub async fn public_hand_call(&self) -> HandContactRecord {
        self.hand_public
            .get_contact_record(&self.contact_text)
            .await
            .expect("get_contact_record by hand")
    }

    /// [`TASKS`] tasks making [`CALLS_PER_TASK`] `get_contact_record` calls through the SDK.
    pub async fn public_sdk_concurrent(&self) {
        in_tasks(|| {
            let client = self.public.clone();
            let contact_id = self.contact_id.clone();
            async move {
                for _ in 0..CALLS_PER_TASK {
                    std::hint::black_box(sdk_get_contact(&client, &contact_id).await);
                }
            }
        })
        .await;
    }

    /// [`TASKS`] tasks making [`CALLS_PER_TASK`] hand-written `get_contact_record` calls.
    pub async fn public_hand_concurrent(&self) {
        in_tasks(|| {
            let client = self.hand_public.clone();
            let contact = self.contact_text.clone();
            async move {
                for _ in 0..CALLS_PER_TASK {
                    std::hint::black_box(
                        client
                            .get_contact_record(&contact)
                            .await
                            .expect("get_contact_record"),
                    );
                }
            }
        })
        .await;
    }
}

/// Spawns [`TASKS`] tasks, each the future `task` makes, and waits for all of them.
async fn in_tasks<F, Fut>(task: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let tasks: Vec<_> = (0..TASKS).map(|_| tokio::spawn(task())).collect();
    for task in tasks {
        task.await.expect("the task finishes");
    }
}

/// `get_order` through the SDK. The SDK takes the id by value: the caller clones the one it
/// holds, as user code does with an id read from an earlier answer.
async fn sdk_get_order(
    client: &chatrace::Client,
    order_id: &chatrace::types::OrderId,
) -> chatrace::types::Order {
    client
        .get_order(order_id.clone())
        .send()
        .await
        .expect("get_order through the SDK")
}

/// `get_contact_record` through the SDK's public client (the id cloned, as for `get_order`).
async fn sdk_get_contact(
    client: &chatrace::PublicClient,
    contact_id: &chatrace::types::ContactId,
) -> chatrace::types::ContactRecord {
    client
        .get_contact_record(contact_id.clone())
        .send()
        .await
        .expect("get_contact_record through the SDK")
}

/// The multi-thread runtime the e2e benches run on (all cores: 2 here).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}
