//! Where a completed inspection's delivery stands, in words.

use leptos::prelude::*;
use safewalk_core::outbox::Delivery;
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
            Delivery::Delivered { at, .. } => format!("{}: {}", s.delivery_delivered, browser::format_time(*at, lang)),
            Delivery::Failed { reason, next_try } => format!(
                "{} ({reason}; {}: {}; {} {})",
                s.delivery_failed,
                s.tries,
                record.tries,
                s.next_try,
                browser::format_time(*next_try, lang)
            ),
            Delivery::Conflict { message } => format!("{} ({message})", s.delivery_conflict),
            Delivery::TooLarge => s.delivery_too_large.to_string(),
            Delivery::Rejected { status, message } => format!("{}{status} {message}", s.delivery_rejected),
        };
        let class = match record.delivery {
            Delivery::Delivered { .. } => "delivery delivery-ok",
            Delivery::Conflict { .. } | Delivery::TooLarge | Delivery::Rejected { .. } => "delivery delivery-problem",
            _ => "delivery",
        };
        Some(view! { <span class=class data-testid="delivery-status">{text}</span> })
    }
}
