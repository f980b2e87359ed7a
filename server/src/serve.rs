//! Serving connections: HTTP/1.1 with a deadline for each request's headers and a cap on open
//! connections, so clients that open sockets and never finish a request cannot hold the
//! receiver (`axum::serve` sets neither). TLS, when wanted, is a reverse proxy's job.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// How long connections may take, and how many may be open at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From accepting a connection (or the end of its previous request) to the end of the
    /// next request's headers; a client slower than this is disconnected.
    pub header_timeout: Duration,
    /// The longest pause between two pieces of a request body; a stalled upload is cut off
    /// (its handler sees a body error) rather than holding a connection and a task.
    pub body_idle_timeout: Duration,
    /// Open connections at most; further clients wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// On shutdown, how long requests in flight may take to finish.
    pub shutdown_grace: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (within the grace period).
pub async fn serve_on(listener: TcpListener, app: Router, limits: ConnectionLimits, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        // Take a slot before accepting: at the cap, new clients queue in the kernel rather
        // than in memory here.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => (stream, peer),
                Err(e) => {
                    // Out of file descriptors and the like: say so, and do not spin.
                    eprintln!("safewalk-server: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let idle = limits.body_idle_timeout;
        let service = app.clone().map_request(move |request: Request<Incoming>| {
            // The client's address, for sign-in limits and the audit (`ConnectInfo`).
            let mut request = request.map(|body| Body::new(TimeoutBody::new(idle, body)));
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            request
        });
        let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are the client's: a reset, a malformed request, a header timeout.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await.is_err() {
        eprintln!("safewalk-server: requests still running after {:?}; stopping anyway", limits.shutdown_grace);
    }
}
