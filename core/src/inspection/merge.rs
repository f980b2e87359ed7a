//! Two copies of one inspection edited apart (two tabs, or the installed app and a browser
//! tab, on one phone) joined field by field, so that no write replaces answers it has not
//! seen.
//!
//! Each copy carries its [`EditStamps`]: when each field was last edited, recorded by
//! [`EditStamps::record`] from the copy before and after an edit. The fields are each item's
//! answer and, apart, its note; each hazard's grading and rectification; each site and team
//! field; each exclusion; each follow-up check's verdict and note; the position; the
//! collective determination (one field: its parts are decided together); and the
//! removal of each attachment (attachments are a set: one added on either side is kept).
//! [`merge`] takes each field from the copy that edited it last, so the result does not
//! depend on which copy is "mine": two tabs that merge each other's copies agree, whatever
//! order their writes and the browser's storage events arrive in. A field neither copy has
//! a stamp for (a record from before stamps) is taken from the copy edited last overall.
//!
//! A lock is not merged across: a completed copy is a record and wins whole (it may be queued
//! for delivery already), and a signed copy wins over an unsigned one, which cannot carry
//! edits past a signature.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

use crate::inspection::attachment::Attachment;
use crate::inspection::site::SiteField;
use crate::inspection::{Inspection, ItemAnswer};

/// When each field of one inspection was last edited (milliseconds), by field key. Kept
/// beside the inspection on the device, never delivered: it is bookkeeping, not the record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EditStamps(BTreeMap<String, u64>);

impl EditStamps {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Stamps `now` on every field that differs between `before` and `after` (one edit).
    pub fn record(&mut self, before: &Inspection, after: &Inspection, now: u64) {
        for key in changed_fields(before, after) {
            self.0.insert(key, now);
        }
    }

    fn get(&self, key: &str) -> Option<u64> {
        self.0.get(key).copied()
    }

    /// Field by field, the later stamp.
    fn join(&self, other: &EditStamps) -> EditStamps {
        let mut joined = self.0.clone();
        for (key, at) in &other.0 {
            let slot = joined.entry(key.clone()).or_insert(*at);
            *slot = (*slot).max(*at);
        }
        EditStamps(joined)
    }
}

/// An inspection with the stamps of its fields.
pub type Stamped<'a> = (&'a Inspection, &'a EditStamps);

/// Joins two copies of one inspection field by field; see the module's notes. The same
/// result whichever copy is passed first.
pub fn merge(a: Stamped, b: Stamped) -> (Inspection, EditStamps) {
    let (locked_a, locked_b) = (lock(a.0), lock(b.0));
    if locked_a != locked_b {
        let winner = if locked_a > locked_b { a } else { b };
        return (winner.0.clone(), a.1.join(b.1));
    }
    if a.0.is_completed() {
        // Both completed (two tabs completing at once): the first completion stands.
        let first = if (a.0.completed_at, a.0.updated_at) <= (b.0.completed_at, b.0.updated_at) { a } else { b };
        return (first.0.clone(), a.1.join(b.1));
    }
    let pick = Pick { a, b };
    let (mine, theirs) = (a.0, b.0);

    let mut merged = mine.clone();
    merged.answers = merge_answers(&pick);
    merged.hazards = pick.map("h", &mine.hazards, &theirs.hazards);
    for field in SiteField::ALL {
        let value = pick.one(|| format!("s/{}", field.key()), mine.field(field), theirs.field(field)).to_string();
        // Setting a field on a copy that is neither completed nor signed cannot fail.
        let _ = merged.set_field(field, &value, mine.updated_at);
    }
    let exclusions: BTreeSet<&String> = mine.exclusions.iter().chain(&theirs.exclusions).collect();
    merged.exclusions = exclusions
        .into_iter()
        .filter(|id| *pick.one(|| format!("x/{id}"), &mine.exclusions.contains(id), &theirs.exclusions.contains(id)))
        .cloned()
        .collect();
    merged.position = *pick.one(|| "p".into(), &mine.position, &theirs.position);
    merged.determination = pick.one(|| "d".into(), &mine.determination, &theirs.determination).clone();
    if let (Some(merged_follow_up), Some(theirs_follow_up)) = (merged.follow_up.as_mut(), theirs.follow_up.as_ref()) {
        for (index, check) in merged_follow_up.checks.iter_mut().enumerate() {
            let Some(other) = theirs_follow_up.checks.get(index) else { continue };
            check.verdict = *pick.one(|| format!("v/{index}"), &check.verdict.clone(), &other.verdict);
            check.note = pick.one(|| format!("vn/{index}"), &check.note.clone(), &other.note).clone();
        }
    }
    merged.attachments = merge_attachments(a, b);
    merged.created_at = mine.created_at.min(theirs.created_at);
    merged.updated_at = mine.updated_at.max(theirs.updated_at);
    (merged, a.1.join(b.1))
}

