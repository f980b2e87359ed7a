//! Settings, from the environment, with defaults that make `scripts/run` work as it is.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::serve::ConnectionLimits;

#[derive(Clone, Debug)]
pub struct Config {
    /// `SAFEWALK_ADDR`, default 127.0.0.1:8080.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `postgres://…`, or a SQLite file (default `data/safewalk.sqlite3`).
    pub database_url: String,
    /// `SAFEWALK_STATIC_DIR`: the built app to serve at `/` (default `dist`).
    pub static_dir: PathBuf,
    /// `SAFEWALK_TEMPLATES_DIR`: the checklist library, `*.json` templates and `rules/*.json`
    /// rule sets, read once at start and served at `GET /templates`. Default: the
    /// `templates` directory beside the static dir (for `dist`, the repository's `templates/`).
    pub templates_dir: PathBuf,
    /// `SAFEWALK_TOKENS`: accepted bearer tokens, comma-separated; unset means no auth (set
    /// but naming no token is refused at start, so a typo cannot turn auth off).
    pub tokens: Vec<String>,
    /// `SAFEWALK_PUBLIC_URL`: how phones and browsers reach this receiver (`https://host[/prefix]`),
    /// for the sign-in links it prints and shows; behind it, the office's session cookie is
    /// `Secure`. Default: the address it listens on, over http.
    pub public_url: Option<String>,
    /// `SAFEWALK_TRUSTED_PROXIES`: the reverse proxies in front of this receiver (addresses
    /// and CIDR ranges, comma-separated; none by default). A request from one of them counts
    /// as coming from the client it names in `X-Forwarded-For`, for the sign-in limits and
    /// the audit; from anyone else that header is ignored.
    pub trusted_proxies: Vec<IpNet>,
    /// `SAFEWALK_CORS_ORIGINS`: origins allowed to upload from another site, comma-separated
    /// (`https://host[:port]`), or `*` for any.
    pub cors_origins: Vec<String>,
    /// `SAFEWALK_BODY_LIMIT`: the largest upload in bytes (default 1 MiB); larger gets 413.
    pub body_limit: usize,
    /// `SAFEWALK_ATTACHMENT_LIMIT`: the largest attachment (photo or signature image) in
    /// bytes (default 2 MiB); larger gets 413.
    pub attachment_limit: usize,
    /// `SAFEWALK_HEADER_TIMEOUT` (seconds, default 10): a client that has not sent a request's
    /// headers by then is disconnected. `SAFEWALK_BODY_TIMEOUT` (seconds, default 30): the
    /// longest pause while a request body arrives. `SAFEWALK_MAX_CONNECTIONS` (default
    /// 1024): open connections at most.
    pub connections: ConnectionLimits,
    /// `SAFEWALK_REQUEST_TIMEOUT` (seconds, default 300): the longest a request may take,
    /// body included (a 2 MiB photo over a 20 kB/s link takes 100 s).
    pub request_timeout: Duration,
    /// `SAFEWALK_PG_POOL` (default [`crate::store::DEFAULT_PG_POOL`]): the most PostgreSQL
    /// connections the receiver opens (each request takes one while it runs a query or a
    /// transaction). SQLite ignores it.
    pub pg_pool: usize,
}

impl Default for Config {
    /// What `scripts/run` gets with no settings.
    fn default() -> Config {
        let static_dir = PathBuf::from("dist");
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "data/safewalk.sqlite3".into(),
            templates_dir: default_templates_dir(&static_dir),
            static_dir,
            tokens: Vec::new(),
            public_url: None,
            trusted_proxies: Vec::new(),
            cors_origins: Vec::new(),
            body_limit: 1024 * 1024,
            attachment_limit: DEFAULT_ATTACHMENT_LIMIT,
            connections: ConnectionLimits {
                header_timeout: Duration::from_secs(10),
                body_idle_timeout: Duration::from_secs(30),
                max_connections: 1024,
                shutdown_grace: Duration::from_secs(10),
            },
            request_timeout: Duration::from_secs(300),
            pg_pool: crate::store::DEFAULT_PG_POOL,
        }
    }
}

