//! One labelled field of the site details, written through on every keystroke. Required but
//! for the credit code; the phone and the credit code are checked as they are typed.

use leptos::prelude::*;
use safewalk_core::grading::completion::is_plausible_phone;
use safewalk_core::SiteField;
use uuid::Uuid;

use super::{use_drafts, use_strings};

#[component]
pub fn SiteFieldInput(
    id: Uuid,
    field: SiteField,
    #[prop(optional)] hint: Option<fn(&crate::i18n::Strings) -> &'static str>,
) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let value = Memo::new(move |_| drafts.with_inspection(id, |i| i.field(field).to_string()).unwrap_or_default());
    // Completion happens on the review screen, so this screen is re-created after it.
    let locked = drafts.with_inspection_untracked(id, |i| i.is_completed() || i.is_signed()).unwrap_or(true);
    let input_id = format!("field-{field:?}").to_ascii_lowercase();
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let (is_phone, is_code) = (field == SiteField::PrincipalPhone, field == SiteField::Uscc);
    // The initial value is read once: re-setting an input's value while the inspector
    // types would fight the caret.
    let initial = value.get_untracked();
    // A credit code is judged once the inspector leaves the field (18 characters typed one
    // by one are "too short" until the last), then again on every keystroke so the message
    // goes as soon as the code is right. One kept from an earlier visit is judged at once.
    let left = RwSignal::new(!initial.trim().is_empty());
    let problem = Memo::new(move |_| {
        let text = value.get();
        if is_phone && !text.trim().is_empty() && !is_plausible_phone(&text) {
            Some(s.phone_invalid.to_string())
        } else if is_code && left.get() {
            drafts.with_inspection(id, |i| i.site.credit_code()).flatten().and_then(Result::err).map(|e| s.uscc_error(&e))
        } else {
            None
        }
    });
    let invalid = move || problem.with(Option::is_some);
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        let _ = drafts.edit(id, |inspection, _, now| inspection.set_field(field, &text, now));
    };
    // Leaving the credit code shows it as the office will file it (capitals, half-width,
    // no surrounding spaces) when it is one; a wrong one stays exactly as typed.
    let input = NodeRef::<leptos::html::Input>::new();
    let on_change = move |_| {
        if !is_code {
            return;
        }
        left.set(true);
        let normalised = match drafts.with_inspection_untracked(id, |i| i.site.credit_code()).flatten() {
            Some(Ok(code)) => code.to_string(),
            None => String::new(),
            Some(Err(_)) => return,
        };
        if normalised != value.get_untracked() && drafts.edit(id, |i, _, now| i.set_field(field, &normalised, now)).is_ok() {
            if let Some(input) = input.get_untracked() {
                input.set_value(&normalised);
            }
        }
    };
    // Name the error only while it is shown: a description pointing at nothing misleads.
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> = [hint.map(|_| hint_id.as_str()), invalid().then_some(error_id.as_str())].into_iter().flatten().collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    // Safari's `autocorrect` is not among leptos's typed attributes: set on the element.
    Effect::new(move || {
        if let (true, Some(element)) = (is_code, input.get()) {
            let _ = element.set_attribute("autocorrect", "off");
        }
    });
    let mark = if field.is_required() { s.required } else { s.optional };
    view! {
        <div class="field">
            <label for=input_id.clone()>
                {s.field(field)}
                <span class="required-mark">" (" {mark} ")"</span>
            </label>
            <input id=input_id
                node_ref=input
                type=if is_phone { "tel" } else { "text" }
                inputmode=if is_phone { "tel" } else { "text" }
                autocomplete="off"
                // An 18-character code: capitals from the keyboard, no corrections.
                autocapitalize=is_code.then_some("characters")
                spellcheck=is_code.then_some("false")
                class:code-input=is_code
                required=field.is_required()
                readonly=locked
                aria-invalid=move || invalid().to_string()
                aria-describedby=described_by
                prop:value=initial
                on:input=on_input
                on:change=on_change/>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint(s)}</p> })}
            <Show when=invalid>
                <p class="field-error" id=error_id.clone()>{move || problem.get()}</p>
            </Show>
        </div>
    }
}
