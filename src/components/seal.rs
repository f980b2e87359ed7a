//! The seal on a completed record's papers: the SHA-256 of what is delivered (its canonical
//! text, `core::delivery::seal`), printed as text in groups — to read aloud and type back — and
//! as a QR code of the office's verify link, drawn on the phone, offline. The office re-makes
//! the same text from the record it stored; a paper whose seal it does not find was changed.

use leptos::prelude::*;
use qrcode::{Color, EcLevel, QrCode};
use safewalk_core::delivery::seal::{canonical_text, grouped, verify_url};
use uuid::Uuid;

use crate::components::use_strings;
use crate::digest;
use crate::state::{use_delivery, use_settings};

/// Modules of white margin around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

#[component]
pub fn Seal(id: Uuid) -> impl IntoView {
    let s = use_strings();
    let Some(payload) = use_delivery().payload_of(id).filter(|p| p.inspection.completed_at.is_some()) else {
        // A draft has no seal yet: it changes until completed.
        return ().into_any();
    };
    let text = canonical_text(&payload);
    let endpoint = use_settings().endpoint();
    let seal = LocalResource::new(move || {
        let text = text.clone();
        async move { digest::seal_of(&text).await }
    });
    view! {
        <section class="seal" data-testid="seal">
            <h2>{s.seal_heading}</h2>
            {move || seal.get().map(|result| match result {
                Ok(hash) => {
                    // Without an office, the code holds the seal alone: still typed into any office's verify page.
                    let link = if endpoint.trim().is_empty() { hash.clone() } else { verify_url(&endpoint, &hash) };
                    view! {
                        <QrCodeImage data=link label=s.seal_qr_label/>
                        <p class="seal-text"><code data-testid="seal-text">{grouped(&hash)}</code></p>
                        <p class="seal-how"><small>{s.seal_how}</small></p>
                    }
                    .into_any()
                }
                Err(why) => view! { <p role="alert">{s.seal_failed}" "<small>{why}</small></p> }.into_any(),
            })}
        </section>
    }
    .into_any()
}

/// `data` as a QR code in SVG: one path of unit squares, crisp at any print size.
#[component]
fn QrCodeImage(data: String, label: &'static str) -> impl IntoView {
    // Medium error correction: a paper that is folded or stained still scans.
    let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else {
        // Too long for a QR code (not for a link this short); the seal's text is still printed.
        return ().into_any();
    };
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::with_capacity(colors.len() * 4);
    for (n, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (n % width + QUIET_ZONE, n / width + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    let size = width + 2 * QUIET_ZONE;
    view! {
        <svg class="seal-qr" role="img" aria-label=label viewBox=format!("0 0 {size} {size}") shape-rendering="crispEdges"
            data-testid="seal-qr" data-content=data>
            <rect width=size height=size fill="#fff"/>
            <path d=path fill="#000"/>
        </svg>
    }
    .into_any()
}
