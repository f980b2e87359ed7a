//! `GET {endpoint}/sync?since=<cursor>`: the pull (issue 14). The person behind the device
//! token gets their tasks, the open hazards of those tasks' sites and the library's tag, as
//! core's `Pull`: everything without a cursor this database issued, else what changed since.
//! Assigned tasks the answer carries are marked taken first (audited), so the answer already
//! says so and the next delta does not send them again.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use safewalk_core::dates;
use serde::Deserialize;

use super::peer::Peer;
use super::sign_in::entry;
use super::{error, library_etag, now_millis};
use crate::people::Principal;
use crate::store::StoreError;
use crate::AppState;

#[derive(Deserialize)]
pub struct Since {
    pub since: Option<String>,
    /// The phone's document serials of this year run low: allocate a block first.
    pub top_up: Option<String>,
}

pub async fn pull(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    peer: Peer,
    Query(q): Query<Since>,
) -> Response {
    let Principal::Person(person) = &principal else {
        return error(StatusCode::FORBIDDEN, "a legacy shared token belongs to no person: the pull needs a personal device token");
    };
    let top_up = match q.top_up.as_deref().map(|y| y.trim().parse::<i32>()) {
        None => None,
        Some(Ok(year)) => Some(year),
        Some(Err(_)) => return error(StatusCode::BAD_REQUEST, "top_up: a year, as a whole number"),
    };
    if let Err(e) = top_up_serials(&state, person, &peer.0, top_up).await {
        return e.into_response();
    }
    match answer(&state, person, &peer.0, q.since.as_deref()).await {
        Ok(pull) => ([(header::CACHE_CONTROL, "no-store")], Json(pull)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn answer(
    state: &AppState,
    person: &crate::people::Person,
    address: &str,
    since: Option<&str>,
) -> Result<safewalk_core::assignment::pull::Pull, StoreError> {
    let now = now_millis();
    // Taken before the counter is read: the move is numbered within this answer's cursor.
    for (_, number) in state.store.take_tasks(&person.id, now).await? {
        let detail = format!("pulled by {}'s phone", person.name);
        state.store.audit(&entry(Some(person), "task-taken", &format!("task {number}"), detail, address)).await?;
    }
    let counter = state.store.sync_counter().await?;
    let since = crate::sync::since(since, &counter);
    let tasks = state.store.pulled_tasks(&person.id, since).await?;
    let (sites, hazards) = state.store.pulled_sites(&person.id, since).await?;
    let library = Some(library_etag(&state.library_json));
    let mut pull = crate::sync::pull(&counter, since.is_none(), tasks, sites, hazards, library, &crate::tasks::date_of(now));
    // Every answer lists the person's blocks of the year and the office's particulars (a
    // delta too: they are few, and not counted by the change counter).
    pull.serials = state.store.blocks_of(&person.id, dates::china_year(now)).await?;
    pull.agency = crate::papers::particulars_of(state.store.setting(PARTICULARS).await?.as_deref()).filter(|p| !crate::papers::is_blank(p));
    Ok(pull)
}

/// `top_up=<year>`: a new block of the office's size when `year` is the current year in China
/// time (a phone whose clock or calendar is off asks for nothing it could use) and the person
/// was allocated no block of it in the last [`crate::papers::TOP_UP_INTERVAL_MS`], audited.
/// Otherwise nothing is allocated (nor audited: a token asking in a loop would flood the
/// trail) and the answer lists the blocks already held, as every answer does.
async fn top_up_serials(state: &AppState, person: &crate::people::Person, address: &str, year: Option<i32>) -> Result<(), StoreError> {
    let now = now_millis();
    let Some(year) = year.filter(|y| *y == dates::china_year(now)) else { return Ok(()) };
    let size = block_size(state).await?;
    let since = now.saturating_sub(crate::papers::TOP_UP_INTERVAL_MS);
    let Some(block) = state.store.top_up_block(&person.id, year, size, since, now).await? else { return Ok(()) };
    let detail = format!("{}–{} of {} ({size} serials), asked by {}'s phone", block.first, block.last, block.year, person.name);
    state.store.audit(&entry(Some(person), "serial-block-allocated", &person.label(), detail, address)).await
}

/// The office's block size ([`crate::papers::DEFAULT_BLOCK_SIZE`] unless the admin set one).
pub async fn block_size(state: &AppState) -> Result<u32, StoreError> {
    let stored = state.store.setting(BLOCK_SIZE).await?;
    Ok(stored.and_then(|s| crate::papers::parse_block_size(&s).ok()).unwrap_or(crate::papers::DEFAULT_BLOCK_SIZE))
}

/// The names of the office's settings the papers use.
pub const PARTICULARS: &str = "particulars";
pub const BLOCK_SIZE: &str = "serial_block_size";
