//! What the delivery runner needs from the app, and nothing more: the runner reads the outbox
//! and the inspections through this port and records every outcome through it, so it never
//! depends on how the app keeps its state.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::delivery::outbox::{Outbox, Step};
use crate::delivery::transport::{Destination, PictureFacts};

/// A completed inspection as the outbox knows it: id, completed at, attachment ids in order.
pub type Completed = (Uuid, u64, Vec<Uuid>);

#[allow(async_fn_in_trait)]
pub trait DeliveryPort {
    /// A picture's bytes as the platform holds them; the transport sends the same type.
    type Picture;

    /// Milliseconds since the Unix epoch.
    fn now(&self) -> u64;

    /// What the stored outbox says is next ([`Outbox::next_step`]).
    fn next_step(&self, now: u64) -> Step;

    /// Every completed inspection on the device, for [`Outbox::reconcile_with`] at start.
    fn completed(&self) -> Vec<Completed>;

    /// The inspections moved to the archive (delivered, and possibly forgotten by the
    /// outbox since): never queued again, even when one is read back into memory.
    fn archived(&self) -> BTreeSet<Uuid>;

    /// Where to send, read at the time of each request.
    fn destination(&self) -> Destination;

    /// The JSON payload of a completed inspection; `None` when its record can no longer be
    /// read on this device.
    fn payload(&self, id: Uuid) -> Option<String>;

    /// What the inspection says of one of its attachments; `None` when it lists no such one.
    fn picture_facts(&self, id: Uuid, attachment: Uuid) -> Option<PictureFacts>;

    /// The stored picture of an attachment; `None` when it is gone from the device.
    async fn picture(&self, attachment: Uuid) -> Option<Self::Picture>;

    /// Changes the outbox and writes it to the device at once, before anything else happens:
    /// a delivery state only in memory could send twice or forget a receipt after a reload.
    fn change_outbox(&self, change: impl FnOnce(&mut Outbox));

    /// Asks to be woken at `at` (milliseconds since the epoch) to run the runner's
    /// [`kick`](crate::delivery::runner::Runner::kick) again, replacing any earlier wake-up.
    fn wake_at(&self, at: u64);
}
