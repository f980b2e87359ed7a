//! The office's language: Chinese by default, English on request. `?lang=en` (or `zh`) on
//! any office page switches and is remembered in a cookie (SameSite=Strict, the office's
//! paths only); without it the cookie decides. The middleware puts the language in a
//! task-local for the request ([`current`]): the page frame, which every office page calls
//! without the request at hand, reads it (the `<html lang>`, the nav, the link that
//! switches), and so do the handlers and the helpers that name the library's words.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use safewalk_core::Lang;

/// The cookie the chosen language is remembered in.
pub const COOKIE: &str = "safewalk_lang";

/// The language of the page being answered, and the address of the same page in the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficeLanguage {
    pub lang: Lang,
    /// This page's path and query with `lang` set to the other language.
    pub switch: String,
}

impl Default for OfficeLanguage {
    fn default() -> OfficeLanguage {
        OfficeLanguage { lang: Lang::Zh, switch: "?lang=en".to_string() }
    }
}

tokio::task_local! {
    static CURRENT: OfficeLanguage;
}

/// The language of the office page being answered (Chinese outside a request).
pub fn current() -> OfficeLanguage {
    CURRENT.try_with(Clone::clone).unwrap_or_default()
}

/// A word of the office pages in the office's language, written once in each: Chinese,
/// then English. (Words the app shows too come from core's `inspection::words`.)
pub fn say(zh: &'static str, en: &'static str) -> &'static str {
    crate::figures::say(current().lang, zh, en)
}

/// The other language.
pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    }
}

/// `zh` or `en`.
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

fn parse(word: &str) -> Option<Lang> {
    match word.trim() {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The language a query string asks for, if it asks.
fn asked(query: &str) -> Option<Lang> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok()?.into_iter().find(|(k, _)| k == "lang").and_then(|(_, v)| parse(&v))
}

/// The remembered language, if the request carries the cookie.
fn remembered(headers: &HeaderMap) -> Option<Lang> {
    super::session::cookie_named(headers, COOKIE).and_then(|value| parse(&value))
}

/// `path?query` with `lang` replaced by `lang` (the other parameters kept, in order).
pub fn switch_link(path: &str, query: &str, lang: Lang) -> String {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    pairs.retain(|(k, _)| k != "lang");
    pairs.push(("lang".to_string(), code(lang).to_string()));
    format!("{path}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

/// The cookie that remembers `lang` for a year on the office's pages.
fn set_cookie(lang: Lang) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}={}; Path=/office; Max-Age=31536000; SameSite=Strict; HttpOnly", code(lang)))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The middleware: below `/office`, decides the language, answers in it, and remembers a
/// language asked for.
pub async fn remember(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if path != "/office" && !path.starts_with("/office/") {
        return next.run(request).await;
    }
    let query = request.uri().query().unwrap_or("").to_string();
    let asked = asked(&query);
    let lang = asked.or_else(|| remembered(request.headers())).unwrap_or(Lang::Zh);
    let language = OfficeLanguage { lang, switch: switch_link(&path, &query, other(lang)) };
    let mut response = CURRENT.scope(language, next.run(request)).await;
    if let Some(asked) = asked {
        response.headers_mut().append(header::SET_COOKIE, set_cookie(asked));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asked_for_then_remembered_else_chinese() {
        assert_eq!(asked("lang=en&x=1"), Some(Lang::En));
        assert_eq!(asked("x=1&lang=zh"), Some(Lang::Zh));
        assert_eq!(asked("lang=fr"), None);
        assert_eq!(asked(""), None);
        let mut headers = HeaderMap::new();
        assert_eq!(remembered(&headers), None);
        headers.insert(header::COOKIE, "safewalk_session=s; safewalk_lang=en".parse().unwrap());
        assert_eq!(remembered(&headers), Some(Lang::En));
        headers.insert(header::COOKIE, "safewalk_lang=<x>".parse().unwrap());
        assert_eq!(remembered(&headers), None);
        assert_eq!(current(), OfficeLanguage::default(), "outside a request: Chinese");
    }

    #[test]
    fn the_switch_keeps_the_filters() {
        assert_eq!(switch_link("/office/figures", "district=A%20B&lang=zh", Lang::En), "/office/figures?district=A+B&lang=en");
        assert_eq!(switch_link("/office", "", Lang::Zh), "/office?lang=zh");
        let cookie = set_cookie(Lang::En);
        assert_eq!(cookie, "safewalk_lang=en; Path=/office; Max-Age=31536000; SameSite=Strict; HttpOnly");
    }
}
