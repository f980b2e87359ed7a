//! Every string of the app, one file per language. One struct, one constant of it per
//! language (`zh.rs`, `en.rs`): a string missing in either language is a compile error,
//! not a blank on a phone.
//!
//! A message with values is a field of `fn` type with named parameters (`answered:
//! fn(answered: usize, total: usize) -> String`), written in each language file as a closure
//! with named placeholders: word order belongs to the language, never to the page that
//! glues fragments. Words the office pages show too come from `safewalk_core::inspection::words`.

use safewalk_core::inspection::hazard::RectificationField;
use safewalk_core::{Answer, Lang, SiteField};

use safewalk_core::exchange::backup::BackupError;
use safewalk_core::storage::guard::StorageCheck;
use safewalk_core::storage::StoreError;
use safewalk_core::EditError;

use crate::attachments::AttachmentError;
use crate::backup::RestoreError;
use crate::geo::GeoError;
use crate::photos::PhotoError;
use crate::state::{CatalogueFailure, ConnectionError, FetchFailure, ReceiverImportError};
use crate::store::blobs::BlobError;

mod en;
mod zh;

pub use en::EN;
pub use zh::ZH;

pub struct Strings {
    pub app_name: &'static str,
    pub language_switch: &'static str,
    pub new_inspection: &'static str,
    pub drafts: &'static str,
    pub no_drafts: &'static str,
    pub completed: &'static str,
    pub no_completed: &'static str,
    pub unnamed_site: &'static str,
    pub last_change: fn(at: &str) -> String,
    pub answered: fn(answered: usize, total: usize) -> String,
    pub open: &'static str,
    pub unreadable_title: &'static str,
    pub unreadable_explain: &'static str,
    pub copy_raw: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub show_raw: &'static str,
    pub back: &'static str,
    pub home: &'static str,
    pub pick_sector: &'static str,
    pub pick_sector_hint: &'static str,
    pub items_count: fn(count: usize) -> String,
    pub templates_broken: &'static str,
    pub site_details: &'static str,
    pub team_details: &'static str,
    pub required: &'static str,
    pub field_required: fn(field: &str) -> String,
    pub required_hint: &'static str,
    pub choose: &'static str,
    pub phone_invalid: &'static str,
    pub to_checklist: &'static str,
    pub checklist: &'static str,
    pub jump_to_section: &'static str,
    pub basis: &'static str,
    pub note: &'static str,
    pub add_note: &'static str,
    pub hazard_note_label: &'static str,
    pub hazard_needs_note: &'static str,
    pub next_unanswered: &'static str,
    pub all_answered: &'static str,
    pub review: &'static str,
    pub progress: &'static str,
    pub edit_details: &'static str,
    pub counts: &'static str,
    pub hazards_found: &'static str,
    pub no_hazards: &'static str,
    pub missing: &'static str,
    pub nothing_missing: &'static str,
    pub unanswered_item: &'static str,
    pub report_counts: fn(compliant: usize, hazards: usize, not_applicable: usize, unanswered: usize) -> String,
    pub unknown_category: &'static str,
    pub complete: &'static str,
    pub complete_blocked: &'static str,
    pub completed_on: fn(at: &str) -> String,
    pub read_only: &'static str,
    pub not_found: &'static str,
    pub template_missing: fn(template: &str) -> String,
    pub saved: &'static str,
    pub saving: &'static str,
    pub storage_full: &'static str,
    pub storage_failed: fn(reason: &str) -> String,
    pub storage_unavailable: &'static str,
    pub update_ready: &'static str,
    pub update_now: &'static str,
    pub update_blocked: &'static str,
    pub answer_compliant: &'static str,
    pub answer_hazard: &'static str,
    pub answer_na: &'static str,
    pub answer_group: &'static str,
    pub field_site_name: &'static str,
    pub field_address: &'static str,
    pub field_category: &'static str,
    pub field_enterprise: &'static str,
    pub field_principal: &'static str,
    pub field_principal_phone: &'static str,
    pub field_department: &'static str,
    pub field_inspectors: &'static str,
    pub inspectors_hint: &'static str,
    pub settings: &'static str,
    pub settings_saved: &'static str,
    pub endpoint: &'static str,
    pub endpoint_hint: &'static str,
    pub token: &'static str,
    pub inspector_name: &'static str,
    pub inspector_id: &'static str,
    pub save: &'static str,
    pub test_connection: &'static str,
    pub connection_ok: &'static str,
    pub connection_failed: fn(reason: &str) -> String,
    /// The address answers, but not as a Safewalk receiver would (a web page, a portal).
    pub not_a_receiver: fn(url: &str) -> String,
    pub endpoint_not_url: &'static str,
    pub endpoint_insecure: &'static str,
    pub endpoint_scheme: &'static str,
    pub endpoint_query: &'static str,
    pub unsent: fn(count: usize) -> String,
    pub show_more: fn(shown: usize, total: usize) -> String,
    pub at_risk: fn(count: usize, since: &str) -> String,
    pub send_now: &'static str,
    pub auth_paused: fn(reason: &str) -> String,
    /// Opening the office's one-time sign-in link.
    pub joining: &'static str,
    pub joined_as: fn(name: &str) -> String,
    pub join_refused: &'static str,
    pub join_failed: fn(reason: &str) -> String,
    /// Settings: who this phone's token belongs to (`GET /me`), and forgetting it.
    pub signed_in_as: fn(name: &str, role: &str) -> String,
    pub sign_out: &'static str,
    pub signed_out: &'static str,
    pub delivery_queued: &'static str,
    pub delivery_sending: &'static str,
    pub delivery_delivered: fn(at: &str) -> String,
    pub delivery_failed: fn(reason: &str, tries: u32, next_try: &str) -> String,
    pub delivery_conflict: fn(message: &str) -> String,
    pub delivery_too_large: &'static str,
    pub delivery_rejected: fn(status: u16, message: &str) -> String,
    pub token_refused: &'static str,
    pub archive_loading: &'static str,
    pub catalogue_loading: &'static str,
    pub catalogue_failed: fn(reason: &str) -> String,
    /// The catalogue held no usable checklist, and no problem says why.
    pub no_checklists: &'static str,
    /// A request got no answer in time (the catalogue, test connection).
    pub timed_out: &'static str,
    /// The browser could not reach the server; `why` is the browser's own words.
    pub network_error: fn(why: &str) -> String,
    pub http_status: fn(status: u16) -> String,
    pub import_title: &'static str,
    pub import_hint: &'static str,
    pub import_file: &'static str,
    pub import_server: &'static str,
    pub import_working: &'static str,
    pub import_done: fn(count: usize) -> String,
    pub import_refused: &'static str,
    pub import_unreadable_file: &'static str,
    pub import_server_failed: fn(url: &str, reason: Option<&str>) -> String,
    pub not_a_hazard: &'static str,
    pub hazard_title: &'static str,
    pub grade: &'static str,
    pub grade_choice: &'static str,
    pub grade_by_rule: &'static str,
    pub grade_raise: &'static str,
    pub grade_lower: &'static str,
    pub lower_reason: &'static str,
    pub lower_reason_needed: &'static str,
    pub rectification: &'static str,
    pub on_the_spot: &'static str,
    pub back_to_checklist: &'static str,
    pub required_missing: &'static str,
    pub deadline_invalid: &'static str,
    pub optional: &'static str,
    pub grade_major: &'static str,
    pub grade_general: &'static str,
    pub rect_on_the_spot_note: &'static str,
    pub rect_measures: &'static str,
    pub rect_unit: &'static str,
    pub rect_person: &'static str,
    pub rect_role: &'static str,
    pub rect_phone: &'static str,
    pub rect_funds: &'static str,
    pub rect_deadline: &'static str,
    pub deadline_on: fn(deadline: &str) -> String,
    /// A field's label and its value in running text (the report's rectification column).
    pub labelled: fn(label: &str, value: &str) -> String,
    pub rect_contingency: &'static str,
    pub rect_supervisor: &'static str,
    pub register_title: &'static str,
    pub register_empty: &'static str,
    pub filter_site: &'static str,
    pub filter_sector: &'static str,
    pub filter_all: &'static str,
    pub show_closed: &'static str,
    pub status_open: &'static str,
    pub overdue: &'static str,
    pub hazard_counts: fn(open: usize, major: usize, overdue: usize) -> String,
    pub status_on_the_spot: &'static str,
    pub status_closed: fn(at: &str) -> String,
    pub reinspect_site: &'static str,
    pub register_link: &'static str,
    pub reinspect_site_open: fn(open: usize) -> String,
    pub follow_up_title: &'static str,
    pub follow_up_numbered: fn(number: usize) -> String,
    pub follow_up_of: &'static str,
    pub verdict: &'static str,
    pub verdict_rectified: &'static str,
    pub verdict_not_rectified: &'static str,
    pub verdict_note: &'static str,
    pub verdict_missing: &'static str,
    pub exclusions: &'static str,
    pub exclusions_hint: fn(standard: &str) -> String,
    pub responsibilities: &'static str,
    pub principal_label: &'static str,
    pub inspected_by: &'static str,
    pub supervised_by: fn(name: &str) -> String,
    pub follow_ups: &'static str,
    pub storage_title: &'static str,
    pub storage_persistent: &'static str,
    pub storage_best_effort: &'static str,
    pub storage_unknown: &'static str,
    pub storage_used: fn(used: &str, quota: &str) -> String,
    pub ios_install: &'static str,
    pub print: &'static str,
    pub report: &'static str,
    pub report_date: &'static str,
    pub photos: &'static str,
    pub photo_take: &'static str,
    pub photo_choose: &'static str,
    pub photo_locating: &'static str,
    pub photo_processing: &'static str,
    pub photo_saved: &'static str,
    pub photo_not_image: &'static str,
    pub photo_too_big: &'static str,
    pub photo_storage_full: &'static str,
    pub photo_failed: fn(reason: &str) -> String,
    pub photo_unreadable: fn(detail: &str) -> String,
    pub photo_locked: &'static str,
    pub photo_of: fn(label: &str, time: &str) -> String,
    pub photo_site: &'static str,
    pub photo_delete: &'static str,
    pub photo_delete_confirm: &'static str,
    pub photo_delete_yes: &'static str,
    pub photo_delete_no: &'static str,
    pub photo_deleted: &'static str,
    pub photo_delete_failed: fn(reason: &str) -> String,
    pub no_position: &'static str,
    pub accuracy_poor: &'static str,
    pub location_denied: &'static str,
    pub location_unavailable: &'static str,
    pub location_title: &'static str,
    pub location_hint: &'static str,
    pub record_location: &'static str,
    pub record_location_again: &'static str,
    pub location_none: &'static str,
    pub signatures: &'static str,
    pub no_signatures: &'static str,
    pub signer_name: &'static str,
    pub signer_role: &'static str,
    pub role_inspector: &'static str,
    pub role_site_rep: &'static str,
    pub signature_pad: &'static str,
    pub signature_clear: &'static str,
    pub sign: &'static str,
    pub signing: &'static str,
    pub signature_saved: &'static str,
    pub signature_needs_name: &'static str,
    pub signature_needs_ink: &'static str,
    pub signature_failed: fn(reason: &str) -> String,
    pub signature_of: fn(name: &str) -> String,
    pub sign_locks: &'static str,
    pub sign_when_ready: &'static str,
    pub signed_locked: &'static str,
    pub complete_after_signing: &'static str,
    pub data_title: &'static str,
    pub data_hint: &'static str,
    pub export_all_json: &'static str,
    pub export_all_csv: &'static str,
    pub backup_unsent: &'static str,
    pub restore_backup: &'static str,
    pub export_nothing: &'static str,
    pub export_done: fn(inspections: usize, file: &str) -> String,
    pub download_failed: fn(reason: &str) -> String,
    pub backup_working: &'static str,
    pub backup_nothing: &'static str,
    pub backup_done: fn(inspections: usize, pictures: usize, file: &str) -> String,
    pub backup_missing_pictures: fn(pictures: usize) -> String,
    pub restore_working: &'static str,
    pub restore_restored: fn(count: usize) -> String,
    pub restore_existing: fn(count: usize) -> String,
    pub restore_replaced: fn(count: usize) -> String,
    pub restore_pictures: fn(count: usize) -> String,
    pub restore_missing_pictures: fn(count: usize) -> String,
    pub restore_checklists_refused: &'static str,
    pub restore_failed: fn(reason: &str) -> String,
    pub restore_unreadable_file: &'static str,
    pub backup_err_not_json: fn(why: &str) -> String,
    pub backup_err_not_backup: &'static str,
    pub backup_err_format: fn(format: u64) -> String,
    pub backup_err_invalid: fn(part: &str, message: &str) -> String,
    pub backup_err_duplicate: fn(id: &str) -> String,
    pub backup_err_picture: fn(picture: &str, inspection: Option<&str>) -> String,
    pub backup_err_storage: fn(why: &str) -> String,
    pub accuracy_imprecise: fn(accuracy: &str) -> String,
    pub checklist_unavailable: &'static str,
    pub report_photos: &'static str,
    pub export_json: &'static str,
    pub export_csv: &'static str,
    pub grade_suspected: &'static str,
    pub awaiting_determination: &'static str,
    pub determined_major: &'static str,
    pub determined_not_major: &'static str,
    pub determination: &'static str,
    pub determination_date: &'static str,
    pub participants: &'static str,
    pub expert_panel: &'static str,
    pub votes_in_favour: &'static str,
    pub determination_reason: &'static str,
    pub person_name: &'static str,
    pub person_role: &'static str,
    pub conclusion_major: &'static str,
    pub conclusion_not_major: &'static str,
    pub record_determination: &'static str,
    pub withdraw_determination: &'static str,
    pub determination_hint: &'static str,
    pub add_participant: &'static str,
    pub add_panel_member: &'static str,
    pub remove_person: &'static str,
    pub panel_convened: &'static str,
    pub panel_members: &'static str,
    pub conclusions: &'static str,
    pub determination_settled: &'static str,
    pub determination_unsettled: &'static str,
    pub determination_none_delivered: &'static str,
    pub det_invalid_date: &'static str,
    pub det_missing_reason: &'static str,
    pub det_too_few_participants: fn(count: usize) -> String,
    pub det_participant_incomplete: fn(number: usize) -> String,
    pub det_panel_too_small: fn(members: usize) -> String,
    pub det_panel_member_incomplete: fn(number: usize) -> String,
    pub det_too_few_votes: fn(votes: u32, needed: u32) -> String,
    pub det_more_votes: fn(votes: u32, members: usize) -> String,
    pub det_not_suspected: fn(item: &str) -> String,
    pub det_missing_conclusion: fn(item: &str) -> String,
    pub participant_numbered: fn(number: usize) -> String,
    pub panel_member_numbered: fn(number: usize) -> String,
    pub storage_vanished_local: &'static str,
    pub storage_vanished_database: &'static str,
    pub storage_vanished_differ: &'static str,
    pub dismiss: &'static str,
}

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

