//! Every string of the app. Each message is written once, both languages side by side, in
//! `messages.toml`; build.rs turns it into one struct, [`Strings`], and one constant of it per
//! language ([`ZH`], [`EN`]). A message missing in either language stops the build, naming the
//! message: never a blank on a phone.
//!
//! A message with values is a field of `fn` type with named parameters (`answered:
//! fn(answered: usize, total: usize) -> String`), each language placing them by name: word order
//! belongs to the language, never to the page that glues fragments. A placeholder the message
//! does not declare, or a value a language leaves out, stops the build too. Words the office
//! pages show too come from `safewalk_core::inspection::words`. Below: the few texts that are
//! computed (an error, an answer, a field → its message).

use safewalk_core::grading::Grade;
use safewalk_core::inspection::attachment::SignerRole;
use safewalk_core::inspection::determination::Conclusion;
use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::inspection::hazard::RectificationField;
use safewalk_core::inspection::words;
use safewalk_core::site::UsccError;
use safewalk_core::{Answer, Lang, SiteField};

use safewalk_core::exchange::backup::BackupError;
use safewalk_core::storage::guard::StorageCheck;
use safewalk_core::storage::StoreError;
use safewalk_core::EditError;

use crate::attachments::AttachmentError;
use crate::backup::RestoreError;
use crate::geo::GeoError;
use crate::photos::PhotoError;
use crate::state::{CatalogueFailure, ConnectionError, FetchFailure, KeepProblem, PullFailure, ReceiverImportError};
use crate::store::blobs::BlobError;
use safewalk_core::assignment::start::StartError;

// The `Strings` struct and its `ZH` and `EN` constants, written by build.rs from
// messages.toml; the names below are the ones its `words = "…"` messages use.
include!(concat!(env!("OUT_DIR"), "/strings.rs"));

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
                BackupError::BadPicture(id) => (self.backup_err_picture)(&id.to_string()),
                BackupError::PictureMismatch { picture, inspection: None } => (self.backup_err_picture)(&picture.to_string()),
                BackupError::PictureMismatch { picture, inspection: Some(inspection) } => {
                    (self.backup_err_picture_of)(&picture.to_string(), &inspection.to_string())
                }
            },
        };
        (self.restore_failed)(&reason)
    }

    /// Why an import from the receiver brought nothing.
    pub fn receiver_import_error(&self, error: &ReceiverImportError) -> String {
        let reason = match &error.failure {
            FetchFailure::Status(status) => (self.http_status)(*status),
            FetchFailure::TimedOut => return (self.import_server_failed)(&error.url),
            FetchFailure::Network(why) => why.clone(),
        };
        (self.import_server_failed_because)(&error.url, &reason)
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
            SiteField::Uscc => self.field_uscc,
            SiteField::Department => self.field_department,
            SiteField::Inspectors => self.field_inspectors,
        }
    }

    /// Why a typed credit code is not one, in the words of core's [`UsccError`].
    pub fn uscc_error(&self, error: &UsccError) -> String {
        match *error {
            UsccError::Length(count) => (self.uscc_length)(count),
            UsccError::Character { position, found } => (self.uscc_character)(position, found),
            UsccError::CheckCharacter { expected, found } => (self.uscc_check)(expected, found),
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

    /// Why a pull of the tasks brought nothing.
    pub fn pull_failure(&self, failure: &PullFailure) -> String {
        let reason = match failure {
            PullFailure::Offline => self.pull_offline.to_string(),
            PullFailure::TimedOut => self.timed_out.to_string(),
            PullFailure::Network(why) => (self.network_error)(why),
            PullFailure::TokenRefused => self.pull_token_refused.to_string(),
            PullFailure::NoSync => self.pull_no_sync.to_string(),
            PullFailure::NotAReceiver => self.pull_not_receiver.to_string(),
            PullFailure::Unreadable(why) => (self.pull_unreadable)(why),
            PullFailure::Status(status) if *status >= 500 => (self.pull_server_error)(*status),
            PullFailure::Status(status) => (self.http_status)(*status),
        };
        (self.pull_failed)(&reason)
    }

    /// Why the pulled tasks are not (or no longer) kept on the device.
    pub fn keep_problem(&self, problem: &KeepProblem) -> String {
        match problem {
            KeepProblem::Unreadable => self.tasks_unreadable.to_string(),
            KeepProblem::NotKept(e) => (self.tasks_not_kept)(&self.save_failure(e)),
        }
    }

    /// Why a task could not be started.
    pub fn start_error(&self, error: &StartError) -> String {
        match error {
            StartError::NoChecklist(id) => (self.task_no_checklist)(id),
            StartError::NothingToReInspect => self.task_nothing_to_reinspect.to_string(),
        }
    }
}

impl Strings {
    /// Why the documents were not numbered.
    pub fn issue_failure(&self, failure: &crate::state::IssueFailure, lang: Lang) -> String {
        use crate::state::IssueFailure;
        match failure {
            IssueFailure::Refused(refusal) => refusal.text().get(lang).to_string(),
            IssueFailure::NotKept(e) => (self.serials_not_kept)(&e.to_string()),
            IssueFailure::Gone => self.documents_gone.to_string(),
        }
    }

    /// Why a hand-entered block of serials was not added.
    pub fn block_problem(&self, problem: &crate::state::BlockProblem, lang: Lang) -> String {
        use crate::state::BlockProblem;
        match problem {
            BlockProblem::Refused(e) => e.text().get(lang).to_string(),
            BlockProblem::NotKept(e) => (self.serials_not_kept)(&e.to_string()),
        }
    }
}
