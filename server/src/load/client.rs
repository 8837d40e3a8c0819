//! A small HTTP/1.1 client for the load run: one kept-alive connection per
//! player and server process, over loopback only. Anything that goes wrong
//! on the way (refused connection, reset, no answer in time) is a
//! `Transport` error: the player tries again, elsewhere if it can.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Empty, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

/// The longest a request may take before it counts as lost.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Transport(pub String);

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// One connection to one server process, opened when first needed and
/// again after it broke.
pub struct Connection {
    pub addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

async fn handshake<B>(addr: SocketAddr) -> Result<SendRequest<B>, Transport>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if !addr.ip().is_loopback() {
        return Err(Transport(format!("{addr} is not on loopback")));
    }
    let stream = tokio::time::timeout(REQUEST_TIMEOUT, tokio::net::TcpStream::connect(addr))
        .await
        .map_err(|_| Transport(format!("connecting to {addr} timed out")))?
        .map_err(|error| Transport(format!("connecting to {addr}: {error}")))?;
    stream.set_nodelay(true).ok();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| Transport(format!("handshake with {addr}: {error}")))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

impl Connection {
    pub fn new(addr: SocketAddr) -> Connection {
        Connection { addr, sender: None }
    }

    /// A POST as the app makes it: from this site (the cross-site guard
    /// wants Origin to match Host), with the session cookie when there is one.
    pub async fn post(
        &mut self,
        path: &str,
        content_type: &str,
        body: String,
        session: Option<&str>,
    ) -> Result<Answer, Transport> {
        self.call(Method::POST, path, Some(content_type), body, session)
            .await
    }

    pub async fn get(&mut self, path: &str) -> Result<Answer, Transport> {
        self.call(Method::GET, path, None, String::new(), None)
            .await
    }

    async fn call(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: String,
        session: Option<&str>,
    ) -> Result<Answer, Transport> {
        let mut builder = self.request(method, path, session);
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        let request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|error| Transport(error.to_string()))?;
        match tokio::time::timeout(REQUEST_TIMEOUT, self.send(request)).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(error)) => {
                self.sender = None;
                Err(error)
            }
            Err(_) => {
                self.sender = None;
                Err(Transport(format!("{} answered nothing in time", self.addr)))
            }
        }
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        session: Option<&str>,
    ) -> axum::http::request::Builder {
        request_to(self.addr, method, path, session)
    }

    async fn send(&mut self, request: Request<Full<Bytes>>) -> Result<Answer, Transport> {
        let sender = match &mut self.sender {
            Some(sender) if !sender.is_closed() => sender,
            _ => self.sender.insert(handshake(self.addr).await?),
        };
        sender
            .ready()
            .await
            .map_err(|error| Transport(format!("{}: {error}", self.addr)))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|error| Transport(format!("{}: {error}", self.addr)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|error| Transport(format!("{}: {error}", self.addr)))?
            .to_bytes();
        Ok(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

fn request_to(
    addr: SocketAddr,
    method: Method,
    path: &str,
    session: Option<&str>,
) -> axum::http::request::Builder {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, addr.to_string())
        .header(header::ORIGIN, format!("http://{addr}"))
        .header(header::ACCEPT, "application/json");
    if let Some(token) = session {
        builder = builder.header(header::COOKIE, format!("doorstep_session={token}"));
    }
    builder
}

/// The session token a login answer sets, from its headers.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| {
            cookie
                .strip_prefix("doorstep_session=")
                .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
        })
        .filter(|token| !token.is_empty())
}

/// The board's live stream on one process: answers each event's data (a
/// visit id, or empty for "reload whole") through `on_event` until the
/// stream ends or breaks.
pub async fn listen_to_board(
    addr: SocketAddr,
    session: &str,
    mut on_event: impl FnMut(String),
) -> Result<(), Transport> {
    let mut sender = handshake::<Empty<Bytes>>(addr).await?;
    let request = request_to(addr, Method::GET, "/api/desk/events", Some(session))
        .header(header::ACCEPT, "text/event-stream")
        .body(Empty::new())
        .map_err(|error| Transport(error.to_string()))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| Transport(format!("{addr}: {error}")))?;
    if response.status() != StatusCode::OK {
        return Err(Transport(format!(
            "{addr}: the board's stream answered {}",
            response.status()
        )));
    }
    let mut body = response.into_body();
    let mut pending = String::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| Transport(format!("{addr}: {error}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        pending.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = pending.find("\n\n") {
            let event: String = pending.drain(..end + 2).collect();
            for line in event.lines() {
                if let Some(data) = line.strip_prefix("data:") {
                    on_event(data.trim().to_string());
                }
            }
        }
    }
    Ok(())
}
