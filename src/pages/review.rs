//! Review: counts per answer, the hazards found with their grades, the exclusions of the
//! rule set, who is responsible for what, what is still missing (each a link to the place
//! to fix it), the signatures (signing is offered once nothing is missing, since it locks
//! the inspection), and "complete" once nothing is: signing does not complete, the inspector
//! completes once everyone has signed. A re-inspection reviews its verdicts instead.

use leptos::prelude::*;
use safewalk_core::grading::{Grade, Standing};
use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::rectification::register::{site_key, HazardStatus};
use safewalk_core::{Lang, Problem, Route, Template};
use uuid::Uuid;

use crate::browser;
use crate::components::delivery::DeliveryStatus;
use crate::components::grade_badge::GradeBadge;
use crate::components::signature_pad::SignatureList;
use crate::components::{use_delivery, use_drafts, use_lang, use_shell, use_strings};
use crate::i18n::Strings;
use crate::state::Edition;

use super::determination;

#[component]
pub fn Review(id: Uuid, edition: Edition) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let template = edition.template.clone();
    let follow_up = drafts.with_inspection_untracked(id, |i| i.follow_up.is_some()).unwrap_or(false);
    let missing = {
        let edition = edition.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| edition.grade(i).problems()).unwrap_or_default())
    };
    let completed_at = Memo::new(move |_| drafts.with_inspection(id, |i| i.completed_at).flatten());
    let delivery = use_delivery();
    let complete = move |_| {
        // The button is only enabled when nothing is missing; the core checks again anyway.
        let _ = delivery.complete(id);
    };

    let missing_list = {
        let template = template.clone();
        move || missing.get().iter().map(|problem| missing_entry(s, id, &template, lang, problem)).collect_view()
    };
    let title = template.title.clone();
    let site = Memo::new(move |_| drafts.with_inspection(id, |i| i.site.name.clone()).unwrap_or_default());
    let body = if follow_up {
        view! { <Verdicts id/> }.into_any()
    } else {
        view! { <Findings id edition=edition.clone()/> {crate::lazy::show(crate::lazy::determination_section(id, edition.clone()))} }
            .into_any()
    };

    view! {
        <section class="page review">
            <a class="back" href=Route::Checklist(id, None).to_hash()>"‹ "{s.checklist}</a>
            <h1>{s.review}</h1>
            <p class="subtitle">{move || site.get()}" · "{title.get(lang).to_string()}</p>
            {body}
            <Responsibilities id edition/>

            {move || completed_at.get().is_none().then(|| view! {
                <h2>{s.missing}</h2>
                {if missing.get().is_empty() {
                    view! { <p class="ok">{s.nothing_missing}</p> }.into_any()
                } else {
                    view! { <ul class="missing" data-testid="missing">{missing_list()}</ul> }.into_any()
                }}
            })}

            <p><a class="button button-big" data-testid="open-documents" href=Route::Documents(id).to_hash()>{s.documents}</a></p>
            <Signing id missing completed_at/>

            <div class="actions">
                {move || match completed_at.get() {
                    Some(at) => view! {
                        <p class="banner banner-success" role="status">
                            {(s.completed_on)(&browser::format_time(at, lang))}". "{s.read_only}
                        </p>
                        <p><DeliveryStatus id/></p>
                        <a class="button button-big" href=Route::Report(id).to_hash()>{s.report}</a>
                        <ReinspectSite id/>
                    }.into_any(),
                    None => view! {
                        <button type="button" class="button button-primary button-big"
                            disabled=move || !missing.get().is_empty() aria-describedby="complete-hint"
                            on:click=complete>{s.complete}</button>
                        <p id="complete-hint" class="hint" hidden=move || missing.get().is_empty()>{s.complete_blocked}</p>
                    }.into_any(),
                }}
            </div>
        </section>
    }
    .into_any()
}

