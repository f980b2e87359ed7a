//! Small pieces shared by the screens.

pub mod banners;
pub mod header;
pub mod item_card;
pub mod progress;
pub mod site_field;

use leptos::prelude::*;
use safewalk_core::Lang;

use crate::i18n::{strings, Strings};
use crate::state::AppState;

/// The app's state from context. Mounted under `App`, so it is always there.
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

/// The strings of the current language, tracked: a view reading through it follows a
/// language switch.
pub fn use_strings() -> impl Fn() -> &'static Strings + Copy {
    let lang = use_state().lang;
    move || strings(lang.get())
}

pub fn use_lang() -> Signal<Lang> {
    use_state().lang.into()
}
