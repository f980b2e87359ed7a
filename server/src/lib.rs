//! The reference receiver: `POST /inspections` takes a completed inspection exactly once
//! (idempotent by id), `PUT /inspections/{id}/attachments/{attachment_id}` its photos and
//! signature images (idempotent by id and content hash, in any order with the record),
//! `GET /health` answers "test connection", `GET /templates` serves the checklist library,
//! `/api/inspections` and `/office` show what arrived, and everything else is the built app.
//! The protocol is in docs/protocol.md.

pub mod chart;
pub mod cleanup;
pub mod cli;
pub mod config;
pub mod draw;
pub mod figures;
pub mod hazard_exchange;
pub mod hazards;
mod html;
pub mod papers;
pub mod people;
mod routes;
pub mod security;
pub mod serve;
pub mod site_import;
pub mod sites;
pub mod store;
pub mod sync;
pub mod tasks;
pub mod templates;

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;

use config::Config;
use people::Action;
use safewalk_core::catalogue::library::Library;
use store::Store;

/// The content types `PUT /inspections/{id}/attachments/{attachment_id}` takes, and the
/// hash it checks (for the tests and the OpenAPI check).
pub use routes::attachments::{sha256_hex, CONTENT_SHA256, CONTENT_TYPES};
/// What `/api/inspections` returns for one stored inspection (for the OpenAPI check).
pub use routes::inspections::entry as api_entry;
/// The payload schemas `POST /inspections` accepts.
pub use routes::inspections::ACCEPTED_SCHEMAS;
/// Milliseconds since the Unix epoch, the receiver's clock.
pub use routes::now_millis as now;

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
    /// The session cookie is `Secure` (`SAFEWALK_PUBLIC_URL` is https).
    pub secure_cookies: bool,
    /// `SAFEWALK_PUBLIC_URL`: the base of the sign-in links the office shows.
    pub public_url: Option<String>,
    /// `SAFEWALK_TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// The whole HTTP surface, for `serve` and for the tests. Reads the templates directory
/// (problems are logged, never fatal) and the build's CSP hashes.
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
        secure_cookies: config.public_url.as_deref().is_some_and(|u| u.starts_with("https://")),
        public_url: config.public_url.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
    });
    let policies = Arc::new(security::Policies::new(&security::BuildHashes::read(&config.static_dir), html::STYLE));
    // Everything but /health, /join and the sign-in pages needs a person (or a legacy shared
    // token), each route its role; the office's forms check their CSRF token themselves.
    let protected = api_routes(config.body_limit, config.attachment_limit).into_iter().chain(office_routes()).fold(
        Router::new(),
        |router, (path, action, handler)| {
            router.route(path, handler.route_layer(middleware::from_fn_with_state((state.clone(), action), routes::require_person)))
        },
    );
    // The office's way in: open to anyone (limited per name and address).
    let sign_in = Router::new()
        .route("/office/sign-in", get(routes::sign_in::sign_in_form).post(routes::sign_in::sign_in))
        .route("/office/welcome", post(routes::sign_in::welcome))
        .route("/office/welcome/{code}", get(routes::sign_in::welcome_form))
        // Whether a printed paper matches what was delivered: open to anyone holding one
        // (what each may see: routes::papers).
        .route("/verify", get(routes::papers::verify_form))
        .route("/verify/{seal}", get(routes::papers::verify_seal));
    let api = Router::new()
        .route(HEALTH, get(routes::health))
        .route(JOIN, post(routes::join::join))
        .merge(sign_in)
        .merge(protected)
        .fallback(routes::no_such_path)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(request_timeout(config))
        .layer(middleware::from_fn(routes::json_errors))
        // The office's pages answer in its language (Chinese unless English was chosen).
        .layer(middleware::from_fn(routes::language::remember))
        .layer(cors(&config.cors_origins))
        .layer(middleware::from_fn_with_state(policies.clone(), security::api_headers))
        .with_state(state);
    let index = config.static_dir.join("index.html");
    // The post-build hook writes brotli and gzip copies beside each file; the one the
    // browser accepts is sent.
    let files = ServeDir::new(&config.static_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(index).precompressed_br().precompressed_gzip());
    let app = Router::new()
        .fallback_service(files)
        .layer(request_timeout(config))
        .layer(middleware::from_fn_with_state(policies, security::app_headers));
    Router::new()
        .fallback(move |request: Request| {
            let (api, app) = (api.clone(), app.clone());
            async move {
                let service = if is_protocol_path(request.uri().path()) { api } else { app };
                let response: Result<Response, Infallible> = service.oneshot(request).await;
                response.unwrap_or_else(|never| match never {})
            }
        })
        .layer(middleware::from_fn(security::common_headers))
}

