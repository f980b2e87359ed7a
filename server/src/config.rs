//! Settings, from the environment, with defaults that make `scripts/run` work as it is.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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
    /// `SAFEWALK_TOKENS`: accepted bearer tokens, comma-separated; none means no auth.
    pub tokens: Vec<String>,
    /// `SAFEWALK_CORS_ORIGINS`: origins allowed to upload from another site, comma-separated.
    pub cors_origins: Vec<String>,
    /// `SAFEWALK_BODY_LIMIT`: the largest upload in bytes (default 1 MiB); larger gets 413.
    pub body_limit: usize,
    /// `SAFEWALK_ATTACHMENT_LIMIT`: the largest attachment (photo or signature image) in
    /// bytes (default 2 MiB); larger gets 413.
    pub attachment_limit: usize,
}

/// `SAFEWALK_ATTACHMENT_LIMIT`'s default: 2 MiB, well above a photo downscaled to 1600 px.
pub const DEFAULT_ATTACHMENT_LIMIT: usize = 2 * 1024 * 1024;

fn list(value: Option<String>) -> Vec<String> {
    value.map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()).unwrap_or_default()
}

/// `templates` beside the static dir: `dist` → `templates`, `/srv/safewalk/dist` →
/// `/srv/safewalk/templates`.
pub fn default_templates_dir(static_dir: &Path) -> PathBuf {
    static_dir.parent().unwrap_or(Path::new("")).join("templates")
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("SAFEWALK_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let body_limit = var("SAFEWALK_BODY_LIMIT").unwrap_or_else(|| "1048576".into());
        let attachment_limit = var("SAFEWALK_ATTACHMENT_LIMIT").unwrap_or_else(|| DEFAULT_ATTACHMENT_LIMIT.to_string());
        let static_dir: PathBuf = var("SAFEWALK_STATIC_DIR").unwrap_or_else(|| "dist".into()).into();
        let templates_dir = var("SAFEWALK_TEMPLATES_DIR").map(PathBuf::from).unwrap_or_else(|| default_templates_dir(&static_dir));
        Ok(Config {
            addr: addr.parse().map_err(|e| format!("SAFEWALK_ADDR={addr}: {e}"))?,
            database_url: var("DATABASE_URL").unwrap_or_else(|| "data/safewalk.sqlite3".into()),
            static_dir,
            templates_dir,
            tokens: list(var("SAFEWALK_TOKENS")),
            cors_origins: list(var("SAFEWALK_CORS_ORIGINS")),
            body_limit: body_limit.parse().map_err(|e| format!("SAFEWALK_BODY_LIMIT={body_limit}: {e}"))?,
            attachment_limit: attachment_limit.parse().map_err(|e| format!("SAFEWALK_ATTACHMENT_LIMIT={attachment_limit}: {e}"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::default_templates_dir;
    use std::path::Path;

    #[test]
    fn the_templates_sit_beside_the_app() {
        assert_eq!(default_templates_dir(Path::new("dist")), Path::new("templates"));
        assert_eq!(default_templates_dir(Path::new("dist/")), Path::new("templates"));
        assert_eq!(default_templates_dir(Path::new("/srv/safewalk/dist")), Path::new("/srv/safewalk/templates"));
    }
}
