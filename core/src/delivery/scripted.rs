//! In-memory stand-ins for the runner's tests: a transport that answers from a script and
//! remembers every request, and a port whose outbox lives in a [`MemoryStore`] under
//! [`OUTBOX_KEY`] in the app's record encoding, so a "reload" is a fresh port over the same
//! store. Both answer at once, except a [`Answer::Hang`], whose future never completes.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, VecDeque};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use uuid::Uuid;

use crate::delivery::outbox::{Attempt, Outbox, OutboxRecord, Step};
use crate::delivery::port::{Completed, DeliveryPort};
use crate::delivery::transport::{Destination, PictureFacts, Transport};
use crate::storage::{decode_record, encode_record, KeyValueStore, MemoryStore, OUTBOX_KEY};

/// When the receiver says it received something.
pub const RECEIVED_AT: u64 = 1_700_000_000_000;

/// One scripted answer, used by the next request whatever it is.
#[derive(Clone, Debug)]
pub enum Answer {
    /// The receiver's receipt for what was sent (`status` "stored" or "duplicate").
    Receipt(&'static str),
    /// A record receipt naming another inspection.
    ReceiptNaming(Uuid),
    Response {
        status: u16,
        content_type: Option<&'static str>,
        body: String,
    },
    Timeout,
    /// The connection dropped (reset, refused, offline).
    Dropped,
    /// No answer ever: the request's future stays pending.
    Hang,
}

impl Answer {
    pub fn stored() -> Answer {
        Answer::Receipt("stored")
    }

    pub fn json(status: u16, error: &str) -> Answer {
        Answer::Response { status, content_type: Some("application/json"), body: serde_json::json!({ "error": error }).to_string() }
    }

    pub fn server_error() -> Answer {
        Answer::json(500, "database is locked")
    }

    /// A captive portal's login page, answered 200.
    pub fn captive_portal() -> Answer {
        Answer::Response {
            status: 200,
            content_type: Some("text/html"),
            body: "<!doctype html><title>Free WiFi</title><form action=/login><input name=phone></form>".into(),
        }
    }
}

/// A request as the receiver would see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Record { to: Destination, idempotency_key: String, payload: String },
    Attachment { to: Destination, inspection: Uuid, attachment: Uuid, facts: PictureFacts, bytes: Vec<u8> },
    Held { to: Destination, inspection: Uuid, attachment: Uuid },
    Get { url: String, token: String },
}

/// Answers each request with the next scripted answer, and with a receipt once the script
/// is used up (as a receiver that works would).
#[derive(Default)]
pub struct ScriptedTransport {
    script: RefCell<VecDeque<Answer>>,
    requests: RefCell<Vec<Request>>,
    /// The device's clock and how far each request moves it: an answer comes later than
    /// its request.
    latency: Option<(Rc<Cell<u64>>, u64)>,
}

impl ScriptedTransport {
    pub fn new(script: impl IntoIterator<Item = Answer>) -> ScriptedTransport {
        ScriptedTransport { script: RefCell::new(script.into_iter().collect()), requests: RefCell::default(), latency: None }
    }

    /// Each request takes `ms` on the device's `clock` (a [`MemoryPort::clock`]).
    pub fn taking(mut self, ms: u64, clock: &Rc<Cell<u64>>) -> ScriptedTransport {
        self.latency = Some((Rc::clone(clock), ms));
        self
    }

    /// Adds answers after those still waiting.
    pub fn then(&self, answers: impl IntoIterator<Item = Answer>) {
        self.script.borrow_mut().extend(answers);
    }