/// `408` for a request that takes longer than `SAFEWALK_REQUEST_TIMEOUT`, body included.
fn request_timeout(config: &Config) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout)
}

const HEALTH: &str = "/health";

/// The first segments of the protocol's paths: below them an unknown path is a JSON 404, never
/// the app.
const PROTOCOL_PREFIXES: [&str; 9] = ["health", "inspections", "templates", "api", "office", "me", "join", "sync", "verify"];

/// Where the app trades a one-time sign-in code for a device token (the code is the
/// credential: no person needed).
const JOIN: &str = "/join";

fn is_protocol_path(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    PROTOCOL_PREFIXES.contains(&first)
}

/// Every route of the protocol that needs a person: all but [`HEALTH`], each with what its
/// role must be allowed to do (scope is checked per record by the handlers). Uploads
/// declaring a body over their limit are refused before it is read: records by `body_limit`
/// (`SAFEWALK_BODY_LIMIT`), attachments by their own.
type ApiRoute = (&'static str, Action, MethodRouter<Arc<AppState>>);

fn api_routes(body_limit: usize, attachment_limit: usize) -> Vec<ApiRoute> {
    let refuse_over = |limit: usize| middleware::from_fn_with_state(limit, routes::refuse_oversized);
    vec![
        ("/inspections", Action::Submit, post(routes::inspections::receive).layer(refuse_over(body_limit))),
        (
            // Every role may both upload and read back (reading is scoped by the handlers).
            "/inspections/{id}/attachments/{attachment_id}",
            Action::Submit,
            put(routes::attachments::put)
                .layer(DefaultBodyLimit::max(attachment_limit))
                .layer(refuse_over(attachment_limit))
                .get(routes::attachments::get)
                .head(routes::attachments::head),
        ),
        // The library and the pull are the phone's JSON downloads over mobile data: compressed
        // when the phone accepts it (a full pull of 50 tasks and 500 hazards is 211 KB as
        // JSON, 7 KB in brotli).
        ("/templates", Action::ReadTemplates, get(routes::library).layer(compressed_downloads())),
        ("/sync", Action::Pull, get(routes::sync::pull).layer(compressed_downloads())),
        ("/me", Action::Me, get(routes::me)),
        ("/api/inspections", Action::ReadRecords, get(routes::inspections::list)),
        ("/api/inspections.csv", Action::Office, get(routes::office::csv)),
        ("/api/inspections/{id}", Action::ReadRecords, get(routes::inspections::one)),
        ("/office", Action::Office, get(routes::office::list)),
        ("/office/{id}", Action::Office, get(routes::office::detail)),
    ]
}

/// The office's pages and forms behind a sign-in, each with what its role must be allowed to
/// do. Forms sent with the session cookie must carry its CSRF token (the handlers check).
fn office_routes() -> Vec<ApiRoute> {
    use routes::{admin, draws, hazards, password, sign_in, sites, tasks};
    vec![
        ("/office/sign-out", Action::Me, post(sign_in::sign_out)),
        ("/office/password", Action::Office, get(password::password_form).post(password::change_password)),
        ("/office/people", Action::ManagePeople, get(admin::people_page).post(admin::add_person)),
        ("/office/people/{id}", Action::ManagePeople, post(admin::change_person)),
        ("/office/people/{id}/link", Action::ManagePeople, post(admin::issue_link)),
        ("/office/people/{id}/deactivate", Action::ManagePeople, post(admin::deactivate)),
        ("/office/tokens/{id}/revoke", Action::ManagePeople, post(admin::revoke)),
        ("/office/audit", Action::ReadAudit, get(admin::audit_page)),
        ("/office/audit.csv", Action::ReadAudit, get(admin::audit_csv)),
        // The register of sites: supervisors (their scope) and admins.
        ("/office/sites", Action::Office, get(sites::list)),
        ("/office/sites/import", Action::Office, get(sites::import_page).post(sites::import)),
        ("/office/sites/{id}", Action::Office, get(sites::detail)),
        ("/office/sites/{id}/merge", Action::Office, get(sites::merge_form).post(sites::merge)),
        // Tasks (supervisors within their scope, admins) and the random draws, whose pages
        // and CSV anyone in the office may open (一公开: they are published).
        ("/office/tasks", Action::Office, get(tasks::list).post(tasks::assign)),
        ("/office/tasks/new", Action::Office, get(tasks::new_form)),
        ("/office/tasks/{id}", Action::Office, get(tasks::detail)),
        ("/office/tasks/{id}/withdraw", Action::Office, post(tasks::withdraw)),
        ("/office/draws", Action::Office, get(draws::list).post(draws::make)),
        ("/office/draws/{id}", Action::Office, get(draws::detail)),
        ("/office/draws/{id}/csv", Action::Office, get(draws::csv)),
        // The hazard register across everyone: supervisors (their scope) and admins.
        ("/office/hazards", Action::Office, get(hazards::list)),
        ("/office/hazards.csv", Action::Office, get(hazards::csv)),
        ("/office/hazards/{inspection}/{item}", Action::Office, get(hazards::detail)),
        ("/office/hazards/{inspection}/{item}/supervise", Action::Office, post(hazards::supervise)),
        ("/office/hazards/{inspection}/{item}/accept", Action::Office, post(hazards::accept)),
        // The figures over the register and the inspections, scoped as the register is.
        ("/office/figures", Action::Office, get(routes::figures::page)),
        ("/office/figures.csv", Action::Office, get(routes::figures::csv)),
        ("/office/figures.xlsx", Action::Office, get(routes::figures::xlsx)),
        // The papers (issue 15): serial blocks and the particulars are the admin's; the
        // documents delivered anyone's in the office (scoped as the inspections are).
        ("/office/serials", Action::Configure, get(routes::papers::serials_page).post(routes::papers::allocate)),
        ("/office/serials/size", Action::Configure, post(routes::papers::set_block_size)),
        ("/office/particulars", Action::Configure, get(routes::papers::particulars_page).post(routes::papers::set_particulars)),
        ("/office/documents", Action::Office, get(routes::papers::documents_page)),
        ("/office/hazards.exchange.json", Action::Office, get(hazards::exchange_json)),
        ("/office/hazards.exchange.csv", Action::Office, get(hazards::exchange_csv)),
    ]
}

/// The office's pages behind a sign-in (the role matrix test covers each).
pub fn office_paths() -> Vec<&'static str> {
    office_routes().into_iter().map(|(path, _, _)| path).collect()
}

