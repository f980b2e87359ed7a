//! The office's figures over real HTTP, on SQLite and PostgreSQL: counted from delivered
//! inspections and a closing re-inspection (found 3, closed 1: 33 %), scoped as the register
//! is, filtered by district, sector and dates; the CSV of each table, the XLSX read back
//! from its zip, and the office's language switched by `?lang=` and remembered in a cookie.

mod support;

use std::io::Read;

use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::rectification::follow_up::start_follow_up;
use safewalk_core::rectification::register::{open_for_site, register};
use safewalk_core::Lang;
use safewalk_server::people::Role;
use support::*;
use uuid::Uuid;

/// A GET with `token` and maybe a cookie: status, the `set-cookie` header and the body.
async fn get(r: &Receiver, path: &str, token: &str, cookie: Option<&str>) -> (u16, Option<String>, Vec<u8>) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.get(format!("{}{path}", r.base)).header("accept", "text/html").bearer_auth(token);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let reply = answer(request).await;
    (reply.status, reply.header("set-cookie").map(str::to_string), reply.body.to_vec())
}

async fn text(r: &Receiver, path: &str, token: &str) -> String {
    let (status, _, body) = get(r, path, token, None).await;
    let body = String::from_utf8_lossy(&body).to_string();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The CSV of one table, as lines.
async fn csv(r: &Receiver, query: &str, token: &str) -> Vec<String> {
    text(r, &format!("/office/figures.csv?{query}"), token).await.lines().map(str::to_string).collect()
}

/// One file of a zip.
fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut file = archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the workbook"));
    let mut out = String::new();
    file.read_to_string(&mut out).unwrap();
    out
}

