//! `safewalk-server people …`: the console's way to add people, issue and revoke their
//! tokens and sign-in links, and list them, against the same database the receiver uses
//! (`DATABASE_URL`). Also the first start's admin.

use crate::people::{self, check_name, Person, Role, DEVICE_TOKEN_PREFIX, SIGN_IN_PREFIX};
use crate::routes::now_millis;
use crate::store::people::{AuditEntry, NewPerson, TokenKind};
use crate::store::{Store, StoreError};

/// The name of the admin a receiver with no people creates at its first start.
pub const FIRST_ADMIN: &str = "admin";

/// How long a one-time sign-in link stays good: 24 hours.
pub const SIGN_IN_LIFETIME_MS: u64 = 24 * 3600 * 1000;

pub const USAGE: &str =
    "usage: safewalk-server people add NAME [--role inspector|supervisor|admin] [--department D] [--district D] [--certificate N]
       safewalk-server people token NAME [--label LABEL]      a device token for NAME's phone, shown once
       safewalk-server people link NAME                       a one-time sign-in link (24 hours)
       safewalk-server people password NAME                  sets NAME's office password (read from standard input)
       safewalk-server people revoke TOKEN_ID                 revokes a token at once
       safewalk-server people deactivate NAME                 NAME can no longer sign in or upload; their tokens are revoked
       safewalk-server people list
The database is DATABASE_URL's (default data/safewalk.sqlite3); SAFEWALK_PUBLIC_URL is the links' base.";

/// An audit line written from the console.
pub fn console_entry(action: &str, subject: &str, detail: String) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: now_millis(),
        actor: "console".into(),
        actor_id: None,
        action: action.into(),
        subject: subject.into(),
        detail,
        address: "console".into(),
    }
}

/// A one-time sign-in link for `person`: an office page that sets a password for office
/// people, the app's join screen (which trades it for a device token) for inspectors.
pub async fn sign_in_link(store: &Store, person: &Person, base: &str, actor: AuditEntry) -> Result<String, StoreError> {
    let code = people::new_secret(SIGN_IN_PREFIX);
    let now = now_millis();
    let info = store.add_token(&person.id, &code, TokenKind::SignIn, "sign-in link", Some(now + SIGN_IN_LIFETIME_MS), now).await?;
    store
        .audit(&AuditEntry { action: "sign-in-link-issued".into(), subject: person.label(), detail: format!("token {}", info.id), ..actor })
        .await?;
    Ok(link_for(person.role, base, &code))
}

/// Where a sign-in code is opened: the office's welcome page (to set a password), or for an
/// inspector the app, which reads the code after `#/join/` (a fragment never reaches a log).
pub fn link_for(role: Role, base: &str, code: &str) -> String {
    match role {
        Role::Inspector => format!("{base}/#/join/{code}"),
        Role::Supervisor | Role::Admin => format!("{base}/office/welcome/{code}"),
    }
}

/// With no people yet: creates the admin and returns a one-time link to set their password
/// (`None` when there are people, or another receiver on the same database just made them).
pub async fn first_admin(store: &Store, base: &str) -> Result<Option<String>, StoreError> {
    if store.count_people().await? > 0 {
        return Ok(None);
    }
    let new = NewPerson { name: FIRST_ADMIN.into(), role: Some(Role::Admin), ..NewPerson::default() };
    let Some(admin) = store.add_person(&new, now_millis()).await? else { return Ok(None) };
    store.audit(&console_entry("person-added", &admin.label(), "first start: no people yet".into())).await?;
    Ok(Some(sign_in_link(store, &admin, base, console_entry("", "", String::new())).await?))
}