/// `SAFEWALK_ATTACHMENT_LIMIT`'s default: 2 MiB, well above a photo downscaled to 1600 px.
pub const DEFAULT_ATTACHMENT_LIMIT: usize = 2 * 1024 * 1024;

fn list(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The tokens of `SAFEWALK_TOKENS`: none when it is unset; an error when it is set but
/// names none (`" , ,"`), since that would silently turn authentication off.
pub fn tokens(value: Option<&str>) -> Result<Vec<String>, String> {
    match value {
        None => Ok(Vec::new()),
        Some(value) => {
            let tokens = list(value);
            if tokens.is_empty() {
                Err("SAFEWALK_TOKENS is set but names no token; unset it to run without authentication".into())
            } else {
                Ok(tokens)
            }
        }
    }
}

/// The origins of `SAFEWALK_CORS_ORIGINS`, each `scheme://host[:port]` with no path, or `*`
/// alone.
pub fn cors_origins(value: Option<&str>) -> Result<Vec<String>, String> {
    let origins = value.map(list).unwrap_or_default();
    if origins.iter().any(|o| o == "*") {
        return if origins.len() == 1 {
            Ok(origins)
        } else {
            Err("SAFEWALK_CORS_ORIGINS: `*` cannot be combined with other origins".into())
        };
    }
    for origin in &origins {
        let valid = origin
            .split_once("://")
            .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains(['/', '?', '#', ' ']));
        if !valid {
            return Err(format!("SAFEWALK_CORS_ORIGINS: {origin:?} is not an origin (write it as https://host or https://host:port)"));
        }
    }
    Ok(origins)
}

/// `SAFEWALK_TRUSTED_PROXIES`: addresses (`10.0.0.5`, `::1`) and ranges (`10.0.0.0/8`),
/// comma-separated; each a clear error when it is neither.
pub fn trusted_proxies(value: &str) -> Result<Vec<IpNet>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry.parse::<IpNet>().or_else(|_| entry.parse::<IpAddr>().map(IpNet::from)).map_err(|_| {
                format!("SAFEWALK_TRUSTED_PROXIES: {entry:?} is not an address or a range (write 10.0.0.5, 10.0.0.0/8 or fd00::/8)")
            })
        })
        .collect()
}