async fn figures(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-2", "minhang").await;
    let zhou = person_token(&store, "Zhou", Role::Supervisor, "brigade-1", "pudong").await;

    // Wang finds three hazards (two majors, one general; two overdue), Li one in Minhang; then
    // Li re-inspects B and closes its hazard.
    let now = safewalk_server::now();
    let a = found("Riverside Mall", &[(EXIT, "2020-01-10"), (ALARM, "2020-01-05")], now - 7_200_000);
    let b = found("Harbour Hotel", &[(EXIT, "2999-02-01")], now - 7_000_000);
    let d = found("Minhang Market", &[(EXIT, "2019-01-01")], now - 6_000_000);
    for (i, token) in [(&a, &wang), (&b, &wang), (&d, &li)] {
        assert_eq!(r.post(&payload_of(i), None, Some(token)).await.0, 201);
    }
    let entries = register(std::slice::from_ref(&b), &fixture(), "2026-12-03");
    let mut follow_up = start_follow_up(Uuid::new_v4(), &b, &open_for_site(&entries, &entries[0].site_key), now - 3_600_000);
    for check in &mut follow_up.follow_up.as_mut().unwrap().checks {
        check.verdict = Some(Verdict::Rectified);
    }
    follow_up.completed_at = Some(now - 3_000_000);
    assert_eq!(r.post(&payload_of(&follow_up), None, Some(&li)).await.0, 201);

    // Zhou's scope: Wang's three, one closed: 33 %. Months are the last twelve, this one last.
    let month: String = safewalk_core::exchange::export::format_time(now, 0).chars().take(7).collect();
    let months = csv(&r, "table=months", &zhou).await;
    assert_eq!(months[0], "月份,发现,一般隐患,重大隐患,当月销号,整改率（当月发现的已销号）");
    assert_eq!(months.len(), 14, "a header, twelve months, the total: {months:?}");
    assert_eq!(months[12], format!("{month},3,1,2,1,33%"));
    assert_eq!(months[13], "合计,3,1,2,1,33%");
    assert_eq!(csv(&r, "table=overdue", &zhou).await[1..], ["一般隐患,1", "重大隐患,1", "合计,2"]);
    let sector = graded_shop();
    assert_eq!(csv(&r, "table=sectors", &zhou).await[1], format!("{},3,1,2,1,33%", sector.title.get(Lang::Zh)));
    let inspectors = csv(&r, "table=inspectors", &zhou).await;
    assert_eq!(inspectors.len(), 2, "Li is out of Zhou's scope: {inspectors:?}");
    assert!(inspectors[1].starts_with("Wang Wei,") && inspectors[1].ends_with(",2,2"), "{inspectors:?}");

    // The admin sees everyone: four found, one closed (25 %); Li delivered two.
    assert_eq!(csv(&r, "table=months", &admin).await[13], "合计,4,1,3,1,25%");
    let inspectors = csv(&r, "table=inspectors", &admin).await;
    assert!(inspectors.iter().any(|l| l.starts_with("Li Na,") && l.ends_with(",2,2")), "{inspectors:?}");

    // Filters: district, sector (also of the inspections, by the payload's template), dates.
    assert_eq!(csv(&r, "table=months&district=minhang", &admin).await[13], "合计,1,0,1,0,0%");
    assert_eq!(csv(&r, "table=months&sector=plain-kiosk", &admin).await[13], "合计,0,0,0,0,—");
    assert_eq!(csv(&r, "table=inspectors&sector=plain-kiosk", &admin).await.len(), 1, "no inspection of that sector");
    assert_eq!(csv(&r, &format!("table=inspectors&sector={}", sector.id), &admin).await.len(), 3, "both inspectors");
    let old = csv(&r, "table=months&from=2000-01-01&to=2000-03-31", &admin).await;
    assert_eq!((old.len(), old[4].as_str()), (5, "合计,0,0,0,0,—"), "three months with nothing");
    assert_eq!(get(&r, "/office/figures.csv?table=nothing", &admin, None).await.0, 400);

    // The page: tables and charts drawn on the server, a clear word on a bad date.
    let page = text(&r, "/office/figures", &zhou).await;
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("<h1>统计</h1>"), "{page}");
    assert!(page.matches("<svg class=\"chart\"").count() >= 5 && page.contains("role=\"img\""), "{page}");
    assert!(page.contains("<title>每月发现与销号的隐患</title>") && page.contains("33%"), "{page}");
    assert!(!page.contains("<script") && !page.contains("style=\""), "no script, no style attribute (CSP)");
    assert!(page.contains("href=\"/office/figures\"") && page.contains("href=\"/office/figures.xlsx?"), "{page}");
    let bad = text(&r, "/office/figures?from=yesterday", &zhou).await;
    assert!(bad.contains("开始日期须为 YYYY-MM-DD") && bad.contains("33%"), "the default range, and why: {bad}");

    // The workbook: a sheet per figure, the header bold, numbers as numbers.
    let (status, _, xlsx) = get(&r, "/office/figures.xlsx", &zhou, None).await;
    assert_eq!(status, 200);
    let workbook = unzip(&xlsx, "xl/workbook.xml");
    for sheet in ["每月隐患", "行业与等级", "逾期", "检查人员"] {
        assert!(workbook.contains(&format!("name=\"{sheet}\"")), "{workbook}");
    }
    assert!(unzip(&xlsx, "xl/sharedStrings.xml").contains("整改率（当月发现的已销号）"));
    assert!(unzip(&xlsx, "xl/styles.xml").contains("<b/>"), "a bold font for the header");
    let sheet = unzip(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<c r=\"B14\" t=\"n\"><v>3</v></c>") || sheet.contains("<c r=\"B14\"><v>3</v></c>"), "{sheet}");
    assert!(sheet.contains("<v>0.3333333333333333</v>"), "the rate as a fraction: {sheet}");

    // The language: asked for, remembered in a cookie, followed by every office page's frame.
    let (status, cookie, body) = get(&r, "/office/figures?lang=en", &zhou, None).await;
    let english = String::from_utf8_lossy(&body).to_string();
    assert_eq!(status, 200);
    let cookie = cookie.expect("the choice is remembered");
    assert!(cookie.starts_with("safewalk_lang=en;") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(english.contains("<html lang=\"en\">") && english.contains("<h1>Figures</h1>") && !english.contains("统计"), "{english}");
    assert!(english.contains("Hazards found and closed per month") && english.contains(sector.title.get(Lang::En)), "{english}");
    assert!(english.contains("href=\"/office/figures?lang=zh\"") && english.contains(">中文</a>"), "the switch back");
    let remembered = "safewalk_lang=en";
    let (_, _, hazards) = get(&r, "/office/hazards", &zhou, Some(remembered)).await;
    let hazards = String::from_utf8_lossy(&hazards).to_string();
    assert!(hazards.contains("<html lang=\"en\">") && hazards.contains(">Sites</a>") && !hazards.contains("Sites 场所"), "{hazards}");
    let (_, _, english_csv) = get(&r, "/office/figures.csv?table=months", &zhou, Some(remembered)).await;
    assert!(String::from_utf8_lossy(&english_csv).starts_with("Month,Found,General,Major"), "exports follow it too");
    let (_, cookie, chinese) = get(&r, "/office/figures?lang=zh", &zhou, Some(remembered)).await;
    assert!(cookie.is_some_and(|c| c.starts_with("safewalk_lang=zh;")));
    assert!(String::from_utf8_lossy(&chinese).contains("<html lang=\"zh-CN\">"));
    assert_eq!(get(&r, "/office/figures", &wang, None).await.0, 403, "inspectors have no office");
}

#[tokio::test]
async fn the_figures_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    figures(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p safewalk-server -- --include-ignored"]
async fn the_figures_on_postgres() {
    figures(&postgres_database().await).await;
}
