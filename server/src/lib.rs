//! The reference receiver: `POST /inspections` takes a completed inspection exactly once
//! (idempotent by id), `GET /health` answers "test connection", `/api/inspections` and
//! `/office` show what arrived, and everything else is the built app.
//! The protocol is in docs/protocol.md.

pub mod config;
mod html;
mod routes;
pub mod store;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use config::Config;
use store::Store;

pub struct AppState {
    pub store: Store,
    pub tokens: Vec<String>,
}

/// The whole HTTP surface, for `serve` and for the tests.
pub fn router(config: &Config, store: Store) -> Router {
    let state = Arc::new(AppState { store, tokens: config.tokens.clone() });
    let index = config.static_dir.join("index.html");
    let api = Router::new()
        .route("/inspections", post(routes::inspections::receive))
        .route("/health", get(routes::health))
        .route("/api/inspections", get(routes::inspections::list))
        .route("/api/inspections.csv", get(routes::office::csv))
        .route("/api/inspections/{id}", get(routes::inspections::one))
        .route("/office", get(routes::office::list))
        .route("/office/{id}", get(routes::office::detail))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(cors(&config.cors_origins))
        .with_state(state);
    api.fallback_service(ServeDir::new(&config.static_dir).fallback(ServeFile::new(index)))
}

fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::HeaderName::from_static("idempotency-key")])
}

/// Opens the database (running migrations) and serves until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open(&config.database_url).await?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    eprintln!("safewalk-server: http://{} (database {}, app from {})", listener.local_addr()?, describe(&config.database_url), config.static_dir.display());
    axum::serve(listener, router(&config, store))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// The database URL without a password, for the log.
fn describe(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_string(),
    }
}
