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
use axum::routing::{get, post, MethodRouter};
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
    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| router.route(path, handler))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(cors(&config.cors_origins))
        .with_state(state);
    api.fallback_service(ServeDir::new(&config.static_dir).fallback(ServeFile::new(index)))
}

/// Every route of the protocol (docs/openapi.json lists the same; a test checks).
fn api_routes() -> Vec<(&'static str, MethodRouter<Arc<AppState>>)> {
    vec![
        ("/inspections", post(routes::inspections::receive)),
        ("/health", get(routes::health)),
        ("/api/inspections", get(routes::inspections::list)),
        ("/api/inspections.csv", get(routes::office::csv)),
        ("/api/inspections/{id}", get(routes::inspections::one)),
        ("/office", get(routes::office::list)),
        ("/office/{id}", get(routes::office::detail)),
    ]
}

/// The paths the receiver answers besides the app itself.
pub fn api_paths() -> Vec<&'static str> {
    api_routes().into_iter().map(|(path, _)| path).collect()
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
