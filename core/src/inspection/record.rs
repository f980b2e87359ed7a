//! One inspection: a walk through one site with one checklist.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::template::Template;
use crate::inspection::attachment::{Attachment, Position};
use crate::inspection::determination::CollectiveDetermination;
use crate::inspection::follow_up::{FollowUp, Verdict};
use crate::inspection::hazard::{GradeChoice, Hazard, Rectification};
use crate::inspection::paperwork::{Paperwork, Refusal};
use crate::inspection::site::{SiteDetails, SiteField, Team};

/// The answer an inspector gives to one checklist item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Compliant,
    Hazard,
    NotApplicable,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Compliant, Answer::Hazard, Answer::NotApplicable];
}

/// What was recorded for one item. A note may exist before an answer is chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The exact template (id and edition) an inspection was started with. A newer edition
/// of the template never rewrites an inspection already under way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRef {
    pub id: String,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: Uuid,
    pub template: TemplateRef,
    pub site: SiteDetails,
    pub team: Team,
    /// Keyed by item id. Items never touched are absent.
    #[serde(default)]
    pub answers: BTreeMap<String, ItemAnswer>,
    /// Grade choices and rectification of the items answered "hazard", keyed by item id.
    /// An entry outlives a changed answer, so a mis-tap loses nothing; only items whose
    /// answer is "hazard" count.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hazards: BTreeMap<String, Hazard>,
    /// Exclusions of the template's rule set the inspector found to apply (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<String>,
    /// The collective determination of the hazards the rule set makes (suspected) major,
    /// once it is recorded; records from before it existed have none. What it settles is
    /// [`crate::grading::Graded::standing`]'s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub determination: Option<CollectiveDetermination>,
    /// Present on a re-inspection: what it follows and the hazards it verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// The office task (任务) this inspection was started from, when it was: the receiver
    /// marks that task delivered and links the two. Sent as payload schema 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<Uuid>,
    /// The documents issued on the spot and what is printed on them (issue 15), once the
    /// inspector has started them. Sent as payload schema 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paperwork: Option<Paperwork>,
    /// Photos and signatures, in the order they were added (also the order they are
    /// uploaded). A signature locks the inspection: see [`Inspection::is_signed`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Where the inspector stood at the start, if allowed; see [`Inspection::set_position`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// Milliseconds since the Unix epoch.
    pub created_at: u64,
    pub updated_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
}

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// A completed inspection is a record; it is not edited any more.
    Completed,
    /// The item is not in this inspection's template.
    UnknownItem(String),
    /// Grading and rectification belong to items answered "hazard" only.
    NotAHazard(String),
    /// The inspection is not a follow-up, or has no check with this index.
    UnknownCheck(usize),
    /// Signed: signing locks the inspection; only further signatures may be added.
    Signed,
    /// Another attachment with this id, and different content, is already there.
    DuplicateAttachment(Uuid),
}

/// What [`Inspection::hazard`] lends for a hazard whose details nobody has touched yet.
static UNTOUCHED_HAZARD: Hazard = Hazard {
    grading: GradeChoice::Rule,
    rectification: Rectification {
        on_the_spot: false,
        on_the_spot_note: String::new(),
        measures: String::new(),
        unit: String::new(),
        person: String::new(),
        role: String::new(),
        phone: String::new(),
        funds: String::new(),
        deadline: String::new(),
        contingency_plan: String::new(),
        supervisor: String::new(),
    },
};

impl Inspection {
    pub fn new(id: Uuid, template: &Template, now: u64) -> Inspection {
        Inspection {
            id,
            template: TemplateRef { id: template.id.clone(), version: template.version.clone() },
            site: SiteDetails::default(),
            team: Team::default(),
            answers: BTreeMap::new(),
            hazards: BTreeMap::new(),
            exclusions: Vec::new(),
            determination: None,
            follow_up: None,
            task: None,
            paperwork: None,
            attachments: Vec::new(),
            position: None,
            created_at: now,
            updated_at: now,
            completed_at: None,
        }
    }

    pub fn is_completed(&self) -> bool {
        self.completed_at.is_some()
    }

    pub fn answer(&self, item_id: &str) -> Option<Answer> {
        self.answers.get(item_id).and_then(|a| a.answer)
    }

