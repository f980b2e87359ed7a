//! The headers that make the browser enforce what the receiver means: a Content-Security-
//! Policy per audience (the app, the office pages, the JSON API), no framing, no sniffing, no
//! referrer, and a cache policy (hashed app files forever, everything else revalidated, API
//! answers never stored).

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;

/// The hashes of the app's inline scripts and styles, written by the post-build hook
/// (scripts/csp-hashes) beside index.html: CSP source expressions such as `'sha256-…'`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct BuildHashes {
    #[serde(rename = "script-src")]
    pub scripts: Vec<String>,
    #[serde(rename = "style-src")]
    pub styles: Vec<String>,
}

/// The file the post-build hook writes into the build.
pub const BUILD_HASHES: &str = "csp.json";

impl BuildHashes {
    /// Reads `static_dir/csp.json`. Without it the app's policy allows no inline script, so
    /// the app will not start: the log says why.
    pub fn read(static_dir: &Path) -> BuildHashes {
        let path = static_dir.join(BUILD_HASHES);
        let parsed = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|bytes| {
            let hashes: BuildHashes = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
            match hashes.scripts.iter().chain(&hashes.styles).find(|h| !is_hash_source(h)) {
                Some(bad) => Err(format!("{bad:?} is not a 'sha256-…' source")),
                None => Ok(hashes),
            }
        });
        parsed.unwrap_or_else(|e| {
            eprintln!("safewalk-server: {}: {e}; the app's inline scripts will be refused (build it with scripts/build)", path.display());
            BuildHashes::default()
        })
    }
}

/// `'sha256-<base64>'`, nothing else (the file is data, not policy text to paste in).
fn is_hash_source(source: &str) -> bool {
    source
        .strip_prefix("'sha256-")
        .and_then(|rest| rest.strip_suffix('\''))
        .is_some_and(|b64| b64.len() == 44 && b64.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)))
}

/// The three policies, built once at start.
pub struct Policies {
    app: HeaderValue,
    office: HeaderValue,
    api: HeaderValue,
}

impl Policies {
    pub fn new(build: &BuildHashes, office_style: &str) -> Policies {
        let value = |policy: String| HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
        Policies { app: value(app_policy(build)), office: value(office_policy(office_style)), api: HeaderValue::from_static(API_POLICY) }
    }
}

/// The app: its own files, its inline scripts and styles by hash, wasm, photos as blob and
/// data URLs, and uploads to the receiving server the inspector configured (any https
/// server, or http on this machine, as Settings allows).
pub fn app_policy(build: &BuildHashes) -> String {
    let with =
        |base: &str, hashes: &[String]| std::iter::once(base.to_string()).chain(hashes.iter().cloned()).collect::<Vec<_>>().join(" ");
    format!(
        "default-src 'self'; script-src {}; style-src {}; img-src 'self' blob: data:; \
         connect-src 'self' https: http://127.0.0.1:* http://localhost:* blob: data:; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        with("'self' 'wasm-unsafe-eval'", &build.scripts),
        with("'self'", &build.styles),
    )
}

/// The office pages: no script at all, their one style block by hash, images from here, and
/// forms (sign-in, sign-out, people) posted only here.
pub fn office_policy(style: &str) -> String {
    format!(
        "default-src 'none'; img-src 'self'; style-src {}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        sha256_source(style)
    )
}

/// JSON, CSV and images: nothing to run, even if opened as a page.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

/// The CSP source expression for a hash of `text`: `'sha256-<base64>'`.
pub fn sha256_source(text: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes())))
}

fn set_if_absent(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue) {
    if !headers.contains_key(&name) {
        headers.insert(name, value);
    }
}

/// On every response.
pub async fn common_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    response
}

/// On the protocol's paths: never stored by a cache unless the handler says otherwise (an
/// attachment's bytes never change), the office policy on HTML, the API policy elsewhere.
pub async fn api_headers(State(policies): State<Arc<Policies>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let html = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    let headers = response.headers_mut();
    set_if_absent(headers, header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let policy = if html { policies.office.clone() } else { policies.api.clone() };
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// On the app's files: the app policy, and the cache policy by name.
pub async fn app_headers(State(policies): State<Arc<Policies>>, request: Request, next: Next) -> Response {
    let hashed = is_hashed_file(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, policies.app.clone());
    // The same URL is sent brotli, gzip or plain by Accept-Encoding.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    let cache = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        // index.html, sw.js, templates.json, the manifest and icons keep their names across
        // builds: revalidate every time (a 304 when unchanged).
        "no-cache"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// A file trunk named by its content: `name-<hex>.ext` or `name-<hex>_bg.wasm`.
pub fn is_hashed_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let Some((stem, _extension)) = file.rsplit_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty() && (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trunks_hashed_names_are_cached_forever() {
        assert!(is_hashed_file("/safewalk-3f2a9c1d7e6b5a40.js"));
        assert!(is_hashed_file("/safewalk-3f2a9c1d7e6b5a40_bg.wasm"));
        assert!(is_hashed_file("/app/safewalk-3f2a9c1d.js"));
        for path in [
            "/",
            "/index.html",
            "/sw.js",
            "/templates.json",
            "/icons/icon-192.png",
            "/manifest.webmanifest",
            "/a-b.js",
            "/safewalk-3F2A9C1D7E6B5A40.js",
            "/-3f2a9c1d7e6b5a40.js",
        ] {
            assert!(!is_hashed_file(path), "{path}");
        }
    }

    #[test]
    fn the_app_policy_allows_inline_code_only_by_hash() {
        let build = BuildHashes { scripts: vec![format!("'sha256-{}'", "a".repeat(43) + "=")], styles: vec![] };
        let policy = app_policy(&build);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-aaaa"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("object-src 'none'"));
    }

    #[test]
    fn the_office_policy_runs_no_script_and_hashes_its_style() {
        let policy = office_policy("body{margin:0}");
        assert!(policy.starts_with("default-src 'none';"), "{policy}");
        assert!(!policy.contains("script-src"), "scripts fall back to default-src 'none': {policy}");
        assert!(policy.contains(&format!("style-src {}", sha256_source("body{margin:0}"))));
    }

    #[test]
    fn hashes_are_base64_sha256_sources() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(sha256_source("alert(1)"), "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
        assert!(is_hash_source(&sha256_source("x")));
        assert!(!is_hash_source("'unsafe-inline'"));
        assert!(!is_hash_source("'sha256-abc'"));
        assert!(!is_hash_source("'sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa='; script-src *"));
    }
}
