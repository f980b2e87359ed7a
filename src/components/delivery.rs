//! Where a completed inspection's delivery stands, in words.

use leptos::prelude::*;
use safewalk_core::delivery::outbox::Delivery;
use uuid::Uuid;

use super::{use_delivery, use_drafts, use_lang, use_strings};
use crate::browser;

#[component]
pub fn DeliveryStatus(id: Uuid) -> impl IntoView {
    let delivery = use_delivery();
    let drafts = use_drafts();
    let s = use_strings();
    let lang = use_lang();
    let record = Memo::new(move |_| delivery.with_outbox(|o| o.record(id).cloned()));
    move || {
        let delivered = |at: u64| ((s.delivery_delivered)(&browser::format_time(at, lang)), "delivery delivery-ok");
        let (text, class) = match record.get() {
            // Archived: the outbox forgot it; its summary keeps when it was delivered.
            None => delivered(drafts.delivered_at(id)?),
            Some(record) => match &record.delivery {
                Delivery::Queued => (s.delivery_queued.to_string(), "delivery"),
                Delivery::Sending { .. } => (s.delivery_sending.to_string(), "delivery"),
                Delivery::Delivered { at, .. } => delivered(*at),
                Delivery::Failed { reason, next_try } => {
                    ((s.delivery_failed)(reason, record.tries, &browser::format_time(*next_try, lang)), "delivery")
                }
                Delivery::Conflict { message } => ((s.delivery_conflict)(message), "delivery delivery-problem"),
                Delivery::TooLarge => (s.delivery_too_large.to_string(), "delivery delivery-problem"),
                Delivery::Rejected { status, message } => ((s.delivery_rejected)(*status, message), "delivery delivery-problem"),
            },
        };
        Some(view! { <span class=class data-testid="delivery-status">{text}</span> })
    }
}
