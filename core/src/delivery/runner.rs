//! Performs what the outbox decides: sends one record or one picture, waits until the next
//! try is due, or rests. Every change of the outbox goes through the port, which writes it to
//! the device before the next request, so a reload in the middle of a send loses nothing and
//! duplicates nothing.
//!
//! One request at a time: while a send is under way the outbox holds a `Sending` record and
//! answers [`Step::Idle`], so a second [`Runner::kick`] (a settings change, "send now") ends at
//! once and the send under way carries on with what follows.

use uuid::Uuid;

use crate::delivery::outbox::{classify, classify_attachment, Outcome, Step};
use crate::delivery::port::DeliveryPort;
use crate::delivery::transport::Transport;

/// The runner over a port and a transport that agree on what a picture is.
pub struct Runner<'a, P, T> {
    port: &'a P,
    transport: &'a T,
}

impl<'a, P, T> Runner<'a, P, T>
where
    P: DeliveryPort,
    T: Transport<Picture = P::Picture>,
{
    pub fn new(port: &'a P, transport: &'a T) -> Self {
        Runner { port, transport }
    }

    /// Starts delivery: a send cut off by the last reload is queued again, completed
    /// inspections the outbox lost are queued, failed ones are due at once; then sends.
    pub async fn start(&self) {
        let (completed, archived) = (self.port.completed(), self.port.archived());
        let now = self.port.now();
        self.port.change_outbox(|outbox| {
            outbox.recover_interrupted();
            outbox.reconcile_with(completed, &archived);
            outbox.retry_now(now);
        });
        self.kick().await;
    }

    /// "Send now", the `online` event and a settings change: failed records are due at once.
    pub async fn send_now(&self) {
        let now = self.port.now();
        self.port.change_outbox(|outbox| outbox.retry_now(now));
        self.kick().await;
    }

    /// Does what the outbox says is next, the record and then each of its pictures, until
    /// nothing is due: then asks the port to wake it when the next try is.
    pub async fn kick(&self) {
        loop {
            let now = self.port.now();
            match self.port.next_step(now) {
                Step::Idle => return,
                Step::WaitUntil(at) => return self.port.wake_at(at),
                Step::SendRecord(id) => self.send_record(id, now).await,
                Step::SendAttachment(id, attachment) => self.send_attachment(id, attachment, now).await,
            }
        }
    }

    async fn send_record(&self, id: Uuid, now: u64) {
        let Some(payload) = self.port.payload(id) else {
            // Its record can no longer be read on this device (Home lists it as unreadable):
            // say so on the outbox entry rather than block everything queued behind it.
            let unreadable = Outcome::Rejected { status: 0, message: "the inspection cannot be read on this device".into() };
            return self.port.change_outbox(|outbox| outbox.finish(id, unreadable, now));
        };
        let destination = self.port.destination();
        self.port.change_outbox(|outbox| outbox.start_sending(id, now));
        let attempt = self.transport.send_record(&destination, id, &payload).await;
        let outcome = classify(id, &attempt);
        let answered = self.port.now();
        self.port.change_outbox(|outbox| outbox.finish(id, outcome, answered));
    }

    async fn send_attachment(&self, id: Uuid, attachment: Uuid, now: u64) {
        let facts = self.port.picture_facts(id, attachment);
        let destination = self.port.destination();
        self.port.change_outbox(|outbox| outbox.start_sending(id, now));
        let picture = match &facts {
            Some(_) => self.port.picture(attachment).await,
            None => None,
        };
        let outcome = match (facts, picture) {
            (Some(facts), Some(picture)) => {
                let attempt = self.transport.send_attachment(&destination, id, attachment, &facts, &picture).await;
                classify_attachment(id, attachment, &attempt)
            }
            // The picture is gone from this device (site data cleared): it cannot be sent,
            // and says so rather than holding the queue.
            _ => Outcome::Rejected { status: 0, message: format!("picture {attachment} is missing on this device") },
        };
        let answered = self.port.now();
        self.port.change_outbox(|outbox| outbox.finish_attachment(id, attachment, outcome, answered));
    }
}
