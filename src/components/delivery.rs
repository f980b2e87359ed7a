//! Where a completed inspection's delivery stands, in words.

use leptos::prelude::*;
use safewalk_core::delivery::outbox::Delivery;
use uuid::Uuid;

use super::{use_delivery, use_lang, use_strings};
use crate::browser;

#[component]
pub fn DeliveryStatus(id: Uuid) -> impl IntoView {
    let delivery = use_delivery();
    let s = use_strings();
    let lang = use_lang();
    let record = Memo::new(move |_| delivery.with_outbox(|o| o.record(id).cloned()));
    move || {
        let record = record.get()?;
        let text = match &record.delivery {
            Delivery::Queued => s.delivery_queued.to_string(),
            Delivery::Sending { .. } => s.delivery_sending.to_string(),
            Delivery::Delivered { at, .. } => (s.delivery_delivered)(&browser::format_time(*at, lang)),
            Delivery::Failed { reason, next_try } => (s.delivery_failed)(reason, record.tries, &browser::format_time(*next_try, lang)),
            Delivery::Conflict { message } => (s.delivery_conflict)(message),
            Delivery::TooLarge => s.delivery_too_large.to_string(),
            Delivery::Rejected { status, message } => (s.delivery_rejected)(*status, message),
        };
        let class = match record.delivery {
            Delivery::Delivered { .. } => "delivery delivery-ok",
            Delivery::Conflict { .. } | Delivery::TooLarge | Delivery::Rejected { .. } => "delivery delivery-problem",
            _ => "delivery",
        };
        Some(view! { <span class=class data-testid="delivery-status">{text}</span> })
    }
}
