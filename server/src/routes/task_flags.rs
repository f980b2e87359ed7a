//! How a task and the inspection started from it point at each other on the office's pages
//! (issue 14), and what the office must notice: an inspection that arrived for a task already
//! withdrawn (accepted all the same), one naming a task the office does not know, or a task
//! another inspection had already delivered.

use maud::{html, Markup};
use uuid::Uuid;

use safewalk_core::Lang;

use super::language::{current, say};
use crate::html::date_time;
use crate::store::sync::TaskLink;

/// On an inspection's page: the task it was started from (`task`), as the office knows it.
pub fn of_inspection(inspection: Uuid, task: Uuid, link: Option<&TaskLink>) -> Markup {
    let Some(link) = link else {
        return html! {
            p.task-flag { strong.hazard { (say("⚑ 任务未知", "⚑ Unknown task")) } " · "
                @match current().lang {
                    Lang::Zh => { "本检查记录来自任务 " (task) "，本办公室没有此任务。" },
                    Lang::En => { "Started from task " (task) ", which this office does not know." },
                } }
        };
    };
    let number = html! { a href={ "/office/tasks/" (link.id) } { (say("任务 ", "Task ")) (link.number) } };
    let ours = link.inspection_id.as_deref() == Some(inspection.to_string().as_str());
    html! {
        @if link.state == "withdrawn" && ours {
            p.task-flag { strong.hazard { (say("⚑ 任务已撤回", "⚑ Task withdrawn")) } " · " (number) " "
                @match current().lang {
                    Lang::Zh => { "在本检查记录送达前已撤回" @if let Some(at) = link.withdrawn_at { "（" (date_time(at)) "）" } "；记录已接收。" },
                    Lang::En => {
                        "was withdrawn" @if let Some(at) = link.withdrawn_at { " (" (date_time(at)) ")" }
                        " before this inspection arrived; the inspection was accepted."
                    },
                } }
        } @else if link.state == "withdrawn" {
            p.task-flag { strong.hazard { (say("⚑ 任务已撤回", "⚑ Task withdrawn")) } " · " (number) (say(" 已撤回。", " was withdrawn.")) }
        } @else if ours {
            p { (number) (say(" · 由本检查记录完成", " · delivered by this inspection")) }
        } @else if let Some(other) = &link.inspection_id {
            p.task-flag { strong.hazard { (say("⚑ 任务已由另一记录完成", "⚑ Task already delivered")) } " · " (number) " "
                (say("已由 ", "was delivered by ")) a href={ "/office/" (other) } { (say("另一检查记录", "another inspection")) } (say(" 完成。", ".")) }
        } @else {
            p { (number) }
        }
    }
}

/// On a task's page: when it was taken and delivered, by which inspection, and whether that
/// inspection arrived after the task was withdrawn.
pub fn of_task(link: &TaskLink) -> Markup {
    html! {
        @if let Some(at) = link.taken_at { tr { th { (say("领取", "Taken")) } td { (date_time(at)) } } }
        @if let Some(inspection) = &link.inspection_id {
            tr { th { (say("检查记录", "Inspection")) } td {
                a href={ "/office/" (inspection) } { (inspection) }
                @if let Some(at) = link.delivered_at { " · " (date_time(at)) }
                @if link.state == "withdrawn" {
                    br; strong.hazard { (say("⚑ 撤回后收到检查记录", "⚑ An inspection arrived after the task was withdrawn")) }
                }
            } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(state: &str, inspection: Option<Uuid>) -> TaskLink {
        TaskLink {
            id: "t1".into(),
            number: "2026-0007".into(),
            state: state.into(),
            withdrawn_at: (state == "withdrawn").then_some(1_700_000_000_000),
            taken_at: Some(1_600_000_000_000),
            delivered_at: inspection.map(|_| 1_700_000_100_000),
            inspection_id: inspection.map(|i| i.to_string()),
        }
    }

    #[test]
    fn the_inspection_page_flags_a_withdrawn_an_unknown_and_an_already_delivered_task() {
        let (me, other, task) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let page = |l: Option<&TaskLink>| of_inspection(me, task, l).into_string();
        assert!(page(None).contains("任务未知"));
        assert!(page(Some(&link("withdrawn", Some(me)))).contains("在本检查记录送达前已撤回"));
        assert!(page(Some(&link("delivered", Some(other)))).contains("任务已由另一记录完成"));
        let mine = page(Some(&link("delivered", Some(me))));
        assert!(mine.contains("由本检查记录完成") && !mine.contains('⚑'));
        assert!(of_task(&link("withdrawn", Some(me))).into_string().contains("撤回后收到检查记录"));
        assert!(!of_task(&link("delivered", Some(me))).into_string().contains('⚑'));
    }
}
