//! Export, back up and restore in the browser. The rules and the file formats are
//! `safewalk_core::exchange::export` and `safewalk_core::exchange::backup`; this file fetches the pictures from
//! IndexedDB, hashes them (SubtleCrypto), writes the results through the services, and hands
//! files to the user as downloads.
//!
//! A restore checks everything before it writes anything: the file, its format, every
//! picture against its hash. Then it writes the pictures first (an inspection never names a
//! picture the device lacks), the checklists, the inspections, and last the outbox.

use std::collections::BTreeSet;
use std::time::Duration;

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use safewalk_core::catalogue::library::Library;
use safewalk_core::exchange::backup::{restore_plan, Backup, BackupError};
use safewalk_core::exchange::export;
use safewalk_core::{Inspection, TemplateError};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

use crate::attachments;
use crate::browser;
use crate::state::{Checklists, Services};
use crate::store::blobs::{BlobError, BlobStore};

/// The browser refused to hand a file to the user; its words. Told by
/// [`crate::i18n::Strings::download_failed`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownloadError(pub String);

impl From<&str> for DownloadError {
    fn from(why: &str) -> DownloadError {
        DownloadError(why.to_string())
    }
}

fn js_error(e: JsValue) -> String {
    e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()))).unwrap_or_else(|| format!("{e:?}"))
}

/// Offers `text` as a file called `name` (a Blob, an object URL and a temporary
/// `<a download>` clicked once). For others too: the report page's "Export JSON".
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), DownloadError> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        Blob::new_with_str_sequence_and_options(&Array::of1(&JsValue::from_str(text)), &options).map_err(|e| DownloadError(js_error(e)))?;
    download_blob(name, &blob)
}

fn download_blob(name: &str, blob: &Blob) -> Result<(), DownloadError> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let body = document.body().ok_or("no document body")?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| DownloadError(js_error(e)))?;
    let clicked = (|| -> Result<(), JsValue> {
        let link: web_sys::HtmlElement = document.create_element("a")?.unchecked_into();
        link.set_attribute("href", &url)?;
        link.set_attribute("download", name)?;
        link.set_attribute("hidden", "")?;
        body.append_child(&link)?;
        link.click();
        link.remove();
        Ok(())
    })();
    // The browser reads the blob after the click returns: revoke the URL a while later.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), Duration::from_secs(60));
    clicked.map_err(|e| DownloadError(js_error(e)))
}

/// `safewalk-{what}-YYYY-MM-DD.{ext}`, dated today on the phone's calendar.
pub fn dated_name(what: &str, ext: &str) -> String {
    format!("safewalk-{what}-{}.{ext}", browser::today())
}

/// The checklist editions (and their rule sets) the inspections were started with, as far
/// as this device knows them.
fn library_for(checklists: Checklists, inspections: &[Inspection]) -> Library {
    checklists.library_of(inspections.iter().map(|i| &i.template))
}

/// Downloads the inspections as JSON, one delivered-shape payload each (graded where the
/// checklist is known), under `name`.
pub fn export_json(checklists: Checklists, inspections: &[Inspection], name: &str) -> Result<(), DownloadError> {
    let json = export::to_json(inspections, &library_for(checklists, inspections));
    download(name, "application/json", &json)
}

/// Downloads the inspections as CSV (one row per item answer, times in the phone's zone)
/// under `name`.
pub fn export_csv(checklists: Checklists, inspections: &[Inspection], name: &str) -> Result<(), DownloadError> {
    let offset_minutes = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let csv = export::to_csv(inspections, &library_for(checklists, inspections), offset_minutes);
    download(name, "text/csv;charset=utf-8", &csv)
}

/// What "Back up everything unsent" wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSummary {
    pub file: String,
    pub inspections: usize,
    pub pictures: usize,
    /// Pictures the inspections list that this device no longer has.
    pub missing_pictures: usize,
}