    pub fn note(&self, item_id: &str) -> &str {
        self.answers.get(item_id).map(|a| a.note.as_str()).unwrap_or("")
    }

    /// Sets or clears (with `None`) the answer to an item. Refused once completed or signed;
    /// so are notes, hazards, exclusions and verdicts (see [`Inspection::is_signed`]).
    pub fn set_answer(&mut self, template: &Template, item_id: &str, answer: Option<Answer>, now: u64) -> Result<(), EditError> {
        self.item_entry(template, item_id, now)?.answer = answer;
        self.forget_if_empty(item_id);
        Ok(())
    }

    pub fn set_note(&mut self, template: &Template, item_id: &str, note: &str, now: u64) -> Result<(), EditError> {
        self.item_entry(template, item_id, now)?.note = note.to_string();
        self.forget_if_empty(item_id);
        Ok(())
    }

    /// Edits the site details and team through a closure, refusing once completed or signed.
    pub fn edit_details(&mut self, now: u64, edit: impl FnOnce(&mut SiteDetails, &mut Team)) -> Result<(), EditError> {
        self.ensure_editable()?;
        edit(&mut self.site, &mut self.team);
        self.updated_at = now;
        Ok(())
    }

    /// The text of one site-detail or team field.
    pub fn field(&self, field: SiteField) -> &str {
        let (site, team) = (&self.site, &self.team);
        match field {
            SiteField::SiteName => &site.name,
            SiteField::Address => &site.address,
            SiteField::Category => &site.category,
            SiteField::Enterprise => &site.enterprise,
            SiteField::Principal => &site.principal,
            SiteField::PrincipalPhone => &site.principal_phone,
            SiteField::Uscc => &site.uscc,
            SiteField::Department => &team.department,
            SiteField::Inspectors => &team.inspectors,
        }
    }

    pub fn set_field(&mut self, field: SiteField, value: &str, now: u64) -> Result<(), EditError> {
        self.edit_details(now, |site, team| {
            let slot = match field {
                SiteField::SiteName => &mut site.name,
                SiteField::Address => &mut site.address,
                SiteField::Category => &mut site.category,
                SiteField::Enterprise => &mut site.enterprise,
                SiteField::Principal => &mut site.principal,
                SiteField::PrincipalPhone => &mut site.principal_phone,
                SiteField::Uscc => &mut site.uscc,
                SiteField::Department => &mut team.department,
                SiteField::Inspectors => &mut team.inspectors,
            };
            *slot = value.to_string();
        })
    }

    /// Items answered, out of the template's total.
    pub fn progress(&self, template: &Template) -> (usize, usize) {
        let answered = template.items().filter(|item| self.answer(&item.id).is_some()).count();
        (answered, template.item_count())
    }