/// How far a copy is locked: completed, signed, or open to edits.
fn lock(inspection: &Inspection) -> u8 {
    if inspection.is_completed() {
        2
    } else if inspection.is_signed() {
        1
    } else {
        0
    }
}

/// Settles one field that the two copies hold differently.
struct Pick<'a> {
    a: Stamped<'a>,
    b: Stamped<'a>,
}

impl Pick<'_> {
    /// The value of the copy that edited `key` last. Without a stamp on either side, the copy
    /// edited last overall; on a tie, the greater value as stored (JSON), so both tabs choose
    /// alike.
    fn one<'v, T: PartialEq + Serialize + ?Sized>(&self, key: impl FnOnce() -> String, a: &'v T, b: &'v T) -> &'v T {
        if a == b {
            return a;
        }
        let key = key();
        let (sa, sb) = (self.a.1.get(&key), self.b.1.get(&key));
        let order = match (sa, sb) {
            (None, None) => self.a.0.updated_at.cmp(&self.b.0.updated_at),
            _ => sa.unwrap_or(0).cmp(&sb.unwrap_or(0)),
        };
        let stored = |v: &T| serde_json::to_string(v).unwrap_or_default();
        match order.then_with(|| stored(a).cmp(&stored(b))) {
            std::cmp::Ordering::Less => b,
            _ => a,
        }
    }

    /// Key by key (`<prefix>/<key>`); an absent key is a value too (an entry never made).
    fn map<V: PartialEq + Clone + Serialize>(&self, prefix: &str, a: &BTreeMap<String, V>, b: &BTreeMap<String, V>) -> BTreeMap<String, V> {
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        keys.into_iter()
            .filter_map(|key| self.one(|| format!("{prefix}/{key}"), &a.get(key), &b.get(key)).map(|v| (key.clone(), v.clone())))
            .collect()
    }
}

/// An item's answer and its note are two fields: one tab may answer while the other writes
/// the note.
fn merge_answers(pick: &Pick) -> BTreeMap<String, ItemAnswer> {
    let (a, b) = (&pick.a.0.answers, &pick.b.0.answers);
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let none = ItemAnswer::default();
    keys.into_iter()
        .filter_map(|key| {
            let (x, y) = (a.get(key).unwrap_or(&none), b.get(key).unwrap_or(&none));
            let item = ItemAnswer {
                answer: *pick.one(|| format!("a/{key}"), &x.answer, &y.answer),
                note: pick.one(|| format!("n/{key}"), &x.note, &y.note).clone(),
            };
            // As an edit does, an item with neither answer nor note is forgotten.
            (item != none).then(|| (key.clone(), item))
        })
        .collect()
}

/// The attachments of both, minus those either side removed. When one copy holds every
/// attachment of the other, its order stands (the order they were added); when each holds
/// one the other lacks (two tabs adding at once), they go by when taken, then id, so both
/// tabs agree.
fn merge_attachments(a: Stamped, b: Stamped) -> Vec<Attachment> {
    let removed = |id: uuid::Uuid| {
        let key = format!("r/{id}");
        a.1.get(&key).is_some() || b.1.get(&key).is_some()
    };
    let kept = |copy: Stamped| -> Vec<Attachment> { copy.0.attachments.iter().filter(|x| !removed(x.id)).cloned().collect() };
    let (x, y) = (kept(a), kept(b));
    let holds = |big: &[Attachment], small: &[Attachment]| small.iter().all(|s| big.iter().any(|b| b.id == s.id));
    if holds(&x, &y) {
        return x;
    }
    if holds(&y, &x) {
        return y;
    }
    let mut merged = x;
    for attachment in y {
        if !merged.iter().any(|m| m.id == attachment.id) {
            merged.push(attachment);
        }
    }
    merged.sort_by_key(|m| (m.taken_at, m.id));
    merged
}

