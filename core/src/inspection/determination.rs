//! The collective determination of GB 35181-2017 chapter 4: a major fire hazard the rules
//! find is settled by a collective discussion of at least [`MIN_PARTICIPANTS`] people, and a
//! hard case by an expert panel of at least [`MIN_PANEL_MEMBERS`] whose conclusion needs at
//! least two-thirds of the members in favour. Until that is recorded the hazard is only a
//! *suspected* major fire hazard (疑似重大火灾隐患).
//!
//! This is the record as the inspector enters it and the office receives it; which hazards
//! it has to settle, and what it makes of their grades, is [`crate::grading::Graded`]'s.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dates::is_valid_date;

/// GB 35181-2017 chapter 4: a collective discussion of at least three people.
pub const MIN_PARTICIPANTS: usize = 3;
/// GB 35181-2017 chapter 4: a hard case goes to an expert panel of at least seven.
pub const MIN_PANEL_MEMBERS: usize = 7;

/// The determination recorded for an inspection: when, who, what each suspected major
/// hazard was found to be, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiveDetermination {
    /// The day of the discussion, `YYYY-MM-DD`.
    pub date: String,
    /// Who took part, in the order added.
    pub participants: Vec<Person>,
    /// Present when the case went to an expert panel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel: Option<ExpertPanel>,
    /// The conclusion on each suspected major hazard, keyed by item id.
    pub conclusions: BTreeMap<String, Conclusion>,
    /// Why: what the discussion found, kept and delivered with the conclusions.
    pub reason: String,
}

/// A participant or panel member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Post or unit, for example "fire inspector, district brigade".
    pub role: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertPanel {
    pub members: Vec<Person>,
    /// Members who agreed with the conclusions.
    pub votes_in_favour: u32,
}

/// What the discussion found one suspected major hazard to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// A major fire hazard: the grade stands.
    Major,
    /// Not a major fire hazard: it is rectified as a general one.
    NotMajor,
}

/// Where a hazard stands with respect to the collective determination (GB 35181-2017
/// chapter 4) that its rule set may ask for; [`crate::grading::Graded::standing`] decides
/// it. It lives here, beside the record, because payloads, the register and follow-up checks
/// carry it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// No determination is needed: the grade stands as graded. Every general hazard, and
    /// every hazard graded by a rule set that asks for none (the sectors whose criteria
    /// make a hazard major directly). Also what a record from before standings says.
    #[default]
    Direct,
    /// Major (by the rules or the inspector), awaiting the collective determination:
    /// 疑似重大火灾隐患. Rectified as a major hazard meanwhile, erring on the safe side.
    Suspected,
    /// Determined a major hazard by the recorded discussion.
    DeterminedMajor,
    /// Determined not a major hazard: graded and rectified as a general one.
    DeterminedNotMajor,
}

impl Standing {
    pub fn is_direct(&self) -> bool {
        *self == Standing::Direct
    }
}

/// Why a determination does not settle anything yet. Each names the field to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeterminationProblem {
    /// The date is blank or not a calendar date `YYYY-MM-DD`.
    InvalidDate,
    /// Fewer than [`MIN_PARTICIPANTS`] participants.
    TooFewParticipants {
        count: usize,
    },
    /// A participant (by index) without a name or a role.
    ParticipantIncomplete {
        index: usize,
    },
    /// An expert panel of fewer than [`MIN_PANEL_MEMBERS`].
    PanelTooSmall {
        members: usize,
    },
    /// A panel member (by index) without a name or a role.
    PanelMemberIncomplete {
        index: usize,
    },
    /// Fewer votes in favour than two-thirds of the members (`needed`).
    TooFewVotes {
        votes: u32,
        needed: u32,
    },
    /// More votes in favour than members.
    MoreVotesThanMembers {
        votes: u32,
        members: usize,
    },
    MissingReason,
    /// A conclusion on an item that is not a suspected major hazard (any more).
    NotSuspected {
        item_id: String,
    },
    /// A suspected major hazard the determination does not conclude on.
    MissingConclusion {
        item_id: String,
    },
}