impl Strings {
    pub fn endpoint_error(&self, error: &safewalk_core::delivery::settings::EndpointError) -> &'static str {
        use safewalk_core::delivery::settings::EndpointError;
        match error {
            EndpointError::NotAUrl => self.endpoint_not_url,
            EndpointError::InsecureRemote => self.endpoint_insecure,
            EndpointError::UnsupportedScheme => self.endpoint_scheme,
            EndpointError::HasQueryOrFragment => self.endpoint_query,
        }
    }

    /// Why the built-in catalogue could not be loaded. A network error stays in the
    /// browser's words, as before; the catalogue's first problem in its own.
    pub fn catalogue_failure(&self, failure: &CatalogueFailure) -> String {
        match failure {
            CatalogueFailure::Status(status) => (self.http_status)(*status),
            CatalogueFailure::TimedOut => self.timed_out.to_string(),
            CatalogueFailure::Network(why) => why.clone(),
            CatalogueFailure::NoChecklists(Some(problem)) => problem.clone(),
            CatalogueFailure::NoChecklists(None) => self.no_checklists.to_string(),
        }
    }

    /// Why a photo or signature could not be kept or removed: the inspector's own sentence
    /// where one fits, else the app's with the technical detail.
    pub fn attachment_error(&self, error: &AttachmentError) -> String {
        match error {
            AttachmentError::Picture(PhotoError::NotAnImage) => self.photo_not_image.to_string(),
            AttachmentError::Picture(e @ PhotoError::DecodeFailed { .. }) => (self.photo_unreadable)(&e.to_string()),
            AttachmentError::Picture(PhotoError::OutOfMemory) => self.photo_too_big.to_string(),
            AttachmentError::Storage(BlobError::QuotaExceeded) => self.photo_storage_full.to_string(),
            AttachmentError::Edit(EditError::Signed | EditError::Completed) => self.photo_locked.to_string(),
            other => (self.photo_failed)(&other.to_string()),
        }
    }

    /// Why there is no position.
    pub fn geo_error(&self, error: GeoError) -> &'static str {
        match error {
            GeoError::Denied => self.location_denied,
            GeoError::Unavailable | GeoError::Timeout => self.location_unavailable,
        }
    }

    /// What vanished from the phone's storage since the last start.
    pub fn storage_vanished(&self, check: StorageCheck) -> &'static str {
        match check {
            StorageCheck::LocalVanished => self.storage_vanished_local,
            StorageCheck::DatabaseVanished => self.storage_vanished_database,
            StorageCheck::Differ | StorageCheck::Fresh | StorageCheck::Intact => self.storage_vanished_differ,
        }
    }

    /// Why edits are not on the device.
    pub fn save_failure(&self, error: &StoreError) -> String {
        match error {
            StoreError::QuotaExceeded => self.storage_full.to_string(),
            StoreError::Unavailable(why) => (self.storage_failed)(why),
        }
    }

    /// Why a restore did nothing.
    pub fn restore_error(&self, error: &RestoreError) -> String {
        let reason = match error {
            RestoreError::UnreadableFile => self.restore_unreadable_file.to_string(),
            RestoreError::Storage(e) => (self.backup_err_storage)(&e.to_string()),
            RestoreError::Browser(why) => (self.backup_err_storage)(why),
            RestoreError::Backup(e) => match e {
                BackupError::NotJson(why) => (self.backup_err_not_json)(why),
                BackupError::NotABackup => self.backup_err_not_backup.to_string(),
                BackupError::UnsupportedFormat(format) => (self.backup_err_format)(*format),
                BackupError::Invalid { part, message } => (self.backup_err_invalid)(part, message),
                BackupError::Duplicate(id) => (self.backup_err_duplicate)(&id.to_string()),
                BackupError::BadPicture(id) => (self.backup_err_picture)(&id.to_string(), None),
                BackupError::PictureMismatch { picture, inspection } => {
                    (self.backup_err_picture)(&picture.to_string(), inspection.map(|i| i.to_string()).as_deref())
                }
            },
        };
        (self.restore_failed)(&reason)
    }

    /// Why an import from the receiver brought nothing.
    pub fn receiver_import_error(&self, error: &ReceiverImportError) -> String {
        let reason = match &error.failure {
            FetchFailure::Status(status) => Some((self.http_status)(*status)),
            FetchFailure::TimedOut => None,
            FetchFailure::Network(why) => Some(why.clone()),
        };
        (self.import_server_failed)(&error.url, reason.as_deref())
    }

    /// Why "test connection" failed. Any other answer: its status and the server's own words.
    pub fn connection_error(&self, error: &ConnectionError) -> String {
        use safewalk_core::delivery::outbox::Outcome;
        let reason = match error {
            ConnectionError::InvalidEndpoint(e) => return self.endpoint_error(e).to_string(),
            ConnectionError::NotAReceiver { url } => (self.not_a_receiver)(url),
            ConnectionError::TokenRefused => self.token_refused.to_string(),
            ConnectionError::TimedOut => self.timed_out.to_string(),
            ConnectionError::Network(why) => (self.network_error)(why),
            ConnectionError::Refused(outcome) => match outcome {
                Outcome::Retry(why) | Outcome::AuthFailed(why) | Outcome::Conflict(why) => why.clone(),
                Outcome::Rejected { status, message } => format!("{status}: {message}"),
                Outcome::TooLarge => "413".into(),
                Outcome::Delivered(_) => String::new(),
            },
        };
        (self.connection_failed)(&reason)
    }

    pub fn answer(&self, answer: Answer) -> &'static str {
        match answer {
            Answer::Compliant => self.answer_compliant,
            Answer::Hazard => self.answer_hazard,
            Answer::NotApplicable => self.answer_na,
        }
    }

    pub fn field(&self, field: SiteField) -> &'static str {
        match field {
            SiteField::SiteName => self.field_site_name,
            SiteField::Address => self.field_address,
            SiteField::Category => self.field_category,
            SiteField::Enterprise => self.field_enterprise,
            SiteField::Principal => self.field_principal,
            SiteField::PrincipalPhone => self.field_principal_phone,
            SiteField::Department => self.field_department,
            SiteField::Inspectors => self.field_inspectors,
        }
    }

    pub fn rectification_field(&self, field: RectificationField) -> &'static str {
        match field {
            RectificationField::OnTheSpotNote => self.rect_on_the_spot_note,
            RectificationField::Measures => self.rect_measures,
            RectificationField::Unit => self.rect_unit,
            RectificationField::Person => self.rect_person,
            RectificationField::Role => self.rect_role,
            RectificationField::Phone => self.rect_phone,
            RectificationField::Funds => self.rect_funds,
            RectificationField::Deadline => self.rect_deadline,
            RectificationField::ContingencyPlan => self.rect_contingency,
            RectificationField::Supervisor => self.rect_supervisor,
        }
    }
}