/// Writes every inspection not delivered yet (drafts, and completed ones not acknowledged),
/// their outbox records, checklists and pictures to one file and downloads it. `Ok(None)`
/// when there is nothing unsent.
pub async fn back_up_unsent(services: Services) -> Result<Option<BackupSummary>, DownloadError> {
    let inspections = services.drafts.with_all_untracked(<[Inspection]>::to_vec);
    let outbox = services.delivery.outbox_untracked();
    let library = library_for(services.checklists, &inspections);
    let mut backup = services.drafts.with_archived(|archived| Backup::of_unsent(&inspections, &outbox, archived, &library, browser::now()));
    drop(inspections);
    if backup.inspections.is_empty() {
        return Ok(None);
    }
    let wanted = backup.wanted_pictures();
    let mut missing = 0;
    if !wanted.is_empty() {
        match BlobStore::open().await {
            Ok(store) => {
                for attachment in &wanted {
                    let blob = store.get(&attachment.id.to_string()).await.ok().flatten();
                    let bytes = match blob {
                        Some(blob) => JsFuture::from(blob.array_buffer()).await.ok().map(|buffer| Uint8Array::new(&buffer).to_vec()),
                        None => None,
                    };
                    match bytes {
                        Some(bytes) => backup.add_picture(attachment, &bytes),
                        None => missing += 1,
                    }
                }
            }
            Err(_) => missing = wanted.len(),
        }
    }
    let file = dated_name("backup", "json");
    download(&file, "application/json", &backup.to_json())?;
    Ok(Some(BackupSummary { file, inspections: backup.inspections.len(), pictures: backup.pictures.len(), missing_pictures: missing }))
}

/// What a restore did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestoreReport {
    pub restored: usize,
    pub replaced: usize,
    pub already_here: usize,
    pub pictures: usize,
    pub missing_pictures: usize,
    /// Checklists the backup carried that could not be read or kept.
    pub checklists_refused: Vec<TemplateError>,
}

/// Why a restore did nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    /// The file could not be read as text.
    UnreadableFile,
    Backup(BackupError),
    /// The device refused to store (a full disk, no IndexedDB): nothing was restored.
    Storage(BlobError),
    /// The browser could not make or hash a picture of the backup; its words.
    Browser(String),
}

impl From<BackupError> for RestoreError {
    fn from(e: BackupError) -> RestoreError {
        RestoreError::Backup(e)
    }
}

/// Restores a backup file (see the module documentation for the order of things).
pub async fn restore(services: Services, file: Blob) -> Result<RestoreReport, RestoreError> {
    let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).ok_or(RestoreError::UnreadableFile)?;
    let parsed = Backup::parse(&text)?;
    drop(text);
    // An archived copy of an inspection in the backup is read first, so the plan compares with it.
    let ids: Vec<Uuid> = parsed.backup.inspections.iter().map(|i| i.id).collect();
    services.drafts.read_archived(&ids).await;
    let mut plan = services.drafts.with_all_untracked(|existing| restore_plan(parsed.backup, existing));

    // Every picture is checked against its hash before anything is written.
    let mut pictures = Vec::with_capacity(plan.pictures_to_store.len());
    for picture in &plan.pictures_to_store {
        let bytes = picture.decode()?;
        let options = BlobPropertyBag::new();
        options.set_type(&picture.content_type);
        let parts = Array::of1(&Uint8Array::from(bytes.as_slice()));
        let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|e| RestoreError::Browser(js_error(e)))?;
        let hash = attachments::sha256_hex(&blob).await.map_err(|e| RestoreError::Browser(e.to_string()))?;
        picture.verify(&hash).map_err(|_| {
            let inspection = plan.restored().find(|i| i.attachments.iter().any(|a| a.id == picture.id)).map(|i| i.id);
            BackupError::PictureMismatch { picture: picture.id, inspection }
        })?;
        pictures.push((picture.id, blob));
    }

    // Pictures first: should the device refuse one (a full disk), the ones this restore
    // stored are taken out again and no inspection names any of them.
    if !pictures.is_empty() {
        let store = BlobStore::open().await.map_err(RestoreError::Storage)?;
        let present: BTreeSet<String> = store.keys().await.map_err(RestoreError::Storage)?.into_iter().collect();
        let mut stored: Vec<String> = Vec::new();
        for (id, blob) in &pictures {
            let key = id.to_string();
            if present.contains(&key) {
                continue; // the same id is the same picture: its hash is in the record
            }
            if let Err(e) = store.put(&key, blob).await {
                for key in &stored {
                    let _ = store.delete(key).await;
                }
                return Err(RestoreError::Storage(e));
            }
            stored.push(key);
        }
    }

    // The checklists (read and checked with the backup) become known here; writing each
    // restored inspection below keeps the edition it uses on the device, as editing does.
    services.checklists.learn(std::mem::take(&mut plan.templates_to_keep));

    let (added, replaced) = services.drafts.restore(&plan);
    services.delivery.restore(&plan);

    Ok(RestoreReport {
        restored: added,
        replaced,
        already_here: plan.skipped_existing.len() + (plan.add.len() - added) + (plan.replace.len() - replaced),
        pictures: pictures.len(),
        missing_pictures: plan.missing_pictures.len(),
        checklists_refused: parsed.library_problems,
    })
}

/// Picks the first file of a file input's change event.
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|input| {
        let file = input.files().and_then(|files| files.get(0));
        // Choosing the same file again fires `change` again.
        input.set_value("");
        file
    })
}
