//! The frame of every signed-in office page (inspections, people, audit, password): the
//! shared layout, with the nav for whoever is behind the request.

use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup};

use super::language::say;
use super::principal_label;
use super::sign_in::Csrf;
use crate::html::{layout, nav, NavFor};
use crate::people::{Action, Principal};

/// `body` in the office frame, as an HTML response.
pub fn office_page(title: &str, principal: &Principal, csrf: Option<&Csrf>, body: Markup) -> Response {
    let signed_in_as = principal_label(principal);
    let who = NavFor { signed_in_as: &signed_in_as, admin: principal.may(Action::ManagePeople), csrf: csrf.map(|Csrf(c)| c.as_str()) };
    Html(layout(title, Some(nav(&who)), body).into_string()).into_response()
}

/// The session's CSRF token as the handlers receive it (absent for a bearer token).
pub fn csrf_of(csrf: &Option<Extension<Csrf>>) -> Option<&Csrf> {
    csrf.as_ref().map(|Extension(c)| c)
}

/// A list's "previous / next" links (not printed): `link` makes the address of the page starting at an
/// offset (the list's filters kept), `page` rows a page, `total` rows in all.
pub fn pager(offset: u64, page: u64, total: u64, link: impl Fn(u64) -> String) -> Markup {
    html! {
        p.pager {
            @if offset > 0 { a href=(link(offset.saturating_sub(page))) { (say("← 上一页", "← Previous")) } " " }
            @if offset + page < total { a href=(link(offset + page)) { (say("下一页 →", "Next →")) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pager;

    #[test]
    fn the_pager_links_only_to_pages_that_exist() {
        let links = |offset| pager(offset, 50, 120, |at| format!("/list?offset={at}")).into_string();
        let first = links(0);
        assert!(!first.contains("Previous") && first.contains("href=\"/list?offset=50\""), "{first}");
        let middle = links(50);
        assert!(middle.contains("href=\"/list?offset=0\"") && middle.contains("href=\"/list?offset=100\""), "{middle}");
        let last = links(100);
        assert!(last.contains("href=\"/list?offset=50\"") && !last.contains("Next"), "{last}");
        assert!(!pager(0, 50, 50, |at| at.to_string()).into_string().contains("<a"), "one page: no links");
    }
}