    /// Every request seen, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.borrow().clone()
    }

    /// The idempotency keys of the records POSTed, in order.
    pub fn records_sent(&self) -> Vec<String> {
        self.requests
            .borrow()
            .iter()
            .filter_map(|r| match r {
                Request::Record { idempotency_key, .. } => Some(idempotency_key.clone()),
                _ => None,
            })
            .collect()
    }

    /// Each request in order, shortened to what was sent: `record {id}` or `picture {id}`.
    pub fn sent(&self) -> Vec<String> {
        self.requests
            .borrow()
            .iter()
            .map(|r| match r {
                Request::Record { idempotency_key, .. } => format!("record {idempotency_key}"),
                Request::Attachment { attachment, .. } => format!("picture {attachment}"),
                Request::Held { attachment, .. } => format!("held {attachment}"),
                Request::Get { url, .. } => format!("get {url}"),
            })
            .collect()
    }

    async fn answer(&self, request: Request, receipt: impl FnOnce(&'static str) -> serde_json::Value) -> Attempt {
        self.requests.borrow_mut().push(request);
        let answer = self.script.borrow_mut().pop_front().unwrap_or(Answer::stored());
        if let Some((clock, ms)) = &self.latency {
            clock.set(clock.get() + ms);
        }
        let json = |body: serde_json::Value| Attempt::Response {
            status: 200,
            content_type: Some("application/json".into()),
            body: body.to_string(),
        };
        match answer {
            Answer::Receipt(status) => json(receipt(status)),
            Answer::ReceiptNaming(other) => json(serde_json::json!({ "id": other, "status": "stored", "received_at": RECEIVED_AT })),
            Answer::Response { status, content_type, body } => {
                Attempt::Response { status, content_type: content_type.map(Into::into), body }
            }
            Answer::Timeout => Attempt::Timeout,
            Answer::Dropped => Attempt::NetworkError("connection reset".into()),
            Answer::Hang => std::future::pending().await,
        }
    }
}

impl Transport for ScriptedTransport {
    type Picture = Vec<u8>;

    async fn send_record(&self, to: &Destination, id: Uuid, payload: &str) -> Attempt {
        let request = Request::Record { to: to.clone(), idempotency_key: id.to_string(), payload: payload.into() };
        self.answer(request, |status| serde_json::json!({ "id": id, "status": status, "received_at": RECEIVED_AT })).await
    }

    async fn send_attachment(&self, to: &Destination, id: Uuid, attachment: Uuid, facts: &PictureFacts, picture: &Vec<u8>) -> Attempt {
        let request = Request::Attachment { to: to.clone(), inspection: id, attachment, facts: facts.clone(), bytes: picture.clone() };
        let sha256 = facts.sha256.clone();
        self.answer(request, |status| {
            serde_json::json!({ "id": attachment, "inspection": id, "sha256": sha256, "status": status, "received_at": RECEIVED_AT })
        })
        .await
    }

    async fn held(&self, to: &Destination, id: Uuid, attachment: Uuid) -> Attempt {
        self.answer(Request::Held { to: to.clone(), inspection: id, attachment }, |_| serde_json::Value::Null).await
    }

    async fn get_text(&self, url: &str, token: &str) -> Attempt {
        self.answer(Request::Get { url: url.into(), token: token.into() }, |_| serde_json::Value::Null).await
    }
}

/// A picture an inspection lists, and its bytes when the device still has them.
#[derive(Clone, Debug)]
pub struct Picture {
    pub id: Uuid,
    pub facts: PictureFacts,
    pub bytes: Option<Vec<u8>>,
}

/// A completed inspection on the device; `payload` is `None` when its record is unreadable.
#[derive(Clone, Debug)]
pub struct Sample {
    pub id: Uuid,
    pub completed_at: u64,
    pub payload: Option<String>,
    pub pictures: Vec<Picture>,
}

