//! Tasks and the random draw over real HTTP, on SQLite and PostgreSQL: assigning (numbers per
//! year, names on the pages, audited), scope (no site and no inspector outside the
//! supervisor's), refusals that keep the form, the list's filters, overdue (the list's SQL and
//! the page's rule agree), withdrawal, and the draw: recorded, replayed from its record to the
//! same pairs (and seen to differ when the record is altered), published as a page and a CSV.

mod support;

use safewalk_server::draw::draw;
use safewalk_server::people::Role;
use safewalk_server::store::Store;
use safewalk_server::tasks::{date_of, number};
use support::*;

async fn get(r: &Receiver, path: &str, token: &str) -> (u16, String) {
    let request = r.anonymous.get(format!("{}{path}", r.base)).bearer_auth(token).header("accept", "text/html");
    let reply = answer(request).await;
    (reply.status, String::from_utf8_lossy(&reply.body).to_string())
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    store.row(sql, vec![]).await.unwrap().unwrap()[0].int()
}

async fn id_of_site(store: &Store, name: &str) -> String {
    store.row("SELECT id FROM sites WHERE name = $1", vec![name.into()]).await.unwrap().expect("imported")[0].text()
}

/// The ids of the tasks a list page links, in page order.
fn listed(body: &str) -> Vec<String> {
    body.split("href=\"/office/tasks/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| *id != "new")
        .map(str::to_string)
        .collect()
}

async fn tasks(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let r = start(url, dir.path(), &[], 64 * 1024).await;
    let store = Store::open(url).await.unwrap();
    let wang = person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let _zhang = person_token(&store, "Zhang Min", Role::Inspector, "brigade-1", "pudong").await;
    let _li = person_token(&store, "Li Na", Role::Inspector, "brigade-2", "minhang").await;
    let zhou = person_token(&store, "Zhou", Role::Supervisor, "brigade-1", "").await;
    let sun = person_token(&store, "Sun", Role::Supervisor, "", "minhang").await;
    let admin = r.token.clone().unwrap();
    let person = |name: &'static str| {
        let store = store.clone();
        async move { store.person_by_name(name).await.unwrap().unwrap().id }
    };
    let (wang_id, zhang_id, li_id) = (person("Wang Wei").await, person("Zhang Min").await, person("Li Na").await);

    // The register: four shops of brigade 1 in Pudong, a kiosk there, two shops in Minhang.
    let csv = "name,address,district,department,sectors\n\
        东方商厦,肇嘉浜路1号,pudong,brigade-1,graded-shop\n\
        百盛购物中心,淮海路2号,pudong,brigade-1,graded-shop\n\
        正大广场,陆家嘴西路3号,pudong,brigade-1,graded-shop\n\
        八佰伴,张杨路4号,pudong,brigade-1,graded-shop\n\
        报刊亭,世纪大道5号,pudong,brigade-1,plain-kiosk\n\
        七宝万科,漕宝路6号,minhang,brigade-2,graded-shop\n\
        龙之梦,虹桥路7号,minhang,brigade-2,graded-shop\n";
    let (status, body, _) = post_form(&r, "/office/sites/import", &[("csv", csv)], &admin).await;
    assert_eq!(status, 303, "{body}");
    let dongfang = id_of_site(&store, "东方商厦").await;
    let qibao = id_of_site(&store, "七宝万科").await;

    let today = date_of(safewalk_server::now());
    let year: i64 = today[..4].parse().unwrap();
    let due = format!("{}-12-31", year + 1);

    // Assign: the form offers the site (from its page), the library's checklists and the
    // inspectors of the supervisor's scope only.
    let (status, form) = get(&r, &format!("/office/tasks/new?site={dongfang}"), &zhou).await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains("东方商厦") && form.contains("测试商场消防检查") && form.contains("Wang Wei") && form.contains("Zhang Min"));
    assert!(!form.contains("Li Na") && !form.contains("龙之梦"), "Li and Minhang are outside Zhou's scope: {form}");
    assert!(get(&r, &format!("/office/sites/{dongfang}"), &zhou).await.1.contains(&format!("/office/tasks/new?site={dongfang}")));
    let assign = |site: String, inspectors: Vec<String>, due: String, token: String| {
        let r = &r;
        async move {
            let mut pairs = vec![("site", site), ("template", "graded-shop".to_string()), ("due", due), ("note", "带上 <测距仪>".into())];
            pairs.extend(inspectors.into_iter().map(|i| ("inspector", i)));
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(r, "/office/tasks", &pairs, &token).await
        }
    };
    let (status, body, location) = assign(dongfang.clone(), vec![wang_id.clone(), zhang_id.clone()], due.clone(), zhou.clone()).await;
    assert_eq!(status, 303, "{body}");
    let first = location.trim_start_matches("/office/tasks/").to_string();
    let (status, page) = get(&r, &location, &zhou).await;
    assert_eq!(status, 200, "{page}");
    let first_number = number(year, 1);
    for shown in [first_number.as_str(), "东方商厦", "测试商场消防检查", "Wang Wei", "Zhang Min", &due, "带上 &lt;测距仪&gt;", "已派发"]
    {
        assert!(page.contains(shown), "{shown} on the task's page: {page}");
    }
    assert!(page.contains("href=\"/office/tasks\">任务"), "the nav links the tasks");
    let audit = store.audit_entries(0, 1).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].subject.as_str()), ("task-assigned", format!("task {first_number}").as_str()));
    assert!(audit[0].actor.starts_with("Zhou") && audit[0].detail.contains("Zhang Min"), "{audit:?}");
    let (status, _, location) = assign(dongfang.clone(), vec![wang_id.clone()], due.clone(), admin.clone()).await;
    assert_eq!(status, 303);
    let second = location.trim_start_matches("/office/tasks/").to_string();
    assert!(get(&r, &location, &admin).await.1.contains(&number(year, 2)), "numbered in turn");

    // Scope: no site and no inspector outside it; refusals keep what was typed.
    let tasks_now = count(&store, "SELECT COUNT(*) FROM tasks").await;
    assert_eq!(assign(qibao.clone(), vec![wang_id.clone()], due.clone(), zhou.clone()).await.0, 404, "a Minhang site");
    let (status, body, _) = assign(dongfang.clone(), vec![wang_id.clone(), li_id.clone()], due.clone(), zhou.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("检查人员不存在、已停用或不在您的范围内") && body.contains("带上 &lt;测距仪&gt;"), "{body}");
    let (status, body, _) = assign(dongfang.clone(), vec![], "2020-01-01".into(), zhou.clone()).await;
    assert_eq!(status, 422);
    assert!(body.contains("请至少选择一名检查人员") && body.contains("期限 2020-01-01 已过"), "{body}");
    assert_eq!(assign(dongfang.clone(), vec![wang_id.clone()], "2026-02-30".into(), zhou.clone()).await.0, 422);
    assert_eq!(assign(qibao.clone(), vec![li_id.clone()], due.clone(), sun.clone()).await.0, 303, "Sun's own district");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tasks").await, tasks_now + 1, "only Sun's");

    // The list: scoped, filtered; a task out of scope is not found.
    let (status, body) = get(&r, "/office/tasks", &zhou).await;
    assert_eq!(status, 200);
    assert_eq!(listed(&body), [first.as_str(), second.as_str()]);
    assert!(body.contains("2 项任务") && body.contains("东方商厦") && body.contains("Wang Wei、Zhang Min"), "{body}");
    assert_eq!(listed(&get(&r, "/office/tasks", &sun).await.1).len(), 1);
    assert_eq!(listed(&get(&r, "/office/tasks", &admin).await.1).len(), 3);
    assert_eq!(listed(&get(&r, &format!("/office/tasks?inspector={zhang_id}"), &admin).await.1), [first.as_str()]);
    assert_eq!(listed(&get(&r, "/office/tasks?district=minhang", &admin).await.1).len(), 1);
    assert_eq!(listed(&get(&r, &format!("/office/tasks?due_to={today}"), &admin).await.1).len(), 0);
    assert_eq!(get(&r, &format!("/office/tasks/{first}"), &sun).await.0, 404);
    assert_eq!(listed(&get(&r, &format!("/office/tasks?site={qibao}"), &admin).await.1).len(), 1, "a site's tasks");
    assert!(listed(&get(&r, &format!("/office/tasks?site={qibao}"), &zhou).await.1).is_empty(), "out of Zhou's scope");
    assert!(get(&r, &format!("/office/sites/{dongfang}"), &zhou).await.1.contains(&format!("/office/tasks?site={dongfang}")));

    // Overdue: the due date passed (set straight in the store: the form refuses a past date).
    store.rows("UPDATE tasks SET due = '2020-01-01' WHERE id = $1", vec![first.clone().into()]).await.unwrap();
    assert!(get(&r, &format!("/office/tasks/{first}"), &zhou).await.1.contains("已逾期"));
    assert_eq!(listed(&get(&r, "/office/tasks?state=overdue", &zhou).await.1), [first.as_str()]);
    assert_eq!(listed(&get(&r, "/office/tasks?state=assigned", &zhou).await.1), [second.as_str()]);
    assert_eq!(listed(&get(&r, "/office/tasks?due_from=2019-12-31&due_to=2020-01-01", &zhou).await.1), [first.as_str()]);

    // Withdraw: audited, once; out of scope not found; inspectors have no office.
    let withdraw = |id: String, token: String| {
        let r = &r;
        async move { post_form(r, &format!("/office/tasks/{id}/withdraw"), &[], &token).await.0 }
    };
    assert_eq!(withdraw(first.clone(), sun.clone()).await, 404);
    assert_eq!(withdraw(first.clone(), wang.clone()).await, 403);
    assert_eq!(withdraw(first.clone(), zhou.clone()).await, 303);
    assert_eq!(withdraw(first.clone(), zhou.clone()).await, 409);
    let page = get(&r, &format!("/office/tasks/{first}"), &zhou).await.1;
    assert!(page.contains("已撤回") && !page.contains("已逾期") && !page.contains("/withdraw\""), "{page}");
    assert_eq!(listed(&get(&r, "/office/tasks?state=withdrawn", &zhou).await.1), [first.as_str()]);
    assert!(listed(&get(&r, "/office/tasks?state=overdue", &zhou).await.1).is_empty());
    let audit = store.audit_entries(0, 1).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].subject.as_str()), ("task-withdrawn", format!("task {first_number}").as_str()));

    // The draw: three of Zhou's four shops (the kiosk and Minhang are outside the pool), two
    // of Zhou's two inspectors each, from a seed typed in.
    let draw_form = |sites: &'static str, per_site: &'static str, seed: &'static str, token: String| {
        let r = &r;
        let due = due.clone();
        async move {
            let pairs = [
                ("sector", "graded-shop"),
                ("district", ""),
                ("sites", sites),
                ("per_site", per_site),
                ("template", "graded-shop"),
                ("due", due.as_str()),
                ("note", "2026 年第四季度双随机"),
                ("seed", seed),
            ];
            post_form(r, "/office/draws", &pairs, &token).await
        }
    };
    let tasks_now = count(&store, "SELECT COUNT(*) FROM tasks").await;
    let (status, body, _) = draw_form("5", "2", "20261203", zhou.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("要抽取 5 个场所，但场所库只有 4 个"), "{body}");
    let (status, body, _) = draw_form("3", "3", "20261203", zhou.clone()).await;
    assert_eq!(status, 422);
    assert!(body.contains("每个场所要 3 名检查人员，但人员库只有 2 名"), "{body}");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM draws").await, 0, "nothing recorded");
    let (status, body, location) = draw_form("3", "2", "20261203", zhou.clone()).await;
    assert_eq!(status, 303, "{body}");
    let draw_id = location.trim_start_matches("/office/draws/").to_string();
    let record = store.draw_record(&draw_id).await.unwrap().unwrap();
    let mut pool = Vec::new();
    for name in ["东方商厦", "百盛购物中心", "正大广场", "八佰伴"] {
        pool.push(id_of_site(&store, name).await);
    }
    pool.sort();
    let mut inspectors = vec![wang_id.clone(), zhang_id.clone()];
    inspectors.sort();
    assert_eq!((record.seed, &record.site_pool, &record.inspector_pool), (20261203, &pool, &inspectors), "the pools, canonical");
    // Reproduced from its record alone (the pools given in another order).
    let mut reversed = record.site_pool.clone();
    reversed.reverse();
    assert_eq!(draw(record.seed, &reversed, &record.inspector_pool, record.sites, record.per_site).unwrap(), record.result);
    assert_eq!(record.result.len(), 3);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tasks").await, tasks_now + 3, "a task a drawn site");
    let audit = store.audit_entries(0, 1).await.unwrap();
    assert_eq!(audit[0].action, "draw-made");
    assert!(audit[0].detail.starts_with("seed 20261203 (typed), 3 of 4 sites"), "{audit:?}");

    // Published: a page and a CSV anyone in the office opens (Sun, of another district, too).
    let (status, page) = get(&r, &location, &sun).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("data-replay=\"same\"") && page.contains("20261203"), "{page}");
    assert!(page.contains("由抽取人输入") && page.contains("从 4 个场所中抽取 3 个"), "a typed seed is published as typed: {page}");
    let site_names: Vec<String> = {
        let mut names = Vec::new();
        for pair in &record.result {
            names.push(store.site(&pair.site).await.unwrap().unwrap().name);
        }
        names
    };
    for name in &site_names {
        assert!(page.contains(name.as_str()), "{name} drawn: {page}");
    }
    let reply = answer(r.anonymous.get(format!("{}{location}/csv", r.base)).bearer_auth(&sun)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("text/csv; charset=utf-8"));
    let text = String::from_utf8(reply.body).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three sites: {text}");
    assert!(lines[0].starts_with("任务编号 task,场所 site"));
    for (line, (pair, name)) in lines[1..].iter().zip(record.result.iter().zip(&site_names)) {
        assert!(line.contains(name.as_str()) && line.contains(&due), "{line}");
        let team: Vec<&str> = pair.inspectors.iter().map(|id| if *id == wang_id { "Wang Wei" } else { "Zhang Min" }).collect();
        assert!(line.contains(&team.join("; ")), "{line} names {team:?}");
    }
    // The drawn tasks are Zhou's to follow like any other.
    assert_eq!(listed(&get(&r, "/office/tasks?state=assigned", &zhou).await.1).len(), 4);
    // A record altered afterwards no longer replays, and the page says so.
    store.rows("UPDATE draws SET seed = '20261204' WHERE id = $1", vec![draw_id.clone().into()]).await.unwrap();
    assert!(get(&r, &location, &zhou).await.1.contains("data-replay=\"differs\""));
    assert_eq!(get(&r, "/office/draws/nothing", &zhou).await.0, 404);
    assert!(get(&r, "/office/draws", &zhou).await.1.contains(&location));
    // Without a seed typed, a fresh one from the system, published as such; a typed seed
    // that is not a number is refused.
    let (status, _, fresh) = draw_form("1", "1", "", zhou.clone()).await;
    assert_eq!(status, 303);
    let page = get(&r, &fresh, &zhou).await.1;
    assert!(page.contains("由系统随机产生") && page.contains("data-replay=\"same\""), "{page}");
    let (status, body, _) = draw_form("1", "1", "-1", zhou.clone()).await;
    assert_eq!(status, 422);
    assert!(body.contains("随机种子应为 0 到 18446744073709551615 的整数"), "{body}");
}

