//! A scripted WebSocket server on 127.0.0.1: it reports what it sees in order, and the test
//! tells it what to send, when to kill a socket, and which connections to refuse.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// The safety net of every wait: a test that needs longer is broken, not slow.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Awaits `future`, or fails the test after [`PATIENCE`].
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// What the server saw, in the order it saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// A WebSocket connection was accepted (ids count from 0, refused ones not counted).
    Opened(usize),
    /// A text frame from the client.
    Text { connection: usize, text: String },
    /// The connection ended: with the client's close frame, or not (a kill, a reset).
    Closed {
        connection: usize,
        close_frame: bool,
    },
}

enum Control {
    Send(Message),
    /// Stops reading the socket (the client's writes then back up).
    Stall,
    /// Drops the socket at once, with a TCP reset.
    Kill,
}

/// How the server answers the first frame of a connection instead of reading on.
#[derive(Debug, Clone, Default)]
pub struct AuthAnswer {
    /// A text frame to send.
    pub text: Option<String>,
    /// Then a close frame with this code (the socket ends either way when `close` or `drop`).
    pub close: Option<u16>,
    /// Then drop the socket without a close frame.
    pub drop: bool,
}

pub struct Server {
    pub url: String,
    seen: mpsc::UnboundedReceiver<Seen>,
    controls: Arc<Mutex<Vec<mpsc::UnboundedSender<Control>>>>,
    refuse_next: Arc<AtomicUsize>,
    paused: Arc<AtomicBool>,
    auth_answers: Arc<Mutex<VecDeque<AuthAnswer>>>,
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("ws://{}/chat", listener.local_addr().expect("address"));
        let (seen_sender, seen) = mpsc::unbounded_channel();
        let controls: Arc<Mutex<Vec<mpsc::UnboundedSender<Control>>>> = Arc::default();
        let refuse_next = Arc::new(AtomicUsize::new(0));
        let paused = Arc::new(AtomicBool::new(false));
        let auth_answers: Arc<Mutex<VecDeque<AuthAnswer>>> = Arc::default();
        let server = Server {
            url,
            seen,
            controls: Arc::clone(&controls),
            refuse_next: Arc::clone(&refuse_next),
            paused: Arc::clone(&paused),
            auth_answers: Arc::clone(&auth_answers),
        };
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let refused = paused.load(Ordering::SeqCst)
                    || refuse_next
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                if refused {
                    let _ = stream.set_zero_linger();
                    drop(stream);
                    continue;
                }
                let (control, control_receiver) = mpsc::unbounded_channel();
                let id = {
                    let mut controls = controls.lock().expect("controls");
                    controls.push(control);
                    controls.len() - 1
                };
                let answer = auth_answers.lock().expect("answers").pop_front();
                tokio::spawn(serve(
                    stream,
                    id,
                    seen_sender.clone(),
                    control_receiver,
                    answer,
                ));
            }
        });
        server
    }

    /// The next thing the server saw.
    pub async fn next_seen(&mut self) -> Seen {
        within("the server to see something", self.seen.recv())
            .await
            .expect("the server stopped")
    }

    /// The next text frame (connections opening and closing skipped), as JSON.
    pub async fn next_frame(&mut self) -> (usize, serde_json::Value) {
        let (connection, text) = self.next_text().await;
        let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (connection, json)
    }

    /// The next text frame (connections opening and closing skipped).
    pub async fn next_text(&mut self) -> (usize, String) {
        loop {
            if let Seen::Text { connection, text } = self.next_seen().await {
                return (connection, text);
            }
        }
    }

    /// Everything seen up to the end of `connection`, which must come.
    pub async fn until_closed(&mut self, connection: usize) -> (Vec<Seen>, bool) {
        let mut before = Vec::new();
        loop {
            match self.next_seen().await {
                Seen::Closed {
                    connection: closed,
                    close_frame,
                } if closed == connection => return (before, close_frame),
                other => before.push(other),
            }
        }
    }

    /// Whatever the server saw and the test did not read yet.
    pub fn rest(&mut self) -> Vec<Seen> {
        std::iter::from_fn(|| self.seen.try_recv().ok()).collect()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.controls.lock().expect("controls").len()
    }

    pub fn push(&self, connection: usize, message: Message) {
        self.control(connection, Control::Send(message));
    }

    pub fn push_text(&self, connection: usize, text: impl Into<String>) {
        self.push(connection, Message::text(text.into()));
    }

    pub fn stall(&self, connection: usize) {
        self.control(connection, Control::Stall);
    }

    pub fn kill(&self, connection: usize) {
        self.control(connection, Control::Kill);
    }

    /// Drops the next `count` TCP connections before the WebSocket handshake.
    pub fn refuse_next(&self, count: usize) {
        self.refuse_next.store(count, Ordering::SeqCst);
    }

    /// Answers the first frame of each of the next connections with `answers`, in order.
    pub fn answer_authenticate(&self, answers: impl IntoIterator<Item = AuthAnswer>) {
        self.auth_answers.lock().expect("answers").extend(answers);
    }

    /// Drops every new TCP connection before the handshake, until [`Server::resume`].
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }

    fn control(&self, connection: usize, control: Control) {
        let controls = self.controls.lock().expect("controls");
        let sender = controls
            .get(connection)
            .unwrap_or_else(|| panic!("no connection {connection}"));
        // A connection already gone ignores what it is told.
        let _ = sender.send(control);
    }
}

async fn serve(
    stream: TcpStream,
    id: usize,
    seen: mpsc::UnboundedSender<Seen>,
    mut controls: mpsc::UnboundedReceiver<Control>,
    mut auth_answer: Option<AuthAnswer>,
) {
    let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
        let _ = seen.send(Seen::Closed {
            connection: id,
            close_frame: false,
        });
        return;
    };
    let _ = seen.send(Seen::Opened(id));
    let mut stalled = false;
    let close_frame = loop {
        tokio::select! {
            message = socket.next(), if !stalled => match message {
                Some(Ok(Message::Text(text))) => {
                    let _ = seen.send(Seen::Text { connection: id, text: text.to_string() });
                    if let Some(answer) = auth_answer.take() {
                        if let Some(text) = answer.text {
                            let _ = socket.send(Message::text(text)).await;
                        }
                        if let Some(code) = answer.close {
                            let frame = tokio_tungstenite::tungstenite::protocol::CloseFrame {
                                code: code.into(),
                                reason: "refused".into(),
                            };
                            let _ = socket.close(Some(frame)).await;
                            break true;
                        }
                        if answer.drop {
                            let _ = socket.get_ref().set_zero_linger();
                            break false;
                        }
                    }
                }
                Some(Ok(Message::Close(_))) => {
                    // Answers the close handshake.
                    let _ = socket.close(None).await;
                    break true;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break false,
            },
            control = controls.recv() => match control {
                Some(Control::Send(message)) => {
                    let _ = socket.send(message).await;
                }
                Some(Control::Stall) => stalled = true,
                Some(Control::Kill) | None => {
                    let _ = socket.get_ref().set_zero_linger();
                    break false;
                }
            },
        }
    };
    drop(socket);
    let _ = seen.send(Seen::Closed {
        connection: id,
        close_frame,
    });
}
