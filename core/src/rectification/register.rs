//! The hazard register (隐患登记): every hazard of every completed inspection, with where
//! it stands in the loop find → register → rectify → verify and close. It is derived from
//! the inspections each time, never stored, so it cannot disagree with the records.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::register_part::{Checked, RegisterPart};
use crate::catalogue::library::Library;
use crate::dates;
use crate::inspection::determination::Standing;
use crate::inspection::follow_up::Verdict;
use crate::inspection::hazard::Grade;
use crate::inspection::{Inspection, SiteDetails};

/// One hazard in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    /// Where it was found: the inspection and the item.
    pub inspection: Uuid,
    pub item: String,
    pub site_name: String,
    /// See [`site_key`]: groups the hazards of one site across inspections.
    pub site_key: String,
    /// The template id (which names the sector).
    pub template: String,
    pub grade: Grade,
    /// A major fire hazard is `Suspected` until a collective determination settles it
    /// ([`Graded::standing`]); `Direct` when its template is not known.
    #[serde(default, skip_serializing_if = "Standing::is_direct")]
    pub standing: Standing,
    /// The item's note.
    pub description: String,
    /// `YYYY-MM-DD`, or empty when rectified on the spot.
    pub deadline: String,
    /// When the inspection that found it was completed.
    pub found_at: u64,
    pub status: HazardStatus,
    /// Open and past its deadline: it escalates.
    pub overdue: bool,
    /// The order (by deadline) the inspection that found it issued, as the office knows it
    /// from the delivered record: what a re-inspection started from the pull names. `None`
    /// on the phone's own register (a follow-up started there takes it from the record it
    /// follows) and when no order was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<crate::inspection::paperwork::IssuedDocument>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum HazardStatus {
    /// Waiting for rectification and a follow-up to verify it.
    Open,
    /// Fixed during the visit that found it.
    RectifiedOnTheSpot,
    /// Verified rectified by the completed follow-up `by`, completed at `at`.
    Closed { by: Uuid, at: u64 },
}

/// Which site an inspection was at, for "this site's open hazards": the name and address
/// trimmed, runs of whitespace made one space, lowercased, joined by a newline (which
/// neither part can then contain, so two different sites never share a key).
pub fn site_key(site: &SiteDetails) -> String {
    let normalise = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    format!("{}\n{}", normalise(&site.name), normalise(&site.address))
}

/// The register: every hazard of every completed inspection (a follow-up's own findings
/// too, but for the items it carries), graded with its template and rule set from `library`, closed by the latest completed
/// follow-up verdict on it; `today` (`YYYY-MM-DD`) decides what is overdue.
///
/// Order: open first, overdue first, major first, then oldest found first (and, within one
/// inspection, checklist order).
///
/// When the inspection's template edition is not in the library, the rules cannot be run.
/// Then the grade is major if the inspector raised it; otherwise the grade recorded in the
/// latest follow-up check of it (graded when the template was still known); otherwise
/// general. The hazards themselves are listed from the answers, in item-id order.
pub fn register(inspections: &[Inspection], library: &Library, today: &str) -> Vec<RegisterEntry> {
    let parts: Vec<RegisterPart> = inspections.iter().map(|i| RegisterPart::of(i, library)).collect();
    register_of(&parts.iter().collect::<Vec<_>>(), today)
}

