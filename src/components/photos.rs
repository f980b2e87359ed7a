//! The photo strip of an item (a hazard's photos are its item's) or of the whole site:
//! "take photo" (the camera) and "choose photo" (the gallery), a status line while the
//! position is asked and the photo processed, thumbnails with time and accuracy, and delete
//! with a second "yes / no" step. A locked inspection (completed or signed) shows the
//! thumbnails only.
//!
//! Each photo asks for one position fix first ([`geo::locate`]); a refusal or no fix is said
//! once, and the photo is kept without a position.

use leptos::prelude::*;
use leptos::task::spawn_local;
use safewalk_core::inspection::attachment::{Attachment, AttachmentKind, Position};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::{use_drafts, use_lang, use_strings};
use crate::attachments;
use crate::browser;
use crate::geo;

/// How long one photo waits for a position fix.
const LOCATE_TIMEOUT_MS: u32 = 10_000;

/// "±12 m", or "±? m" when the browser gave no usable accuracy.
pub fn accuracy_text(position: &Position) -> String {
    if position.accuracy_m.is_finite() {
        format!("±{} m", browser::fixed(position.accuracy_m, 0))
    } else {
        "±? m".to_string()
    }
}

fn focus(element_id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(element_id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// What the strip is saying: progress and outcomes (a live status), an error (an alert), and
/// whether it is working (the `busy` class: spinner shown, buttons dimmed). Shared with each
/// thumbnail for its delete. Signals are bound to the view as they are, not through closures:
/// one piece of rendering code per signal type instead of one per closure.
#[derive(Clone, Copy)]
struct Messages {
    status: RwSignal<&'static str>,
    error: RwSignal<String>,
    busy: RwSignal<bool>,
}

/// `key` names the strip's element ids when the item alone does not: a re-inspection can carry
/// two hazards of one item (from two earlier visits), each check with its own strip, so
/// there it is the check's index. Without it, the item (or "site").
#[component]
pub fn Photos(inspection: Uuid, item: Option<String>, locked: bool, #[prop(optional, into)] key: Option<String>) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let photos = {
        let item = item.clone();
        Memo::new(move |_| {
            drafts
                .with_inspection(inspection, |i| {
                    i.attachments.iter().filter(|a| a.kind == AttachmentKind::Photo && a.item == item).cloned().collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    // A locked inspection's photos no longer change.
    if locked && photos.get_untracked().is_empty() {
        return ().into_any();
    }
    // What the alt text names: the item (shortened) or the whole site.
    let label = item
        .as_deref()
        .and_then(|id| drafts.template_for(inspection)?.item(id).map(|it| it.text.get(lang).to_string()))
        .map(|text| if text.chars().count() > 48 { format!("{}…", text.chars().take(47).collect::<String>()) } else { text })
        .unwrap_or_else(|| s.photo_site.to_string());
    let strip_id = format!("photos-{}", key.as_deref().or(item.as_deref()).unwrap_or("site"));
    // Each input with its own id and a label that says so (the strip's id keeps them apart).
    let (take_id, choose_id) = (format!("{strip_id}-take"), format!("{strip_id}-choose"));
    let messages = Messages { status: RwSignal::new(""), error: RwSignal::new(String::new()), busy: RwSignal::new(false) };
    let warning = RwSignal::new("");

    let on_file = move |ev: web_sys::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|files| files.get(0));
        // Cleared, so picking the same file again is a change too.
        input.set_value("");
        let Some(file) = file else { return };
        if messages.busy.get_untracked() {
            return;
        }
        messages.busy.set(true);
        messages.error.set(String::new());
        messages.status.set(s.photo_locating);
        let item = item.clone();
        spawn_local(async move {
            let position = match geo::locate(LOCATE_TIMEOUT_MS).await {
                Ok(position) => {
                    warning.try_set(if position.is_accurate() { "" } else { s.accuracy_poor });
                    Some(position)
                }
                Err(error) => {
                    warning.try_set(s.geo_error(error));
                    None
                }
            };
            messages.status.try_set(s.photo_processing);
            let outcome = attachments::add_photo(drafts, inspection, item, file.into(), position).await;
            match outcome {
                Ok(()) => messages.status.try_set(s.photo_saved),
                Err(why) => {
                    messages.error.try_set(s.attachment_error(&why));
                    messages.status.try_set("")
                }
            };
            messages.busy.try_set(false);
        });
    };

    // Re-rendered only when this strip's photos change (the memo compares).
    let thumb_strip = strip_id.clone();
    let thumbs = move || {
        let thumb = |photo: &Attachment| {
            view! { <Thumb inspection photo=photo.clone() label=label.clone() strip_id=thumb_strip.clone() locked messages/> }
        };
        photos.with(|all| all.iter().map(thumb).collect_view())
    };
    let (take_for, choose_for) = (take_id.clone(), choose_id.clone());
    let controls = (!locked).then(|| {
        view! {
            <div class="photo-buttons">
                <label class="button file-button" for=take_for>
                    {s.photo_take}
                    <input type="file" accept="image/*" capture="environment" class="visually-hidden" data-testid="photo-take" id=take_id
                        disabled=messages.busy on:change=on_file.clone()/>
                </label>
                <label class="button file-button" for=choose_for>
                    {s.photo_choose}
                    <input type="file" accept="image/*" class="visually-hidden" data-testid="photo-choose" id=choose_id
                        disabled=messages.busy on:change=on_file/>
                </label>
            </div>
            <p class="photo-status" role="status" data-testid="photo-status">
                <span class="spinner" aria-hidden="true"></span>
                {messages.status}
            </p>
            <p class="field-error" role="alert" data-testid="photo-error">{messages.error}</p>
            <p class="photo-warning" aria-live="polite" data-testid="photo-location">{warning}</p>
        }
    });

    view! {
        <div class="photos" class:busy=messages.busy id=strip_id role="group" aria-label=s.photos tabindex="-1" data-testid="photo-strip">
            <ul class="photo-list" data-testid="photos">{thumbs}</ul>
            {controls}
        </div>
    }
    .into_any()
}

/// One photo: the picture, when and how precisely where, and delete with a second "yes / no"
/// step (the `confirming` class swaps the two).
#[component]
fn Thumb(inspection: Uuid, photo: Attachment, label: String, strip_id: String, locked: bool, messages: Messages) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let url = attachments::picture_url(photo.id);
    let time = browser::format_time(photo.taken_at, lang);
    let alt = (s.photo_of)(&label, &time);
    let id = photo.id;
    // Under the strip's id: a photo of an item shows in every strip of that item.
    let meta_id = format!("{strip_id}-meta-{id}");
    let (delete_id, no_id) = (format!("{strip_id}-delete-{id}"), format!("{strip_id}-no-{id}"));
    let (where_text, inaccurate) = match &photo.position {
        Some(p) if p.is_accurate() => (accuracy_text(p), false),
        Some(p) => ((s.accuracy_imprecise)(&accuracy_text(p)), true),
        None => (s.no_position.to_string(), false),
    };
    let confirming = RwSignal::new(false);
    // Shown or hidden by CSS after the class changes: focus moves on the next frame.
    let toggle = move |on: bool, then_focus: String| {
        confirming.set(on);
        request_animation_frame(move || focus(&then_focus));
    };
    let actions = (!locked).then(|| {
        let (ask_focus, keep_focus) = (no_id.clone(), delete_id.clone());
        let delete = move |_| {
            messages.error.set(String::new());
            let strip_id = strip_id.clone();
            spawn_local(async move {
                match attachments::remove(drafts, inspection, id).await {
                    Ok(()) => {
                        messages.status.try_set(s.photo_deleted);
                    }
                    Err(why) => {
                        messages.error.try_set((s.photo_delete_failed)(&s.attachment_error(&why)));
                    }
                }
                // This thumbnail is gone: focus goes to its strip rather than nowhere.
                focus(&strip_id);
            });
        };
        view! {
            <button type="button" class="link-button photo-delete" id=delete_id aria-describedby=meta_id.clone()
                disabled=messages.busy data-testid="photo-delete" on:click=move |_| toggle(true, ask_focus.clone())>
                {s.photo_delete}
            </button>
            <div class="photo-confirm" role="group" aria-label=s.photo_delete_confirm>
                <span>{s.photo_delete_confirm}</span>
                <button type="button" class="button button-danger" data-testid="photo-delete-yes" on:click=delete>{s.photo_delete_yes}</button>
                <button type="button" class="button" id=no_id data-testid="photo-delete-no"
                    on:click=move |_| toggle(false, keep_focus.clone())>{s.photo_delete_no}</button>
            </div>
        }
    });
    view! {
        <li class="photo" class:confirming=confirming data-testid="photo">
            <img src=url alt=alt width=photo.width height=photo.height decoding="async"/>
            <p class="photo-meta" id=meta_id>
                {time}<br/>
                <span class:photo-inaccurate=inaccurate data-testid="photo-accuracy">{where_text}</span>
            </p>
            {actions}
        </li>
    }
}
