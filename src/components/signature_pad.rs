//! Signing: a pad drawn on with a finger, stylus or mouse (pointer events, captured, so a
//! stroke that leaves the box still ends), the signer's name and role, and "sign", which
//! keeps the drawing as a PNG through [`attachments::add_signature`]. The list of who has
//! signed shows each signature with name, role and time.

use js_sys::{Function, Promise};
use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::inspection::attachment::{Attachment, Signer, SignerRole};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent};

use super::{use_drafts, use_lang, use_settings, use_strings};
use crate::attachments::{self, AttachmentError};
use crate::browser;
use crate::i18n::Strings;

/// The stored signature's size in pixels; the pad is shown at the page's width, 3:1.
const WIDTH: u32 = 900;
const HEIGHT: u32 = 300;
const INK: &str = "#0f172a";
const LINE_WIDTH: f64 = 5.0;

pub fn role_name(s: &'static Strings, role: SignerRole) -> &'static str {
    match role {
        SignerRole::Inspector => s.role_inspector,
        SignerRole::SiteRepresentative => s.role_site_rep,
        SignerRole::Witness => s.role_witness,
    }
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// The drawing as a PNG on white paper (drawn behind the ink, so it reads on any background).
async fn png(canvas: &HtmlCanvasElement) -> Result<Blob, AttachmentError> {
    if let Some(ctx) = context(canvas) {
        let _ = ctx.set_global_composite_operation("destination-over");
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, WIDTH as f64, HEIGHT as f64);
        let _ = ctx.set_global_composite_operation("source-over");
    }
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        if let Err(e) = canvas.to_blob(&resolve) {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    });
    let value = JsFuture::from(promise).await.map_err(|e| AttachmentError::Drawing(format!("{e:?}")))?;
    value.dyn_into::<Blob>().map_err(|_| AttachmentError::Drawing("the browser produced no image".into()))
}

/// The pad's canvas, by its id (the page has one pad).
const CANVAS_ID: &str = "signature-canvas";

fn pad() -> Option<HtmlCanvasElement> {
    web_sys::window()?.document()?.get_element_by_id(CANVAS_ID)?.dyn_into().ok()
}

fn wipe(canvas: &HtmlCanvasElement) {
    if let Some(ctx) = context(canvas) {
        ctx.clear_rect(0.0, 0.0, WIDTH as f64, HEIGHT as f64);
    }
}

/// Where a pointer is, in the canvas's pixels (it is drawn at the page's width).
fn point(canvas: &HtmlCanvasElement, ev: &PointerEvent) -> Option<(f64, f64)> {
    let (w, h) = (canvas.client_width() as f64, canvas.client_height() as f64);
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    // Fractional where the browser gives it (web-sys reads offsetX as an integer).
    let offset = |key: &str, fallback: i32| js_sys::Reflect::get(ev, &key.into()).ok().and_then(|v| v.as_f64()).unwrap_or(fallback as f64);
    Some((offset("offsetX", ev.offset_x()) * WIDTH as f64 / w, offset("offsetY", ev.offset_y()) * HEIGHT as f64 / h))
}

fn stroke(canvas: &HtmlCanvasElement, from: (f64, f64), to: (f64, f64)) {
    if let Some(ctx) = context(canvas) {
        ctx.set_stroke_style_str(INK);
        ctx.set_line_width(LINE_WIDTH);
        ctx.set_line_cap("round");
        ctx.set_line_join("round");
        ctx.begin_path();
        ctx.move_to(from.0, from.1);
        ctx.line_to(to.0, to.1);
        ctx.stroke();
    }
}

