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
    Ok(crate::sync::pull(&counter, since.is_none(), tasks, sites, hazards, library, &crate::tasks::date_of(now)))
}