impl Sample {
    pub fn new(n: u128, completed_at: u64) -> Sample {
        let id = Uuid::from_u128(n);
        Sample { id, completed_at, payload: Some(format!(r#"{{"schema":2,"inspection":{{"id":"{id}"}}}}"#)), pictures: Vec::new() }
    }

    pub fn with_picture(mut self, n: u128) -> Sample {
        let id = Uuid::from_u128(n);
        let facts = PictureFacts { content_type: "image/jpeg".into(), sha256: format!("{n:064x}") };
        self.pictures.push(Picture { id, facts, bytes: Some(vec![0xFF, 0xD8, 0xFF, n as u8]) });
        self
    }
}

/// The device as the runner sees it: the stored outbox, the completed inspections, a clock
/// the test moves, and the wake-ups asked for.
pub struct MemoryPort {
    pub store: Rc<RefCell<MemoryStore>>,
    pub inspections: RefCell<Vec<Sample>>,
    pub clock: Rc<Cell<u64>>,
    pub destination: RefCell<Destination>,
    pub wakes: RefCell<Vec<u64>>,
    /// The inspections moved to the archive (delivered): [`DeliveryPort::archived`].
    pub archived: RefCell<BTreeSet<Uuid>>,
    /// How often the runner asked what is next: a runner that asks without end loops.
    steps_asked: Cell<u32>,
}

/// More questions than any scenario needs: a runner past it makes no progress.
const MOST_STEPS: u32 = 1_000;

impl MemoryPort {
    /// A port over `store` (shared with any earlier port: the same device after a reload).
    pub fn open(store: &Rc<RefCell<MemoryStore>>, inspections: &[Sample], now: u64) -> MemoryPort {
        MemoryPort {
            store: Rc::clone(store),
            inspections: RefCell::new(inspections.to_vec()),
            clock: Rc::new(Cell::new(now)),
            destination: RefCell::new(Destination { endpoint: "https://office.example.cn".into(), token: "tok".into() }),
            wakes: RefCell::default(),
            archived: RefCell::default(),
            steps_asked: Cell::new(0),
        }
    }

    /// The outbox as stored on the device; a missing one is empty.
    pub fn outbox(&self) -> Outbox {
        match self.store.borrow().get(OUTBOX_KEY) {
            Ok(Some(raw)) => decode_record(&raw).unwrap_or_else(|e| panic!("the stored outbox is unreadable: {e}")),
            _ => Outbox::default(),
        }
    }

    pub fn record(&self, n: u128) -> OutboxRecord {
        self.outbox().record(Uuid::from_u128(n)).cloned().unwrap_or_else(|| panic!("no outbox record {n}"))
    }

    /// Queues an inspection as completing it does.
    pub fn complete(&self, sample: &Sample) {
        let pictures: Vec<Uuid> = sample.pictures.iter().map(|p| p.id).collect();
        self.change_outbox(|outbox| outbox.enqueue_with(sample.id, pictures, sample.completed_at));
    }

    fn sample(&self, id: Uuid) -> Option<Sample> {
        self.inspections.borrow().iter().find(|s| s.id == id).cloned()
    }
}

impl DeliveryPort for MemoryPort {
    type Picture = Vec<u8>;

    fn now(&self) -> u64 {
        self.clock.get()
    }

    fn next_step(&self, now: u64) -> Step {
        self.steps_asked.set(self.steps_asked.get() + 1);
        assert!(self.steps_asked.get() <= MOST_STEPS, "the runner loops without progress");
        self.outbox().next_step(now)
    }

    fn completed(&self) -> Vec<Completed> {
        self.inspections.borrow().iter().map(|s| (s.id, s.completed_at, s.pictures.iter().map(|p| p.id).collect())).collect()
    }

    fn archived(&self) -> BTreeSet<Uuid> {
        self.archived.borrow().clone()
    }

    fn destination(&self) -> Destination {
        self.destination.borrow().clone()
    }

    fn payload(&self, id: Uuid) -> Option<String> {
        self.sample(id)?.payload
    }

    fn picture_facts(&self, id: Uuid, attachment: Uuid) -> Option<PictureFacts> {
        self.sample(id)?.pictures.into_iter().find(|p| p.id == attachment).map(|p| p.facts)
    }

    async fn picture(&self, attachment: Uuid) -> Option<Vec<u8>> {
        self.inspections.borrow().iter().flat_map(|s| &s.pictures).find(|p| p.id == attachment)?.bytes.clone()
    }

    fn change_outbox(&self, change: impl FnOnce(&mut Outbox)) {
        let mut outbox = self.outbox();
        change(&mut outbox);
        let raw = encode_record(&outbox).unwrap_or_else(|e| panic!("the outbox cannot be encoded: {e}"));
        self.store.borrow_mut().put(OUTBOX_KEY, &raw).unwrap_or_else(|e| panic!("the outbox cannot be written: {e}"));
    }

    fn wake_at(&self, at: u64) {
        self.wakes.borrow_mut().push(at);
    }
}

/// Runs a future that must not wait: every scripted answer is ready at once.
pub fn finish<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the runner waits on a request that never answers"),
    }
}

/// Runs a future until it waits on a hanging request, then drops it: a reload mid-send.
pub fn cut_off<F: Future>(future: F) {
    assert!(pin!(future).poll(&mut Context::from_waker(Waker::noop())).is_pending(), "the runner finished instead of waiting on the hang");
}