/// The keys of the fields that differ between two copies.
fn changed_fields(before: &Inspection, after: &Inspection) -> Vec<String> {
    let mut changed = Vec::new();
    let none = ItemAnswer::default();
    let items: BTreeSet<&String> = before.answers.keys().chain(after.answers.keys()).collect();
    for item in items {
        let (x, y) = (before.answers.get(item).unwrap_or(&none), after.answers.get(item).unwrap_or(&none));
        if x.answer != y.answer {
            changed.push(format!("a/{item}"));
        }
        if x.note != y.note {
            changed.push(format!("n/{item}"));
        }
    }
    let hazards: BTreeSet<&String> = before.hazards.keys().chain(after.hazards.keys()).collect();
    changed.extend(hazards.into_iter().filter(|h| before.hazards.get(*h) != after.hazards.get(*h)).map(|h| format!("h/{h}")));
    changed.extend(SiteField::ALL.into_iter().filter(|f| before.field(*f) != after.field(*f)).map(|f| format!("s/{}", f.key())));
    let exclusions: BTreeSet<&String> = before.exclusions.iter().chain(&after.exclusions).collect();
    changed
        .extend(exclusions.into_iter().filter(|x| before.exclusions.contains(x) != after.exclusions.contains(x)).map(|x| format!("x/{x}")));
    if before.position != after.position {
        changed.push("p".into());
    }
    if before.determination != after.determination {
        changed.push("d".into());
    }
    if let (Some(b), Some(a)) = (&before.follow_up, &after.follow_up) {
        for (index, (x, y)) in b.checks.iter().zip(&a.checks).enumerate() {
            if x.verdict != y.verdict {
                changed.push(format!("v/{index}"));
            }
            if x.note != y.note {
                changed.push(format!("vn/{index}"));
            }
        }
    }
    changed.extend(before.attachments.iter().filter(|x| !after.attachments.iter().any(|y| y.id == x.id)).map(|x| format!("r/{}", x.id)));
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspection::attachment::tests::{photo, signature};
    use crate::inspection::attachment::{Position, SignerRole};
    use crate::inspection::follow_up::{FollowUp, HazardCheck, Verdict};
    use crate::inspection::hazard::Grade;
    use crate::inspection::record::tests::{demo_template, new_demo};
    use crate::inspection::Answer;
    use uuid::Uuid;

    type Copy = (Inspection, EditStamps);

    /// One tab's edit at `now`, stamped as the app stamps it.
    fn edit(copy: &Copy, now: u64, change: impl FnOnce(&mut Inspection, u64)) -> Copy {
        let (mut after, mut stamps) = copy.clone();
        change(&mut after, now);
        stamps.record(&copy.0, &after, now);
        (after, stamps)
    }

    fn both_ways(x: &Copy, y: &Copy) -> Copy {
        let one = merge((&x.0, &x.1), (&y.0, &y.1));
        let other = merge((&y.0, &y.1), (&x.0, &x.1));
        assert_eq!(one, other, "the same whichever copy is mine");
        one
    }

    fn start() -> Copy {
        (new_demo().1, EditStamps::default())
    }

    #[test]
    fn two_tabs_answering_different_items_keep_both_answers() {
        let t = demo_template();
        let base = start();
        let a = edit(&base, 2_000, |i, now| i.set_answer(&t, "a-1", Some(Answer::Compliant), now).unwrap());
        let b = edit(&base, 1_500, |i, now| i.set_answer(&t, "a-2", Some(Answer::Hazard), now).unwrap());
        let (merged, _) = both_ways(&a, &b);
        assert_eq!(merged.answer("a-1"), Some(Answer::Compliant));
        assert_eq!(merged.answer("a-2"), Some(Answer::Hazard));
        assert_eq!(merged.updated_at, 2_000);
    }

    #[test]
    fn a_determination_recorded_in_one_tab_survives_an_answer_written_by_the_other() {
        let t = demo_template();
        let base = start();
        let recorded = crate::inspection::determination::tests::settling(&["a-1"]);
        let a = edit(&base, 2_000, |i, now| i.set_determination(Some(recorded.clone()), now).unwrap());
        let b = edit(&base, 3_000, |i, now| i.set_answer(&t, "a-2", Some(Answer::Hazard), now).unwrap());
        let (merged, _) = both_ways(&a, &b);
        assert_eq!((merged.determination.as_ref(), merged.answer("a-2")), (Some(&recorded), Some(Answer::Hazard)));
        let withdrawn = edit(&a, 4_000, |i, now| i.set_determination(None, now).unwrap());
        assert_eq!(both_ways(&withdrawn, &b).0.determination, None, "a later withdrawal wins too");
    }

    #[test]
    fn an_answer_and_a_note_on_one_item_from_two_tabs_are_both_kept() {
        let t = demo_template();
        let base = start();
        let a = edit(&base, 2_000, |i, now| i.set_answer(&t, "a-1", Some(Answer::Hazard), now).unwrap());
        let b = edit(&base, 3_000, |i, now| i.set_note(&t, "a-1", "exit chained", now).unwrap());
        let (merged, _) = both_ways(&a, &b);
        assert_eq!((merged.answer("a-1"), merged.note("a-1")), (Some(Answer::Hazard), "exit chained"));
    }

    #[test]
    fn the_later_edit_of_one_field_wins_whichever_is_written_last() {
        let t = demo_template();
        let base = edit(&start(), 1_100, |i, now| i.set_answer(&t, "a-1", Some(Answer::Compliant), now).unwrap());
        let later = edit(&base, 5_000, |i, now| i.set_answer(&t, "a-1", Some(Answer::Hazard), now).unwrap());
        let earlier = edit(&base, 4_000, |i, now| {
            i.set_answer(&t, "a-1", Some(Answer::NotApplicable), now).unwrap();
            i.set_answer(&t, "b-1", Some(Answer::Compliant), now).unwrap();
        });
        let (merged, _) = both_ways(&later, &earlier);
        assert_eq!(merged.answer("a-1"), Some(Answer::Hazard), "the later tap stays");
        assert_eq!(merged.answer("b-1"), Some(Answer::Compliant));
        // A cleared answer is an edit too.
        let cleared = edit(&base, 6_000, |i, now| i.set_answer(&t, "a-1", None, now).unwrap());
        let (merged, _) = both_ways(&cleared, &earlier);
        assert!(!merged.answers.contains_key("a-1"), "cleared and forgotten, as an edit would");
    }

    #[test]
    fn merging_again_changes_nothing_so_two_tabs_settle() {
        let t = demo_template();
        let base = start();
        let a = edit(&base, 2_000, |i, now| i.set_answer(&t, "a-1", Some(Answer::Compliant), now).unwrap());
        let b = edit(&base, 2_500, |i, now| i.set_note(&t, "a-2", "x", now).unwrap());
        let once = both_ways(&a, &b);
        assert_eq!(both_ways(&once, &a), once);
        assert_eq!(both_ways(&once, &b), once);
        assert_eq!(both_ways(&once, &once), once);
    }

    #[test]
    fn without_stamps_the_copy_edited_last_gives_the_field() {
        let t = demo_template();
        let (_, mut old) = new_demo();
        let mut newer = old.clone();
        old.set_answer(&t, "a-1", Some(Answer::Compliant), 2_000).unwrap();
        newer.set_answer(&t, "a-1", Some(Answer::Hazard), 3_000).unwrap();
        let none = EditStamps::default();
        assert_eq!(merge((&old, &none), (&newer, &none)).0.answer("a-1"), Some(Answer::Hazard));
    }

    #[test]
    fn site_fields_hazards_exclusions_and_position_merge_field_by_field() {
        let t = crate::grading::fixtures::template();
        let base = (crate::grading::fixtures::inspection(1, "office", &["pl-1", "al-1"]), EditStamps::default());
        let a = edit(&base, 10, |i, now| {
            i.set_field(SiteField::Principal, "Li Na", now).unwrap();
            i.set_field(SiteField::Uscc, "91350100M000100Y43", now).unwrap();
            i.edit_hazard(&t, "pl-1", now, |h| h.rectification.measures = "Unchain".into()).unwrap();
            i.set_exclusion("expert-reviewed", true, now).unwrap();
        });
        let b = edit(&base, 11, |i, now| {
            i.set_field(SiteField::PrincipalPhone, "139", now).unwrap();
            i.edit_hazard(&t, "al-1", now, |h| h.rectification.measures = "Repair".into()).unwrap();
            i.set_exclusion("stopped-operating", true, now).unwrap();
            i.set_position(Some(Position { lat: 1.0, lon: 2.0, accuracy_m: 3.0 }), now).unwrap();
        });
        let (merged, _) = both_ways(&a, &b);
        assert_eq!((merged.site.principal.as_str(), merged.site.principal_phone.as_str()), ("Li Na", "139"));
        assert_eq!(merged.site.uscc, "91350100M000100Y43", "the credit code is stamped like the other site fields");
        assert_eq!(merged.hazards["pl-1"].rectification.measures, "Unchain");
        assert_eq!(merged.hazards["al-1"].rectification.measures, "Repair");
        assert_eq!(merged.exclusions, vec!["expert-reviewed", "stopped-operating"]);
        assert!(merged.position.is_some());
        // Withdrawing an exclusion in one tab is kept against the other's older copy.
        let withdrawn =
            edit(&(merged.clone(), EditStamps::default()), 20, |i, now| i.set_exclusion("expert-reviewed", false, now).unwrap());
        assert_eq!(both_ways(&withdrawn, &a).0.exclusions, vec!["stopped-operating"]);
    }

    #[test]
    fn photos_added_in_either_tab_are_kept_and_one_removed_is_gone() {
        let base = edit(&start(), 1_001, |i, now| i.add_attachment(photo(1, Some("a-1")), now).unwrap());
        let a = edit(&base, 2_000, |i, now| i.add_attachment(photo(2, Some("a-1")), now).unwrap());
        let b = edit(&base, 3_000, |i, now| {
            i.add_attachment(photo(3, Some("a-2")), now).unwrap();
            i.remove_attachment(Uuid::from_u128(1), now).unwrap();
        });
        let mut ids: Vec<u128> = both_ways(&a, &b).0.attachments.iter().map(|x| x.id.as_u128()).collect();
        ids.sort();
        assert_eq!(ids, vec![2, 3]);
    }

    #[test]
    fn verdicts_on_different_checks_are_both_kept() {
        let t = demo_template();
        let check = |item: &str| HazardCheck {
            inspection: Uuid::from_u128(1),
            item: item.into(),
            description: String::new(),
            standing: Default::default(),
            grade: Grade::General,
            deadline: String::new(),
            verdict: None,
            note: String::new(),
        };
        let mut first = Inspection::new(Uuid::from_u128(2), &t, 1);
        first.follow_up = Some(FollowUp { of: Uuid::from_u128(1), checks: vec![check("a-1"), check("a-2")], order: None });
        let base = (first, EditStamps::default());
        let a = edit(&base, 2, |i, now| i.set_verdict(0, Some(Verdict::Rectified), now).unwrap());
        let b = edit(&base, 3, |i, now| {
            i.set_verdict(1, Some(Verdict::NotRectified), now).unwrap();
            i.set_verdict_note(1, "still chained", now).unwrap();
        });
        let checks = both_ways(&a, &b).0.follow_up.unwrap().checks;
        assert_eq!(checks[0].verdict, Some(Verdict::Rectified));
        assert_eq!((checks[1].verdict, checks[1].note.as_str()), (Some(Verdict::NotRectified), "still chained"));
    }

    #[test]
    fn a_completed_or_signed_copy_is_not_edited_by_the_merge() {
        let t = crate::grading::fixtures::template();
        let r = crate::grading::fixtures::rule_set();
        let base = (crate::grading::fixtures::inspection(1, "office", &["pl-1"]), EditStamps::default());
        let done = edit(&base, 2, |i, now| {
            i.edit_hazard(&t, "pl-1", now, crate::grading::fixtures::full_rectification).unwrap();
            i.complete(&t, Some(&r), now).expect("completes");
        });
        let late = edit(&base, 4, |i, now| i.set_note(&t, "pl-1", "typed in the other tab", now).unwrap());
        assert_eq!(both_ways(&late, &done).0, done.0);

        let signed = edit(&base, 2, |i, now| i.add_attachment(signature(9, "Wang Wei", SignerRole::Inspector), now).unwrap());
        assert_eq!(both_ways(&late, &signed).0, signed.0);
    }

    #[test]
    fn nothing_changed_on_one_side_gives_the_other() {
        let t = demo_template();
        let base = start();
        let a = edit(&base, 9_000, |i, now| {
            i.set_answer(&t, "b-1", Some(Answer::NotApplicable), now).unwrap();
            i.set_field(SiteField::SiteName, "Depot 4", now).unwrap();
        });
        assert_eq!(both_ways(&a, &base).0, a.0);
    }
}