/// The pad with name, role and "sign". Shown on the review once nothing is missing: signing
/// locks the inspection, so what is signed must be what is completed.
#[component]
pub fn SignaturePad(id: Uuid) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    // The inspector usually signs first: their name from the settings, until they have signed.
    let inspector_signed = drafts
        .with_inspection_untracked(id, |i| i.signatures().any(|a| a.signer.as_ref().is_some_and(|s| s.role == SignerRole::Inspector)))
        .unwrap_or(false);
    let role = RwSignal::new(if inspector_signed { SignerRole::SiteRepresentative } else { SignerRole::Inspector });
    let initial_name = if inspector_signed { String::new() } else { use_settings().inspector_name() };
    let name = RwSignal::new(initial_name.clone());
    let name_invalid = RwSignal::new("false");
    let inked = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let status = RwSignal::new("");
    let error = RwSignal::new(String::new());
    let refused =
        Memo::new(move |_| drafts.with_inspection(id, |i| i.paperwork.as_ref().is_some_and(|p| p.refusal.is_some())).unwrap_or(false));
    // The last point of the stroke being drawn; `None` between strokes.
    let pen = StoredValue::new(None::<(f64, f64)>);

    let down = move |ev: PointerEvent| {
        let Some(canvas) = pad() else { return };
        if ev.button() != 0 || busy.get_untracked() {
            return;
        }
        ev.prevent_default();
        let _ = canvas.set_pointer_capture(ev.pointer_id());
        if let Some(p) = point(&canvas, &ev) {
            pen.set_value(Some(p));
            stroke(&canvas, p, p);
            inked.set(true);
            error.set(String::new());
        }
    };
    let moved = move |ev: PointerEvent| {
        let Some(from) = pen.get_value() else { return };
        if let Some((canvas, to)) = pad().and_then(|c| point(&c, &ev).map(|p| (c, p))) {
            stroke(&canvas, from, to);
            pen.set_value(Some(to));
        }
    };
    let up = move |_: PointerEvent| pen.set_value(None);
    let clear = move |_| {
        if let Some(canvas) = pad() {
            wipe(&canvas);
        }
        pen.set_value(None);
        inked.set(false);
    };

    let sign = move |_| {
        let who = name.get_untracked().trim().to_string();
        name_invalid.set(if who.is_empty() { "true" } else { "false" });
        status.set("");
        if who.is_empty() {
            error.set(s.signature_needs_name.to_string());
            request_animation_frame(|| {
                if let Some(input) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("signer-name"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = input.focus();
                }
            });
            return;
        }
        if !inked.get_untracked() {
            error.set(s.signature_needs_ink.to_string());
            return;
        }
        let Some(canvas) = pad() else { return };
        error.set(String::new());
        busy.set(true);
        status.set(s.signing);
        let signer = Signer { name: who, role: role.get_untracked() };
        spawn_local(async move {
            let outcome = match png(&canvas).await {
                Ok(blob) => attachments::add_signature(drafts, id, blob, WIDTH, HEIGHT, signer).await,
                Err(why) => Err(why),
            };
            match outcome {
                Ok(()) => {
                    status.try_set(s.signature_saved);
                    // Ready for the next signer: usually the site's representative.
                    wipe(&canvas);
                    inked.try_set(false);
                    name.try_set(String::new());
                    if let Some(input) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("signer-name"))
                        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                    {
                        input.set_value("");
                    }
                    role.try_set(SignerRole::SiteRepresentative);
                }
                Err(why) => {
                    // The paper drawn behind the ink stays: the drawing can be signed again.
                    status.try_set("");
                    error.try_set((s.signature_failed)(&why.to_string()));
                }
            }
            busy.try_set(false);
        });
    };

    let role_choice = move |choice: SignerRole| {
        view! {
            <label class="choice">
                <input type="radio" name="signer-role" prop:checked=move || role.get() == choice
                    on:change=move |_| role.set(choice)/>
                {role_name(s, choice)}
            </label>
        }
    };

    view! {
        <div class="signature-pad" class:busy=busy data-testid="signature-form">
            <p class="hint">{s.sign_locks}</p>
            <div class="field">
                <label for="signer-name">{s.signer_name}<span class="required-mark">" ("{s.required}")"</span></label>
                <input id="signer-name" type="text" autocomplete="name" data-testid="signer-name"
                    aria-invalid=name_invalid
                    prop:value=initial_name
                    on:input=move |ev| {
                        name.set(event_target_value(&ev));
                        name_invalid.set("false");
                    }/>
            </div>
            <fieldset class="choices">
                <legend>{s.signer_role}</legend>
                {role_choice(SignerRole::Inspector)}
                {role_choice(SignerRole::SiteRepresentative)}
                // A witness signs when the unit refused (recorded on the documents screen).
                {move || refused.get().then(|| role_choice(SignerRole::Witness))}
            </fieldset>
            <p class="field-label" id="signature-pad-label">{s.signature_pad}</p>
            <canvas id=CANVAS_ID class="signature-canvas" width=WIDTH height=HEIGHT role="img"
                aria-labelledby="signature-pad-label" data-testid="signature-pad"
                on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up on:lostpointercapture=up></canvas>
            <div class="signature-actions">
                <button type="button" class="button" data-testid="signature-clear" disabled=busy on:click=clear>{s.signature_clear}</button>
                <button type="button" class="button button-primary" data-testid="sign" disabled=busy on:click=sign>{s.sign}</button>
            </div>
            <p class="photo-status" role="status" data-testid="signature-status">
                <span class="spinner" aria-hidden="true"></span>
                {status}
            </p>
            <p class="field-error" role="alert" data-testid="signature-error">{error}</p>
        </div>
    }
}

/// Who has signed: each signature's picture, name, role and time, in the order signed.
#[component]
pub fn SignatureList(id: Uuid) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let signatures = Memo::new(move |_| drafts.with_inspection(id, |i| i.signatures().cloned().collect::<Vec<_>>()).unwrap_or_default());
    let any = Memo::new(move |_| !signatures.with(Vec::is_empty));
    view! {
        <ul class="signatures" data-testid="signatures">
            {move || signatures.get().into_iter().map(|a| view! { <SignatureEntry signature=a/> }).collect_view()}
        </ul>
        <p class="empty" hidden=any>{s.no_signatures}</p>
    }
}

#[component]
fn SignatureEntry(signature: Attachment) -> impl IntoView {
    let s = use_strings();
    let lang = use_lang();
    let url = attachments::picture_url(signature.id);
    let (name, role) = signature.signer.map(|who| (who.name, role_name(s, who.role))).unwrap_or_default();
    view! {
        <li class="signature" data-testid="signature">
            <img src=url alt=(s.signature_of)(&name) width=signature.width height=signature.height/>
            <p><strong>{name.clone()}</strong>" · "{role}<br/><span class="card-meta">{browser::format_time(signature.taken_at, lang)}</span></p>
        </li>
    }
}