/// Counts per answer, the hazards with their grades, and the rule set's exclusions.
#[component]
fn Findings(id: Uuid, edition: Edition) -> impl IntoView {
    let (drafts, s, lang) = (use_drafts(), use_strings(), use_lang());
    let tally = {
        let edition = edition.clone();
        Memo::new(move |_| drafts.with_inspection(id, |i| edition.grade(i).tally()).unwrap_or_default())
    };
    let grades = {
        let edition = edition.clone();
        Memo::new(move |_| {
            drafts
                .with_inspection(id, |i| {
                    let graded = edition.grade(i);
                    graded
                        .grades()
                        .into_iter()
                        .map(|(item, grade)| {
                            let standing = graded.standing(&item);
                            (item, (grade, standing))
                        })
                        .collect::<std::collections::BTreeMap<_, _>>()
                })
                .unwrap_or_default()
        })
    };
    let Edition { template, rule_set } = edition;
    let hazards = move || {
        tally
            .get()
            .hazard_items
            .into_iter()
            .map(|item_id| {
                let note = drafts.with_inspection(id, |i| i.note(&item_id).to_string()).unwrap_or_default();
                let text = template.item(&item_id).map(|item| item.text.get(lang).to_string()).unwrap_or_default();
                let (grade, standing) = grades.with(|g| g.get(&item_id).copied()).unwrap_or((Grade::General, Standing::Direct));
                let href = Route::Hazard(id, item_id.clone()).to_hash();
                view! {
                    <li data-testid="hazard">
                        <GradeBadge grade=Signal::derive(move || grade) standing=standing/>" "
                        <a href=href>{text}</a>
                        <p class="hazard-note">{note}</p>
                    </li>
                }
            })
            .collect_view()
    };
    // Reactive: signing happens on this screen.
    let locked = Memo::new(move |_| drafts.with_inspection(id, |i| i.is_completed() || i.is_signed()).unwrap_or(true));
    let exclusions = rule_set.filter(|r| !r.exclusions.is_empty()).map(|rule_set| {
        let boxes = rule_set
            .exclusions
            .iter()
            .map(|exclusion| {
                let ex_id = exclusion.id.clone();
                let checked = {
                    let ex_id = ex_id.clone();
                    move || drafts.with_inspection(id, |i| i.exclusions.contains(&ex_id)).unwrap_or(false)
                };
                let toggle = move |ev| {
                    let on = event_target_checked(&ev);
                    let _ = drafts.edit(id, |i, _, now| i.set_exclusion(&ex_id, on, now));
                };
                view! {
                    <label class="choice">
                        <input type="checkbox" prop:checked=checked disabled=locked on:change=toggle/>
                        {exclusion.name.get(lang).to_string()}
                    </label>
                }
            })
            .collect_view();
        view! {
            <h2>{s.exclusions}</h2>
            <p class="hint">{(s.exclusions_hint)(&rule_set.standard)}</p>
            {boxes}
        }
    });

    view! {
        <h2>{s.counts}</h2>
        <dl class="counts" data-testid="counts">
            <div class="count count-compliant"><dt>{s.answer_compliant}</dt><dd>{move || tally.get().compliant}</dd></div>
            <div class="count count-hazard"><dt>{s.answer_hazard}</dt><dd>{move || tally.get().hazards}</dd></div>
            <div class="count count-na"><dt>{s.answer_na}</dt><dd>{move || tally.get().not_applicable}</dd></div>
            <div class="count count-open"><dt>{s.unanswered_item}</dt><dd>{move || tally.get().unanswered}</dd></div>
        </dl>

        <h2>{s.hazards_found}</h2>
        {move || if tally.get().hazards > 0 {
            view! { <ol class="hazards" data-testid="hazards">{hazards.clone()()}</ol> }.into_any()
        } else {
            view! { <p class="empty">{s.no_hazards}</p> }.into_any()
        }}
        {exclusions}
    }
}

/// The signatures, and the pad while the inspection can still be signed: not completed, and
/// nothing missing (a signed inspection can no longer be changed, so it must be complete).
#[component]
fn Signing(id: Uuid, missing: Memo<Vec<Problem>>, completed_at: Memo<Option<u64>>) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let open = move || completed_at.get().is_none();
    let signed_open = Memo::new(move |_| open() && drafts.with_inspection(id, |i| i.is_signed()).unwrap_or(false));
    let ready = Memo::new(move |_| open() && missing.with(Vec::is_empty));
    // The hint that signing waits for nothing to be missing.
    let no_hint = Memo::new(move |_| !open() || ready.get());
    view! {
        <h2>{s.signatures}</h2>
        <SignatureList id/>
        {move || signed_open.get().then(|| view! {
            <p class="banner banner-info" role="status" data-testid="signed-locked">{s.signed_locked}" "{s.complete_after_signing}</p>
        })}
        <p class="hint" hidden=no_hint>{s.sign_when_ready}</p>
        {move || ready.get().then(|| crate::lazy::show(crate::lazy::signature_pad(id)))}
    }
}

/// A re-inspection's verdicts, counted.
#[component]
fn Verdicts(id: Uuid) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let counts = Memo::new(move |_| {
        drafts
            .with_inspection(id, |i| {
                let checks = i.follow_up.as_ref().map(|f| f.checks.as_slice()).unwrap_or_default();
                let count = |v: Option<Verdict>| checks.iter().filter(|c| c.verdict == v).count();
                (count(Some(Verdict::Rectified)), count(Some(Verdict::NotRectified)), count(None))
            })
            .unwrap_or_default()
    });
    view! {
        <h2>{s.counts}</h2>
        <dl class="counts" data-testid="counts">
            <div class="count count-compliant"><dt>{s.verdict_rectified}</dt><dd>{move || counts.get().0}</dd></div>
            <div class="count count-hazard"><dt>{s.verdict_not_rectified}</dt><dd>{move || counts.get().1}</dd></div>
            <div class="count count-open"><dt>{s.verdict_missing}</dt><dd>{move || counts.get().2}</dd></div>
        </dl>
    }
}

