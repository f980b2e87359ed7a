//! Where a hazard was closed from (issue 14): a re-inspection that verifies a hazard
//! rectified attaches photos to the check's item, each with the position the phone had.
//! One taken outside the original finding's accuracy circle — farther from where the hazard
//! was found than that position's accuracy — is worth the office's look: the photo may not
//! show the place the hazard was. Pure functions over the records; the office pages ask them.

use uuid::Uuid;

use crate::inspection::attachment::{AttachmentKind, Position};
use crate::inspection::Inspection;

/// The mean Earth radius (IUGG), metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The great-circle distance between two positions, metres (haversine: accurate to well
/// under a metre at the distances a site spans).
pub fn distance_m(a: &Position, b: &Position) -> f64 {
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat_b - lat_a;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat_a.cos() * lat_b.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Where a hazard was found: the position of the original's first photo of the item that
/// has one, else the original inspection's own position (where the inspector stood at the
/// start). `None` when neither is known, or its accuracy is not a number.
pub fn found_at(original: &Inspection, item: &str) -> Option<Position> {
    let photo =
        original.attachments.iter().filter(|a| a.kind == AttachmentKind::Photo && a.item.as_deref() == Some(item)).find_map(|a| a.position);
    photo.or(original.position).filter(|p| p.accuracy_m.is_finite() && p.accuracy_m >= 0.0)
}

/// How one closing photo stands against where the hazard was found.
#[derive(Clone, Debug, PartialEq)]
pub enum ClosingPhoto {
    /// Within the original's accuracy circle.
    Within { distance_m: f64 },
    /// Farther than the original's accuracy: flagged.
    Outside { distance_m: f64, accuracy_m: f64 },
    /// The photo records no position (not flagged as outside: nothing says where it was).
    NoPosition,
    /// Where the hazard was found is not known: nothing to compare with.
    NoReference,
}

impl ClosingPhoto {
    pub fn is_flagged(&self) -> bool {
        matches!(self, ClosingPhoto::Outside { .. })
    }
}

/// Each photo `follow_up` attached to `item` (the check of the hazard `original` found
/// there), in the order attached, with how it stands.
pub fn closing_photos(original: &Inspection, follow_up: &Inspection, item: &str) -> Vec<(Uuid, ClosingPhoto)> {
    let reference = found_at(original, item);
    follow_up
        .attachments
        .iter()
        .filter(|a| a.kind == AttachmentKind::Photo && a.item.as_deref() == Some(item))
        .map(|a| {
            let standing = match (&a.position, &reference) {
                (None, _) => ClosingPhoto::NoPosition,
                (Some(_), None) => ClosingPhoto::NoReference,
                (Some(at), Some(found)) => {
                    let distance_m = distance_m(at, found);
                    if distance_m > found.accuracy_m {
                        ClosingPhoto::Outside { distance_m, accuracy_m: found.accuracy_m }
                    } else {
                        ClosingPhoto::Within { distance_m }
                    }
                }
            };
            (a.id, standing)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::attachment::tests::photo;
    use crate::inspection::attachment::{Attachment, Signer, SignerRole};

    fn at(lat: f64, lon: f64, accuracy_m: f64) -> Position {
        Position { lat, lon, accuracy_m }
    }

    #[test]
    fn haversine_distances_match_known_ones() {
        // One degree of latitude: 111.195 km on the mean sphere.
        assert!((distance_m(&at(0.0, 0.0, 1.0), &at(1.0, 0.0, 1.0)) - 111_195.08).abs() < 0.1);
        // One degree of longitude at 60° is half that at the equator.
        let equator = distance_m(&at(0.0, 10.0, 1.0), &at(0.0, 11.0, 1.0));
        let sixty = distance_m(&at(60.0, 10.0, 1.0), &at(60.0, 11.0, 1.0));
        assert!((sixty - equator / 2.0).abs() < 1.0, "{sixty} vs {equator}");
        // The Bund to People's Square, Shanghai: about 1.9 km.
        let d = distance_m(&at(31.2400, 121.4900, 5.0), &at(31.2304, 121.4737, 5.0));
        assert!((1_800.0..1_950.0).contains(&d), "{d}");
        assert_eq!(distance_m(&at(31.23, 121.47, 5.0), &at(31.23, 121.47, 5.0)), 0.0);
        // Symmetric, and antipodes are half the circumference (no NaN from rounding).
        let (a, b) = (at(31.23, 121.47, 1.0), at(31.2301, 121.4702, 1.0));
        assert_eq!(distance_m(&a, &b), distance_m(&b, &a));
        let half = distance_m(&at(0.0, 0.0, 1.0), &at(0.0, 180.0, 1.0));
        assert!((half - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1.0, "{half}");
    }

    fn with_photo(id: u128, item: &str, position: Option<Position>) -> Attachment {
        Attachment { position, ..photo(id, Some(item)) }
    }

    fn inspection(id: u128, attachments: Vec<Attachment>, position: Option<Position>) -> Inspection {
        let mut i = crate::grading::fixtures::inspection(id, "office", &[]);
        i.attachments = attachments;
        i.position = position;
        i
    }

    /// About `metres` north of (31.23, 121.47).
    fn north(metres: f64) -> Position {
        at(31.23 + metres / 111_195.08, 121.47, 4.0)
    }

    #[test]
    fn a_closing_photo_outside_the_findings_accuracy_is_flagged_and_one_without_a_position_is_said_so() {
        let original = inspection(1, vec![with_photo(10, "dm-1", Some(at(31.23, 121.47, 15.0)))], Some(north(500.0)));
        let follow_up = inspection(
            2,
            vec![
                with_photo(20, "dm-1", Some(north(10.0))),
                with_photo(21, "dm-1", Some(north(40.0))),
                with_photo(22, "dm-1", None),
                with_photo(23, "pl-1", Some(north(900.0))),
                Attachment {
                    kind: AttachmentKind::Signature,
                    signer: Some(Signer { name: "x".into(), role: SignerRole::Inspector }),
                    ..with_photo(24, "dm-1", Some(north(900.0)))
                },
            ],
            None,
        );
        let found = closing_photos(&original, &follow_up, "dm-1");
        assert_eq!(found.iter().map(|(id, _)| id.as_u128()).collect::<Vec<_>>(), vec![20, 21, 22], "the item's photos only");
        assert!(matches!(found[0].1, ClosingPhoto::Within { distance_m } if (distance_m - 10.0).abs() < 0.01));
        match found[1].1 {
            ClosingPhoto::Outside { distance_m, accuracy_m } => {
                assert!((distance_m - 40.0).abs() < 0.01);
                assert_eq!(accuracy_m, 15.0, "the original photo's accuracy, not the inspection's");
            }
            ref other => panic!("{other:?}"),
        }
        assert_eq!(found[2].1, ClosingPhoto::NoPosition);
        assert!(!found[0].1.is_flagged() && found[1].1.is_flagged() && !found[2].1.is_flagged());
    }

    #[test]
    fn without_a_photo_of_the_item_the_inspections_position_is_the_reference_else_there_is_none() {
        let follow_up = inspection(2, vec![with_photo(20, "dm-1", Some(north(10.0)))], None);
        // The original's photo of another item, and no position on its photo of this one.
        let original =
            inspection(1, vec![with_photo(10, "pl-1", Some(north(0.0))), with_photo(11, "dm-1", None)], Some(at(31.23, 121.47, 8.0)));
        assert_eq!(found_at(&original, "dm-1"), Some(at(31.23, 121.47, 8.0)));
        assert!(closing_photos(&original, &follow_up, "dm-1")[0].1.is_flagged(), "10 m from the start, accurate to 8 m");
        let at_the_edge = inspection(1, vec![], Some(at(31.23, 121.47, 10.5)));
        assert!(!closing_photos(&at_the_edge, &follow_up, "dm-1")[0].1.is_flagged(), "within 10.5 m");
        let nowhere = inspection(1, vec![], None);
        assert_eq!(closing_photos(&nowhere, &follow_up, "dm-1")[0].1, ClosingPhoto::NoReference);
        let unknown_accuracy = inspection(1, vec![], Some(at(31.23, 121.47, f64::NAN)));
        assert_eq!(found_at(&unknown_accuracy, "dm-1"), None, "an accuracy that is not a number is no circle");
        assert!(closing_photos(&original, &inspection(3, vec![], None), "dm-1").is_empty());
    }
}