/// The votes in favour a panel of `members` needs: two-thirds, rounded up.
pub fn votes_needed(members: usize) -> u32 {
    u32::try_from((members * 2).div_ceil(3)).unwrap_or(u32::MAX)
}

impl Person {
    fn is_complete(&self) -> bool {
        !self.name.trim().is_empty() && !self.role.trim().is_empty()
    }
}

impl CollectiveDetermination {
    /// What keeps this record from settling the `suspected` hazards (item ids, in checklist
    /// order): date, participants, panel and vote, reason, then the conclusions in order.
    /// Empty: it settles every one of them.
    pub fn problems(&self, suspected: &[&str]) -> Vec<DeterminationProblem> {
        let mut problems = Vec::new();
        if !is_valid_date(self.date.trim()) {
            problems.push(DeterminationProblem::InvalidDate);
        }
        if self.participants.len() < MIN_PARTICIPANTS {
            problems.push(DeterminationProblem::TooFewParticipants { count: self.participants.len() });
        }
        for (index, person) in self.participants.iter().enumerate() {
            if !person.is_complete() {
                problems.push(DeterminationProblem::ParticipantIncomplete { index });
            }
        }
        if let Some(panel) = &self.panel {
            let members = panel.members.len();
            if members < MIN_PANEL_MEMBERS {
                problems.push(DeterminationProblem::PanelTooSmall { members });
            }
            for (index, person) in panel.members.iter().enumerate() {
                if !person.is_complete() {
                    problems.push(DeterminationProblem::PanelMemberIncomplete { index });
                }
            }
            let votes = panel.votes_in_favour;
            if usize::try_from(votes).map_or(true, |v| v > members) {
                problems.push(DeterminationProblem::MoreVotesThanMembers { votes, members });
            } else if votes < votes_needed(members) {
                problems.push(DeterminationProblem::TooFewVotes { votes, needed: votes_needed(members) });
            }
        }
        if self.reason.trim().is_empty() {
            problems.push(DeterminationProblem::MissingReason);
        }
        for item_id in self.conclusions.keys() {
            if !suspected.contains(&item_id.as_str()) {
                problems.push(DeterminationProblem::NotSuspected { item_id: item_id.clone() });
            }
        }
        for item_id in suspected {
            if !self.conclusions.contains_key(*item_id) {
                problems.push(DeterminationProblem::MissingConclusion { item_id: item_id.to_string() });
            }
        }
        problems
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn people(n: usize, what: &str) -> Vec<Person> {
        (1..=n).map(|k| Person { name: format!("{what} {k}"), role: "fire inspector".into() }).collect()
    }

    /// A determination that settles `suspected`: three participants, every one major but
    /// the first, which is found not major.
    pub(crate) fn settling(suspected: &[&str]) -> CollectiveDetermination {
        CollectiveDetermination {
            date: "2026-12-03".into(),
            participants: people(MIN_PARTICIPANTS, "participant"),
            panel: None,
            conclusions: suspected
                .iter()
                .enumerate()
                .map(|(n, id)| (id.to_string(), if n == 0 { Conclusion::NotMajor } else { Conclusion::Major }))
                .collect(),
            reason: "Exits reopened before the discussion; the smoke fans were tested and run.".into(),
        }
    }

    const SUSPECTED: [&str; 2] = ["ev-1", "sm-1"];

    #[test]
    fn a_complete_record_settles_its_suspected_hazards() {
        assert_eq!(settling(&SUSPECTED).problems(&SUSPECTED), vec![]);
    }

    #[test]
    fn two_participants_are_too_few_three_are_enough() {
        let mut d = settling(&SUSPECTED);
        d.participants.pop();
        assert_eq!(d.problems(&SUSPECTED), vec![DeterminationProblem::TooFewParticipants { count: 2 }]);
        d.participants = people(3, "p");
        assert_eq!(d.problems(&SUSPECTED), vec![]);
        d.participants.clear();
        assert_eq!(d.problems(&SUSPECTED), vec![DeterminationProblem::TooFewParticipants { count: 0 }]);
    }

    #[test]
    fn a_participant_needs_a_name_and_a_role() {
        let mut d = settling(&SUSPECTED);
        d.participants[1].name = "  ".into();
        d.participants[2].role.clear();
        assert_eq!(
            d.problems(&SUSPECTED),
            vec![DeterminationProblem::ParticipantIncomplete { index: 1 }, DeterminationProblem::ParticipantIncomplete { index: 2 }]
        );
    }

    #[test]
    fn a_panel_of_six_is_too_small_seven_is_enough() {
        let mut d = settling(&SUSPECTED);
        d.panel = Some(ExpertPanel { members: people(6, "expert"), votes_in_favour: 6 });
        assert_eq!(d.problems(&SUSPECTED), vec![DeterminationProblem::PanelTooSmall { members: 6 }]);
        d.panel = Some(ExpertPanel { members: people(7, "expert"), votes_in_favour: 7 });
        assert_eq!(d.problems(&SUSPECTED), vec![]);
    }

    #[test]
    fn votes_just_under_two_thirds_fail_at_two_thirds_pass() {
        assert_eq!((votes_needed(7), votes_needed(9), votes_needed(10), votes_needed(0)), (5, 6, 7, 0));
        let mut d = settling(&SUSPECTED);
        for (members, under, at) in [(7, 4, 5), (9, 5, 6), (10, 6, 7), (12, 7, 8)] {
            d.panel = Some(ExpertPanel { members: people(members, "expert"), votes_in_favour: under });
            assert_eq!(d.problems(&SUSPECTED), vec![DeterminationProblem::TooFewVotes { votes: under, needed: at }], "{members}");
            d.panel = Some(ExpertPanel { members: people(members, "expert"), votes_in_favour: at });
            assert_eq!(d.problems(&SUSPECTED), vec![], "{members}");
        }
    }

    #[test]
    fn votes_cannot_exceed_the_members_and_members_need_names_and_roles() {
        let mut d = settling(&SUSPECTED);
        let mut members = people(7, "expert");
        members[3].role = " ".into();
        d.panel = Some(ExpertPanel { members: members.clone(), votes_in_favour: 8 });
        assert_eq!(
            d.problems(&SUSPECTED),
            vec![
                DeterminationProblem::PanelMemberIncomplete { index: 3 },
                DeterminationProblem::MoreVotesThanMembers { votes: 8, members: 7 }
            ]
        );
        d.panel = Some(ExpertPanel { members: people(7, "expert"), votes_in_favour: 7 });
        assert_eq!(d.problems(&SUSPECTED), vec![], "all seven in favour");
    }

    #[test]
    fn the_date_must_be_a_calendar_date_and_the_reason_written() {
        let mut d = settling(&SUSPECTED);
        d.reason = " \n".into();
        assert_eq!(d.problems(&SUSPECTED), vec![DeterminationProblem::MissingReason]);
        for date in ["", "2026-02-30", "3 Dec 2026"] {
            let mut d = settling(&SUSPECTED);
            d.date = date.into();
            assert_eq!(d.problems(&SUSPECTED), vec![DeterminationProblem::InvalidDate], "{date:?}");
        }
    }

    #[test]
    fn a_conclusion_is_needed_for_every_suspected_major_and_only_for_them() {
        let d = settling(&["ev-1", "pl-1"]);
        assert_eq!(
            d.problems(&SUSPECTED),
            vec![
                DeterminationProblem::NotSuspected { item_id: "pl-1".into() },
                DeterminationProblem::MissingConclusion { item_id: "sm-1".into() }
            ]
        );
        assert_eq!(settling(&[]).problems(&[]), vec![], "nothing to settle");
    }

    #[test]
    fn an_old_record_without_a_panel_reads_and_conclusions_are_snake_case() {
        let d = settling(&SUSPECTED);
        let json = serde_json::to_string(&d).unwrap();
        assert!(!json.contains("panel") && json.contains(r#""ev-1":"not_major""#) && json.contains(r#""sm-1":"major""#), "{json}");
        assert_eq!(serde_json::from_str::<CollectiveDetermination>(&json).unwrap(), d);
    }
}
