//! Housekeeping on a timer: sessions past their expiry and sign-in failures outside every
//! limit's window are deleted deliberately, so the tables do not grow with every expired
//! session and every guess. Several receivers sharing one PostgreSQL may each run it: the
//! deletes are idempotent.

use std::time::Duration;

use crate::routes::sign_in::FAILURE_WINDOW_MS;
use crate::store::{Store, StoreError};

/// How often [`run`] purges.
pub const PERIOD: Duration = Duration::from_secs(10 * 60);

/// One purge at `now`: `(sessions, failures)` deleted.
pub async fn purge(store: &Store, now: u64) -> Result<(u64, u64), StoreError> {
    store.purge_expired(now, now.saturating_sub(FAILURE_WINDOW_MS)).await
}

/// Purges every `period`, for as long as the receiver runs (from its start, so a receiver
/// restarted often still purges). A failure is logged and tried again next time.
pub async fn run(store: Store, period: Duration) {
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(e) = purge(&store, crate::now()).await {
            eprintln!("safewalk-server: cleanup of expired sessions and sign-in failures failed: {e}");
        }
    }
}