/// `people …`: prints what it did; the error is the message for the console.
pub async fn run(store: &Store, args: &[String], base: &str, stdin: impl FnOnce() -> String) -> Result<String, String> {
    let db = |e: StoreError| e.to_string();
    let (command, rest) = args.split_first().ok_or(USAGE)?;
    let option = |name: &str| rest.windows(2).find(|w| w[0] == name).map(|w| w[1].clone());
    let named = || -> Result<String, String> { check_name(rest.first().filter(|a| !a.starts_with("--")).ok_or(USAGE)?) };
    let find = |name: String| async move {
        store.person_by_name(&name).await.map_err(db)?.ok_or_else(|| format!("no person named {name:?} (safewalk-server people list)"))
    };
    match command.as_str() {
        "add" => {
            let role = match option("--role") {
                Some(r) => Some(Role::parse(&r).ok_or_else(|| format!("--role {r}: inspector, supervisor or admin"))?),
                None => None,
            };
            let new = NewPerson {
                name: named()?,
                role,
                department: option("--department").unwrap_or_default(),
                district: option("--district").unwrap_or_default(),
                certificate: option("--certificate").unwrap_or_default(),
            };
            let person = store.add_person(&new, now_millis()).await.map_err(db)?.ok_or_else(|| format!("{:?} is taken", new.name))?;
            store
                .audit(&console_entry(
                    "person-added",
                    &person.label(),
                    format!("department {:?}, district {:?}", person.department, person.district),
                ))
                .await
                .map_err(db)?;
            Ok(format!("added {} ({}) {}", person.name, person.role, person.id))
        }
        "token" => {
            let person = find(named()?).await?;
            let label = option("--label").unwrap_or_else(|| "console".into());
            let secret = people::new_secret(DEVICE_TOKEN_PREFIX);
            let now = now_millis();
            let info = store.add_token(&person.id, &secret, TokenKind::Device, &label, None, now).await.map_err(db)?;
            store.audit(&console_entry("token-issued", &person.label(), format!("token {} ({label})", info.id))).await.map_err(db)?;
            Ok(secret)
        }
        "link" => {
            let person = find(named()?).await?;
            sign_in_link(store, &person, base, console_entry("", "", String::new())).await.map_err(db)
        }
        "password" => {
            let person = find(named()?).await?;
            let password = stdin();
            let password = password.trim_end_matches(['\r', '\n']);
            people::check_password(password)?;
            store.set_password(&person.id, &people::hash_password(password)?).await.map_err(db)?;
            store.audit(&console_entry("password-set", &person.label(), String::new())).await.map_err(db)?;
            Ok(format!("password set for {}", person.name))
        }
        "revoke" => {
            let id = rest.first().ok_or(USAGE)?;
            let person_id = store.revoke_token(id, now_millis()).await.map_err(db)?.ok_or_else(|| format!("no live token {id}"))?;
            let subject = store.person(&person_id).await.map_err(db)?.map(|p| p.label()).unwrap_or(person_id);
            store.audit(&console_entry("token-revoked", &subject, format!("token {id}"))).await.map_err(db)?;
            Ok(format!("revoked {id}"))
        }
        "deactivate" => {
            let mut person = find(named()?).await?;
            person.active = false;
            store.update_person(&person).await.map_err(db)?;
            store.revoke_all_of(&person.id, now_millis()).await.map_err(db)?;
            store.audit(&console_entry("person-deactivated", &person.label(), String::new())).await.map_err(db)?;
            Ok(format!("deactivated {}", person.name))
        }
        "list" => {
            let mut out = String::new();
            for person in store.people().await.map_err(db)? {
                out.push_str(&format!(
                    "{}\t{}\t{}\tdepartment={}\tdistrict={}\tcertificate={}\t{}\n",
                    person.name,
                    person.role,
                    person.id,
                    person.department,
                    person.district,
                    person.certificate,
                    if person.active { "active" } else { "inactive" }
                ));
                for t in store.tokens_of(&person.id).await.map_err(db)? {
                    let state = match (t.revoked_at, t.expires_at) {
                        (Some(_), _) => "revoked/used",
                        (None, Some(e)) if e <= now_millis() => "expired",
                        _ => "live",
                    };
                    let last = t.last_used_at.map(crate::html::date_time).unwrap_or_else(|| "never".into());
                    out.push_str(&format!(
                        "  {} {} {:?} created {} last used {} {state}\n",
                        t.id,
                        t.kind,
                        t.label,
                        crate::html::date_time(t.created_at),
                        last
                    ));
                }
            }
            Ok(out.trim_end().to_string())
        }
        _ => Err(USAGE.into()),
    }
}