/// Who answers for what: the site's principal, the inspectors, and per hazard the
/// responsible unit and person, the deadline and, for a major one, the supervising official.
#[component]
fn Responsibilities(id: Uuid, edition: Edition) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    move || {
        drafts.with_inspection(id, |i| {
            // In checklist order, like the hazards above.
            let graded = edition.grade(i);
            let rows = graded
                .hazards()
                .map(|(item, grade)| {
                    let standing = graded.standing(&item.id);
                    let r = i.hazard(&item.id).cloned().unwrap_or_default().rectification;
                    let text = item.text.get(lang).to_string();
                    let who = if r.on_the_spot {
                        s.status_on_the_spot.to_string()
                    } else {
                        let mut who = format!("{} · {} {} {} · {}", r.unit, r.person, r.role, r.phone, (s.deadline_on)(&r.deadline));
                        if grade.needs_supervision() && !r.supervisor.is_empty() {
                            who.push_str(&format!(" · {}", (s.supervised_by)(&r.supervisor)));
                        }
                        who
                    };
                    view! { <li><GradeBadge grade=Signal::derive(move || grade) standing=standing/>" "{text}<br/><span class="card-meta">{who}</span></li> }
                })
                .collect_view();
            view! {
                <h2>{s.responsibilities}</h2>
                <dl class="responsibilities" data-testid="responsibilities">
                    <dt>{s.principal_label}</dt>
                    <dd>{format!("{} · {} · {}", i.site.enterprise, i.site.principal, i.site.principal_phone)}</dd>
                    <dt>{s.inspected_by}</dt>
                    <dd>{format!("{} · {}", i.team.department, i.team.inspectors)}</dd>
                </dl>
                <ul class="responsibility-list">{rows}</ul>
            }
        })
    }
}

/// "Re-inspect this site" on a completed inspection whose site still has open hazards.
#[component]
fn ReinspectSite(id: Uuid) -> impl IntoView {
    let drafts = use_drafts();
    let s = use_strings();
    let site = drafts.with_inspection_untracked(id, |i| site_key(&i.site)).unwrap_or_default();
    let open = {
        let site = site.clone();
        Memo::new(move |_| drafts.register().iter().filter(|e| e.site_key == site && e.status == HazardStatus::Open).count())
    };
    let shell = use_shell();
    let start = move |_| {
        let site = site.clone();
        leptos::task::spawn_local(async move {
            if let Some(follow_up) = drafts.start_follow_up(id, &site).await {
                shell.navigate(Route::Checklist(follow_up, None));
            }
        });
    };
    move || {
        (open.get() > 0).then(|| {
            view! {
                <button type="button" class="button button-big" on:click=start.clone()>
                    {(s.reinspect_site_open)(open.get())}
                </button>
            }
        })
    }
}

/// One thing still missing, as a link to the place to fix it.
fn missing_entry(s: &'static Strings, id: Uuid, template: &Template, lang: Lang, problem: &Problem) -> impl IntoView {
    let hazard = |item_id: &String, what: &str| {
        (Route::Hazard(id, item_id.clone()).to_hash(), format!("{} — {what}", template.item_text(item_id, lang)))
    };
    let (href, text) = match problem {
        Problem::Missing(field) => (Route::Details(id).to_hash(), (s.field_required)(s.field(*field))),
        Problem::InvalidPhone => (Route::Details(id).to_hash(), s.phone_invalid.to_string()),
        Problem::InvalidUscc(error) => (Route::Details(id).to_hash(), format!("{} — {}", s.field_uscc, s.uscc_error(error))),
        Problem::UnknownCategory => (Route::Details(id).to_hash(), s.unknown_category.to_string()),
        Problem::Unanswered { item_id } => (
            Route::Checklist(id, Some(item_id.clone())).to_hash(),
            format!("{} — {}", template.item_text(item_id, lang), s.unanswered_item),
        ),
        Problem::HazardNeedsNote { item_id } => (
            Route::Checklist(id, Some(item_id.clone())).to_hash(),
            format!("{} — {}", template.item_text(item_id, lang), s.hazard_needs_note),
        ),
        Problem::Rectification { item_id, field } => hazard(item_id, &(s.field_required)(s.rectification_field(*field))),
        Problem::InvalidDeadline { item_id } => hazard(item_id, s.deadline_invalid),
        Problem::InvalidRectificationPhone { item_id } => hazard(item_id, s.phone_invalid),
        Problem::LoweredWithoutReason { item_id } => hazard(item_id, s.lower_reason_needed),
        Problem::Unverified { index } => {
            (Route::Checklist(id, None).to_hash(), format!("{} — {}", (s.follow_up_numbered)(index + 1), s.verdict_missing))
        }
        Problem::VerdictNeedsNote { index } => {
            (Route::Checklist(id, None).to_hash(), format!("{} — {}", (s.follow_up_numbered)(index + 1), s.verdict_note))
        }
        // On this screen: the determination's own section says it too.
        Problem::Determination(problem) => {
            (Route::Review(id).to_hash(), format!("{} — {}", s.determination, determination::problem_text(s, problem, template, lang)))
        }
    };
    view! { <li><a href=href>{text}</a></li> }
}
