//! The officers a document names, prefilled: the phone's own inspector (with the certificate
//! number set once in Settings) first, then the team's other names, whose certificates the
//! inspector types in. What is typed later in the record wins: this only starts it.

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

#[cfg(test)]
mod tests {
    use super::*;

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
