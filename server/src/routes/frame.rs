//! The frame of every signed-in office page (inspections, people, audit, password): the
//! shared layout, with the nav for whoever is behind the request.

use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use maud::Markup;

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