/// `templates` beside the static dir: `dist` → `templates`, `/srv/safewalk/dist` →
/// `/srv/safewalk/templates`.
pub fn default_templates_dir(static_dir: &Path) -> PathBuf {
    static_dir.parent().unwrap_or(Path::new("")).join("templates")
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let raw = |name: &str| std::env::var(name).ok();
        let var = |name: &str| raw(name).filter(|v| !v.trim().is_empty());
        fn number<T: std::str::FromStr>(name: &str, value: Option<String>, default: T) -> Result<T, String>
        where
            T::Err: std::fmt::Display,
        {
            match value {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|e| format!("{name}={v}: {e}")),
            }
        }
        let seconds = |name: &str, default: Duration| -> Result<Duration, String> {
            let secs: u64 = number(name, var(name), default.as_secs())?;
            if secs == 0 {
                return Err(format!("{name}=0: must be at least 1 second"));
            }
            Ok(Duration::from_secs(secs))
        };
        let defaults = Config::default();
        let addr = var("SAFEWALK_ADDR").unwrap_or_else(|| defaults.addr.to_string());
        let static_dir: PathBuf = var("SAFEWALK_STATIC_DIR").map(PathBuf::from).unwrap_or(defaults.static_dir);
        let templates_dir = var("SAFEWALK_TEMPLATES_DIR").map(PathBuf::from).unwrap_or_else(|| default_templates_dir(&static_dir));
        Ok(Config {
            addr: addr.parse().map_err(|e| format!("SAFEWALK_ADDR={addr}: {e}"))?,
            database_url: var("DATABASE_URL").unwrap_or(defaults.database_url),
            static_dir,
            templates_dir,
            tokens: tokens(raw("SAFEWALK_TOKENS").as_deref())?,
            public_url: var("SAFEWALK_PUBLIC_URL").map(|u| u.trim().trim_end_matches('/').to_string()),
            trusted_proxies: trusted_proxies(&var("SAFEWALK_TRUSTED_PROXIES").unwrap_or_default())?,
            cors_origins: cors_origins(var("SAFEWALK_CORS_ORIGINS").as_deref())?,
            body_limit: number("SAFEWALK_BODY_LIMIT", var("SAFEWALK_BODY_LIMIT"), defaults.body_limit)?,
            attachment_limit: number("SAFEWALK_ATTACHMENT_LIMIT", var("SAFEWALK_ATTACHMENT_LIMIT"), defaults.attachment_limit)?,
            connections: ConnectionLimits {
                header_timeout: seconds("SAFEWALK_HEADER_TIMEOUT", defaults.connections.header_timeout)?,
                body_idle_timeout: seconds("SAFEWALK_BODY_TIMEOUT", defaults.connections.body_idle_timeout)?,
                max_connections: number("SAFEWALK_MAX_CONNECTIONS", var("SAFEWALK_MAX_CONNECTIONS"), defaults.connections.max_connections)?,
                shutdown_grace: defaults.connections.shutdown_grace,
            },
            request_timeout: seconds("SAFEWALK_REQUEST_TIMEOUT", defaults.request_timeout)?,
            pg_pool: match number("SAFEWALK_PG_POOL", var("SAFEWALK_PG_POOL"), defaults.pg_pool)? {
                0 => return Err("SAFEWALK_PG_POOL=0: the pool needs at least 1 connection".into()),
                size => size,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{cors_origins, default_templates_dir, tokens, trusted_proxies};
    use std::path::Path;

    #[test]
    fn tokens_set_to_nothing_are_refused_rather_than_turning_auth_off() {
        assert_eq!(tokens(None), Ok(vec![]));
        assert_eq!(tokens(Some(" a , b,")), Ok(vec!["a".to_string(), "b".to_string()]));
        for nothing in ["", " ", " , ,", ","] {
            assert!(tokens(Some(nothing)).unwrap_err().contains("names no token"), "{nothing:?}");
        }
    }

    #[test]
    fn cors_origins_are_origins_or_a_lone_star() {
        assert_eq!(cors_origins(None), Ok(vec![]));
        assert_eq!(cors_origins(Some("*")), Ok(vec!["*".to_string()]));
        assert_eq!(
            cors_origins(Some("https://a.example, http://127.0.0.1:5555")),
            Ok(vec!["https://a.example".to_string(), "http://127.0.0.1:5555".to_string()])
        );
        assert!(cors_origins(Some("*, https://a.example")).unwrap_err().contains("cannot be combined"));
        for bad in ["a.example", "https://a.example/app", "ftp://a.example", "https://", "https://a b"] {
            assert!(cors_origins(Some(bad)).unwrap_err().contains("is not an origin"), "{bad}");
        }
    }

    #[test]
    fn the_templates_sit_beside_the_app() {
        assert_eq!(default_templates_dir(Path::new("dist")), Path::new("templates"));
        assert_eq!(default_templates_dir(Path::new("dist/")), Path::new("templates"));
        assert_eq!(default_templates_dir(Path::new("/srv/safewalk/dist")), Path::new("/srv/safewalk/templates"));
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        assert_eq!(trusted_proxies("").unwrap(), vec![]);
        assert_eq!(trusted_proxies(" 127.0.0.1 , ::1,10.0.0.0/8 ").unwrap().len(), 3);
        assert!(trusted_proxies("127.0.0.1").unwrap()[0].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
        for bad in ["localhost", "10.0.0.0/33", "10.0.0.1/8x"] {
            assert!(trusted_proxies(bad).unwrap_err().contains("is not an address or a range"), "{bad}");
        }
    }
}
