//! One tab sends at a time. Every open tab (and the installed app beside a browser tab) has
//! its own delivery runner, and two runners would upload the same record twice (the receiver
//! keeps one, but the data is spent and receipts can cross). The sender is whichever tab
//! holds the Web Lock `safewalk-sender`; the browser hands it to a waiting tab when the
//! holder's page goes away, so another tab takes over when the sender is closed.
//!
//! Through `js_sys::Reflect` rather than web-sys's `LockManager`, which is behind the
//! unstable-APIs cfg. A browser without Web Locks (before Safari 15.4, or a page not served
//! over https) makes every tab a sender, as before.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

const LOCK: &str = "safewalk-sender";

/// Calls `become_sender` once this tab holds the sender's lock (at once when the browser has
/// no Web Locks). The lock is held until the page goes away.
pub fn when_sender(become_sender: impl FnOnce() + 'static) {
    let start = Rc::new(RefCell::new(Some(become_sender)));
    let run = {
        let start = start.clone();
        move || {
            if let Some(become_sender) = start.borrow_mut().take() {
                become_sender();
            }
        }
    };
    let granted = {
        let run = run.clone();
        Closure::once_into_js(move |_lock: JsValue| -> JsValue {
            run();
            // The lock is held while this promise is pending: for the life of the page.
            Promise::new(&mut |_, _| {}).into()
        })
    };
    if request_lock(&granted).is_none() {
        run();
    }
}

/// `navigator.locks.request(LOCK, granted)`; `None` when the browser has no Web Locks or
/// refuses the request (an opaque origin).
fn request_lock(granted: &JsValue) -> Option<()> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok().filter(|l| l.is_object())?;
    let request: Function = Reflect::get(&locks, &"request".into()).ok()?.dyn_into().ok()?;
    request.call2(&locks, &LOCK.into(), granted).ok().map(|_| ())
}
