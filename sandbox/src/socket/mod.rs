//! The realtime WebSocket, `GET /ws` on the API's port: the inbox's socket as the catalogue's
//! frames write it (see the crate's documentation for the protocol).
//!
//! The HTTP upgrade is answered here (hyper hands the connection over once the `101` is
//! sent); each socket then runs on a task of its own that reads frames ([`frames`]) and writes
//! what the [`Hub`] queued for it, in order.

mod events;
mod frames;
pub(crate) mod hub;
pub(crate) mod publish;
mod replies;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{CONNECTION, CONTENT_TYPE, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY};
use axum::http::header::{SEC_WEBSOCKET_VERSION, UPGRADE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

pub(crate) use hub::{Hub, ReplyScript};
pub(crate) use replies::contact_writes;
pub(crate) use replies::run as play_replies;
pub use replies::{scripted_reply, scripted_reply_to_text};

use crate::codes;
use crate::shared::Shared;
use frames::{Answer, Socket};
use hub::Out;

/// The largest message a client may send (a text message is a few hundred bytes).
const MAX_MESSAGE: usize = 1 << 20;

/// Frames written before one flush, when several are queued.
const WRITE_BATCH: usize = 64;

/// Anything but `GET` on the socket's path.
pub(crate) async fn not_a_get() -> Response {
    refused(StatusCode::METHOD_NOT_ALLOWED)
}

/// An HTTP refusal with the API's error envelope.
fn refused(status: StatusCode) -> Response {
    let mut response = (status, events::error(codes::REFUSED).as_str().to_owned()).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Whether the header `name` holds `token` among its comma-separated values (any case).
fn has_token(headers: &HeaderMap, name: axum::http::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|value| value.trim().eq_ignore_ascii_case(token))
}

/// `GET /ws`: the WebSocket handshake (RFC 6455), then the socket's task. A request that is
/// not a WebSocket handshake is answered HTTP 400 with `{"status":"ERROR","code":2}`.
pub(crate) async fn upgrade(State(shared): State<Arc<Shared>>, mut request: Request) -> Response {
    let headers = request.headers();
    let key = headers
        .get(SEC_WEBSOCKET_KEY)
        .map(|key| derive_accept_key(key.as_bytes()));
    let handshake = has_token(headers, UPGRADE, "websocket")
        && has_token(headers, CONNECTION, "upgrade")
        && headers
            .get(SEC_WEBSOCKET_VERSION)
            .is_some_and(|version| version.as_bytes() == b"13");
    let (Some(accept), true) = (key, handshake) else {
        return refused(StatusCode::BAD_REQUEST);
    };
    let Ok(accept) = HeaderValue::from_str(&accept) else {
        return refused(StatusCode::BAD_REQUEST);
    };
    let upgrading = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        match upgrading.await {
            Ok(upgraded) => {
                let config = WebSocketConfig::default()
                    .max_message_size(Some(MAX_MESSAGE))
                    .max_frame_size(Some(MAX_MESSAGE));
                let socket = WebSocketStream::from_raw_socket(
                    TokioIo::new(upgraded),
                    Role::Server,
                    Some(config),
                )
                .await;
                serve(shared, socket).await;
            }
            Err(e) => tracing::debug!(error = %e, "the WebSocket upgrade failed"),
        }
    });
    let mut response = StatusCode::SWITCHING_PROTOCOLS.into_response();
    let headers = response.headers_mut();
    headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    headers.insert(SEC_WEBSOCKET_ACCEPT, accept);
    response
}

/// Serves one socket until the client goes, the sandbox stops, or a test kills it: reads and
/// answers its frames, and writes what the hub queued for it.
async fn serve<S>(shared: Arc<Shared>, mut socket: WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (id, mut queue) = shared.hub.register();
    let mut state = Socket::new(id);
    tracing::debug!(socket = id, "socket opened");
    loop {
        tokio::select! {
            // What is queued goes out before the next frame is read: an answer never overtakes
            // the events of the frames before it.
            biased;
            out = queue.recv() => match out {
                Some(Out::Text(text)) => {
                    if write_batch(&mut socket, &mut queue, text).await.is_err() {
                        break;
                    }
                }
                Some(Out::GoingAway) => {
                    let _ = socket.close(Some(close_frame(CloseCode::Away, "the sandbox stops"))).await;
                    break;
                }
                // Killed (a test's `kill_sockets`, or a reader too slow): dropped without a
                // close frame, as a network failure would.
                None => break,
            },
            incoming = socket.next() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(bytes))) => match String::from_utf8(bytes.to_vec()) {
                        Ok(text) => text.into(),
                        Err(_) => {
                            shared.hub.count(|stats| stats.refused += 1);
                            if answer(&mut socket, Answer::Error(codes::REFUSED)).await.is_err() {
                                break;
                            }
                            continue;
                        }
                    },
                    // tungstenite answers pings itself.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                };
                let verdict = frames::handle(&shared, &mut state, text.as_str());
                if answer(&mut socket, verdict).await.is_err() {
                    break;
                }
            }
        }
    }
    shared.hub.unregister(id);
    tracing::debug!(socket = id, "socket closed");
}

/// Writes `first` and whatever else is queued (up to a batch), then flushes once.
async fn write_batch<S>(
    socket: &mut WebSocketStream<S>,
    queue: &mut tokio::sync::mpsc::Receiver<Out>,
    first: tokio_tungstenite::tungstenite::Utf8Bytes,
) -> Result<(), ()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    socket.feed(Message::Text(first)).await.map_err(drop)?;
    for _ in 1..WRITE_BATCH {
        match queue.try_recv() {
            Ok(Out::Text(text)) => socket.feed(Message::Text(text)).await.map_err(drop)?,
            Ok(Out::GoingAway) => {
                socket.flush().await.map_err(drop)?;
                let _ = socket
                    .close(Some(close_frame(CloseCode::Away, "the sandbox stops")))
                    .await;
                return Err(());
            }
            Err(_) => break,
        }
    }
    socket.flush().await.map_err(drop)
}

/// Writes the answer to a frame: nothing, an error frame, or an error frame and a close.
/// `Err` when the socket is done.
async fn answer<S>(socket: &mut WebSocketStream<S>, verdict: Answer) -> Result<(), ()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    match verdict {
        Answer::Done => Ok(()),
        Answer::Error(code) => socket
            .send(Message::Text(events::error(code)))
            .await
            .map_err(drop),
        Answer::RefuseWith(frame) => {
            let _ = socket.send(Message::Text(frame.into())).await;
            let _ = socket
                .close(Some(close_frame(CloseCode::Policy, "refused")))
                .await;
            Err(())
        }
        Answer::Refuse(code) => {
            let _ = socket.send(Message::Text(events::error(code))).await;
            let _ = socket
                .close(Some(close_frame(CloseCode::Policy, "refused")))
                .await;
            Err(())
        }
    }
}

fn close_frame(code: CloseCode, reason: &'static str) -> CloseFrame {
    CloseFrame {
        code,
        reason: reason.into(),
    }
}
