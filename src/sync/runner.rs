//! Runs core's delivery runner in the browser: each start, "send now" or kick is one task
//! over a port and the fetch transport. The rules (what is next, one request at a time,
//! every change written before the next request) are core's
//! (`safewalk_core::delivery::runner`); what the app holds comes through the port.

use leptos::prelude::window_event_listener_untyped;
use leptos::task::spawn_local;
use safewalk_core::delivery::port::DeliveryPort;
use safewalk_core::delivery::runner::Runner;
use web_sys::Blob;

use super::transport::FetchTransport;

/// Starts delivery over `port` (a send cut off by the last reload is queued again, lost
/// completed inspections are queued, failed ones are due at once), and sends now on `online`.
pub fn start<P: DeliveryPort<Picture = Blob> + Clone + 'static>(port: P) {
    let online = port.clone();
    // The app lives as long as the page, so this listener is never removed.
    window_event_listener_untyped("online", move |_| send_now(online.clone()));
    spawn_local(async move { Runner::new(&port, &FetchTransport).start().await });
}

/// "Send now", the `online` event and a settings change: failed records are due at once.
pub fn send_now<P: DeliveryPort<Picture = Blob> + 'static>(port: P) {
    spawn_local(async move { Runner::new(&port, &FetchTransport).send_now().await });
}

/// Does what the outbox says is next; ends at once while a send is under way.
pub fn kick<P: DeliveryPort<Picture = Blob> + 'static>(port: P) {
    spawn_local(async move { Runner::new(&port, &FetchTransport).kick().await });
}
