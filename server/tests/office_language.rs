//! Every office page speaks the office's language and only it: in English no Chinese fixed
//! label, in Chinese no English one (the data — site, people and checklist names, ids,
//! dates — excepted), over real HTTP on SQLite and PostgreSQL. The pages are filled first:
//! sites, inspections with hazards, a re-inspection that closes one, a task, a draw.

mod support;

use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::rectification::follow_up::start_follow_up;
use safewalk_core::rectification::register::{open_for_site, register};
use safewalk_server::people::Role;
use support::*;
use uuid::Uuid;

/// A page as the office reads it, in the language the cookie chose.
async fn page(r: &Receiver, path: &str, token: &str, lang: &str) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let request = client
        .get(format!("{}{path}", r.base))
        .header("accept", "text/html")
        .header("cookie", format!("safewalk_lang={lang}"))
        .bearer_auth(token);
    let reply = answer(request).await;
    let body = String::from_utf8_lossy(&reply.body).to_string();
    assert_eq!(reply.status, 200, "{path}: {body}");
    body
}

/// The words a reader sees: the text between tags (with the `<title>`), the switch to the
/// other language (marked with its own `lang`) and `<code>` (a file format's column names)
/// left out, and `data` (what was typed or delivered) taken away.
fn fixed_words(html: &str, data: &[&str]) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let tag_end = rest[start..].find('>').map(|e| start + e + 1).unwrap_or(rest.len());
        let tag = &rest[start..tag_end];
        rest = &rest[tag_end..];
        // Skip the contents of an element written in the other language, of code, of style.
        let skipped = if tag.contains(" lang=\"") && !tag.starts_with("<html") {
            Some(if tag.starts_with("<a") { "</a>" } else { "</span>" })
        } else if tag.starts_with("<code") {
            Some("</code>")
        } else if tag.starts_with("<style") {
            Some("</style>")
        } else {
            None
        };
        if let Some(close) = skipped {
            rest = rest.find(close).map(|e| &rest[e + close.len()..]).unwrap_or("");
        }
    }
    text.push_str(rest);
    let mut text = text.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    for d in data {
        text = text.replace(d, " ");
    }
    text
}

/// `html` with every table cell emptied (the header cells kept).
fn without_cells(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<td") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("</td>").map(|e| &rest[start + e + 5..]).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Chinese characters in `text`.
fn chinese(text: &str) -> Vec<char> {
    text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c) || ('\u{3000}'..='\u{303f}').contains(c)).collect()
}

/// English words in `text` (three letters or more; names of formats and units allowed, and
/// anything with a digit: ids, dates, numbers).
fn english(text: &str) -> Vec<String> {
    const ALLOWED: [&str; 10] = ["Safewalk", "UTC", "CSV", "JSON", "XLSX", "Excel", "SHA", "YYYY", "MM", "DD"];
    text.split_whitespace()
        .filter(|token| !token.chars().any(|c| c.is_ascii_digit()))
        .flat_map(|token| token.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|w| w.len() >= 3 && !ALLOWED.contains(w))
        .map(str::to_string)
        .collect()
}

