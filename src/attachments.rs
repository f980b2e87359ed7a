//! Photos and signatures of an inspection: the picture goes to IndexedDB (never
//! localStorage) under the attachment's id, and the inspection records what it is (kind,
//! item, SHA-256, size, time, position, signer), so delivery can prove every byte arrived.

use std::fmt;

use leptos::prelude::*;
use safewalk_core::inspection::attachment::{Attachment, AttachmentKind, Position, Signer};
use safewalk_core::EditError;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use crate::photos::{self, PhotoError};
use crate::state::Drafts;
use crate::store::blobs::{BlobError, BlobStore};
use crate::{browser, digest};

/// Why a photo or signature could not be kept or removed, told to the inspector by
/// [`crate::i18n::Strings::attachment_error`].
#[derive(Clone, Debug, PartialEq)]
pub enum AttachmentError {
    /// The picked file could not be read or processed as a picture.
    Picture(PhotoError),
    /// The signature pad gave no picture; the browser's words.
    Drawing(String),
    /// The browser could not hash the picture; its words.
    Hash(String),
    /// The picture store refused (full, missing, failing).
    Storage(BlobError),
    /// The inspection refused the change: signed or completed, or no longer there.
    Edit(EditError),
}

/// The technical detail, in the words of whoever failed (shown after the app's own sentence).
impl fmt::Display for AttachmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttachmentError::Picture(e) => e.fmt(f),
            AttachmentError::Storage(e) => e.fmt(f),
            AttachmentError::Drawing(why) | AttachmentError::Hash(why) => f.write_str(why),
            AttachmentError::Edit(e) => write!(f, "{e:?}"),
        }
    }
}

/// Lowercase hex SHA-256 of a blob, by the browser's SubtleCrypto (no hashing code in the wasm).
pub async fn sha256_hex(blob: &Blob) -> Result<String, AttachmentError> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|e| AttachmentError::Hash(format!("{e:?}")))?;
    digest::sha256_hex(buffer.unchecked_ref()).await.map_err(AttachmentError::Hash)
}

async fn store(id: Uuid, blob: &Blob) -> Result<(), AttachmentError> {
    let blobs = BlobStore::open().await.map_err(AttachmentError::Storage)?;
    blobs.put(&id.to_string(), blob).await.map_err(AttachmentError::Storage)
}

/// Downscales a picked or captured picture, keeps it, and records it on the inspection
/// (against an item, or the whole site when `item` is None).
pub async fn add_photo(
    drafts: Drafts,
    inspection: Uuid,
    item: Option<String>,
    file: Blob,
    position: Option<Position>,
) -> Result<(), AttachmentError> {
    let photo = photos::downscale(&file).await.map_err(AttachmentError::Picture)?;
    let attachment = Attachment {
        id: Uuid::new_v4(),
        kind: AttachmentKind::Photo,
        item,
        sha256: sha256_hex(&photo.blob).await?,
        content_type: "image/jpeg".into(),
        bytes: photo.bytes,
        width: photo.width,
        height: photo.height,
        taken_at: browser::now(),
        position,
        signer: None,
    };
    record(drafts, inspection, attachment, &photo.blob).await
}

/// Keeps a signature (a PNG from the pad) and records who signed and when.
pub async fn add_signature(
    drafts: Drafts,
    inspection: Uuid,
    png: Blob,
    width: u32,
    height: u32,
    signer: Signer,
) -> Result<(), AttachmentError> {
    let attachment = Attachment {
        id: Uuid::new_v4(),
        kind: AttachmentKind::Signature,
        item: None,
        sha256: sha256_hex(&png).await?,
        content_type: "image/png".into(),
        bytes: png.size() as u64,
        width,
        height,
        taken_at: browser::now(),
        position: None,
        signer: Some(signer),
    };
    record(drafts, inspection, attachment, &png).await
}

/// The picture is stored before the inspection names it: an inspection never lists a
/// picture the device does not have. Should the edit then be refused, the picture goes.
async fn record(drafts: Drafts, inspection: Uuid, attachment: Attachment, blob: &Blob) -> Result<(), AttachmentError> {
    let id = attachment.id;
    store(id, blob).await?;
    match drafts.edit(inspection, |i, _, now| i.add_attachment(attachment, now)) {
        Ok(()) => {
            drafts.flush();
            Ok(())
        }
        Err(e) => {
            if let Ok(blobs) = BlobStore::open().await {
                let _ = blobs.delete(&id.to_string()).await;
            }
            Err(AttachmentError::Edit(e))
        }
    }
}

/// Removes a photo from the inspection, then its picture.
pub async fn remove(drafts: Drafts, inspection: Uuid, attachment: Uuid) -> Result<(), AttachmentError> {
    drafts.edit(inspection, |i, _, now| i.remove_attachment(attachment, now).map(|_| ())).map_err(AttachmentError::Edit)?;
    drafts.flush();
    let blobs = BlobStore::open().await.map_err(AttachmentError::Storage)?;
    blobs.delete(&attachment.to_string()).await.map_err(AttachmentError::Storage)
}

/// The stored picture of an attachment.
pub async fn picture(attachment: Uuid) -> Option<Blob> {
    BlobStore::open().await.ok()?.get(&attachment.to_string()).await.ok().flatten()
}

/// An object URL for an attachment's picture, revoked when the calling view goes away.
pub fn picture_url(attachment: Uuid) -> RwSignal<Option<String>> {
    let url = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        if let Some(blob) = picture(attachment).await {
            if let Ok(object_url) = web_sys::Url::create_object_url_with_blob(&blob) {
                url.set(Some(object_url));
            }
        }
    });
    on_cleanup(move || {
        if let Some(Some(object_url)) = url.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&object_url);
        }
    });
    url
}
