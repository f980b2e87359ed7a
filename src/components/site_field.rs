//! One labelled, required field of the site details, written through on every keystroke.

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
    let input_id = format!("field-{field:?}").to_lowercase();
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let is_phone = field == SiteField::PrincipalPhone;
    let phone_invalid = move || is_phone && !value.get().trim().is_empty() && !is_plausible_phone(&value.get());
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        let _ = drafts.edit(id, |inspection, _, now| inspection.set_field(field, &text, now));
    };
    // Name the error only while it is shown: a description pointing at nothing misleads.
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> =
                [hint.map(|_| hint_id.as_str()), phone_invalid().then_some(error_id.as_str())].into_iter().flatten().collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    // The initial value is read once: re-setting an input's value while the inspector
    // types would fight the caret.
    let initial = value.get_untracked();
    view! {
        <div class="field">
            <label for=input_id.clone()>
                {s.field(field)}
                <span class="required-mark">" (" {s.required} ")"</span>
            </label>
            <input id=input_id
                type=if is_phone { "tel" } else { "text" }
                inputmode=if is_phone { "tel" } else { "text" }
                autocomplete="off"
                required=true
                readonly=locked
                aria-invalid=move || phone_invalid().to_string()
                aria-describedby=described_by
                prop:value=initial
                on:input=on_input/>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint(s)}</p> })}
            <Show when=phone_invalid>
                <p class="field-error" id=error_id.clone()>{s.phone_invalid}</p>
            </Show>
        </div>
    }
}
