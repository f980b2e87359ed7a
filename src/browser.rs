//! Thin wrappers over the browser APIs the app uses, each failing soft: a missing API
//! degrades one feature, never the app.

use std::cell::RefCell;

use safewalk_core::Lang;
use wasm_bindgen::JsValue;

/// Milliseconds since the Unix epoch.
pub fn now() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Today on the phone's calendar, `YYYY-MM-DD`: deadlines are local dates.
pub fn today() -> String {
    let date = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
}

pub fn preferred_lang() -> Lang {
    let Some(window) = web_sys::window() else { return Lang::En };
    let languages: Vec<String> =
        window.navigator().languages().iter().filter_map(|v| v.as_string()).chain(window.navigator().language()).collect();
    Lang::from_preferences(languages.iter().map(String::as_str))
}

pub fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

pub fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

pub fn set_location_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

/// Moves the URL to another place on the same screen, replacing the current history entry
/// (a fragment navigation, `location.replace`). Either way of changing the URL costs a few ms
/// at phone speed, so the checklist writes it after a tap's answer is drawn
/// ([`crate::state::Shell::remember_position`]). It fires `hashchange`, which finds the app
/// already there ([`crate::state::Shell::listen`]).
pub fn replace_location_fragment(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(hash);
    }
}

/// Changes the URL without a history entry or a `hashchange` event.
pub fn replace_location_hash(hash: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

/// `x` with `digits` decimals, written by the browser (`Number.prototype.toFixed`): Rust's
/// own float formatting was about 10 KB (raw) of the first download, for two figures.
pub fn fixed(x: f64, digits: u8) -> String {
    // toFixed refuses only digits above 100.
    js_sys::Number::from(x).to_fixed(digits).map(String::from).unwrap_or_default()
}

/// Date and time in the reader's language, e.g. "2026/11/29 20:41".
/// One formatter per language, made once: `toLocaleString` with options builds a new
/// `Intl.DateTimeFormat` on every call, a few ms each at phone speed, and Home formats two
/// times per card (a year of records fills a page with cards).
pub fn format_time(millis: u64, lang: Lang) -> String {
    thread_local! {
        static FORMATS: RefCell<[Option<js_sys::Function>; 2]> = const { RefCell::new([None, None]) };
    }
    let date = js_sys::Date::new(&JsValue::from_f64(millis as f64));
    let slot = match lang {
        Lang::Zh => 0,
        Lang::En => 1,
    };
    let format = FORMATS.with_borrow_mut(|formats| {
        formats[slot]
            .get_or_insert_with(|| {
                let options = js_sys::Object::new();
                for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
                    let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
                }
                // `format` is a getter that returns a function bound to its formatter.
                js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&lang.tag().into()), &options).format()
            })
            .clone()
    });
    format.call1(&JsValue::UNDEFINED, &date).ok().and_then(|text| text.as_string()).unwrap_or_default()
}

/// Scrolls an element into the middle of the screen and moves focus there.
pub fn reveal(element_id: &str) {
    let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(element_id)) else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    element.scroll_into_view_with_scroll_into_view_options(&options);
    if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
        let _ = element.focus();
    }
}

/// Copies text to the clipboard; false when the browser refuses.
pub async fn copy_to_clipboard(text: String) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let promise = window.navigator().clipboard().write_text(&text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

pub fn is_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

/// Runs `work` and records its duration as a user-timing measure named `name`, so the
/// benchmark (and the browser's performance panel) can see what autosave costs.
pub fn timed<R>(name: &str, work: impl FnOnce() -> R) -> R {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else { return work() };
    let start_mark = format!("{name}:start");
    let _ = performance.mark(&start_mark);
    let result = work();
    let _ = performance.measure_with_start_mark(name, &start_mark);
    performance.clear_marks_with_mark_name(&start_mark);
    // Keep the buffer bounded over a long day of typing.
    if performance.get_entries_by_name(name).length() > 500 {
        performance.clear_measures_with_measure_name(name);
    }
    result
}

/// The origin the app was loaded from, e.g. `http://127.0.0.1:8080`.
pub fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// Runs `then` once the browser has painted ([`after_next_paint`]). Every caller shares one
/// compiled wait instead of a future of its own (each its own copy in the download).
pub fn after_paint(then: impl FnOnce() + 'static) {
    after_paint_boxed(Box::new(then));
}

fn after_paint_boxed(then: Box<dyn FnOnce()>) {
    leptos::task::spawn_local(async move {
        after_next_paint().await;
        then();
    });
}

/// Waits until the browser has had a chance to paint (the next animation frame, then a task
/// after it): long work after this never holds back what was just rendered.
pub async fn after_next_paint() {
    let Some(window) = web_sys::window() else { return };
    let frame = js_sys::Promise::new(&mut |resolve: js_sys::Function, _| {
        let _ = window.request_animation_frame(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    let task = js_sys::Promise::new(&mut |resolve: js_sys::Function, _| {
        let _ = window.set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(task).await;
}
