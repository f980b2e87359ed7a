//! Tasks (issue 14): the office hands inspectors a site to inspect with a checklist by a due
//! date. What a task's state is, what its number reads, and who may be sent: plain functions
//! over plain values, tested here; the store keeps tasks, the routes ask these.

use safewalk_core::assignment::pull::TaskKind;

use crate::people::{Person, Principal, Role};

/// What the store records of a task's progress. Overdue is not stored: it is computed from
/// the due date and today ([`shown_state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Made by the office, not yet on a phone.
    Assigned,
    /// Pulled by an inspector's phone (set by the pull, to come).
    Taken,
    /// An inspection linked to it arrived (set by the receiver, to come).
    Delivered,
    /// Called off by the office.
    Withdrawn,
}

impl Stored {
    pub fn as_str(self) -> &'static str {
        match self {
            Stored::Assigned => "assigned",
            Stored::Taken => "taken",
            Stored::Delivered => "delivered",
            Stored::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Stored> {
        [Stored::Assigned, Stored::Taken, Stored::Delivered, Stored::Withdrawn].into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the office may still withdraw it (not once delivered or withdrawn).
    pub fn withdrawable(self) -> bool {
        matches!(self, Stored::Assigned | Stored::Taken)
    }
}

/// A task's state as the office sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Assigned,
    Taken,
    Delivered,
    Overdue,
    Withdrawn,
}

impl State {
    pub const ALL: [State; 5] = [State::Assigned, State::Taken, State::Delivered, State::Overdue, State::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Assigned => "assigned",
            State::Taken => "taken",
            State::Delivered => "delivered",
            State::Overdue => "overdue",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn zh(self) -> &'static str {
        match self {
            State::Assigned => "已派发",
            State::Taken => "已领取",
            State::Delivered => "已完成",
            State::Overdue => "已逾期",
            State::Withdrawn => "已撤回",
        }
    }

    /// The state in the office's language.
    pub fn label(self, lang: safewalk_core::Lang) -> &'static str {
        match lang {
            safewalk_core::Lang::Zh => self.zh(),
            safewalk_core::Lang::En => self.en(),
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            State::Assigned => "Assigned",
            State::Taken => "Taken",
            State::Delivered => "Delivered",
            State::Overdue => "Overdue",
            State::Withdrawn => "Withdrawn",
        }
    }
}

/// The state shown on `today` (`YYYY-MM-DD`): a task not delivered nor withdrawn whose due
/// date has passed is overdue (on its due date it is not yet).
pub fn shown_state(stored: Stored, due: &str, today: &str) -> State {
    match stored {
        Stored::Delivered => State::Delivered,
        Stored::Withdrawn => State::Withdrawn,
        _ if safewalk_core::dates::is_past(due, today) => State::Overdue,
        Stored::Assigned => State::Assigned,
        Stored::Taken => State::Taken,
    }
}

/// A task's kind in both languages.
pub fn kind_label(kind: TaskKind) -> (&'static str, &'static str) {
    match kind {
        TaskKind::Inspection => ("检查", "Inspection"),
        TaskKind::ReInspection => ("复查", "Re-inspection"),
    }
}

/// A task's number as people read and say it: the year it was made and its sequence in that
/// year, `2026-0001`.
pub fn number(year: i64, seq: i64) -> String {
    format!("{year}-{seq:04}")
}

/// A typed number back to `(year, seq)`, if it is one.
pub fn parse_number(text: &str) -> Option<(i64, i64)> {
    let (year, seq) = text.trim().split_once('-')?;
    let digits = year.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit());
    if year.len() != 4 || seq.is_empty() || seq.len() > 9 || !digits {
        return None;
    }
    Some((year.parse().ok()?, seq.parse().ok()?))
}

/// Whether `person` may be sent on a task by `principal`: an active inspector within the
/// principal's scope (department and district, each when set; an admin any).
pub fn may_send(principal: &Principal, person: &Person) -> bool {
    let scope = principal.visibility();
    person.active
        && person.role == Role::Inspector
        && (scope.department.is_empty() || person.department == scope.department)
        && (scope.district.is_empty() || person.district == scope.district)
}

/// Today's date (UTC) as `YYYY-MM-DD`, from milliseconds since the epoch.
pub fn date_of(millis: u64) -> String {
    safewalk_core::exchange::export::format_time(millis, 0).chars().take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_overdue_once_its_due_date_has_passed_unless_done_or_withdrawn() {
        let due = "2026-12-03";
        assert_eq!(shown_state(Stored::Assigned, due, "2026-12-02"), State::Assigned);
        assert_eq!(shown_state(Stored::Assigned, due, "2026-12-03"), State::Assigned, "not on the due date itself");
        assert_eq!(shown_state(Stored::Assigned, due, "2026-12-04"), State::Overdue);
        assert_eq!(shown_state(Stored::Taken, due, "2026-12-03"), State::Taken);
        assert_eq!(shown_state(Stored::Taken, due, "2027-01-01"), State::Overdue);
        assert_eq!(shown_state(Stored::Delivered, due, "2027-01-01"), State::Delivered);
        assert_eq!(shown_state(Stored::Withdrawn, due, "2027-01-01"), State::Withdrawn);
        assert_eq!(shown_state(Stored::Assigned, "not a date", "2027-01-01"), State::Assigned, "no date, nothing overdue");
    }

    #[test]
    fn states_read_back_and_only_open_tasks_are_withdrawable() {
        for state in State::ALL {
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
        for stored in [Stored::Assigned, Stored::Taken, Stored::Delivered, Stored::Withdrawn] {
            assert_eq!(Stored::parse(stored.as_str()), Some(stored));
        }
        assert_eq!(Stored::parse("overdue"), None, "computed, never stored");
        assert!(Stored::Assigned.withdrawable() && Stored::Taken.withdrawable());
        assert!(!Stored::Delivered.withdrawable() && !Stored::Withdrawn.withdrawable());
    }

    #[test]
    fn numbers_read_as_year_and_sequence() {
        assert_eq!(number(2026, 1), "2026-0001");
        assert_eq!(number(2026, 12345), "2026-12345");
        assert_eq!(parse_number(" 2026-0007 "), Some((2026, 7)));
        for bad in ["2026", "26-0001", "2026-", "2026-00a1", "abcd-0001", "2026-0001-1"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        assert_eq!(date_of(1_700_000_000_000), "2023-11-14");
    }

    fn person(role: Role, department: &str, district: &str) -> Person {
        Person {
            id: "p".into(),
            name: "p".into(),
            role,
            department: department.into(),
            district: district.into(),
            certificate: String::new(),
            active: true,
            created_at: 0,
        }
    }

    #[test]
    fn only_active_inspectors_within_scope_may_be_sent() {
        let brigade_1 = Principal::Person(person(Role::Supervisor, "brigade-1", ""));
        let wang = person(Role::Inspector, "brigade-1", "pudong");
        let li = person(Role::Inspector, "brigade-2", "pudong");
        assert!(may_send(&brigade_1, &wang) && !may_send(&brigade_1, &li));
        let pudong = Principal::Person(person(Role::Supervisor, "", "pudong"));
        assert!(may_send(&pudong, &wang) && may_send(&pudong, &li));
        assert!(!may_send(&pudong, &person(Role::Supervisor, "", "pudong")), "inspectors only");
        let gone = Person { active: false, ..wang.clone() };
        assert!(!may_send(&brigade_1, &gone));
        assert!(may_send(&Principal::Person(person(Role::Admin, "", "")), &li));
    }
}
