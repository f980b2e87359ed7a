//! What Home needs of a delivered inspection kept in the archive, without reading the whole
//! record: its card (site, checklist, progress, when) and what the counts read. The app keeps
//! one beside each archived record (written in the same IndexedDB transaction) and makes it
//! again from the record when it is missing (an archive written before summaries existed).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::draft_format::decode_inspection;
use super::records::{decode_record, encode_record};
use super::Unreadable;
use crate::catalogue::template::Template;
use crate::inspection::{Inspection, TemplateRef};

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
        }
    }

    /// The summary of an archived record from its stored text (`None` when the text is not a
    /// record); `template_of` finds its checklist edition.
    pub fn of_stored<T: AsRef<Template>>(raw: &str, template_of: impl FnOnce(&TemplateRef) -> Option<T>) -> Option<RecordSummary> {
        let inspection = decode_inspection(raw).ok()?;
        let template = template_of(&inspection.template);
        Some(RecordSummary::of(&inspection, template.as_ref().map(AsRef::as_ref)))
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
    use std::sync::Arc;

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
        assert_eq!(RecordSummary::decode(&summary.encode()), Ok(summary.clone()));

        // Made again from the archived record's text: the same, with or without its checklist.
        let raw = encode_inspection(&inspection).unwrap();
        let template = Arc::new(template);
        assert_eq!(RecordSummary::of_stored(&raw, |_| Some(template.clone())), Some(summary.clone()));
        let without = RecordSummary::of_stored::<Arc<Template>>(&raw, |_| None).unwrap();
        assert_eq!((without.progress, without.site_name), (None, summary.site_name));
        assert_eq!(RecordSummary::of_stored::<Arc<Template>>("not a record", |_| None), None);
    }
}
