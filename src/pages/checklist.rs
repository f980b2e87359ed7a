//! The checklist: sections of items, a section jump at the top, and progress with
//! "next unanswered" and "review" in a bar at the bottom, within thumb reach.

use leptos::prelude::*;
use safewalk_core::Route;
use uuid::Uuid;

use super::follow_up::FollowUpChecks;
use crate::browser;
use crate::components::item_card::{ItemCard, ItemStates};
use crate::components::progress::ProgressBar;
use crate::components::{use_drafts, use_lang, use_shell, use_strings};
use crate::state::Edition;

#[component]
pub fn Checklist(id: Uuid, edition: Edition) -> impl IntoView {
    let (drafts, shell) = (use_drafts(), use_shell());
    let s = use_strings();
    let lang = use_lang();
    let template = edition.template.clone();
    if drafts.with_inspection_untracked(id, |i| i.follow_up.is_some()).unwrap_or(false) {
        return view! { <FollowUpChecks id/> }.into_any();
    }

    let progress = {
        let template = template.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| i.progress(&template)).unwrap_or((0, 0)))
    };
    let next_unanswered = {
        let template = template.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| i.next_unanswered(&template).map(str::to_string)).flatten())
    };
    // Completion happens on the review screen, so this screen is re-created after it.
    // Completed, or signed: signing locks the inspection.
    let (locked, completed) =
        drafts.with_inspection_untracked(id, |i| (i.is_completed() || i.is_signed(), i.is_completed())).unwrap_or((true, true));
    let site = Memo::new(move |_| drafts.with_inspection(id, |i| i.site.name.clone()).unwrap_or_default());

    let go_to_next = move |_| {
        if let Some(item) = next_unanswered.get_untracked() {
            browser::reveal(&format!("item-{item}"));
            shell.remember_position(Route::Checklist(id, Some(item)));
        }
    };
    let jump = move |ev| {
        let section = event_target_value(&ev);
        if !section.is_empty() {
            browser::reveal(&format!("section-{section}"));
        }
    };

    // Come back to the item the inspector was at (a reload, or a link from the review).
    if let Route::Checklist(_, Some(item)) = shell.route_untracked() {
        request_animation_frame(move || browser::reveal(&format!("item-{item}")));
    }

    let states = ItemStates::new(drafts, id, &edition, template.items().map(|item| item.id.as_str()));
    let mut number = 0;
    let sections = template
        .sections
        .iter()
        .map(|section| {
            let items = section
                .items
                .iter()
                .map(|item| {
                    number += 1;
                    view! { <ItemCard inspection=id item=item.clone() number locked states/> }
                })
                .collect_view();
            let title = section.title.clone();
            view! {
                <section class="checklist-section" id=format!("section-{}", section.id) tabindex="-1"
                    aria-labelledby=format!("section-title-{}", section.id)>
                    <h2 id=format!("section-title-{}", section.id)>{title.get(lang).to_string()}</h2>
                    {items}
                </section>
            }
        })
        .collect_view();
    let section_options = template
        .sections
        .iter()
        .map(|section| {
            let title = section.title.clone();
            view! { <option value=section.id.clone()>{title.get(lang).to_string()}</option> }
        })
        .collect_view();
    let heading = template.title.clone();

    view! {
        <section class="page checklist">
            <a class="back" href=Route::Details(id).to_hash()>"‹ "{s.edit_details}</a>
            <h1>{heading.get(lang).to_string()}</h1>
            <p class="subtitle">{move || { let name = site.get(); if name.trim().is_empty() { s.unnamed_site.to_string() } else { name } }}</p>
            {locked.then(|| view! { <p class="banner banner-info" data-testid="locked">{if completed { s.read_only } else { s.signed_locked }}</p> })}
            <div class="field section-jump">
                <label for="section-jump">{s.jump_to_section}</label>
                <select id="section-jump" on:change=jump>
                    <option value="">{s.choose}</option>
                    {section_options}
                </select>
            </div>
            {sections}
        </section>
        <nav class="bottom-bar" aria-label=s.progress>
            <div class="bottom-progress">
                <span class="bottom-count" data-testid="progress-count">{move || format!("{}/{}", progress.get().0, progress.get().1)}</span>
                <ProgressBar done=Signal::derive(move || progress.get().0) total=Signal::derive(move || progress.get().1)
                    label=s.progress/>
            </div>
            <button type="button" class="button" on:click=go_to_next disabled=move || next_unanswered.get().is_none()>
                {move || if next_unanswered.get().is_some() { s.next_unanswered } else { s.all_answered }}
            </button>
            <a class="button button-primary" href=Route::Review(id).to_hash()>{s.review}</a>
        </nav>
    }
    .into_any()
}
