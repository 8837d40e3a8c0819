//! Accepting connections: HTTP/1.1 through hyper, with the limits a server
//! on the open internet needs that `axum::serve` does not set. A client
//! that opens a connection and sends its headers slowly, or never, is cut
//! off after the header read timeout; one address holds at most so many
//! connections at once (a trusted reverse proxy, which carries everyone's,
//! is held per forwarded address by `http::client_address` instead).
//! A body that stops arriving is cut by the router's body timeout.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::http::client_address::{Slot, TrustedProxies};

/// A client must have sent a request's whole head within this time.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections one address may hold open at once, by default: a phone or
/// a browser opens a handful; an office behind one address a few dozen.
pub const DEFAULT_MAX_CONNECTIONS_PER_CLIENT: usize = 128;

#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    pub max_connections_per_client: usize,
    /// Their connections carry many people's requests: not capped here.
    pub trusted_proxies: TrustedProxies,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections_per_client: DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
            trusted_proxies: TrustedProxies::none(),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the
/// requests in progress finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let open: Arc<Mutex<HashMap<IpAddr, usize>>> = Arc::default();
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut last_refusal_logged: Option<std::time::Instant> = None;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = if limits.trusted_proxies.trusts(peer.ip()) {
            None
        } else {
            match Slot::take(&open, peer.ip(), limits.max_connections_per_client) {
                Some(slot) => Some(slot),
                None => {
                    // Closed at once; logged at most once a second.
                    let now = std::time::Instant::now();
                    if last_refusal_logged
                        .is_none_or(|at| now.duration_since(at) >= Duration::from_secs(1))
                    {
                        last_refusal_logged = Some(now);
                        tracing::warn!(client = %peer.ip(), "one address's share of connections is used up");
                    }
                    continue;
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(Body::new);
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout);
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = slot;
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
