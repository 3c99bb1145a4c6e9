//! An answer's body is read up to the client's limit: past it the call fails with
//! `Error::TooLarge` without holding the rest; under it, an answer in many chunks is read whole.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use chatrace_runtime::Error;

use crate::common::*;

/// A server on 127.0.0.1 that answers every connection with `body`, sent with
/// `Transfer-Encoding: chunked` in chunks of `chunk` bytes (no `Content-Length`), and stops
/// writing once the client stops reading.
async fn chunked_server(body: Vec<u8>, chunk: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 8192];
                // The request's head and body fit one read: the fake operations are small.
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for part in body.chunks(chunk) {
                    let mut framed = format!("{:x}\r\n", part.len()).into_bytes();
                    framed.extend_from_slice(part);
                    framed.extend_from_slice(b"\r\n");
                    if socket.write_all(&framed).await.is_err() || socket.flush().await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    url
}

/// An order answer padded to about `bytes` bytes.
fn padded_order(bytes: usize) -> Vec<u8> {
    let pad = "x".repeat(bytes);
    format!(r#"{{"status":"OK","data":{{"id":7,"total":12,"note":"{pad}"}}}}"#).into_bytes()
}

/// `get_order` of order 7 from `url`, by a client that reads answers of at most `limit` bytes.
async fn get_with_limit(url: &str, limit: u64) -> Result<FakeOrder, Error> {
    builder(url)
        .max_answer_bytes(limit)
        .build()
        .expect("a handle")
        .execute(FakeGet::new(7))
        .await
}

#[tokio::test]
async fn an_answer_in_many_chunks_is_read_whole() {
    let url = chunked_server(padded_order(200_000), 1000).await;
    let order = get_with_limit(&url, 300_000).await.expect("the order");
    assert_eq!((order.id, order.total), (7, Some(12)));
}

#[tokio::test]
async fn an_answer_past_the_limit_is_an_error_that_says_so() {
    let url = chunked_server(padded_order(3_000_000), 16 * 1024).await;
    let error = get_with_limit(&url, 1_000_000)
        .await
        .expect_err("too large");
    assert!(
        matches!(
            error,
            Error::TooLarge {
                status: 200,
                limit: 1_000_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "fake_get: the answer (HTTP 200) is larger than 1000000 bytes, the most the client reads (see ClientBuilder::max_answer_bytes)"
    );
}

#[tokio::test]
async fn a_declared_length_past_the_limit_is_refused_before_reading() {
    let server = Server::always(Reply::json(
        String::from_utf8(padded_order(5_000)).expect("text"),
    ))
    .await;
    let error = get_with_limit(&server.url, 1_000)
        .await
        .expect_err("too large");
    assert!(
        matches!(error, Error::TooLarge { limit: 1_000, .. }),
        "{error:?}"
    );
}