async fn one_language(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (r, store) = start_on(url, dir.path()).await;
    let admin = r.token.clone().unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let li = person_token(&store, "Li Na", Role::Inspector, "brigade-1", "pudong").await;

    // A site imported, two inspections with hazards, a re-inspection closing one of them.
    let sites = "name,address,district,department,sectors\nHarbour Hotel,Harbour Hotel Road 1,pudong,brigade-1,graded-shop\n";
    assert_eq!(post_form(&r, "/office/sites/import", &[("csv", sites)], &admin).await.0, 303);
    let now = safewalk_server::now();
    let a = found("Riverside Mall", &[(EXIT, "2020-01-10"), (ALARM, "2999-01-05")], now - 7_200_000);
    let b = found("Harbour Hotel", &[(EXIT, "2999-02-01"), (ALARM, "2999-02-01")], now - 7_000_000);
    for i in [&a, &b] {
        assert_eq!(r.post(&payload_of(i), None, Some(&wang)).await.0, 201);
    }
    let entries = register(std::slice::from_ref(&b), &fixture(), "2026-12-03");
    let mut follow_up = start_follow_up(Uuid::new_v4(), &b, &open_for_site(&entries, &entries[0].site_key), now - 3_600_000);
    let checks = &mut follow_up.follow_up.as_mut().unwrap().checks;
    checks[0].verdict = Some(Verdict::Rectified);
    checks[1].verdict = Some(Verdict::NotRectified);
    follow_up.completed_at = Some(now - 3_000_000);
    assert_eq!(r.post(&payload_of(&follow_up), None, Some(&li)).await.0, 201);

    // A task and a draw.
    let zh_site = page(&r, "/office/sites", &admin, "zh").await;
    let site = zh_site
        .split("href=\"/office/sites/")
        .filter_map(|s| s.split('"').next())
        .find(|id| Uuid::parse_str(id).is_ok())
        .expect("a site's link")
        .to_string();
    let people = store.people().await.unwrap();
    let wang_id = people.iter().find(|p| p.name == "Wang Wei").unwrap().id.clone();
    let li_id = people.iter().find(|p| p.name == "Li Na").unwrap().id.clone();
    let year: i64 = safewalk_core::exchange::export::format_time(now, 0)[..4].parse().unwrap();
    let due = format!("{}-12-31", year + 1);
    let pairs =
        [("site", site.as_str()), ("template", "graded-shop"), ("due", &due), ("note", ""), ("inspector", &wang_id), ("inspector", &li_id)];
    let (status, body, task) = post_form(&r, "/office/tasks", &pairs, &admin).await;
    assert_eq!(status, 303, "{body}");
    let pairs = [
        ("sector", ""),
        ("district", ""),
        ("sites", "1"),
        ("per_site", "2"),
        ("template", "graded-shop"),
        ("due", &due),
        ("note", ""),
        ("seed", "7"),
    ];
    let (status, body, draw) = post_form(&r, "/office/draws", &pairs, &admin).await;
    assert_eq!(status, 303, "{body}");

    let template = graded_shop();
    let data: Vec<String> = [
        "Riverside Mall",
        "Harbour Hotel",
        "Riverside Co.",
        "Zhao Li",
        "District Fire Brigade",
        "Wang Wei",
        "Li Na",
        "console",
        "疏散通道堵塞",
        "Road 1",
        "Block \"A\"",
        "pudong",
        "brigade-1",
        "graded-shop",
        "admin",
        "test",
        "2.0.0",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([EXIT, ALARM].iter().flat_map(|item| [format!("Riverside Mall: {item}"), format!("Harbour Hotel: {item}"), item.to_string()]))
    .chain([template.version.clone(), template.site_categories[0].id.clone()])
    .collect();
    let pages = [
        "/office".to_string(),
        format!("/office/{}", a.id),
        format!("/office/{}", follow_up.id),
        "/office/sites".into(),
        format!("/office/sites/{site}"),
        "/office/sites/import".into(),
        "/office/tasks".into(),
        "/office/tasks/new".into(),
        task.clone(),
        "/office/draws".into(),
        draw.clone(),
        "/office/hazards".into(),
        format!("/office/hazards/{}/{EXIT}", a.id),
        format!("/office/hazards/{}/{EXIT}", b.id),
        "/office/people".into(),
        "/office/audit".into(),
        "/office/password".into(),
        "/office/figures".into(),
        "/office/documents".into(),
        "/office/serials".into(),
        "/office/particulars".into(),
    ];
    // An inspection's category reads as the checklist names it, in the page's language.
    let category = &template.site_categories[0];
    for (lang, name) in [("zh", &category.name.zh), ("en", &category.name.en)] {
        let html = page(&r, &format!("/office/{}", a.id), &admin, lang).await;
        assert!(html.contains(&format!("<td>{name}</td>")), "{lang}: the category {name:?} by its name: {html}");
    }
    for path in &pages {
        // The data shown in the page's language (the checklist's title, its items) is data too.
        for (lang, other) in [("en", "zh"), ("zh", "en")] {
            let html = page(&r, path, &admin, lang).await;
            let mut data: Vec<&str> = data.iter().map(String::as_str).collect();
            let lang_of = |code: &str| if code == "en" { safewalk_core::Lang::En } else { safewalk_core::Lang::Zh };
            let words: Vec<&str> = std::iter::once(template.title.get(lang_of(lang)))
                .chain(template.items().map(|i| i.text.get(lang_of(lang))))
                .chain(template.items().filter_map(|i| i.major.as_deref()))
                .collect();
            data.extend(words);
            // The audit trail's rows are what was recorded when it happened (action codes, details).
            let html = if path == "/office/audit" { without_cells(&html) } else { html };
            let fixed = fixed_words(&html, &data);
            match lang {
                "en" => assert!(chinese(&fixed).is_empty(), "{path} in English shows Chinese {:?}: {fixed}", chinese(&fixed)),
                _ => assert!(english(&fixed).is_empty(), "{path} in Chinese shows English {:?}: {fixed}", english(&fixed)),
            }
            assert!(html.contains(&format!("?lang={other}")) || html.contains(&format!("&amp;lang={other}")), "{path}: the switch");
        }
    }
}

#[tokio::test]
async fn every_office_page_speaks_one_language_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    one_language(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p safewalk-server -- --include-ignored"]
async fn every_office_page_speaks_one_language_on_postgres() {
    one_language(&postgres_database().await).await;
}
