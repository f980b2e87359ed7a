//! Minimal HTML for the office pages. Every piece of text from an upload goes through
//! [`escape`]: an inspector's note is data, never markup.

/// Markup characters become entities; NUL, other hidden controls and bidi overrides become
/// U+FFFD (core's `visible_text`), so uploaded text can neither act nor disguise itself.
pub fn escape(text: &str) -> String {
    let text = safewalk_core::text::visible_text(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A time in milliseconds since the Unix epoch as `YYYY-MM-DD HH:MM UTC` (the civil-date
/// arithmetic is core's, shared with the app's CSV export).
pub fn date_time(millis: u64) -> String {
    format!("{} UTC", safewalk_core::exchange::export::format_time(millis, 0))
}

/// The office pages' one style block. Their Content-Security-Policy allows exactly this text
/// (by its hash) and no script at all.
pub const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:1rem;max-width:70rem}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #64748b;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.hazard{color:#b91c1c;font-weight:600}.major{color:#fff;background:#b91c1c;padding:0 .3rem}\
h3{margin-bottom:.3rem}small{color:#475569}\
.attachments{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0;width:16rem}\
figure img{display:block;max-width:100%;height:auto;border:1px solid #64748b;background:#fff}\
.missing{border:2px dashed #b91c1c;color:#b91c1c;font-weight:600;padding:2rem .5rem;text-align:center}\
figcaption{font-size:.9rem}nav{margin-bottom:1rem}form.inline{display:inline}";

/// The office pages' top line: who is signed in, the pages their role opens, and a sign-out
/// button when they came with a session (its form carries the session's CSRF token).
pub fn nav(signed_in_as: &str, admin: bool, csrf: Option<&str>) -> String {
    let admin_links =
        if admin { " · <a href=\"/office/people\">People 人员</a> · <a href=\"/office/audit\">Audit 审计</a>" } else { "" };
    let sign_out = csrf
        .map(|csrf| {
            format!(
                " <form class=\"inline\" method=\"post\" action=\"/office/sign-out\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                 <button type=\"submit\">Sign out 退出</button></form>",
                escape(csrf)
            )
        })
        .unwrap_or_default();
    format!(
        "<nav><a href=\"/office\">Inspections 检查</a> · <a href=\"/office/sites\">Sites 场所</a>{admin_links} · Signed in as 当前用户 <b>{}</b>{sign_out}</nav>",
        escape(signed_in_as)
    )
}

/// A page with the given (already escaped) title and body.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>"
    )
}

/// The same page as [`page`], from maud markup: everything interpolated is escaped unless
/// wrapped in `PreEscaped` on purpose (the office pages moving to the template engine).
pub fn layout(title: &str, body: maud::Markup) -> maud::Markup {
    use maud::{html, PreEscaped, DOCTYPE};
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{date_time, escape};

    #[test]
    fn markup_in_uploads_is_escaped() {
        assert_eq!(escape("<script>alert('x')</script> & \"q\""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assert_eq!(escape("安全出口"), "安全出口");
        assert_eq!(escape("Mall\u{202E}gpj.exe\0"), "Mall\u{FFFD}gpj.exe\u{FFFD}");
    }

    #[test]
    fn the_template_engine_escapes_and_keeps_the_hashed_style() {
        let page = super::layout("<t>", maud::html! { p { ("<script>alert(1)</script>") } }).into_string();
        assert!(page.contains("<title>&lt;t&gt;</title>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
        assert!(page.contains(&format!("<style>{}</style>", super::STYLE)), "the style the CSP hashes, byte for byte");
    }

    #[test]
    fn times_read_as_utc_dates() {
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(1_700_000_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(date_time(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(date_time(4_102_444_799_000), "2099-12-31 23:59 UTC");
    }
}
