//! Where the inspector stands, if they allow it: one position fix with its accuracy. A
//! refusal or a failure is an answer too; the inspection goes on without a position.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use safewalk_core::inspection::attachment::Position;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why there is no position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeoError {
    /// The inspector (or the browser's settings) refused.
    Denied,
    /// No fix: no signal, no location service, or no geolocation in this browser.
    Unavailable,
    Timeout,
}

/// A success or error callback handed to the browser's geolocation.
type Callback = Closure<dyn FnMut(JsValue)>;

/// One fix, waiting at most `timeout_ms`.
pub async fn locate(timeout_ms: u32) -> Result<Position, GeoError> {
    let geolocation = web_sys::window().and_then(|w| w.navigator().geolocation().ok()).ok_or(GeoError::Unavailable)?;
    // The callbacks must outlive this call until the browser answers; they live in the promise.
    let holder: Rc<RefCell<Vec<Callback>>> = Rc::default();
    let keep = holder.clone();
    let promise = Promise::new(&mut move |resolve, reject| {
        let ok = Closure::<dyn FnMut(JsValue)>::new(move |position: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &position);
        });
        let reject_later = reject.clone();
        let err = Closure::<dyn FnMut(JsValue)>::new(move |error: JsValue| {
            let _ = reject_later.call1(&JsValue::NULL, &error);
        });
        let options = web_sys::PositionOptions::new();
        options.set_enable_high_accuracy(true);
        options.set_timeout(timeout_ms);
        // A fix at most 5 s old: a photo taken after walking on must not carry where the last one was.
        options.set_maximum_age(5_000);
        if geolocation
            .get_current_position_with_error_callback_and_options(ok.as_ref().unchecked_ref(), Some(err.as_ref().unchecked_ref()), &options)
            .is_err()
        {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_f64(2.0));
        }
        keep.borrow_mut().extend([ok, err]);
    });
    let result = JsFuture::from(promise).await;
    drop(holder);
    match result {
        Ok(value) => {
            let position: web_sys::Position = value.unchecked_into();
            let coords = position.coords();
            Ok(Position { lat: coords.latitude(), lon: coords.longitude(), accuracy_m: coords.accuracy() })
        }
        Err(error) => {
            // GeolocationPositionError.code: 1 denied, 2 unavailable, 3 timeout.
            let code = js_sys::Reflect::get(&error, &"code".into()).ok().and_then(|c| c.as_f64()).unwrap_or(2.0);
            Err(match code as u32 {
                1 => GeoError::Denied,
                3 => GeoError::Timeout,
                _ => GeoError::Unavailable,
            })
        }
    }
}
