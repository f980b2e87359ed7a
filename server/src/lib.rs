//! The reference receiver: `POST /inspections` takes a completed inspection exactly once
//! (idempotent by id), `PUT /inspections/{id}/attachments/{attachment_id}` its photos and
//! signature images (idempotent by id and content hash, in any order with the record),
//! `GET /health` answers "test connection", `GET /templates` serves the checklist library,
//! `/api/inspections` and `/office` show what arrived, and everything else is the built app.
//! The protocol is in docs/protocol.md.

pub mod config;
mod html;
mod routes;
pub mod store;
pub mod templates;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::http::{header, HeaderValue, Method};
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use config::Config;
use safewalk_core::library::Library;
use store::Store;

/// What `/api/inspections` returns for one stored inspection (for the OpenAPI check).
pub use routes::inspections::entry as api_entry;
/// The payload schemas `POST /inspections` accepts.
pub use routes::inspections::ACCEPTED_SCHEMAS;
/// The content types `PUT /inspections/{id}/attachments/{attachment_id}` takes, and the
/// hash it checks (for the tests and the OpenAPI check).
pub use routes::attachments::{sha256_hex, CONTENT_SHA256, CONTENT_TYPES};

pub struct AppState {
    pub store: Store,
    pub tokens: Vec<String>,
    /// The checklist library from the templates directory, read once at start: the office
    /// views' item texts and counts.
    pub library: Library,
    /// The same library as served at `GET /templates`, serialised once.
    pub library_json: Bytes,
    /// The largest attachment accepted, in bytes (for the 413 message; the route's body limit
    /// enforces it).
    pub attachment_limit: usize,
}

/// The whole HTTP surface, for `serve` and for the tests. Reads the templates directory
/// (problems are logged, never fatal).
pub fn router(config: &Config, store: Store) -> Router {
    let loaded = templates::load(&config.templates_dir);
    for problem in &loaded.problems {
        eprintln!("safewalk-server: templates: left out {problem}");
    }
    eprintln!(
        "safewalk-server: library from {}: {} templates, {} rule sets{}",
        config.templates_dir.display(),
        loaded.library.templates.len(),
        loaded.library.rule_sets.len(),
        if loaded.problems.is_empty() { String::new() } else { format!(", {} problems (above)", loaded.problems.len()) },
    );
    let library_json = Bytes::from(serde_json::to_vec(&loaded.library).expect("a library serialises"));
    let state = Arc::new(AppState {
        store,
        tokens: config.tokens.clone(),
        library: loaded.library,
        library_json,
        attachment_limit: config.attachment_limit,
    });
    let index = config.static_dir.join("index.html");
    // Everything but /health needs the token (when tokens are configured).
    let protected = api_routes(config.attachment_limit)
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| router.route(path, handler))
        .route_layer(middleware::from_fn_with_state(state.clone(), routes::require_token));
    let api = Router::new()
        .route(HEALTH, get(routes::health))
        .merge(protected)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(cors(&config.cors_origins))
        .with_state(state);
    api.fallback_service(ServeDir::new(&config.static_dir).fallback(ServeFile::new(index)))
}

const HEALTH: &str = "/health";

/// Every route of the protocol that needs the token: all but [`HEALTH`]. Attachments have
/// their own body limit (the others share `SAFEWALK_BODY_LIMIT`).
fn api_routes(attachment_limit: usize) -> Vec<(&'static str, MethodRouter<Arc<AppState>>)> {
    vec![
        ("/inspections", post(routes::inspections::receive)),
        (
            "/inspections/{id}/attachments/{attachment_id}",
            put(routes::attachments::put)
                .layer(DefaultBodyLimit::max(attachment_limit))
                .get(routes::attachments::get)
                .head(routes::attachments::head),
        ),
        ("/templates", get(routes::library)),
        ("/api/inspections", get(routes::inspections::list)),
        ("/api/inspections.csv", get(routes::office::csv)),
        ("/api/inspections/{id}", get(routes::inspections::one)),
        ("/office", get(routes::office::list)),
        ("/office/{id}", get(routes::office::detail)),
    ]
}

/// The paths the receiver answers besides the app itself (docs/openapi.json lists the same;
/// a test checks).
pub fn api_paths() -> Vec<&'static str> {
    std::iter::once(HEALTH).chain(api_routes(0).into_iter().map(|(path, _)| path)).collect()
}

fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::HeaderName::from_static("idempotency-key"), routes::attachments::CONTENT_SHA256])
        // The app reads the hash of what the receiver holds from a cross-origin HEAD.
        .expose_headers([routes::attachments::CONTENT_SHA256])
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
