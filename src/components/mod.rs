//! Small pieces shared by the screens.

pub mod assigned;
pub mod banners;
pub mod delivery;
pub mod document_sheets;
pub mod grade_badge;
pub mod header;
pub mod item_card;
pub mod outcome;
pub mod photos;
pub mod progress;
pub mod seal;
pub mod signature_pad;
pub mod site_field;

use safewalk_core::Lang;

use crate::i18n::{strings, Strings};
pub use crate::state::{use_checklists, use_delivery, use_device, use_drafts, use_settings, use_shell};

/// The strings of the current language. Read untracked: the app re-creates the screen when
/// the language changes (see `app.rs`), so text can be plain static strings instead of one
/// reactive closure each, which keeps the wasm small and the first render fast.
pub fn use_strings() -> &'static Strings {
    strings(use_lang())
}

pub fn use_lang() -> Lang {
    use_shell().lang_untracked()
}