/// The register from each inspection's [`RegisterPart`] (made from the record, or kept
/// beside an archived one): the one rule [`register`] applies.
pub fn register_of(parts: &[&RegisterPart], today: &str) -> Vec<RegisterEntry> {
    let checks = completed_checks(parts);
    let mut entries = Vec::new();
    for part in parts {
        let Some(found_at) = part.completed_at else { continue };
        let latest_check =
            |item: &str| checks.iter().rev().find(|(check, _)| check.inspection == part.inspection && check.item == item).copied();
        for hazard in &part.found {
            let (grade, standing) = hazard.graded.unwrap_or_else(|| {
                let recorded = latest_check(&hazard.item).map(|(check, _)| check.grade);
                (if hazard.raised { Grade::Major } else { recorded.unwrap_or(Grade::General) }, Standing::Direct)
            });
            let status = status(hazard.on_the_spot, latest_check(&hazard.item));
            let overdue = status == HazardStatus::Open && dates::is_past(&hazard.deadline, today);
            entries.push(RegisterEntry {
                inspection: part.inspection,
                item: hazard.item.clone(),
                site_name: part.site_name.clone(),
                site_key: part.site_key.clone(),
                template: part.template.clone(),
                grade,
                standing,
                description: hazard.description.clone(),
                deadline: hazard.deadline.clone(),
                found_at,
                status,
                overdue,
                order: None,
            });
        }
    }
    // Stable: ties keep inspection order, then checklist order.
    entries.sort_by_key(|e| (status_rank(e.status), !e.overdue, std::cmp::Reverse(e.grade), e.found_at));
    entries
}

/// The open hazards of one site (by [`site_key`]), in register order: what a follow-up
/// there carries.
pub fn open_for_site<'a>(entries: &'a [RegisterEntry], site_key: &str) -> Vec<&'a RegisterEntry> {
    entries.iter().filter(|e| e.status == HazardStatus::Open && e.site_key == site_key).collect()
}

/// Every verdict of every completed follow-up, with its follow-up's id and completion
/// time, oldest first: so the last one found for a hazard is the latest verdict.
fn completed_checks<'a>(parts: &[&'a RegisterPart]) -> Vec<(&'a Checked, (Uuid, u64))> {
    let mut checks: Vec<(&Checked, (Uuid, u64))> = parts
        .iter()
        .filter_map(|p| Some((&p.verdicts, p.inspection, p.completed_at?)))
        .flat_map(|(verdicts, id, at)| verdicts.iter().map(move |check| (check, (id, at))))
        .collect();
    checks.sort_by_key(|(_, (_, at))| *at);
    checks
}

/// The latest verdict decides, over an on-the-spot fix too: a follow-up that found it
/// back has the last word.
fn status(on_the_spot: bool, latest: Option<(&Checked, (Uuid, u64))>) -> HazardStatus {
    match latest {
        Some((check, (by, at))) if check.verdict == Verdict::Rectified => HazardStatus::Closed { by, at },
        Some(_) => HazardStatus::Open,
        None if on_the_spot => HazardStatus::RectifiedOnTheSpot,
        None => HazardStatus::Open,
    }
}

