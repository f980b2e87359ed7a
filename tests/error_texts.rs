//! Every typed error is told by its type, once per language: a message that happens to
//! contain another error's wording is not mistaken for it (as matching by wording did).
#![cfg(target_arch = "wasm32")]

use safewalk::attachments::AttachmentError;
use safewalk::backup::RestoreError;
use safewalk::geo::GeoError;
use safewalk::i18n::{EN, ZH};
use safewalk::photos::PhotoError;
use safewalk::state::{ConnectionError, FetchFailure, ReceiverImportError};
use safewalk::store::blobs::BlobError;
use safewalk_core::exchange::backup::BackupError;
use safewalk_core::storage::StoreError;
use safewalk_core::EditError;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn attachment_errors_are_told_by_their_kind_in_each_language() {
    for s in [&EN, &ZH] {
        assert_eq!(s.attachment_error(&AttachmentError::Picture(PhotoError::NotAnImage)), s.photo_not_image);
        assert_eq!(s.attachment_error(&AttachmentError::Picture(PhotoError::OutOfMemory)), s.photo_too_big);
        assert_eq!(s.attachment_error(&AttachmentError::Storage(BlobError::QuotaExceeded)), s.photo_storage_full);
        assert_eq!(s.attachment_error(&AttachmentError::Edit(EditError::Signed)), s.photo_locked);
        assert_eq!(s.attachment_error(&AttachmentError::Edit(EditError::Completed)), s.photo_locked);
        let heic = PhotoError::DecodeFailed { format: "HEIC", message: "EncodingError: unsupported".into() };
        assert_eq!(s.attachment_error(&AttachmentError::Picture(heic.clone())), (s.photo_unreadable)(&heic.to_string()));
    }
}

#[wasm_bindgen_test]
fn an_error_whose_words_sound_like_another_is_not_taken_for_it() {
    let sounds_full = AttachmentError::Storage(BlobError::Failed {
        op: "store the photo",
        name: "UnknownError".into(),
        message: "storage is full of surprises".into(),
    });
    assert_eq!(EN.attachment_error(&sounds_full), (EN.photo_failed)(&sounds_full.to_string()));
    let sounds_like_memory = AttachmentError::Picture(PhotoError::EncodeFailed("not enough memory".into()));
    assert_ne!(EN.attachment_error(&sounds_like_memory), EN.photo_too_big);
    let named_signed = AttachmentError::Drawing("Signed".into());
    assert_ne!(EN.attachment_error(&named_signed), EN.photo_locked);
}

#[wasm_bindgen_test]
fn save_connection_location_and_restore_failures_are_told_once_each() {
    assert_eq!(EN.save_failure(&StoreError::QuotaExceeded), EN.storage_full);
    assert_eq!(ZH.save_failure(&StoreError::Unavailable("SecurityError".into())), (ZH.storage_failed)("SecurityError"));
    assert_eq!(EN.connection_error(&ConnectionError::TokenRefused), (EN.connection_failed)(EN.token_refused));
    assert_eq!(EN.connection_error(&ConnectionError::TimedOut), (EN.connection_failed)(EN.timed_out));
    assert_eq!(ZH.geo_error(GeoError::Denied), ZH.location_denied);
    assert_eq!(EN.geo_error(GeoError::Timeout), EN.location_unavailable);
    assert_eq!(
        EN.restore_error(&RestoreError::Storage(BlobError::QuotaExceeded)),
        format!("Nothing was restored and nothing on this device was changed. Could not save on this device: {}", BlobError::QuotaExceeded)
    );
    let mismatch = BackupError::PictureMismatch { picture: Uuid::nil(), inspection: Some(Uuid::max()) };
    assert_eq!(
        ZH.restore_error(&RestoreError::Backup(mismatch)),
        format!("未恢复任何内容，本机数据没有改动。 备份中的图片已损坏或与检查记录不符：{} ({})", Uuid::nil(), Uuid::max())
    );
}

#[wasm_bindgen_test]
fn a_reason_that_is_absent_leaves_no_trace_in_the_sentence() {
    let timed_out = ReceiverImportError { url: "https://r.example/templates".into(), failure: FetchFailure::TimedOut };
    assert_eq!(EN.receiver_import_error(&timed_out), "Could not fetch checklists from the receiver: https://r.example/templates");
    let refused = ReceiverImportError { url: "https://r.example/templates".into(), failure: FetchFailure::Status(503) };
    assert_eq!(ZH.receiver_import_error(&refused), "无法从接收端获取检查表： https://r.example/templates: HTTP 503");
    let unmatched = BackupError::PictureMismatch { picture: Uuid::nil(), inspection: None };
    assert_eq!(
        EN.restore_error(&RestoreError::Backup(unmatched)),
        format!(
            "Nothing was restored and nothing on this device was changed. A picture in the backup is damaged or does not match its inspection: {}",
            Uuid::nil()
        )
    );
}
