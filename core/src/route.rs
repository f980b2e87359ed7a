//! Where the app is, as a URL fragment: a reload or a restarted tab comes back to the
//! same screen (and the same checklist item).

use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// Pick the sector checklist for a new inspection.
    New,
    /// Site details and team of one inspection.
    Details(Uuid),
    /// The checklist, optionally positioned at one item.
    Checklist(Uuid, Option<String>),
    Review(Uuid),
    /// One hazard of an inspection: its grade and rectification.
    Hazard(Uuid, String),
    /// The print-ready report of one inspection.
    Report(Uuid),
    /// The enforcement documents of one inspection (issue 15): what they lack, their numbers,
    /// the unit's refusal, and their A4 print.
    Documents(Uuid),
    /// Every hazard found, open ones first, with re-inspection.
    Register,
    /// Where inspections are sent, and who is inspecting.
    Settings,
    /// A one-time sign-in link from the office (`#/join/<code>`): the app trades the code for
    /// its device token.
    Join(String),
}

impl Route {
    /// Reads `#/...`; anything unknown is Home, so a stale or mangled link never strands anyone.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["new"] => Route::New,
            ["settings"] => Route::Settings,
            ["register"] => Route::Register,
            ["join", code] if is_code(code) => Route::Join(code.to_string()),
            ["i", id, rest @ ..] => {
                let Ok(id) = Uuid::parse_str(id) else { return Route::Home };
                match rest {
                    [] | ["details"] => Route::Details(id),
                    ["checklist"] => Route::Checklist(id, None),
                    ["checklist", item] if is_item_id(item) => Route::Checklist(id, Some(item.to_string())),
                    ["review"] => Route::Review(id),
                    ["hazard", item] if is_item_id(item) => Route::Hazard(id, item.to_string()),
                    ["report"] => Route::Report(id),
                    ["documents"] => Route::Documents(id),
                    _ => Route::Home,
                }
            }
            _ => Route::Home,
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::New => "#/new".into(),
            Route::Settings => "#/settings".into(),
            Route::Register => "#/register".into(),
            Route::Join(code) => format!("#/join/{code}"),
            Route::Details(id) => format!("#/i/{id}/details"),
            Route::Checklist(id, None) => format!("#/i/{id}/checklist"),
            Route::Checklist(id, Some(item)) => format!("#/i/{id}/checklist/{item}"),
            Route::Review(id) => format!("#/i/{id}/review"),
            Route::Hazard(id, item) => format!("#/i/{id}/hazard/{item}"),
            Route::Report(id) => format!("#/i/{id}/report"),
            Route::Documents(id) => format!("#/i/{id}/documents"),
        }
    }

    /// The inspection this screen is about, if any.
    pub fn inspection(&self) -> Option<Uuid> {
        match self {
            Route::Details(id)
            | Route::Checklist(id, _)
            | Route::Review(id)
            | Route::Hazard(id, _)
            | Route::Report(id)
            | Route::Documents(id) => Some(*id),
            Route::Home | Route::New | Route::Settings | Route::Register | Route::Join(_) => None,
        }
    }
}

/// A sign-in code as the receiver makes them (`swl_` and URL-safe base64), nothing else.
fn is_code(s: &str) -> bool {
    (1..=100).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_item_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_round_trips() {
        let id = Uuid::from_u128(42);
        for route in [
            Route::Home,
            Route::New,
            Route::Settings,
            Route::Details(id),
            Route::Checklist(id, None),
            Route::Checklist(id, Some("cc-evac-01".into())),
            Route::Review(id),
            Route::Hazard(id, "cc-evac-01".into()),
            Route::Report(id),
            Route::Documents(id),
            Route::Register,
            Route::Join("swl_AbC-d_9".into()),
        ] {
            assert_eq!(Route::parse(&route.to_hash()), route);
        }
    }

    #[test]
    fn anything_unknown_goes_home() {
        for hash in [
            "",
            "#",
            "#/",
            "#/nope",
            "#/i/not-a-uuid/review",
            "#/i/00000000-0000-0000-0000-00000000002a/zzz",
            "#/i/00000000-0000-0000-0000-00000000002a/checklist/<script>",
            "#/i/00000000-0000-0000-0000-00000000002a/hazard",
            "#/i/00000000-0000-0000-0000-00000000002a/hazard/A B",
            "#/join",
            "#/join/<script>",
            "#/join/a%20b",
        ] {
            assert_eq!(Route::parse(hash), Route::Home, "{hash}");
        }
    }

    #[test]
    fn a_bare_inspection_link_opens_its_details() {
        let id = Uuid::from_u128(42);
        assert_eq!(Route::parse(&format!("#/i/{id}")), Route::Details(id));
        assert_eq!(Route::Checklist(id, None).inspection(), Some(id));
        assert_eq!(Route::New.inspection(), None);
    }
}