    /// The first item, in template order, that has no answer yet.
    pub fn next_unanswered<'t>(&self, template: &'t Template) -> Option<&'t str> {
        template.items().find(|item| self.answer(&item.id).is_none()).map(|item| item.id.as_str())
    }

    /// The grading and rectification of an item answered "hazard" (blank ones when not
    /// touched yet); `None` for any other item, whatever was kept for it.
    pub fn hazard(&self, item_id: &str) -> Option<&Hazard> {
        (self.answer(item_id) == Some(Answer::Hazard)).then(|| self.hazards.get(item_id).unwrap_or(&UNTOUCHED_HAZARD))
    }

    /// Edits the grading or rectification of an item answered "hazard".
    pub fn edit_hazard(&mut self, template: &Template, item_id: &str, now: u64, edit: impl FnOnce(&mut Hazard)) -> Result<(), EditError> {
        self.ensure_editable()?;
        if template.item(item_id).is_none() {
            return Err(EditError::UnknownItem(item_id.to_string()));
        }
        if self.answer(item_id) != Some(Answer::Hazard) {
            return Err(EditError::NotAHazard(item_id.to_string()));
        }
        edit(self.hazards.entry(item_id.to_string()).or_default());
        self.updated_at = now;
        Ok(())
    }

    /// Records (`on`) or withdraws that an exclusion of the rule set applies to the site.
    /// Kept sorted and once each, so equal records serialise equally.
    pub fn set_exclusion(&mut self, id: &str, on: bool, now: u64) -> Result<(), EditError> {
        self.ensure_editable()?;
        self.exclusions.retain(|e| e != id);
        if on {
            self.exclusions.push(id.to_string());
            self.exclusions.sort();
        }
        self.updated_at = now;
        Ok(())
    }

    /// Records, changes or (with `None`) withdraws the collective determination. Refused
    /// once completed; allowed once signed, unlike the other edits: the discussion usually
    /// happens after the site visit, and the site's signatures attest to what was found, not
    /// to what the discussion later concluded.
    pub fn set_determination(&mut self, determination: Option<CollectiveDetermination>, now: u64) -> Result<(), EditError> {
        if self.is_completed() {
            return Err(EditError::Completed);
        }
        self.determination = determination;
        self.updated_at = now;
        Ok(())
    }

    /// Edits the paperwork (officers, the principal's post, on-site measures; the issued
    /// documents through [`crate::documents::issue::issue`]), refusing once signed or
    /// completed: the signatures are on the documents as they were.
    pub fn edit_paperwork(&mut self, now: u64, edit: impl FnOnce(&mut Paperwork)) -> Result<(), EditError> {
        self.ensure_editable()?;
        edit(self.paperwork.get_or_insert_with(Paperwork::default));
        self.updated_at = now;
        Ok(())
    }

    /// Records (or withdraws) that the unit refused to sign, with the witness. Allowed once
    /// signed, unlike other paperwork: the refusal comes after the officers have signed, and
    /// the witness then signs too. Refused once completed.
    pub fn set_refusal(&mut self, refusal: Option<Refusal>, now: u64) -> Result<(), EditError> {
        if self.is_completed() {
            return Err(EditError::Completed);
        }
        self.paperwork.get_or_insert_with(Paperwork::default).refusal = refusal;
        self.updated_at = now;
        Ok(())
    }

    /// Sets or clears the verdict on the follow-up's check number `index`.
    pub fn set_verdict(&mut self, index: usize, verdict: Option<Verdict>, now: u64) -> Result<(), EditError> {
        self.check_mut(index, now)?.verdict = verdict;
        Ok(())
    }

    /// The note on a verdict: what was seen, which a verdict needs.
    pub fn set_verdict_note(&mut self, index: usize, note: &str, now: u64) -> Result<(), EditError> {
        self.check_mut(index, now)?.note = note.to_string();
        Ok(())
    }

    fn check_mut(&mut self, index: usize, now: u64) -> Result<&mut crate::inspection::follow_up::HazardCheck, EditError> {
        self.ensure_editable()?;
        let check = self.follow_up.as_mut().and_then(|f| f.checks.get_mut(index)).ok_or(EditError::UnknownCheck(index))?;
        self.updated_at = now;
        Ok(check)
    }

    /// Whether anyone has signed: signing locks the inspection. From the first signature on,
    /// answers, notes, site details and team, hazards, exclusions, verdicts, the position and
    /// the attachments are no longer edited ([`EditError::Signed`]); only further signatures
    /// may be added (the inspector's and the site representative's), and the inspection may
    /// be completed.
    pub fn is_signed(&self) -> bool {
        self.attachments.iter().any(Attachment::is_signature)
    }

    /// Adds a photo or a signature. Refused when completed ([`EditError::Completed`]), and
    /// when signed unless it is a further signature ([`EditError::Signed`]): signing locks
    /// the inspection. Adding the same attachment again changes nothing; another one under
    /// an id already used is refused ([`EditError::DuplicateAttachment`]).
    pub fn add_attachment(&mut self, attachment: Attachment, now: u64) -> Result<(), EditError> {
        if self.is_completed() {
            return Err(EditError::Completed);
        }
        if self.is_signed() && !attachment.is_signature() {
            return Err(EditError::Signed);
        }
        if let Some(existing) = self.attachments.iter().find(|a| a.id == attachment.id) {
            return if *existing == attachment { Ok(()) } else { Err(EditError::DuplicateAttachment(attachment.id)) };
        }
        self.attachments.push(attachment);
        self.updated_at = now;
        Ok(())
    }

    /// Removes an attachment and returns it (`None` when there is none with this id), so the
    /// app can delete its blob. Refused when completed, and when signed (signing locks the
    /// inspection: not even a signature is taken back).
    pub fn remove_attachment(&mut self, id: Uuid, now: u64) -> Result<Option<Attachment>, EditError> {
        self.ensure_editable()?;
        let Some(index) = self.attachments.iter().position(|a| a.id == id) else { return Ok(None) };
        self.updated_at = now;
        Ok(Some(self.attachments.remove(index)))
    }

    /// The photos of one checklist item (and so of its hazard), in the order taken.
    pub fn attachments_of<'a>(&'a self, item: &'a str) -> impl Iterator<Item = &'a Attachment> + 'a {
        self.attachments.iter().filter(move |a| a.item.as_deref() == Some(item))
    }

    /// The signatures, in the order signed.
    pub fn signatures(&self) -> impl Iterator<Item = &Attachment> {
        self.attachments.iter().filter(|a| a.is_signature())
    }

    /// Sets or clears the start-of-inspection position. Refused when completed or signed.
    pub fn set_position(&mut self, position: Option<Position>, now: u64) -> Result<(), EditError> {
        self.ensure_editable()?;
        self.position = position;
        self.updated_at = now;
        Ok(())
    }

    /// Completed, or signed (signing locks the inspection), means no more edits.
    fn ensure_editable(&self) -> Result<(), EditError> {
        if self.is_completed() {
            Err(EditError::Completed)
        } else if self.is_signed() {
            Err(EditError::Signed)
        } else {
            Ok(())
        }
    }

    fn item_entry(&mut self, template: &Template, item_id: &str, now: u64) -> Result<&mut ItemAnswer, EditError> {
        self.ensure_editable()?;
        if template.item(item_id).is_none() {
            return Err(EditError::UnknownItem(item_id.to_string()));
        }
        self.updated_at = now;
        Ok(self.answers.entry(item_id.to_string()).or_default())
    }

    fn forget_if_empty(&mut self, item_id: &str) {
        if self.answers.get(item_id).is_some_and(|a| a.answer.is_none() && a.note.is_empty()) {
            self.answers.remove(item_id);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn demo_template() -> Template {
        Template::parse(
            r#"{
            "format": 1, "id": "demo", "version": "1",
            "sector": {"zh": "演示", "en": "Demo"}, "title": {"zh": "演示检查", "en": "Demo inspection"},
            "site_categories": [{"id": "shop", "name": {"zh": "商店", "en": "Shop"}}],
            "sections": [
                {"id": "a", "title": {"zh": "甲", "en": "A"}, "items": [
                    {"id": "a-1", "text": {"zh": "一", "en": "One"}, "basis": "b"},
                    {"id": "a-2", "text": {"zh": "二", "en": "Two"}, "basis": "b"}]},
                {"id": "b", "title": {"zh": "乙", "en": "B"}, "items": [
                    {"id": "b-1", "text": {"zh": "三", "en": "Three"}, "basis": "b"}]}
            ]}"#,
        )
        .expect("demo template is valid")
    }

    pub(crate) fn new_demo() -> (Template, Inspection) {
        let t = demo_template();
        let i = Inspection::new(Uuid::from_u128(7), &t, 1_000);
        (t, i)
    }

    #[test]
    fn a_new_inspection_records_its_template_edition() {
        let (t, i) = new_demo();
        assert_eq!(i.template, TemplateRef { id: "demo".into(), version: "1".into() });
        assert_eq!(i.progress(&t), (0, 3));
        assert_eq!(i.next_unanswered(&t), Some("a-1"));
        assert!(!i.is_completed());
    }

    #[test]
    fn answers_count_towards_progress_and_next_unanswered_skips_them() {
        let (t, mut i) = new_demo();
        i.set_answer(&t, "a-1", Some(Answer::Compliant), 2_000).unwrap();
        i.set_answer(&t, "b-1", Some(Answer::NotApplicable), 3_000).unwrap();
        assert_eq!(i.progress(&t), (2, 3));
        assert_eq!(i.next_unanswered(&t), Some("a-2"));
        assert_eq!(i.updated_at, 3_000);
        i.set_answer(&t, "a-2", Some(Answer::Hazard), 4_000).unwrap();
        assert_eq!(i.next_unanswered(&t), None);
    }

    #[test]
    fn a_note_alone_is_kept_and_clearing_everything_forgets_the_item() {
        let (t, mut i) = new_demo();
        i.set_note(&t, "a-1", "door wedged", 2_000).unwrap();
        assert_eq!(i.note("a-1"), "door wedged");
        assert_eq!(i.answer("a-1"), None);
        i.set_note(&t, "a-1", "", 3_000).unwrap();
        assert!(i.answers.is_empty());
    }

    #[test]
    fn unknown_items_are_refused() {
        let (t, mut i) = new_demo();
        assert_eq!(i.set_answer(&t, "zz", Some(Answer::Compliant), 2), Err(EditError::UnknownItem("zz".into())));
        assert!(i.answers.is_empty());
    }

    #[test]
    fn every_field_can_be_set_and_read_back() {
        let (_, mut i) = new_demo();
        for (n, field) in SiteField::ALL.into_iter().enumerate() {
            i.set_field(field, &format!("value {n}"), 50).unwrap();
        }
        for (n, field) in SiteField::ALL.into_iter().enumerate() {
            assert_eq!(i.field(field), format!("value {n}"));
        }
        assert_eq!(i.site.uscc, "value 4");
        assert_eq!(i.site.principal_phone, "value 6");
        assert_eq!(i.team.inspectors, "value 8");
        assert_eq!(i.updated_at, 50);
    }

    #[test]
    fn inspector_names_split_on_either_languages_separators() {
        let team = Team { department: String::new(), inspectors: "王伟、李娜，Zhang San, ; ".into() };
        assert_eq!(team.inspector_names(), vec!["王伟", "李娜", "Zhang San"]);
    }

    #[test]
    fn hazard_details_belong_to_items_answered_hazard() {
        let (t, mut i) = new_demo();
        assert_eq!(i.hazard("a-1"), None);
        assert_eq!(i.edit_hazard(&t, "a-1", 2, |_| {}), Err(EditError::NotAHazard("a-1".into())));
        assert_eq!(i.edit_hazard(&t, "zz", 2, |_| {}), Err(EditError::UnknownItem("zz".into())));
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 3).unwrap();
        assert_eq!(i.hazard("a-1"), Some(&Hazard::default()), "untouched details read as blank");
        assert!(i.hazards.is_empty(), "reading stores nothing");
        i.edit_hazard(&t, "a-1", 4, |h| h.rectification.measures = "Unchain".into()).unwrap();
        assert_eq!(i.updated_at, 4);
        assert_eq!(i.hazard("a-1").map(|h| h.rectification.measures.as_str()), Some("Unchain"));
        // A mis-tap loses nothing: the details come back with the answer.
        i.set_answer(&t, "a-1", Some(Answer::Compliant), 5).unwrap();
        assert_eq!(i.hazard("a-1"), None);
        i.set_answer(&t, "a-1", Some(Answer::Hazard), 6).unwrap();
        assert_eq!(i.hazard("a-1").map(|h| h.rectification.measures.as_str()), Some("Unchain"));
    }

    #[test]
    fn completing_drops_details_of_items_no_longer_answered_hazard() {
        let t = crate::grading::fixtures::template();
        let r = crate::grading::fixtures::rule_set();
        let mut i = crate::grading::fixtures::inspection(1, "office", &["pl-1", "al-1"]);
        for item in ["pl-1", "al-1"] {
            i.edit_hazard(&t, item, 2, crate::grading::fixtures::full_rectification).unwrap();
        }
        i.set_answer(&t, "al-1", Some(Answer::Compliant), 3).unwrap();
        assert_eq!(i.hazards.len(), 2);
        i.complete(&t, Some(&r), 4).expect("complete");
        assert_eq!(i.hazards.keys().collect::<Vec<_>>(), vec!["pl-1"]);
        assert_eq!(i.edit_hazard(&t, "pl-1", 5, |_| {}), Err(EditError::Completed));
    }

    #[test]
    fn exclusions_are_kept_sorted_once_each_and_frozen_on_completion() {
        let (_, mut i) = new_demo();
        i.set_exclusion("stopped-operating", true, 2).unwrap();
        i.set_exclusion("expert-reviewed", true, 3).unwrap();
        i.set_exclusion("stopped-operating", true, 4).unwrap();
        assert_eq!(i.exclusions, vec!["expert-reviewed", "stopped-operating"]);
        assert_eq!(i.updated_at, 4);
        i.set_exclusion("expert-reviewed", false, 5).unwrap();
        i.set_exclusion("never-set", false, 5).unwrap();
        assert_eq!(i.exclusions, vec!["stopped-operating"]);
        i.completed_at = Some(6);
        assert_eq!(i.set_exclusion("expert-reviewed", true, 7), Err(EditError::Completed));
    }

    #[test]
    fn verdicts_are_set_on_the_checks_of_a_follow_up_only() {
        let (_, mut i) = new_demo();
        assert_eq!(i.set_verdict(0, Some(Verdict::Rectified), 2), Err(EditError::UnknownCheck(0)));
        i.follow_up = Some(FollowUp {
            of: Uuid::from_u128(1),
            checks: vec![crate::inspection::follow_up::HazardCheck {
                inspection: Uuid::from_u128(1),
                item: "a-1".into(),
                description: "Exit chained".into(),
                grade: crate::inspection::hazard::Grade::General,
                standing: Default::default(),
                deadline: String::new(),
                verdict: None,
                note: String::new(),
            }],
            order: None,
        });
        i.set_verdict(0, Some(Verdict::NotRectified), 3).unwrap();
        i.set_verdict_note(0, "still chained", 4).unwrap();
        assert_eq!(i.updated_at, 4);
        assert_eq!(i.set_verdict_note(1, "x", 5), Err(EditError::UnknownCheck(1)));
        let check = &i.follow_up.as_ref().unwrap().checks[0];
        assert_eq!((check.verdict, check.note.as_str()), (Some(Verdict::NotRectified), "still chained"));
        i.set_verdict(0, None, 6).unwrap();
        assert_eq!(i.follow_up.as_ref().unwrap().checks[0].verdict, None);
    }

    // ---- attachments, position, signing ----

    use crate::inspection::attachment::tests::{photo, signature};
    use crate::inspection::attachment::{Position, SignerRole};

    #[test]
    fn photos_belong_to_items_and_signatures_are_listed_apart() {
        let (_, mut i) = new_demo();
        i.add_attachment(photo(1, Some("a-1")), 10).unwrap();
        i.add_attachment(photo(2, None), 11).unwrap();
        i.add_attachment(photo(3, Some("a-1")), 12).unwrap();
        i.add_attachment(photo(4, Some("b-1")), 13).unwrap();
        assert_eq!(i.updated_at, 13);
        let ids = |it: &mut dyn Iterator<Item = &Attachment>| it.map(|a| a.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(&mut i.attachments_of("a-1")), vec![1, 3]);
        assert_eq!(ids(&mut i.attachments_of("a-2")), Vec::<u128>::new());
        assert_eq!(i.signatures().count(), 0);
        assert!(!i.is_signed());

        assert_eq!(i.remove_attachment(Uuid::from_u128(3), 14).unwrap().map(|a| a.id.as_u128()), Some(3));
        assert_eq!(i.remove_attachment(Uuid::from_u128(3), 15), Ok(None));
        assert_eq!(i.updated_at, 14, "removing nothing changes nothing");
        assert_eq!(ids(&mut i.attachments_of("a-1")), vec![1]);
    }

    #[test]
    fn adding_an_attachment_again_is_harmless_but_another_under_its_id_is_refused() {
        let (_, mut i) = new_demo();
        i.add_attachment(photo(1, Some("a-1")), 10).unwrap();
        i.add_attachment(photo(1, Some("a-1")), 11).unwrap();
        assert_eq!((i.attachments.len(), i.updated_at), (1, 10));
        assert_eq!(i.add_attachment(photo(1, Some("a-2")), 12), Err(EditError::DuplicateAttachment(Uuid::from_u128(1))));
    }

    #[test]
    fn signing_locks_the_inspection_except_for_further_signatures() {
        let t = crate::grading::fixtures::template();
        let r = crate::grading::fixtures::rule_set();
        let mut i = crate::grading::fixtures::inspection(1, "office", &["pl-1"]);
        i.edit_hazard(&t, "pl-1", 2, crate::grading::fixtures::full_rectification).unwrap();
        i.add_attachment(photo(10, Some("pl-1")), 3).unwrap();
        i.add_attachment(signature(20, "Wang Wei", SignerRole::Inspector), 4).unwrap();
        assert!(i.is_signed());
        let signed = i.clone();

        let here = Some(Position { lat: 1.0, lon: 2.0, accuracy_m: 5.0 });
        assert_eq!(i.set_answer(&t, "pl-1", Some(Answer::Compliant), 5), Err(EditError::Signed));
        assert_eq!(i.set_note(&t, "pl-1", "changed", 5), Err(EditError::Signed));
        assert_eq!(i.edit_details(5, |site, _| site.name.clear()), Err(EditError::Signed));
        assert_eq!(i.set_field(SiteField::Inspectors, "someone else", 5), Err(EditError::Signed));
        assert_eq!(i.edit_hazard(&t, "pl-1", 5, |h| h.rectification.measures.clear()), Err(EditError::Signed));
        assert_eq!(i.set_exclusion("expert-reviewed", true, 5), Err(EditError::Signed));
        assert_eq!(i.set_verdict(0, None, 5), Err(EditError::Signed));
        assert_eq!(i.set_position(here, 5), Err(EditError::Signed));
        assert_eq!(i.add_attachment(photo(11, Some("pl-1")), 5), Err(EditError::Signed));
        assert_eq!(i.remove_attachment(Uuid::from_u128(10), 5), Err(EditError::Signed));
        assert_eq!(i.remove_attachment(Uuid::from_u128(20), 5), Err(EditError::Signed), "not even the signature");
        assert_eq!(i, signed, "nothing changed");

        i.add_attachment(signature(21, "Zhao Li", SignerRole::SiteRepresentative), 6).unwrap();
        assert_eq!(
            i.signatures().filter_map(|a| a.signer.as_ref()).map(|s| s.role).collect::<Vec<_>>(),
            vec![SignerRole::Inspector, SignerRole::SiteRepresentative]
        );
        i.complete(&t, Some(&r), 7).expect("a signed inspection can be completed");
        assert_eq!(i.add_attachment(signature(22, "Li Na", SignerRole::Inspector), 8), Err(EditError::Completed));
        assert_eq!(i.remove_attachment(Uuid::from_u128(21), 8), Err(EditError::Completed));
    }

    #[test]
    fn attachments_are_frozen_on_completion() {
        let (_, mut i) = new_demo();
        i.add_attachment(photo(1, None), 2).unwrap();
        i.completed_at = Some(3);
        assert_eq!(i.add_attachment(photo(2, None), 4), Err(EditError::Completed));
        assert_eq!(i.remove_attachment(Uuid::from_u128(1), 4), Err(EditError::Completed));
        assert_eq!(i.set_position(None, 4), Err(EditError::Completed));
        assert_eq!(i.attachments.len(), 1);
    }

    #[test]
    fn the_start_position_is_set_cleared_and_stored() {
        let (_, mut i) = new_demo();
        let rough = Position { lat: 31.2, lon: 121.5, accuracy_m: 120.0 };
        i.set_position(Some(rough), 5).unwrap();
        assert_eq!((i.position, i.updated_at), (Some(rough), 5));
        assert!(!rough.is_accurate(), "shown with a warning");
        i.add_attachment(photo(1, Some("a-1")), 6).unwrap();
        let back: Inspection = serde_json::from_str(&serde_json::to_string(&i).unwrap()).unwrap();
        assert_eq!(back, i);
        i.set_position(None, 7).unwrap();
        assert_eq!(i.position, None);
    }

    #[test]
    fn an_inspection_without_attachments_or_position_is_stored_as_before() {
        let (_, i) = new_demo();
        let json = serde_json::to_string(&i).unwrap();
        assert!(!json.contains("attachments") && !json.contains("position"), "{json}");
        let old = r#"{"id":"00000000-0000-0000-0000-000000000007","template":{"id":"demo","version":"1"},
            "site":{},"team":{},"answers":{},"created_at":1000,"updated_at":1000}"#;
        let read: Inspection = serde_json::from_str(old).unwrap();
        assert_eq!(read, i);
        assert!(read.attachments.is_empty() && read.position.is_none() && !read.is_signed());
    }
}
