//! A recording HTTP server on 127.0.0.1 for the SDK's tests: it keeps what it received and
//! answers what the test scripted.

#![allow(dead_code)]

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::sync::{Arc, Mutex};

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The method.
    pub method: Method,
    /// The path and query, as sent.
    pub uri: Uri,
    /// The request headers.
    pub headers: HeaderMap,
    /// The body, as sent.
    pub body: Bytes,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the SDK sent JSON")
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The content type.
    pub content_type: &'static str,
    /// The body (any bytes: a server may send what is not UTF-8).
    pub body: Vec<u8>,
}

impl Answer {
    /// A 200 JSON answer.
    pub fn json(body: impl Into<String>) -> Self {
        Answer {
            status: 200,
            content_type: "application/json; charset=utf-8",
            body: body.into().into_bytes(),
        }
    }
}

/// The recording server.
pub struct Recorder {
    /// Its base URL.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    answer: Arc<Mutex<Answer>>,
}

impl Recorder {
    /// Starts a server on 127.0.0.1 that answers `answer` to every request.
    pub async fn start(answer: Answer) -> Recorder {
        let received = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(Mutex::new(answer));
        let (log, script) = (received.clone(), answer.clone());
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (log, script) = (log.clone(), script.clone());
                async move {
                    log.lock().unwrap().push(Received {
                        method,
                        uri,
                        headers,
                        body,
                    });
                    let answer = script.lock().unwrap().clone();
                    let status = StatusCode::from_u16(answer.status).unwrap();
                    let response: Response =
                        (status, [("content-type", answer.content_type)], answer.body)
                            .into_response();
                    response
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Recorder {
            url,
            received,
            answer,
        }
    }

    /// Changes the scripted answer.
    pub fn answer(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The last request received.
    pub fn last(&self) -> Received {
        self.received()
            .pop()
            .expect("the server received a request")
    }
}

/// The token the tests' clients use; no output may contain it.
pub const TOKEN: &str = "tok-3f9a1c55e2b7";
/// The default account of the tests' clients.
pub const ACCOUNT_ID: u64 = 1_234_567;

/// A client of `url` with [`TOKEN`] and [`ACCOUNT_ID`], retries off (tests script failures).
pub fn client(url: &str) -> chatrace::Client {
    chatrace::Client::builder()
        .base_url(url)
        .token(TOKEN)
        .account_id(ACCOUNT_ID)
        .retry(chatrace::RetryPolicy::disabled())
        .build()
        .expect("a valid client")
}