fn status_rank(status: HazardStatus) -> u8 {
    match status {
        HazardStatus::Open => 0,
        HazardStatus::RectifiedOnTheSpot => 1,
        HazardStatus::Closed { .. } => 2,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::grading::fixtures::{self, full_rectification};
    use crate::inspection::hazard::{GradeChoice, Hazard};
    use crate::inspection::Answer;
    use crate::rectification::follow_up::start_follow_up;

    pub(crate) fn library() -> Library {
        Library { rule_sets: vec![fixtures::rule_set()], templates: vec![fixtures::template()], ..Library::new() }
    }

    /// A completed inspection (at `at`) with `hazards`, each with a full rectification due
    /// on `deadline`.
    pub(crate) fn completed(id: u128, category: &str, hazards: &[&str], deadline: &str, at: u64) -> Inspection {
        completed_with(id, category, hazards, at, |h| {
            full_rectification(h);
            h.rectification.deadline = deadline.into();
        })
    }

    fn completed_with(id: u128, category: &str, hazards: &[&str], at: u64, edit: impl Fn(&mut Hazard)) -> Inspection {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(id, category, hazards);
        for item in hazards {
            i.edit_hazard(&t, item, at, &edit).expect("a hazard");
        }
        i.complete(&t, Some(&r), at).expect("completable");
        i
    }

    /// A follow-up of `from` with the given verdict on every open hazard of its site.
    fn follow_up(id: u128, from: &Inspection, all: &[Inspection], verdict: Verdict, at: u64) -> Inspection {
        let entries = register(all, &library(), "2026-01-01");
        let open = open_for_site(&entries, &site_key(&from.site));
        let mut f = start_follow_up(Uuid::from_u128(id), from, &open, at);
        for n in 0..open.len() {
            f.set_verdict(n, Some(verdict), at).unwrap();
            f.set_verdict_note(n, "looked at it", at).unwrap();
        }
        f.complete(&fixtures::template(), Some(&fixtures::rule_set()), at).expect("verified");
        f
    }

    fn statuses(entries: &[RegisterEntry]) -> Vec<(String, HazardStatus)> {
        entries.iter().map(|e| (e.item.clone(), e.status)).collect()
    }

    #[test]
    fn completed_inspections_hazards_are_registered_with_their_settled_grade() {
        let mut i = completed(1, "mall", &["ev-1", "sm-1", "de-1", "pl-1"], "2026-03-01", 50);
        i.site.name = "  Riverside Mall ".into();
        let entries = register(&[i.clone()], &library(), "2026-01-01");
        assert_eq!(entries.len(), 4);
        let e = &entries[0];
        assert_eq!(
            e,
            &RegisterEntry {
                inspection: Uuid::from_u128(1),
                item: "ev-1".into(),
                site_name: "Riverside Mall".into(),
                site_key: "riverside mall\n1 river rd".into(),
                template: "fire-demo".into(),
                grade: Grade::Major,
                standing: Standing::Direct,
                description: "found at ev-1".into(),
                deadline: "2026-03-01".into(),
                found_at: 50,
                status: HazardStatus::Open,
                overdue: false,
                order: None,
            }
        );
        assert_eq!(entries[3].item, "pl-1");
        assert_eq!(entries[3].grade, Grade::General);
    }

    #[test]
    fn the_inspectors_choice_settles_the_registered_grade() {
        let (t, r) = (fixtures::template(), fixtures::rule_set());
        let mut i = fixtures::inspection(1, "office", &["dm-1", "pl-1"]);
        for item in ["dm-1", "pl-1"] {
            i.edit_hazard(&t, item, 2, full_rectification).unwrap();
        }
        i.edit_hazard(&t, "dm-1", 3, |h| h.grading = GradeChoice::Lowered { reason: "Not a dwelling".into() }).unwrap();
        i.edit_hazard(&t, "pl-1", 3, |h| h.grading = GradeChoice::Raised).unwrap();
        i.complete(&t, Some(&r), 4).unwrap();
        let grades: Vec<(String, Grade)> = register(&[i], &library(), "2026-01-01").into_iter().map(|e| (e.item, e.grade)).collect();
        assert_eq!(grades, vec![("pl-1".into(), Grade::Major), ("dm-1".into(), Grade::General)]);
    }

    #[test]
    fn drafts_do_not_count_and_a_follow_up_registers_what_it_found() {
        let t = fixtures::template();
        let draft = fixtures::inspection(1, "office", &["pl-1"]);
        assert!(register(std::slice::from_ref(&draft), &library(), "2026-01-01").is_empty());

        let found = completed(2, "office", &["pl-1"], "2026-03-01", 10);
        let mut f = start_follow_up(Uuid::from_u128(3), &found, &[], 20);
        f.set_answer(&t, "al-1", Some(Answer::Hazard), 21).unwrap();
        f.set_note(&t, "al-1", "alarm off", 21).unwrap();
        f.edit_hazard(&t, "al-1", 21, full_rectification).unwrap();
        f.complete(&t, Some(&fixtures::rule_set()), 22).unwrap();
        let entries = register(&[draft, found.clone(), f.clone()], &library(), "2026-01-01");
        assert_eq!(statuses(&entries), vec![("pl-1".into(), HazardStatus::Open), ("al-1".into(), HazardStatus::Open)]);
        assert_eq!(entries.iter().map(|e| e.inspection).collect::<Vec<_>>(), vec![found.id, f.id], "each under who found it");
    }

    #[test]
    fn a_verified_check_closes_the_hazard_and_not_rectified_keeps_it_open() {
        let found = completed(1, "office", &["pl-1", "al-1"], "2026-03-01", 10);
        let all = vec![found.clone()];
        let not_yet = follow_up(2, &found, &all, Verdict::NotRectified, 20);
        let all = vec![found.clone(), not_yet];
        let entries = register(&all, &library(), "2026-01-01");
        assert!(entries.iter().all(|e| e.status == HazardStatus::Open));

        let fixed = follow_up(3, &found, &all, Verdict::Rectified, 30);
        assert_eq!(fixed.follow_up.as_ref().map(|f| f.of), Some(found.id));
        let mut all = all;
        all.push(fixed);
        let entries = register(&all, &library(), "2026-01-01");
        let closed = HazardStatus::Closed { by: Uuid::from_u128(3), at: 30 };
        assert_eq!(statuses(&entries), vec![("al-1".into(), closed), ("pl-1".into(), closed)], "checklist order");
        assert!(open_for_site(&entries, &site_key(&found.site)).is_empty());
    }

    #[test]
    fn the_latest_completed_verdict_wins_and_draft_follow_ups_do_not_count() {
        let found = completed(1, "office", &["pl-1"], "2026-03-01", 10);
        let all = vec![found.clone()];
        let fixed = follow_up(2, &found, &all, Verdict::Rectified, 30);
        let back = follow_up(3, &found, &all, Verdict::NotRectified, 40);
        // Given in any order, the later completion decides.
        let entries = register(&[back.clone(), found.clone(), fixed.clone()], &library(), "2026-01-01");
        assert_eq!(statuses(&entries), vec![("pl-1".into(), HazardStatus::Open)]);
        let entries = register(&[found.clone(), back.clone()], &library(), "2026-01-01");
        assert_eq!(entries[0].status, HazardStatus::Open);

        let mut draft = start_follow_up(Uuid::from_u128(4), &found, &open_for_site(&entries, &entries[0].site_key), 50);
        draft.set_verdict(0, Some(Verdict::Rectified), 51).unwrap();
        let entries = register(&[found, back, draft], &library(), "2026-01-01");
        assert_eq!(entries[0].status, HazardStatus::Open, "a draft follow-up verifies nothing yet");
    }

    #[test]
    fn an_open_hazard_past_its_deadline_is_overdue() {
        let found = completed(1, "office", &["pl-1"], "2026-03-01", 10);
        let overdue = |today: &str, all: &[Inspection]| register(all, &library(), today)[0].overdue;
        assert!(!overdue("2026-02-28", std::slice::from_ref(&found)));
        assert!(!overdue("2026-03-01", std::slice::from_ref(&found)), "due today is not late yet");
        assert!(overdue("2026-03-02", std::slice::from_ref(&found)));
        assert!(overdue("2027-01-01", std::slice::from_ref(&found)));
        assert!(!overdue("not a date", std::slice::from_ref(&found)));
        let fixed = follow_up(2, &found, std::slice::from_ref(&found), Verdict::Rectified, 30);
        assert!(!overdue("2026-03-02", &[found.clone(), fixed]), "closed is never overdue");
        let not_yet = follow_up(3, &found, std::slice::from_ref(&found), Verdict::NotRectified, 30);
        assert!(overdue("2026-03-02", &[found, not_yet]), "not rectified and late escalates");
    }

    #[test]
    fn open_overdue_and_major_come_first_then_the_oldest() {
        let spot = completed_with(1, "office", &["pl-1"], 5, |h| {
            h.rectification.on_the_spot = true;
            h.rectification.on_the_spot_note = "fixed".into();
        });
        let late_general = completed(2, "office", &["al-1"], "2026-01-01", 40);
        let late_major = completed(3, "office", &["dm-1"], "2026-01-01", 30);
        let major = completed(4, "office", &["dm-2"], "2026-06-01", 20);
        let raised = {
            let (t, r) = (fixtures::template(), fixtures::rule_set());
            let mut i = fixtures::inspection(5, "office", &["la-1"]);
            i.edit_hazard(&t, "la-1", 2, |h| {
                full_rectification(h);
                h.rectification.deadline = "2026-06-01".into();
                h.grading = GradeChoice::Raised;
            })
            .unwrap();
            i.complete(&t, Some(&r), 25).unwrap();
            i
        };
        let general_old = completed(6, "office", &["al-2"], "2026-06-01", 1);
        let general_new = completed(7, "office", &["al-3"], "2026-06-01", 2);
        let order: Vec<String> =
            register(&[spot, general_new, late_general, raised, general_old, major, late_major], &library(), "2026-02-01")
                .into_iter()
                .map(|e| e.item)
                .collect();
        assert_eq!(order, vec!["dm-1", "al-1", "dm-2", "la-1", "al-2", "al-3", "pl-1"]);
    }

    #[test]
    fn open_comes_before_rectified_on_the_spot_which_comes_before_closed_whatever_the_grade_and_age() {
        let found = completed(1, "office", &["dm-1"], "2026-06-01", 1);
        let closed_by = follow_up(9, &found, std::slice::from_ref(&found), Verdict::Rectified, 30);
        let spot = completed_with(2, "office", &["dm-2"], 2, |h| {
            full_rectification(h);
            h.rectification.on_the_spot = true;
            h.rectification.on_the_spot_note = "fixed".into();
        });
        let open = completed(3, "office", &["pl-1"], "2026-06-01", 3);
        let entries = register(&[found, closed_by, spot, open], &library(), "2026-01-01");
        let order: Vec<(&str, Grade, u64, HazardStatus)> =
            entries.iter().map(|e| (e.item.as_str(), e.grade, e.found_at, e.status)).collect();
        assert_eq!(
            order,
            vec![
                ("pl-1", Grade::General, 3, HazardStatus::Open),
                ("dm-2", Grade::Major, 2, HazardStatus::RectifiedOnTheSpot),
                ("dm-1", Grade::Major, 1, HazardStatus::Closed { by: Uuid::from_u128(9), at: 30 }),
            ]
        );
    }

    #[test]
    fn an_on_the_spot_fix_is_not_open_unless_a_follow_up_finds_it_back() {
        let spot = completed_with(1, "office", &["pl-1"], 5, |h| {
            h.rectification.on_the_spot = true;
            h.rectification.on_the_spot_note = "fixed".into();
        });
        let entries = register(std::slice::from_ref(&spot), &library(), "2026-01-01");
        assert_eq!(entries[0].status, HazardStatus::RectifiedOnTheSpot);
        assert!(open_for_site(&entries, &entries[0].site_key).is_empty());
        // A follow-up carried it anyway (started from a hazard) and found it back.
        let mut f = start_follow_up(Uuid::from_u128(2), &spot, &[&entries[0]], 10);
        f.set_verdict(0, Some(Verdict::NotRectified), 11).unwrap();
        f.set_verdict_note(0, "chained again", 11).unwrap();
        f.complete(&fixtures::template(), None, 12).unwrap();
        assert_eq!(register(&[spot, f], &library(), "2026-01-01")[0].status, HazardStatus::Open);
    }

    #[test]
    fn without_its_template_a_hazard_keeps_a_raised_or_recorded_grade_or_is_general() {
        let found = completed(1, "office", &["dm-1", "pl-1", "al-1"], "2026-03-01", 10);
        let mut raised = found.clone();
        raised.hazards.get_mut("al-1").unwrap().grading = GradeChoice::Raised;
        let no_templates = Library { rule_sets: vec![fixtures::rule_set()], ..Library::new() };
        // dm-1 was recorded major by a follow-up (not verified yet), pl-1 never checked.
        let entries = register(std::slice::from_ref(&found), &library(), "2026-01-01");
        let dm = entries.iter().filter(|e| e.item == "dm-1").collect::<Vec<_>>();
        let mut check = start_follow_up(Uuid::from_u128(2), &found, &dm, 20);
        check.set_verdict(0, Some(Verdict::NotRectified), 21).unwrap();
        check.set_verdict_note(0, "not yet", 21).unwrap();
        check.completed_at = Some(22);
        let grades: Vec<(String, Grade)> =
            register(&[raised, check], &no_templates, "2026-01-01").into_iter().map(|e| (e.item, e.grade)).collect();
        assert_eq!(grades, vec![("al-1".into(), Grade::Major), ("dm-1".into(), Grade::Major), ("pl-1".into(), Grade::General)]);
    }

    #[test]
    fn site_keys_ignore_case_and_spacing_but_not_the_boundary_between_name_and_address() {
        let site = |name: &str, address: &str| SiteDetails { name: name.into(), address: address.into(), ..Default::default() };
        assert_eq!(site_key(&site("  Riverside   MALL ", "1 River\tRd\n")), "riverside mall\n1 river rd");
        assert_eq!(site_key(&site("河畔\u{3000}商场", " 河滨路1号 ")), site_key(&site("河畔 商场", "河滨路1号")));
        assert_ne!(site_key(&site("a b", "c")), site_key(&site("a", "b c")));
        assert_ne!(site_key(&site("Riverside Mall", "1 River Rd")), site_key(&site("Riverside Mall", "2 River Rd")));
    }

    #[test]
    fn open_for_site_picks_the_open_hazards_of_that_site_only() {
        let here = completed(1, "office", &["pl-1", "al-1"], "2026-03-01", 10);
        let mut there = completed(2, "office", &["al-2"], "2026-03-01", 11);
        there.site.name = "Elsewhere".into();
        let spot = completed_with(3, "office", &["al-3"], 12, |h| {
            h.rectification.on_the_spot = true;
            h.rectification.on_the_spot_note = "fixed".into();
        });
        let entries = register(&[here.clone(), there, spot], &library(), "2026-01-01");
        let open: Vec<&str> = open_for_site(&entries, &site_key(&here.site)).iter().map(|e| e.item.as_str()).collect();
        assert_eq!(open, vec!["al-1", "pl-1"]);
    }

    #[test]
    fn the_register_tells_suspected_majors_from_determined_ones() {
        let (t, r) = (fixtures::elements_template(), fixtures::elements_rule_set());
        let library = Library { rule_sets: vec![r.clone()], templates: vec![t.clone()], ..Library::new() };
        let hazards = ["stair-type", "signs", "decoration", "tank-farm", "plain"];
        let mut i = fixtures::elements_inspection("mall", &hazards);
        for item in hazards {
            i.set_note(&t, item, "found", 2).unwrap();
            i.edit_hazard(&t, item, 2, full_rectification).unwrap();
        }
        let mut determined = i.clone();
        determined.id = Uuid::from_u128(8);
        let settling = crate::inspection::determination::tests::settling(&["stair-type", "signs", "tank-farm", "decoration"]);
        determined.set_determination(Some(settling), 3).unwrap();
        for inspection in [&mut i, &mut determined] {
            inspection.complete(&t, Some(&r), 4).unwrap();
        }
        let entries = register(&[i, determined], &library, "2026-01-01");
        let of = |id: u128| -> Vec<(&str, Grade, Standing)> {
            let mut found: Vec<(&str, Grade, Standing)> =
                entries.iter().filter(|e| e.inspection == Uuid::from_u128(id)).map(|e| (e.item.as_str(), e.grade, e.standing)).collect();
            found.sort();
            found
        };
        assert_eq!(
            of(7),
            vec![
                ("decoration", Grade::Major, Standing::Suspected),
                ("plain", Grade::General, Standing::Direct),
                ("signs", Grade::Major, Standing::Suspected),
                ("stair-type", Grade::Major, Standing::Suspected),
                ("tank-farm", Grade::Major, Standing::Suspected),
            ]
        );
        assert_eq!(
            of(8),
            vec![
                ("decoration", Grade::Major, Standing::DeterminedMajor),
                ("plain", Grade::General, Standing::Direct),
                ("signs", Grade::Major, Standing::DeterminedMajor),
                ("stair-type", Grade::General, Standing::DeterminedNotMajor),
                ("tank-farm", Grade::Major, Standing::DeterminedMajor),
            ]
        );
    }
}
