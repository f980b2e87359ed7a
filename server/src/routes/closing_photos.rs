//! Where a re-inspection's closing photos were taken, on the office's hazard and inspection
//! pages (issue 14): core's [`closing_photos`] for each hazard a follow-up verified
//! rectified, a photo outside the original finding's accuracy circle flagged.

use maud::{html, Markup};
use safewalk_core::delivery::payload::InspectionPayload;
use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::rectification::closing_photo::{closing_photos, ClosingPhoto};
use safewalk_core::Inspection;
use uuid::Uuid;

use super::language::{current, say};
use crate::store::{Store, StoreError};
use safewalk_core::Lang;

/// The closing photos of `item`, found by `original` (`None`: not received), checked by
/// `follow_up`.
pub fn list(original: Option<&Inspection>, follow_up: &Inspection, item: &str) -> Markup {
    let photos = match original {
        Some(original) => closing_photos(original, follow_up, item),
        None => Vec::new(),
    };
    html! {
        @if original.is_none() {
            (say("原检查记录未收到，无法比对位置", "The original inspection has not arrived: nothing to compare with"))
        } @else if photos.is_empty() {
            (say("复查未附销号照片", "The re-inspection attached no photo of this item"))
        }
        @for (id, standing) in &photos {
            div.closing-photo {
                a href={ "/inspections/" (follow_up.id) "/attachments/" (id) } { (say("销号照片", "Closing photo")) } " · "
                (standing_text(standing))
            }
        }
    }
}

fn standing_text(standing: &ClosingPhoto) -> Markup {
    html! {
        @match standing {
            ClosingPhoto::Outside { distance_m, accuracy_m } => strong.hazard {
                @match current().lang {
                    Lang::Zh => { "⚑ 销号照片拍摄于距隐患发现位置 " (format!("{distance_m:.0}")) " 米处（发现位置精度 " (format!("{accuracy_m:.0}")) " 米）" },
                    Lang::En => {
                        "⚑ closing photo taken " (format!("{distance_m:.0}")) " m from where the hazard was found (found to within "
                        (format!("{accuracy_m:.0}")) " m)"
                    },
                }
            },
            ClosingPhoto::Within { distance_m } => {
                @match current().lang {
                    Lang::Zh => { "距隐患发现位置 " (format!("{distance_m:.0}")) " 米，在定位精度内" },
                    Lang::En => { "taken " (format!("{distance_m:.0}")) " m from where the hazard was found, within its accuracy" },
                }
            },
            ClosingPhoto::NoPosition => (say("无定位", "no position")),
            ClosingPhoto::NoReference => (say("隐患发现位置未知", "where the hazard was found is not known")),
        }
    }
}

async fn inspection(store: &Store, id: Uuid) -> Result<Option<Inspection>, StoreError> {
    Ok(store.get(id).await?.and_then(|s| serde_json::from_str::<InspectionPayload>(&s.payload).ok()).map(|p| p.inspection))
}

/// For a hazard's page: its closing photos, when a re-inspection (`closed_by`) closed it.
pub async fn of_hazard(store: &Store, original: Uuid, item: &str, closed_by: Uuid) -> Result<Option<Markup>, StoreError> {
    let Some(follow_up) = inspection(store, closed_by).await? else { return Ok(None) };
    let original = inspection(store, original).await?;
    Ok(Some(list(original.as_ref(), &follow_up, item)))
}

/// For a follow-up's page: the closing photos of every hazard it verified rectified.
pub async fn of_follow_up(store: &Store, follow_up: &Inspection) -> Result<Option<Markup>, StoreError> {
    let Some(f) = &follow_up.follow_up else { return Ok(None) };
    let mut rows = Vec::new();
    for check in f.checks.iter().filter(|c| c.verdict == Some(Verdict::Rectified)) {
        let original = inspection(store, check.inspection).await?;
        rows.push((check.item.clone(), list(original.as_ref(), follow_up, &check.item)));
    }
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(html! {
        h2 { (say("销号照片位置", "Where the closing photos were taken")) }
        table {
            @for (item, photos) in &rows { tr { th { (item) } td { (photos) } } }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outside_photo_is_flagged_with_its_distance_and_no_position_is_said_not_flagged() {
        let outside = standing_text(&ClosingPhoto::Outside { distance_m: 41.6, accuracy_m: 15.0 }).into_string();
        assert!(outside.contains("销号照片拍摄于距隐患发现位置 42 米处") && outside.contains('⚑'), "{outside}");
        let none = standing_text(&ClosingPhoto::NoPosition).into_string();
        assert!(none.contains("无定位") && !none.contains('⚑'));
        assert!(!standing_text(&ClosingPhoto::Within { distance_m: 3.0 }).into_string().contains('⚑'));
    }
}
