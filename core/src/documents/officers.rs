//! The officers a document names, prefilled: the phone's own inspector (with the certificate
//! number set once in Settings) first, then the team's other names, whose certificates the
//! inspector types in. What is typed later in the record wins: this only starts it. Every
//! team member is kept (a team of three has three lines on the screen); how they go on the
//! two-line form is [`on_paper`].

use crate::inspection::paperwork::Officer;
use crate::inspection::site::Team;

/// At least two officers (the documents need two), the phone's inspector first.
pub fn prefill(inspector: &str, certificate: &str, team: &Team) -> Vec<Officer> {
    let mut officers = Vec::new();
    if !inspector.trim().is_empty() {
        officers.push(Officer { name: inspector.trim().into(), certificate: certificate.trim().into() });
    }
    for name in team.inspector_names() {
        if !officers.iter().any(|o| o.name == name) {
            officers.push(Officer { name: name.into(), certificate: String::new() });
        }
    }
    while officers.len() < 2 {
        officers.push(Officer::default());
    }
    officers
}

/// The officers as a document prints them. The forms have two officer lines (执法人员 and
/// 执法证号, twice): the law asks for at least two officers, and more may serve. So:
///
/// - `officers`: everyone with a certificate number, in the record's order — two or more, all
///   on the officers' line, since each is an officer the unit may ask to see;
///   while fewer than two have one (a draft before its numbers are issued), the first named
///   without one fill the two lines, their number left blank to write in;
/// - `others`: the names left, team members without a certificate (an expert, a trainee, a
///   clerk), printed as 其他检查人员 under the officers.
///
/// So a third team member is neither dropped from the paper nor printed as an officer with a
/// blank number on a document already issued (issuing needs two complete officers:
/// [`crate::documents::paperwork`]), and the two-line form stays two lines when there are two.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnPaper {
    pub officers: Vec<Officer>,
    pub others: Vec<String>,
}

pub fn on_paper(officers: &[Officer]) -> OnPaper {
    let named: Vec<Officer> = officers
        .iter()
        .filter(|o| !o.name.trim().is_empty())
        .map(|o| Officer { name: o.name.trim().into(), certificate: o.certificate.trim().into() })
        .collect();
    let certified = named.iter().filter(|o| !o.certificate.is_empty()).count();
    let mut blank_lines = 2usize.saturating_sub(certified);
    let mut paper = OnPaper::default();
    for officer in named {
        if !officer.certificate.is_empty() {
            paper.officers.push(officer);
        } else if blank_lines > 0 {
            blank_lines -= 1;
            paper.officers.push(officer);
        } else {
            paper.others.push(officer.name);
        }
    }
    paper
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(name: &str, certificate: &str) -> Officer {
        Officer { name: name.into(), certificate: certificate.into() }
    }

    fn names(officers: &[Officer]) -> Vec<&str> {
        officers.iter().map(|o| o.name.as_str()).collect()
    }

    #[test]
    fn two_officers_fill_the_two_lines_and_a_third_without_a_certificate_is_named_apart() {
        let paper = on_paper(&[officer("王强", "35012345"), officer("李敏", "35012346"), officer("赵六", " ")]);
        assert_eq!(paper.officers, vec![officer("王强", "35012345"), officer("李敏", "35012346")]);
        assert_eq!(paper.others, vec!["赵六".to_string()], "not dropped: named as another inspector");
    }

    #[test]
    fn a_third_with_a_certificate_is_an_officer_too_in_the_records_order() {
        let paper = on_paper(&[officer("王强", "1"), officer("赵六", ""), officer("李敏", "2"), officer("孙七", "3")]);
        assert_eq!(names(&paper.officers), vec!["王强", "李敏", "孙七"]);
        assert_eq!(paper.others, vec!["赵六".to_string()]);
    }

    #[test]
    fn before_numbers_are_complete_the_first_named_fill_the_two_lines_to_write_in() {
        let paper = on_paper(&[officer("王强", "1"), officer("赵六", ""), officer("孙七", "")]);
        assert_eq!(paper.officers, vec![officer("王强", "1"), officer("赵六", "")]);
        assert_eq!(paper.others, vec!["孙七".to_string()]);
        let blank = on_paper(&[Officer::default(), officer(" 李敏 ", " 2 ")]);
        assert_eq!(blank, OnPaper { officers: vec![officer("李敏", "2")], others: vec![] }, "an empty line is no one");
    }

    #[test]
    fn the_prefilled_team_of_three_keeps_everyone_on_paper() {
        let team = Team { department: String::new(), inspectors: "王强、李敏、赵六".into() };
        let mut officers = prefill("王强", "35012345", &team);
        officers[1].certificate = "35012346".into();
        let paper = on_paper(&officers);
        assert_eq!(names(&paper.officers).len() + paper.others.len(), 3);
        assert_eq!(paper.others, vec!["赵六".to_string()]);
    }

    #[test]
    fn the_inspector_comes_first_with_the_certificate_and_the_team_follows() {
        let team = Team { department: String::new(), inspectors: "李敏、王强，赵六".into() };
        let officers = prefill("王强", "35012345", &team);
        let names: Vec<(&str, &str)> = officers.iter().map(|o| (o.name.as_str(), o.certificate.as_str())).collect();
        assert_eq!(names, vec![("王强", "35012345"), ("李敏", ""), ("赵六", "")]);
    }

    #[test]
    fn there_are_always_two_lines_to_fill() {
        assert_eq!(prefill("", "", &Team::default()), vec![Officer::default(), Officer::default()]);
        assert_eq!(prefill("王强", "1", &Team::default()).len(), 2);
    }
}