/// Numbers stay unique when many assign at once; the office's forms need their CSRF token
/// when sent with the session cookie; a task follows its site into a merge.
async fn numbers_sessions_and_merges(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let r = start(url, dir.path(), &[], 64 * 1024).await;
    let store = Store::open(url).await.unwrap();
    person_token(&store, "Wang Wei", Role::Inspector, "brigade-1", "pudong").await;
    let wang_id = store.person_by_name("Wang Wei").await.unwrap().unwrap().id;
    let zhou = person_token(&store, "Zhou", Role::Supervisor, "brigade-1", "").await;
    let csv =
        "name,address,department,sectors\n东方商厦,肇嘉浜路1号,brigade-1,graded-shop\n东方商厦,肇嘉浜路1号B座,brigade-1,graded-shop\n";
    assert_eq!(post_form(&r, "/office/sites/import", &[("csv", csv)], &zhou).await.0, 303);
    let rows = store.rows("SELECT id, address FROM sites ORDER BY address", vec![]).await.unwrap();
    let (main_site, annex) = (rows[0][0].text(), rows[1][0].text());
    let year: i64 = date_of(safewalk_server::now())[..4].parse().unwrap();
    let due = format!("{}-06-30", year + 1);

    // Twelve at once: twelve numbers, 1 to 12 (on PostgreSQL the losers of a race number again).
    let mut running = Vec::new();
    for n in 0..12 {
        let (base, token, site, wang_id, due) =
            (r.base.clone(), zhou.clone(), if n % 2 == 0 { main_site.clone() } else { annex.clone() }, wang_id.clone(), due.clone());
        running.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            let body =
                serde_urlencoded::to_string([("site", site.as_str()), ("template", "graded-shop"), ("inspector", &wang_id), ("due", &due)])
                    .unwrap();
            let request = client
                .post(format!("{base}/office/tasks"))
                .bearer_auth(token)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
            answer(request).await.status
        }));
    }
    for done in running {
        assert_eq!(done.await.unwrap(), 303);
    }
    let numbers = store.rows("SELECT year, seq FROM tasks ORDER BY seq", vec![]).await.unwrap();
    assert_eq!(numbers.iter().map(|r| (r[0].int(), r[1].int())).collect::<Vec<_>>(), (1..=12).map(|n| (year, n)).collect::<Vec<_>>());

    // With the session cookie a form needs its page's CSRF token.
    let password = "a long office password";
    safewalk_server::cli::run(&store, &["password".to_string(), "Zhou".to_string()], "", || password.to_string()).await.unwrap();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let signed_in = client
        .post(format!("{}/office/sign-in", r.base))
        .header("origin", &r.base)
        .form(&[("name", "Zhou"), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status().as_u16(), 303);
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let page = client.get(format!("{}/office/tasks/new", r.base)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    let csrf =
        page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the form's CSRF token").to_string();
    let send = |csrf: &str| {
        let body = serde_urlencoded::to_string([
            ("csrf", csrf),
            ("site", &main_site),
            ("template", "graded-shop"),
            ("inspector", &wang_id),
            ("due", &due),
        ])
        .unwrap();
        client
            .post(format!("{}/office/tasks", r.base))
            .header("cookie", &cookie)
            .header("origin", &r.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(send("").await.unwrap().status().as_u16(), 403);
    assert_eq!(send("forged").await.unwrap().status().as_u16(), 403);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tasks").await, 12);
    let made = send(&csrf).await.unwrap();
    assert_eq!(made.status().as_u16(), 303);
    let task = made.headers()["location"].to_str().unwrap().trim_start_matches("/office/tasks/").to_string();
    let withdraw = |csrf: &str| {
        let body = serde_urlencoded::to_string([("csrf", csrf)]).unwrap();
        client
            .post(format!("{}/office/tasks/{task}/withdraw", r.base))
            .header("cookie", &cookie)
            .header("origin", &r.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(withdraw("").await.unwrap().status().as_u16(), 403);
    assert_eq!(withdraw(&csrf).await.unwrap().status().as_u16(), 303);

    // The annex merged into the main site: its six tasks follow.
    let merged = post_form(&r, &format!("/office/sites/{annex}/merge"), &[("into", &main_site)], &zhou).await;
    assert_eq!(merged.0, 303, "{}", merged.1);
    let (status, body) = get(&r, &format!("/office/tasks?site={main_site}"), &zhou).await;
    assert_eq!(status, 200);
    assert_eq!(listed(&body).len(), 13, "{body}");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tasks WHERE site_id NOT IN (SELECT id FROM sites)").await, 0);
}

#[tokio::test]
async fn numbers_sessions_and_merges_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    numbers_sessions_and_merges(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p safewalk-server -- --include-ignored"]
async fn numbers_sessions_and_merges_on_postgres() {
    numbers_sessions_and_merges(&postgres_database().await).await;
}

#[tokio::test]
async fn tasks_are_assigned_withdrawn_and_drawn_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    tasks(&dir.path().join("safewalk.sqlite3").display().to_string()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p safewalk-server -- --include-ignored"]
async fn tasks_are_assigned_withdrawn_and_drawn_on_postgres() {
    tasks(&postgres_database().await).await;
}
