//! The office pages' shared pieces, in maud (which escapes everything interpolated unless
//! wrapped in `PreEscaped` on purpose): the one page frame, its style, the nav, dates, and
//! [`Visible`] for text that came from an upload. The frame and the nav speak the office's
//! language, and only it ([`crate::routes::language`]).

use maud::{html, Markup, PreEscaped, Render, DOCTYPE};
use safewalk_core::Lang;

use crate::routes::language::{current, say};

/// Uploaded text as the office shows it: maud escapes the markup characters, and this makes
/// NUL, other hidden controls and bidi overrides U+FFFD (core's `visible_text`), so an
/// inspector's note can neither act nor disguise itself.
pub struct Visible<'a>(pub &'a str);

impl Render for Visible<'_> {
    fn render_to(&self, buffer: &mut String) {
        safewalk_core::text::visible_text(self.0).as_ref().render_to(buffer);
    }
}

/// A time in milliseconds since the Unix epoch as `YYYY-MM-DD HH:MM UTC` (the civil-date
/// arithmetic is core's, shared with the app's CSV export).
pub fn date_time(millis: u64) -> String {
    format!("{} UTC", safewalk_core::exchange::export::format_time(millis, 0))
}

/// The office pages' one style block (with the print stylesheet: on paper the nav, filters,
/// forms, buttons and pagers go, and tables take the page's width with borders). Their Content-Security-Policy allows exactly this text
/// (by its hash) and no script at all.
pub const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:1rem;max-width:70rem}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #64748b;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.hazard{color:#b91c1c;font-weight:600}.major{color:#fff;background:#b91c1c;padding:0 .3rem}\
h3{margin-bottom:.3rem}small{color:#475569}\
.attachments{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0;width:16rem}\
figure img{display:block;max-width:100%;height:auto;border:1px solid #64748b;background:#fff}\
.missing{border:2px dashed #b91c1c;color:#b91c1c;font-weight:600;padding:2rem .5rem;text-align:center}\
figcaption{font-size:.9rem}nav{margin-bottom:1rem}form.inline{display:inline}\
.wide{overflow-x:auto;max-width:100%}textarea,input,select{max-width:100%}code{overflow-wrap:anywhere}\
svg.chart{display:block;max-width:48rem;margin:.5rem 0 1.5rem}\
@media print{@page{size:A4;margin:14mm}nav,form,button,.pager,.screen-only{display:none}\
body{margin:0;max-width:none;font-size:10.5pt;color:#000;background:#fff}a{color:inherit;text-decoration:none}\
.wide{overflow:visible}table{width:100%;border-collapse:collapse}td,th{border:1px solid #000}\
tr,figure,svg.chart{break-inside:avoid}h1,h2,h3{break-after:avoid}.major{border:1px solid #000}}";

/// A table wider than a phone's screen (the inspections list, people, the audit): it scrolls
/// sideways in its own box. Left to widen the page, it made a mobile browser zoom the page out
/// and aim taps (and Playwright's clicks) at the cell beside the button. The box is a named
/// region that takes the keyboard focus, so it can be scrolled without a pointer too.
pub fn wide(name: &str, table: Markup) -> Markup {
    html! { div.wide role="region" aria-label=(name) tabindex="0" { (table) } }
}

/// What the nav shows: who is signed in, whether the admin's pages are open to them, and
/// the session's CSRF token when they came with a session (for the sign-out form).
pub struct NavFor<'a> {
    pub signed_in_as: &'a str,
    pub admin: bool,
    pub csrf: Option<&'a str>,
}

/// The office pages' top line: the pages the role opens, who is signed in, and, when they
/// came with a session, their password page and a sign-out button.
pub fn nav(who: &NavFor) -> Markup {
    let language = current();
    html! {
        nav {
            a href="/office" { (say("检查", "Inspections")) }
            " · " a href="/office/sites" { (say("场所", "Sites")) }
            " · " a href="/office/tasks" { (say("任务", "Tasks")) }
            " · " a href="/office/hazards" { (say("隐患", "Hazards")) }
            " · " a href="/office/figures" { (say("统计", "Figures")) }
            " · " a href="/office/documents" { (say("文书", "Documents")) }
            @if who.admin {
                " · " a href="/office/people" { (say("人员", "People")) }
                " · " a href="/office/audit" { (say("审计", "Audit")) }
                " · " a href="/office/serials" { (say("编号段", "Serials")) }
                " · " a href="/office/particulars" { (say("文书设置", "Particulars")) }
            }
            " · " (say("当前用户", "Signed in as")) " " b { (Visible(who.signed_in_as)) }
            @if let Some(csrf) = who.csrf {
                " · " a href="/office/password" { (say("密码", "Password")) }
                " "
                form.inline method="post" action="/office/sign-out" {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { (say("退出", "Sign out")) }
                }
            }
            " · "
            @match language.lang {
                Lang::Zh => a href=(language.switch) lang="en" hreflang="en" { "English" },
                Lang::En => a href=(language.switch) lang="zh-CN" hreflang="zh-CN" { "中文" },
            }
        }
    }
}

/// A whole page: the frame every office page shares (sign-in pages pass no nav).
pub fn layout(title: &str, nav: Option<Markup>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(match current().lang { Lang::Zh => "zh-CN", Lang::En => "en" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (Visible(title)) }
                style { (PreEscaped(STYLE)) }
            }
            body { @if let Some(nav) = nav { (nav) } (body) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_text_is_escaped_and_cannot_hide() {
        let rendered = |text: &str| html! { (Visible(text)) }.into_string();
        assert_eq!(rendered("<script>alert('x')</script> & \"q\""), "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;q&quot;");
        assert_eq!(rendered("安全出口"), "安全出口");
        assert_eq!(rendered("Mall\u{202E}gpj.exe\0"), "Mall\u{FFFD}gpj.exe\u{FFFD}");
        let attribute = html! { img alt=(Visible("a\" onerror=\"x")); }.into_string();
        assert_eq!(attribute, "<img alt=\"a&quot; onerror=&quot;x\">");
    }

    #[test]
    fn the_frame_escapes_and_keeps_the_hashed_style() {
        let page = layout("<t>", None, html! { p { ("<script>alert(1)</script>") } }).into_string();
        assert!(page.contains("<title>&lt;t&gt;</title>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
        assert!(page.contains(&format!("<style>{}</style>", STYLE)), "the style the CSP hashes, byte for byte");
        assert!(!page.contains("<nav>"));
    }

    #[test]
    fn the_nav_shows_what_the_role_opens() {
        let inspector = nav(&NavFor { signed_in_as: "Wang <Wei>", admin: false, csrf: None }).into_string();
        assert!(inspector.contains("<b>Wang &lt;Wei&gt;</b>") && !inspector.contains("/office/people"), "{inspector}");
        assert!(!inspector.contains("sign-out") && !inspector.contains("/office/password"), "no session, no forms: {inspector}");
        let admin = nav(&NavFor { signed_in_as: "Zhou", admin: true, csrf: Some("c\"s") }).into_string();
        assert!(admin.contains("href=\"/office/people\"") && admin.contains("href=\"/office/audit\""), "{admin}");
        assert!(admin.contains("name=\"csrf\" value=\"c&quot;s\""), "{admin}");
        assert!(admin.contains("href=\"/office/figures\"") && admin.contains("href=\"?lang=en\""), "{admin}");
    }

    #[test]
    fn on_paper_the_controls_go_and_tables_keep_their_borders() {
        let print = STYLE.split_once("@media print{").map(|(_, p)| p).unwrap_or("");
        assert!(print.contains("nav,form,button,.pager,.screen-only{display:none}"), "{print}");
        assert!(print.contains("td,th{border:1px solid #000}") && print.contains("size:A4"), "{print}");
    }

    #[test]
    fn a_wide_table_scrolls_in_a_named_focusable_box() {
        let boxed = wide("People 人员", html! { table {} }).into_string();
        assert_eq!(boxed, "<div class=\"wide\" role=\"region\" aria-label=\"People 人员\" tabindex=\"0\"><table></table></div>");
        assert!(STYLE.contains(".wide{overflow-x:auto"));
    }

    #[test]
    fn times_read_as_utc_dates() {
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(1_700_000_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(date_time(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(date_time(4_102_444_799_000), "2099-12-31 23:59 UTC");
    }
}
