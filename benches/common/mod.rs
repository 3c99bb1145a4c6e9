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
/// Numbers go through [`num`]/[`opt_num`], a small visitor that takes a JSON number or a
/// string holding one, so the result is as typed as the SDK's (`u64`, `f64`, `i64`), not a
/// `String` to parse later: the strictest fair baseline (String fields would allocate a string
/// per number and flatter the SDK). Unknown fields are dropped, as hand-written structs do.
#[derive(Debug, Deserialize)]
pub struct HandOrderSummary {
    #[serde(deserialize_with = "num")]
    pub id: u64,
    #[serde(default, deserialize_with = "opt_num")]
    pub contact_id: Option<u64>,
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
    #[serde(default, deserialize_with = "opt_num")]
    pub t_confirmed: Option<i64>,
}

/// The order of `get_order`, hand-written with the same fields as `Order`.
#[derive(Debug, Deserialize)]
pub struct HandOrder {
    #[serde(deserialize_with = "num")]
    pub id: u64,
    #[serde(default, deserialize_with = "opt_num")]
    pub contact_id: Option<u64>,
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

/// One product line of [`HandOrder`] (the fields of `OrderItem`).
#[derive(Debug, Deserialize)]
pub struct HandOrderItem {
    #[serde(deserialize_with = "num")]
    pub id: u64,
    #[serde(default, deserialize_with = "opt_num")]
    pub price: Option<f64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub short_description: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub parent_product: Option<u64>,
    #[serde(default, deserialize_with = "opt_num")]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub user_note: Option<String>,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub addon_of: Option<String>,
}

/// The contact of [`HandOrder`] (the fields of `Contact`).
#[derive(Debug, Deserialize)]
pub struct HandContact {
    #[serde(deserialize_with = "num")]
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub channel: Option<i64>,
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
/// stricter baseline).
#[derive(Serialize)]
pub struct HandGetOrder {
    pub account_id: u64,
    pub op: &'static str,
    pub op1: &'static str,
    pub op2: &'static str,
    pub id: u64,
}

/// The hand-written client: one `reqwest::Client` with the SDK's default timeouts, and the
/// headers the docs give, built once.
#[derive(Clone)]
pub struct HandClient {
    pub http: reqwest::Client,
    pub url: String,
    pub token: String,
    pub account_id: u64,
}

impl HandClient {
    /// A client for `url` with the session `token` and `account_id`.
    pub fn new(url: &str, token: &str, account_id: u64) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a reqwest client");
        HandClient {
            http,
            url: url.to_owned(),
            token: token.to_owned(),
            account_id,
        }
    }

    /// Sends `get_order` as a careful engineer writes it: the docs' body and headers.
    async fn send_get_order(&self, id: u64) -> Result<reqwest::Response, String> {
        let body = HandGetOrder {
            account_id: self.account_id,
            op: "ecommerce",
            op1: "orders",
            op2: "get",
            id,
        };
        self.http
            .post(&self.url)
            .header("Content-Type", "application/json")
            .header("User-Agent", "mobile-app")
            .header("X-ACCESS-TOKEN", &self.token)
            .body(serde_json::to_vec(&body).map_err(|e| e.to_string())?)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// The raw answer of `get_order` (the bytes both clients decode in the e2e benches).
    pub async fn get_order_body(&self, id: u64) -> Vec<u8> {
        let response = self.send_get_order(id).await.expect("the sandbox answers");
        response.bytes().await.expect("a body").to_vec()
    }

    /// `get_order` as a careful engineer writes it: the docs' body and headers, the envelope
    /// checked, `data` decoded into [`HandOrder`].
    pub async fn get_order(&self, id: u64) -> Result<HandOrder, String> {
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

// ---------------------------------------------------------------------------------------------
// End to end

/// The order the e2e benches read: the docs' example id, seeded in every sandbox.
pub const ORDER_ID: u64 = 1_000_000;

/// How many tasks the concurrent e2e benches run at once, and how many calls each makes.
pub const TASKS: usize = 64;
pub const CALLS_PER_TASK: usize = 4;

/// One sandbox, the SDK's client and the hand-written client, both with the sandbox's demo
/// token and account. Call inside the Tokio runtime the benches run on.
pub struct E2e {
    pub sandbox: chatrace_sandbox::Sandbox,
    /// The sandbox's answer to `get_order`, for the decode-only comparison.
    pub order_body: Vec<u8>,
    pub sdk: chatrace::Client,
    pub hand: HandClient,
}

impl E2e {
    /// Starts the sandbox, builds both clients and checks that they read the same order.
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
        let e2e = E2e {
            sandbox,
            order_body,
            sdk,
            hand,
        };
        let from_sdk = e2e.sdk_call().await;
        let by_hand = e2e.hand_call().await;
        assert_eq!(from_sdk.id, by_hand.id, "both clients read the same order");
        assert_eq!(
            from_sdk.products.as_ref().map(Vec::len),
            by_hand.products.as_ref().map(Vec::len)
        );
        e2e
    }

    /// `get_order` through the SDK.
    pub async fn sdk_call(&self) -> chatrace::types::Order {
        sdk_get_order(&self.sdk).await
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
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let client = self.sdk.clone();
                tokio::spawn(async move {
                    for _ in 0..CALLS_PER_TASK {
                        std::hint::black_box(sdk_get_order(&client).await);
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("the task finishes");
        }
    }

    /// [`TASKS`] tasks making [`CALLS_PER_TASK`] hand-written calls each, at once.
    pub async fn hand_concurrent(&self) {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let client = self.hand.clone();
                tokio::spawn(async move {
                    for _ in 0..CALLS_PER_TASK {
                        std::hint::black_box(client.get_order(ORDER_ID).await.expect("get_order"));
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("the task finishes");
        }
    }
}

async fn sdk_get_order(client: &chatrace::Client) -> chatrace::types::Order {
    client
        .get_order(ORDER_ID)
        .send()
        .await
        .expect("get_order through the SDK")
}

/// The multi-thread runtime the e2e benches run on (all cores: 2 here).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}