/// The paths the receiver answers besides the app itself (docs/openapi.json lists the same;
/// a test checks).
pub fn api_paths() -> Vec<&'static str> {
    [HEALTH, JOIN].into_iter().chain(api_routes(0, 0).into_iter().map(|(path, _, _)| path)).collect()
}

/// Cross-site uploads from the configured origins only (`*`: any; the bearer token still
/// applies, and no cookie is ever involved).
fn cors(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::HeaderName::from_static("idempotency-key"),
            routes::attachments::CONTENT_SHA256,
        ])
        // The app reads the hash of what the receiver holds from a cross-origin HEAD.
        .expose_headers([routes::attachments::CONTENT_SHA256])
}

/// Opens the database (running migrations) and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open_pooled(&config.database_url, config.pg_pool).await?;
    // The derived hazard register from the stored payloads, when the library or the
    // derivation changed since it was built.
    let started = std::time::Instant::now();
    match hazards::rebuild_if_stale(&store, &templates::load(&config.templates_dir).library, routes::now_millis()).await? {
        Some(n) => eprintln!("safewalk-server: hazard register rebuilt: {n} hazards in {:.1} s", started.elapsed().as_secs_f64()),
        None => eprintln!("safewalk-server: hazard register up to date (same library and derivation): not rebuilt"),
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    eprintln!(
        "safewalk-server: http://{} (database {}, app from {})",
        listener.local_addr()?,
        describe(&config.database_url),
        config.static_dir.display()
    );
    if !config.tokens.is_empty() {
        eprintln!(
            "safewalk-server: legacy mode: {} shared bearer token(s) of SAFEWALK_TOKENS accepted besides personal ones (docs/protocol.md)",
            config.tokens.len()
        );
    }
    let base = format!("http://{}", listener.local_addr()?);
    if let Some(link) = cli::first_admin(&store, config.public_url.as_deref().unwrap_or(&base)).await? {
        eprintln!(
            "safewalk-server: no people yet: created the admin \"{}\". Open this link once, within 24 hours, to set their password:",
            cli::FIRST_ADMIN
        );
        eprintln!("safewalk-server:   {link}");
    }
    tokio::spawn(cleanup::run(store.clone(), cleanup::PERIOD));
    serve::serve_on(listener, router(&config, store), config.connections, shutdown_signal()).await;
    Ok(())
}

/// Ctrl-C, or the SIGTERM a service manager sends.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The database URL without a password, for the log.
fn describe(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_string(),
    }
}

/// Compression for the phone's downloads: answers that succeeded only. An error is a short
/// JSON `{"error"}`, and axum's own rejections are plain text that [`routes::json_errors`]
/// rewraps outside this layer, which it cannot do to compressed bytes.
fn compressed_downloads() -> CompressionLayer<impl Predicate> {
    let succeeded =
        |status: axum::http::StatusCode, _: axum::http::Version, _: &axum::http::HeaderMap, _: &axum::http::Extensions| status.is_success();
    CompressionLayer::new().compress_when(DefaultPredicate::new().and(succeeded))
}
