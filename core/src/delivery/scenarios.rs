//! The delivery scenarios of tests/e2e/delivery.spec.ts, run natively against the scripted
//! transport and a port whose outbox lives in a memory store: a fault at each step, a reload
//! in the middle of a send, the auth pause, attachments after the record, and exactly once.

use std::cell::RefCell;
use std::rc::Rc;

use uuid::Uuid;

use crate::delivery::outbox::{backoff_ms, Delivery, Outbox, Step};
use crate::delivery::payload::{Receipt, ReceiptStatus};
use crate::delivery::port::DeliveryPort;
use crate::delivery::runner::Runner;
use crate::delivery::scripted::{cut_off, finish, Answer, MemoryPort, Request, Sample, ScriptedTransport, RECEIVED_AT};

const T0: u64 = 1_800_000_000_000;

fn device() -> Rc<RefCell<crate::storage::MemoryStore>> {
    Rc::default()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A port with these inspections completed and queued, and a transport with this script.
fn completed(samples: &[Sample], script: impl IntoIterator<Item = Answer>) -> (MemoryPort, ScriptedTransport) {
    let port = MemoryPort::open(&device(), samples, T0);
    for sample in samples {
        port.complete(sample);
    }
    (port, ScriptedTransport::new(script))
}

/// `["record 1", "picture 11"]` as [`ScriptedTransport::sent`] writes it, with full ids.
fn sent(requests: &[&str]) -> Vec<String> {
    requests
        .iter()
        .map(|request| {
            let (what, n) = request.split_once(' ').unwrap_or_else(|| panic!("{request}"));
            format!("{what} {}", id(n.parse().unwrap_or_else(|_| panic!("{request}"))))
        })
        .collect()
}

fn failed_with(port: &MemoryPort, n: u128) -> (String, u64, u32) {
    let record = port.record(n);
    match record.delivery {
        Delivery::Failed { reason, next_try } => (reason, next_try, record.tries),
        other => panic!("expected a failed delivery, got {other:?}"),
    }
}

fn delivered_with(port: &MemoryPort, n: u128) -> Receipt {
    match port.record(n).delivery {
        Delivery::Delivered { receipt, .. } => receipt,
        other => panic!("expected a delivered record, got {other:?}"),
    }
}

#[test]
fn a_record_is_posted_to_the_endpoint_with_its_payload_token_and_idempotency_key_and_delivered_by_its_receipt() {
    let sample = Sample::new(1, T0);
    let (port, transport) = completed(std::slice::from_ref(&sample), []);
    finish(Runner::new(&port, &transport).kick());
    let Request::Record { to, idempotency_key, payload } = &transport.requests()[0] else { panic!("{:?}", transport.requests()) };
    assert_eq!(to, &port.destination.borrow().clone());
    assert_eq!(idempotency_key, &id(1).to_string());
    assert_eq!(Some(payload), sample.payload.as_ref());
    assert_eq!(delivered_with(&port, 1), Receipt { id: id(1), status: ReceiptStatus::Stored, received_at: RECEIVED_AT });
    assert_eq!(port.record(1).delivery, Delivery::Delivered { at: T0, receipt: delivered_with(&port, 1) });
    assert_eq!(transport.requests().len(), 1);
    assert!(port.wakes.borrow().is_empty());
}

#[test]
fn completed_offline_it_waits_with_back_off_and_is_delivered_once_back_online() {
    let (port, transport) = completed(&[Sample::new(1, T0)], [Answer::Dropped]);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    let (reason, next_try, tries) = failed_with(&port, 1);
    assert_eq!((reason.as_str(), next_try, tries), ("network error: connection reset", T0 + backoff_ms(1), 1));
    // Nothing is due before the back-off ends: the runner asks to be woken then, and rests.
    assert_eq!(*port.wakes.borrow(), vec![T0 + backoff_ms(1)]);
    finish(runner.kick());
    assert_eq!(transport.requests().len(), 1);
    assert_eq!(*port.wakes.borrow(), vec![T0 + backoff_ms(1); 2]);
    // Back online (`online` is "send now"): sent at once, before the back-off ends.
    finish(runner.send_now());
    assert_eq!(transport.records_sent(), vec![id(1).to_string(); 2]);
    delivered_with(&port, 1);
}

#[test]
fn the_wake_up_at_the_end_of_the_back_off_sends_again() {
    let (port, transport) = completed(&[Sample::new(1, T0)], [Answer::server_error()]);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    port.clock.set(T0 + backoff_ms(1) - 1);
    finish(runner.kick());
    assert_eq!(transport.requests().len(), 1);
    port.clock.set(T0 + backoff_ms(1));
    finish(runner.kick());
    assert_eq!(transport.requests().len(), 2);
    assert_eq!(port.record(1).delivery, Delivery::Delivered { at: T0 + backoff_ms(1), receipt: delivered_with(&port, 1) });
}

#[test]
fn a_server_error_a_captive_portal_a_dropped_connection_and_a_time_out_are_retried_until_a_receipt() {
    let script = [Answer::server_error(), Answer::captive_portal(), Answer::Dropped, Answer::Timeout];
    let (port, transport) = completed(&[Sample::new(1, T0)], script);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    assert_eq!(failed_with(&port, 1), ("500: database is locked".into(), T0 + backoff_ms(1), 1));

    port.clock.set(T0 + 10);
    finish(runner.send_now());
    let (reason, next_try, tries) = failed_with(&port, 1);
    assert!(reason.starts_with("answered 200 with text/html, not a receipt (a captive portal"), "{reason}");
    assert_eq!((next_try, tries), (T0 + 10 + backoff_ms(2), 2));

    finish(runner.send_now());
    assert_eq!(failed_with(&port, 1).0, "network error: connection reset");
    finish(runner.send_now());
    assert_eq!(failed_with(&port, 1), ("timed out".into(), T0 + 10 + backoff_ms(4), 4));
    finish(runner.send_now());
    delivered_with(&port, 1);
    assert_eq!(transport.records_sent(), vec![id(1).to_string(); 5]);
    let payloads: Vec<_> =
        transport.requests().into_iter().map(|r| if let Request::Record { payload, .. } = r { payload } else { panic!() }).collect();
    assert!(payloads.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn the_outcome_is_dated_when_the_answer_came() {
    // A time-out comes 20 s after the request: the back-off counts from then.
    let (port, transport) = completed(&[Sample::new(1, T0).with_picture(11)], [Answer::Timeout]);
    let transport = transport.taking(20_000, &port.clock);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    assert_eq!(failed_with(&port, 1), ("timed out".into(), T0 + 20_000 + backoff_ms(1), 1));
    assert_eq!(*port.wakes.borrow(), vec![T0 + 20_000 + backoff_ms(1)]);
    finish(runner.send_now());
    // Sent at T0 + 20 s, acknowledged at T0 + 40 s; the picture is sent then and
    // acknowledged at T0 + 60 s, which is when the inspection counts as delivered.
    assert_eq!(port.record(1).delivery, Delivery::Delivered { at: T0 + 60_000, receipt: delivered_with(&port, 1) });
}

#[test]
fn a_picture_upload_under_way_holds_every_other_send_and_a_reload_sends_only_it_again() {
    let sample = Sample::new(1, T0).with_picture(11).with_picture(12);
    let (port, transport) = completed(&[sample.clone(), Sample::new(2, T0 + 1)], [Answer::stored(), Answer::Hang]);
    cut_off(Runner::new(&port, &transport).kick());
    assert_eq!(port.record(1).delivery, Delivery::Sending { since: T0 });
    finish(Runner::new(&port, &transport).send_now());
    assert_eq!(transport.sent(), sent(&["record 1", "picture 11"]));

    let after = MemoryPort::open(&port.store, &[sample, Sample::new(2, T0 + 1)], T0 + 1_000);
    finish(Runner::new(&after, &transport).start());
    assert_eq!(transport.sent(), sent(&["record 1", "picture 11", "picture 11", "picture 12", "record 2"]));
    delivered_with(&after, 1);
    delivered_with(&after, 2);
}

#[test]
fn a_receipt_naming_another_inspection_is_no_receipt() {
    let (port, transport) = completed(&[Sample::new(1, T0)], [Answer::ReceiptNaming(id(99))]);
    finish(Runner::new(&port, &transport).kick());
    assert_eq!(failed_with(&port, 1).0, format!("receipt names another inspection ({})", id(99)));
}

fn reload_while_sending(answer_after_reload: Answer) {
    let store = device();
    let sample = Sample::new(1, T0);
    let before = MemoryPort::open(&store, std::slice::from_ref(&sample), T0);
    before.complete(&sample);
    let transport = ScriptedTransport::new([Answer::Hang, answer_after_reload]);
    cut_off(Runner::new(&before, &transport).kick());
    assert_eq!(before.record(1).delivery, Delivery::Sending { since: T0 });
    drop(before);

    // The page reloads: a fresh port and runner over what the device stored.
    let after = MemoryPort::open(&store, std::slice::from_ref(&sample), T0 + 5_000);
    finish(Runner::new(&after, &transport).start());
    assert_eq!(transport.records_sent(), vec![id(1).to_string(); 2]);
    let requests = transport.requests();
    assert_eq!(requests[0], requests[1], "the resend is the same request");
    assert_eq!(after.record(1).delivery, Delivery::Delivered { at: T0 + 5_000, receipt: delivered_with(&after, 1) });
    assert_eq!(after.outbox().records.len(), 1);
}

#[test]
fn a_reload_while_sending_sends_again_when_the_cut_off_send_had_arrived() {
    reload_while_sending(Answer::Receipt("duplicate"));
}

#[test]
fn a_reload_while_sending_sends_again_when_the_cut_off_send_never_arrived() {
    reload_while_sending(Answer::stored());
}

#[test]
fn a_kick_while_a_send_is_under_way_sends_nothing_more() {
    let (port, transport) = completed(&[Sample::new(1, T0), Sample::new(2, T0 + 1)], [Answer::Hang]);
    cut_off(Runner::new(&port, &transport).kick());
    finish(Runner::new(&port, &transport).kick());
    finish(Runner::new(&port, &transport).send_now());
    assert_eq!(transport.records_sent(), vec![id(1).to_string()]);
    assert_eq!(port.next_step(T0), Step::Idle);
}

#[test]
fn a_refused_token_pauses_everything_until_the_settings_change() {
    let script = [Answer::json(401, "missing or unknown bearer token"), Answer::json(401, "missing or unknown bearer token")];
    let (port, transport) = completed(&[Sample::new(1, T0), Sample::new(2, T0 + 1)], script);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    assert_eq!(port.outbox().auth_paused.as_deref(), Some("missing or unknown bearer token"));
    assert_eq!((port.record(1).delivery, port.record(1).tries), (Delivery::Queued, 1));
    finish(runner.send_now());
    finish(runner.start());
    assert_eq!(transport.requests().len(), 1, "nothing is sent while paused");
    assert!(port.wakes.borrow().is_empty());

    // A wrong token: tried once more, refused again, paused again.
    port.change_outbox(Outbox::settings_changed);
    finish(runner.send_now());
    assert_eq!((port.record(1).tries, transport.requests().len()), (2, 2));
    assert!(port.outbox().auth_paused.is_some());

    // The right token: both delivered, oldest first.
    port.destination.borrow_mut().token = "s3cret".into();
    port.change_outbox(Outbox::settings_changed);
    finish(runner.send_now());
    assert_eq!(transport.records_sent(), [1, 1, 1, 2].map(|n| id(n).to_string()));
    let Request::Record { to, .. } = &transport.requests()[3] else { panic!() };
    assert_eq!(to.token, "s3cret");
    delivered_with(&port, 1);
    delivered_with(&port, 2);
}

#[test]
fn a_conflict_is_kept_and_not_sent_again() {
    let message = format!("inspection {} is already stored with different content", id(1));
    let (port, transport) = completed(&[Sample::new(1, T0)], [Answer::json(409, &message)]);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    assert_eq!(port.record(1).delivery, Delivery::Conflict { message });
    finish(runner.send_now());
    finish(runner.start());
    assert_eq!(transport.requests().len(), 1);
}

#[test]
fn too_large_or_refused_with_a_reason_is_kept_and_not_retried() {
    let script = [Answer::json(413, "body too large"), Answer::json(422, "inspection.site.name: too long")];
    let (port, transport) = completed(&[Sample::new(1, T0), Sample::new(2, T0 + 1)], script);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    assert_eq!(port.record(1).delivery, Delivery::TooLarge);
    assert_eq!(port.record(2).delivery, Delivery::Rejected { status: 422, message: "inspection.site.name: too long".into() });
    finish(runner.send_now());
    assert_eq!(transport.requests().len(), 2);
}

#[test]
fn an_unreadable_record_is_set_aside_and_does_not_hold_back_the_ones_after_it() {
    let damaged = Sample { payload: None, ..Sample::new(1, T0) };
    let (port, transport) = completed(&[damaged, Sample::new(2, T0 + 1)], []);
    port.clock.set(T0 + 50);
    finish(Runner::new(&port, &transport).kick());
    assert_eq!(port.record(1).delivery, Delivery::Rejected { status: 0, message: "the inspection cannot be read on this device".into() });
    assert_eq!(transport.records_sent(), vec![id(2).to_string()]);
    delivered_with(&port, 2);
    assert_eq!(port.outbox().unsent(), 1);
}

#[test]
fn several_waiting_inspections_are_sent_one_at_a_time_oldest_first_each_once() {
    let samples = [Sample::new(3, T0 + 2), Sample::new(1, T0), Sample::new(2, T0 + 1)];
    let (port, transport) = completed(&samples, [Answer::Dropped, Answer::Dropped, Answer::Dropped]);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    assert_eq!(port.outbox().unsent(), 3);
    finish(runner.send_now());
    assert_eq!(transport.records_sent()[3..], [1, 2, 3].map(|n| id(n).to_string()));
    assert_eq!(port.outbox().unsent(), 0);
}

#[test]
fn pictures_go_after_the_records_receipt_in_order_and_a_failed_one_alone_is_sent_again() {
    let sample = Sample::new(1, T0).with_picture(11).with_picture(12);
    let script = [Answer::server_error(), Answer::stored(), Answer::Timeout];
    let (port, transport) = completed(std::slice::from_ref(&sample), script);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    assert_eq!(transport.sent(), sent(&["record 1"]), "no picture before the record's receipt");
    finish(runner.send_now());
    assert_eq!(failed_with(&port, 1).0, "timed out");
    assert!(port.record(1).record_receipt.is_some());
    finish(runner.send_now());
    assert_eq!(transport.sent(), sent(&["record 1", "record 1", "picture 11", "picture 11", "picture 12"]));
    let Request::Attachment { inspection, facts, bytes, to, .. } = &transport.requests()[4] else { panic!() };
    assert_eq!(
        (inspection, facts, Some(bytes), to),
        (&id(1), &sample.pictures[1].facts, sample.pictures[1].bytes.as_ref(), &port.destination())
    );
    assert_eq!(port.record(1).attachment_progress(), (2, 2));
    delivered_with(&port, 1);
}

#[test]
fn a_missing_picture_is_set_aside_with_why_and_does_not_hold_the_queue() {
    let mut gone = Sample::new(1, T0).with_picture(11);
    gone.pictures[0].bytes = None;
    let (port, transport) = completed(&[gone, Sample::new(2, T0 + 1)], []);
    finish(Runner::new(&port, &transport).kick());
    assert_eq!(port.record(1).delivery, Delivery::Rejected { status: 0, message: format!("picture {} is missing on this device", id(11)) });
    assert_eq!(transport.sent(), sent(&["record 1", "record 2"]));
    delivered_with(&port, 2);
}

#[test]
fn a_picture_the_inspection_no_longer_lists_is_missing_too() {
    let sample = Sample::new(1, T0).with_picture(11);
    let (port, transport) = completed(std::slice::from_ref(&sample), []);
    port.inspections.borrow_mut()[0].pictures.clear();
    finish(Runner::new(&port, &transport).kick());
    assert_eq!(port.record(1).delivery, Delivery::Rejected { status: 0, message: format!("picture {} is missing on this device", id(11)) });
    assert_eq!(transport.sent(), sent(&["record 1"]));
}

#[test]
fn exactly_once_each_record_is_posted_until_one_receipt_and_never_after() {
    let (port, transport) = completed(&[Sample::new(1, T0)], [Answer::Timeout, Answer::stored()]);
    let runner = Runner::new(&port, &transport);
    finish(runner.kick());
    finish(runner.send_now());
    let receipt = delivered_with(&port, 1);
    for _ in 0..3 {
        finish(runner.send_now());
        finish(runner.start());
        finish(runner.kick());
    }
    // A reload after the receipt: nothing is sent again.
    let again = MemoryPort::open(&port.store, &port.inspections.borrow(), T0 + 60_000);
    finish(Runner::new(&again, &transport).start());
    assert_eq!(transport.records_sent(), vec![id(1).to_string(); 2]);
    assert_eq!(delivered_with(&again, 1), receipt);
}

#[test]
fn start_queues_the_completed_inspections_the_outbox_lost_and_makes_failed_ones_due_at_once() {
    let samples = [Sample::new(1, T0), Sample::new(2, T0 + 1).with_picture(21)];
    let port = MemoryPort::open(&device(), &samples, T0);
    port.complete(&samples[0]);
    let transport = ScriptedTransport::new([Answer::Dropped]);
    finish(Runner::new(&port, &transport).kick());
    assert_eq!(failed_with(&port, 1).2, 1);

    // The outbox lost the second one (a crash between completing and queuing); at start it
    // is queued with its picture, and the first, failed a moment ago, is due at once.
    port.clock.set(T0 + 1);
    finish(Runner::new(&port, &transport).start());
    assert_eq!(transport.sent(), sent(&["record 1", "record 1", "record 2", "picture 21"]));
    delivered_with(&port, 1);
    delivered_with(&port, 2);
}

#[test]
fn an_attachment_answer_is_read_by_the_attachment_rules() {
    let sample = Sample::new(1, T0).with_picture(11);
    let (port, transport) = completed(std::slice::from_ref(&sample), [Answer::stored(), Answer::json(409, "other bytes under this id")]);
    finish(Runner::new(&port, &transport).kick());
    assert_eq!(port.record(1).delivery, Delivery::Conflict { message: "other bytes under this id".into() });
    // A record receipt is no attachment receipt.
    let (port, transport) = completed(std::slice::from_ref(&sample), [Answer::stored(), Answer::ReceiptNaming(id(1))]);
    finish(Runner::new(&port, &transport).kick());
    assert!(matches!(port.record(1).delivery, Delivery::Failed { .. }), "{:?}", port.record(1).delivery);
}

#[test]
fn the_outcome_of_a_try_is_on_the_device_before_the_next_request() {
    // Each request sees the outbox as stored: the record being sent is `Sending`, and the
    // earlier one's outcome is already written.
    let (port, transport) = completed(&[Sample::new(1, T0), Sample::new(2, T0 + 1)], [Answer::json(422, "no"), Answer::Hang]);
    cut_off(Runner::new(&port, &transport).kick());
    assert_eq!(port.record(1).delivery, Delivery::Rejected { status: 422, message: "no".into() });
    assert_eq!(port.record(2).delivery, Delivery::Sending { since: T0 });
}

#[test]
fn an_archived_inspection_the_outbox_forgot_is_never_sent_again_after_a_restart() {
    // 1 (with a picture) and 2 delivered; 1 moved to the archive and forgotten by the outbox.
    let samples = [Sample::new(1, T0).with_picture(11), Sample::new(2, T0 + 1)];
    let (port, transport) = completed(&samples, []);
    finish(Runner::new(&port, &transport).kick());
    assert_eq!(transport.sent(), sent(&["record 1", "picture 11", "record 2"]));
    port.archived.borrow_mut().insert(id(1));
    port.change_outbox(|outbox| {
        outbox.forget_delivered(&port.archived.borrow());
    });
    assert_eq!(port.outbox().records.len(), 1);

    // A restart with 1 opened again (read back from the archive) and 3 completed, its queuing
    // lost in a crash: only 3 is sent.
    let again = MemoryPort::open(&port.store, &[samples[0].clone(), samples[1].clone(), Sample::new(3, T0 + 2)], T0 + 1_000);
    again.archived.borrow_mut().insert(id(1));
    let transport = ScriptedTransport::new([]);
    finish(Runner::new(&again, &transport).start());
    assert_eq!(transport.sent(), sent(&["record 3"]));
    assert!(again.outbox().record(id(1)).is_none());
    delivered_with(&again, 2);
    delivered_with(&again, 3);
}
