//! What Home needs of a delivered inspection kept in the archive, without reading the whole
//! record: its card (site, checklist, progress, when) and what the counts read. The app keeps
//! one beside each archived record (written in the same IndexedDB transaction) and makes it
//! again from the record when it is missing (an archive written before summaries existed).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::draft_format::decode_inspection;
use super::records::{decode_record, encode_record};
use super::Unreadable;
use crate::catalogue::library::Library;
use crate::catalogue::template::Template;
use crate::inspection::{Inspection, TemplateRef};
use crate::rectification::register_part::RegisterPart;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSummary {
    pub id: Uuid,
    pub template: TemplateRef,
    pub site_name: String,
    pub updated_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
    /// Items answered and items in its checklist, when the checklist was known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<(usize, usize)>,
    /// What the register reads of it (kept beside an archived record, so the register never
    /// reads the records); `None` in a card's summary and in one written before these were
    /// kept, which is then made again once ([`RecordSummary::needs_remaking`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<RegisterPart>,
    /// When the receiver acknowledged its last part: kept here because the outbox forgets
    /// an archived inspection's receipts (`Outbox::forget_delivered`), and its delivery badge
    /// reads this instead. `None` in a card's summary and in one written before these were
    /// kept, which is given it (from the outbox, which then still holds it) before the outbox
    /// forgets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<u64>,
}

impl RecordSummary {
    /// The summary of `inspection`; `template` is its checklist edition, when known.
    pub fn of(inspection: &Inspection, template: Option<&Template>) -> RecordSummary {
        RecordSummary {
            id: inspection.id,
            template: inspection.template.clone(),
            site_name: inspection.site.name.clone(),
            updated_at: inspection.updated_at,
            completed_at: inspection.completed_at,
            progress: template.map(|t| inspection.progress(t)),
            register: None,
            delivered_at: None,
        }
    }

    /// The summary kept beside an archived record: its card and its register part, graded
    /// with its edition from `library` (the editions this device knows of it).
    pub fn archived(inspection: &Inspection, library: &Library) -> RecordSummary {
        let template = library.template(&inspection.template.id, &inspection.template.version);
        RecordSummary { register: Some(RegisterPart::of(inspection, library)), ..RecordSummary::of(inspection, template) }
    }

    /// The archived summary of a record from its stored text (`None` when the text is not a
    /// record); `library_of` gives the editions this device knows of its checklist.
    pub fn of_stored(raw: &str, library_of: impl FnOnce(&TemplateRef) -> Library) -> Option<RecordSummary> {
        let inspection = decode_inspection(raw).ok()?;
        Some(RecordSummary::archived(&inspection, &library_of(&inspection.template)))
    }

    /// Whether the summary should be made again from its record: written before register
    /// parts were kept, or made without its checklist edition, which the device now knows
    /// (`edition_known`). Otherwise it is never made again, so the remake runs once.
    pub fn needs_remaking(&self, edition_known: bool) -> bool {
        match &self.register {
            None => true,
            Some(part) => edition_known && (self.progress.is_none() || part.could_be_graded()),
        }
    }

    /// The stored text (the versioned envelope every kept record has).
    pub fn encode(&self) -> String {
        // A struct of strings and numbers always serialises.
        encode_record(self).unwrap_or_default()
    }

    pub fn decode(raw: &str) -> Result<RecordSummary, Unreadable> {
        decode_record(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::record::tests::new_demo;
    use crate::storage::encode_inspection;

    #[test]
    fn a_summary_holds_the_card_and_round_trips_through_its_stored_text() {
        let (template, mut inspection) = new_demo();
        inspection.site.name = "Riverside Mall".into();
        inspection.completed_at = Some(9);
        let summary = RecordSummary::of(&inspection, Some(&template));
        assert_eq!(summary.id, inspection.id);
        assert_eq!(summary.site_name, "Riverside Mall");
        assert_eq!(summary.completed_at, Some(9));
        assert_eq!(summary.progress, Some(inspection.progress(&template)));
        assert_eq!(summary.register, None, "a card's summary");
        assert_eq!(RecordSummary::decode(&summary.encode()), Ok(summary.clone()));
    }

    #[test]
    fn an_archived_summary_carries_its_register_part_and_is_remade_only_when_it_can_do_better() {
        let (template, mut inspection) = new_demo();
        inspection.completed_at = Some(9);
        let library = Library { templates: vec![template.clone()], ..Library::new() };
        let summary = RecordSummary::archived(&inspection, &library);
        assert_eq!(summary.register, Some(RegisterPart::of(&inspection, &library)));
        assert_eq!(summary.progress, Some(inspection.progress(&template)));
        assert_eq!(RecordSummary::decode(&summary.encode()), Ok(summary.clone()));

        // Made again from the archived record's text: the same, with or without its checklist.
        let raw = encode_inspection(&inspection).unwrap();
        assert_eq!(RecordSummary::of_stored(&raw, |_| library.clone()), Some(summary.clone()));
        let without = RecordSummary::of_stored(&raw, |_| Library::new()).unwrap();
        assert_eq!((without.progress, &without.site_name), (None, &summary.site_name));
        assert_eq!(RecordSummary::of_stored("not a record", |_| Library::new()), None);

        // Remade once: an old summary (no register part), or one made without its edition
        // once the edition is known; never one that is complete, nor while nothing is better.
        assert!(!summary.needs_remaking(true) && !summary.needs_remaking(false));
        assert!(!without.needs_remaking(false));
        assert!(without.needs_remaking(true));
        let old = RecordSummary::of(&inspection, Some(&template));
        assert!(old.needs_remaking(false) && old.needs_remaking(true));
        let old_text = r#"{"format":1,"value":{"id":"00000000-0000-0000-0000-000000000001","template":{"id":"t","version":"1"},"site_name":"x","updated_at":1}}"#;
        assert!(RecordSummary::decode(old_text).is_ok_and(|s| s.needs_remaking(false)), "a summary from the last build reads");
    }

    #[test]
    fn an_archived_summary_keeps_when_its_inspection_was_delivered() {
        let (template, mut inspection) = new_demo();
        inspection.completed_at = Some(9);
        let library = Library { templates: vec![template], ..Library::new() };
        let summary = RecordSummary { delivered_at: Some(12), ..RecordSummary::archived(&inspection, &library) };
        assert_eq!(RecordSummary::decode(&summary.encode()).map(|s| s.delivered_at), Ok(Some(12)));
        assert_eq!(RecordSummary::archived(&inspection, &library).delivered_at, None, "the app gives it from the outbox");
        let old_text = r#"{"format":1,"value":{"id":"00000000-0000-0000-0000-000000000001","template":{"id":"t","version":"1"},"site_name":"x","updated_at":1}}"#;
        assert_eq!(RecordSummary::decode(old_text).map(|s| s.delivered_at), Ok(None), "written before it was kept");
    }
}
