//! "Back up everything unsent" and "restore": one JSON file that carries the inspections
//! not delivered yet, where their delivery stands, the checklist editions they use and their
//! pictures, so a wiped browser or a new phone gets them all back.
//!
//! The file (format 1):
//!
//! ```json
//! {"format": 1, "app": "safewalk", "created_at": 1764400000000,
//!  "inspections": [ …inspections, as stored… ],
//!  "outbox": {"records": [ …the records of those inspections… ]},
//!  "library": {"format": 1, "rule_sets": [ … ], "templates": [ … ]},
//!  "pictures": [{"id": "…", "content_type": "image/jpeg", "sha256": "…", "base64": "…"}]}
//! ```
//!
//! Restoring never duplicates and never goes backwards ([`restore_plan`]): inspections are
//! matched by id (a UUID), and the device's copy is kept unless the backup's is further
//! along. Everything is checked before anything is applied: a file that is not JSON, not a
//! backup, of another format, or whose pictures do not match their hashes is refused with an
//! error naming what ([`BackupError`]), and the device is left as it was.
//!
//! Hashing is the app's (the browser's SubtleCrypto): [`Picture::decode`] gives the bytes,
//! the app hashes them and [`Picture::verify`] compares.

use std::collections::BTreeSet;
use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::catalogue::library::Library;
use crate::catalogue::template::TemplateError;
use crate::delivery::outbox::{Delivery, Outbox, OutboxRecord};
use crate::inspection::attachment::{is_sha256_hex, Attachment};
use crate::inspection::Inspection;
use crate::storage::archive::is_delivered;

/// The backup format this build writes and reads.
pub const BACKUP_FORMAT: u32 = 1;
/// What `"app"` says in a Safewalk backup, so another app's JSON is not mistaken for one.
pub const BACKUP_APP: &str = "safewalk";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: u32,
    pub app: String,
    /// When the backup was made, milliseconds since the Unix epoch.
    pub created_at: u64,
    pub inspections: Vec<Inspection>,
    /// The outbox records of the inspections in the backup (none for drafts), so a
    /// restored inspection resends only what the receiver has not acknowledged.
    pub outbox: Outbox,
    /// The checklist editions the inspections were started with, and their rule sets.
    pub library: Library,
    /// The pictures (photos and signatures) the inspections list, each once.
    pub pictures: Vec<Picture>,
}

/// One picture: the bytes of an attachment, in base64.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    /// The attachment's id (the blob's key on the phone).
    pub id: Uuid,
    pub content_type: String,
    /// SHA-256 of the bytes, lowercase hex, as the attachment records it.
    pub sha256: String,
    /// Standard base64 with padding.
    pub base64: String,
}

/// Why a backup was refused. Nothing has been applied when one of these is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupError {
    /// Not JSON, or cut short: the parser's message, with line and column.
    NotJson(String),
    /// JSON, but not a Safewalk backup (no `"app": "safewalk"`).
    NotABackup,
    /// A backup format this build does not read (it reads [`BACKUP_FORMAT`]).
    UnsupportedFormat(u64),
    /// A part of the backup does not read: `part` names it (`inspection #3`, `outbox`, …).
    Invalid { part: String, message: String },
    /// Two inspections, or two pictures, with the same id.
    Duplicate(Uuid),
    /// A picture whose text is not base64, or whose hash is not a SHA-256.
    BadPicture(Uuid),
    /// A picture whose bytes do not match the hash its inspection records (damaged, or
    /// not the picture the inspection names).
    PictureMismatch { picture: Uuid, inspection: Option<Uuid> },
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::NotJson(why) => write!(f, "not a readable JSON file ({why})"),
            BackupError::NotABackup => f.write_str("not a Safewalk backup"),
            BackupError::UnsupportedFormat(n) => {
                write!(f, "backup format {n} is not supported (this app reads format {BACKUP_FORMAT})")
            }
            BackupError::Invalid { part, message } => write!(f, "{part} does not read: {message}"),
            BackupError::Duplicate(id) => write!(f, "{id} appears twice in the backup"),
            BackupError::BadPicture(id) => write!(f, "picture {id} is damaged"),
            BackupError::PictureMismatch { picture, inspection: Some(inspection) } => {
                write!(f, "picture {picture} of inspection {inspection} does not match its hash")
            }
            BackupError::PictureMismatch { picture, inspection: None } => write!(f, "picture {picture} does not match its hash"),
        }
    }
}

impl std::error::Error for BackupError {}

/// Whether an inspection still has to reach the office: a draft, or completed and not
/// delivered (including one the outbox does not know, e.g. after a crash before queuing).
/// An `archived` one is delivered: only delivered inspections move to the archive, and the
/// outbox forgets their receipts once they have (`Outbox::forget_delivered`).
pub fn is_unsent(inspection: &Inspection, outbox: &Outbox, archived: &BTreeSet<Uuid>) -> bool {
    !is_delivered(inspection.id, outbox, archived)
}

impl Backup {
    /// A backup of every inspection not delivered yet: drafts and completed-but-unsent.
    /// Delivered inspections are **not** included (the office has them); use
    /// [`Backup::of_inspections`] for another choice. Pictures are added by the app, which
    /// holds them ([`Backup::wanted_pictures`], [`Backup::add_picture`]).
    pub fn of_unsent(inspections: &[Inspection], outbox: &Outbox, archived: &BTreeSet<Uuid>, library: &Library, now: u64) -> Backup {
        let unsent: Vec<Inspection> = inspections.iter().filter(|i| is_unsent(i, outbox, archived)).cloned().collect();
        Backup::of_inspections(unsent, outbox, library, now)
    }

    /// A backup of exactly these inspections, with their outbox records and the editions
    /// (and rule sets) of `library` they use. No pictures yet.
    pub fn of_inspections(inspections: Vec<Inspection>, outbox: &Outbox, library: &Library, now: u64) -> Backup {
        // Linear searches throughout: a phone holds dozens of inspections, and sorted
        // collections would cost the download more than they save.
        let records = outbox.records.iter().filter(|r| inspections.iter().any(|i| i.id == r.id)).cloned().collect();
        Backup {
            format: BACKUP_FORMAT,
            app: BACKUP_APP.into(),
            created_at: now,
            library: library_of(&inspections, library),
            outbox: Outbox { records, auth_paused: None },
            inspections,
            pictures: Vec::new(),
        }
    }

    /// Every attachment the inspections list, once each, in order: the pictures to add.
    pub fn wanted_pictures(&self) -> Vec<Attachment> {
        let mut wanted: Vec<Attachment> = Vec::new();
        for attachment in self.inspections.iter().flat_map(|i| &i.attachments) {
            if !wanted.iter().any(|a| a.id == attachment.id) {
                wanted.push(attachment.clone());
            }
        }
        wanted
    }

    /// Adds the bytes of an attachment's picture (once; adding it again changes nothing).
    pub fn add_picture(&mut self, attachment: &Attachment, bytes: &[u8]) {
        if self.pictures.iter().any(|p| p.id == attachment.id) {
            return;
        }
        self.pictures.push(Picture {
            id: attachment.id,
            content_type: attachment.content_type.clone(),
            sha256: attachment.sha256.clone(),
            base64: BASE64.encode(bytes),
        });
    }

    /// The file's text (compact: pictures make it large enough).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a backup file, checking what can be checked without hashing: that it is JSON,
    /// a Safewalk backup of format 1, that every part reads, that ids are unique, and that
    /// each picture is base64 with the hash its inspection records for it. Checking the
    /// bytes against the hash is [`Picture::verify`]'s.
    ///
    /// The checklist library is read leniently: an edition this build cannot read is left
    /// out (the inspection is restored all the same and says its checklist is missing);
    /// see [`Parsed::library_problems`].
    pub fn parse(json: &str) -> Result<Parsed, BackupError> {
        // Every part raw first, so the header is checked before the parts are read: a file
        // of another format is named as such, not as a part that does not read.
        #[derive(Deserialize)]
        struct Raw<'a> {
            #[serde(default)]
            format: Option<u64>,
            #[serde(default)]
            app: Option<String>,
            #[serde(default, borrow)]
            created_at: Option<&'a RawValue>,
            #[serde(default, borrow)]
            inspections: Option<&'a RawValue>,
            #[serde(default, borrow)]
            outbox: Option<&'a RawValue>,
            #[serde(default, borrow)]
            library: Option<&'a RawValue>,
            #[serde(default, borrow)]
            pictures: Option<&'a RawValue>,
        }
        let raw: Raw = match serde_json::from_str(json) {
            Ok(raw) => raw,
            Err(e) if e.is_syntax() || e.is_eof() => return Err(BackupError::NotJson(e.to_string())),
            // JSON, but not shaped like a backup at all (an array, a string, "format": "x").
            Err(_) => return Err(BackupError::NotABackup),
        };
        if raw.app.as_deref() != Some(BACKUP_APP) {
            return Err(BackupError::NotABackup);
        }
        match raw.format {
            Some(n) if n == u64::from(BACKUP_FORMAT) => {}
            Some(n) => return Err(BackupError::UnsupportedFormat(n)),
            None => return Err(BackupError::NotABackup),
        }
        let invalid = |part: String, e: serde_json::Error| BackupError::Invalid { part, message: e.to_string() };
        fn list<'a>(part: &str, value: Option<&'a RawValue>) -> Result<Vec<&'a RawValue>, BackupError> {
            let Some(value) = value else { return Ok(Vec::new()) };
            serde_json::from_str(value.get()).map_err(|e| BackupError::Invalid { part: part.into(), message: e.to_string() })
        }
        let created_at: u64 = match raw.created_at {
            Some(v) => serde_json::from_str(v.get()).map_err(|e| invalid("created_at".into(), e))?,
            None => 0,
        };

        let raw_inspections = list("inspections", raw.inspections)?;
        let mut inspections: Vec<Inspection> = Vec::with_capacity(raw_inspections.len());
        for (n, entry) in raw_inspections.iter().enumerate() {
            let inspection: Inspection = serde_json::from_str(entry.get()).map_err(|e| invalid(format!("inspection #{}", n + 1), e))?;
            if inspections.iter().any(|i| i.id == inspection.id) {
                return Err(BackupError::Duplicate(inspection.id));
            }
            inspections.push(inspection);
        }

        let mut outbox: Outbox = match raw.outbox {
            Some(entry) => serde_json::from_str(entry.get()).map_err(|e| invalid("outbox".into(), e))?,
            None => Outbox::default(),
        };
        // Only the records of inspections in the file matter, once each; no pause carries over.
        let mut seen: Vec<Uuid> = Vec::new();
        outbox.records.retain(|r| {
            let keep = inspections.iter().any(|i| i.id == r.id) && !seen.contains(&r.id);
            seen.push(r.id);
            keep
        });
        outbox.auth_paused = None;

        let (library, library_problems) = match raw.library {
            Some(entry) => Library::parse(entry.get(), &[]),
            None => (Library::new(), Vec::new()),
        };

        let raw_pictures = list("pictures", raw.pictures)?;
        let mut pictures: Vec<Picture> = Vec::with_capacity(raw_pictures.len());
        // Each picture is decoded here only to check it: into one buffer, kept for the next.
        let mut scratch: Vec<u8> = Vec::new();
        for (n, entry) in raw_pictures.iter().enumerate() {
            let picture: Picture = serde_json::from_str(entry.get()).map_err(|e| invalid(format!("picture #{}", n + 1), e))?;
            if pictures.iter().any(|p| p.id == picture.id) {
                return Err(BackupError::Duplicate(picture.id));
            }
            // Only images go into the picture store: they are shown in <img>, nothing else.
            scratch.clear();
            if !is_sha256_hex(&picture.sha256)
                || !picture.content_type.starts_with("image/")
                || BASE64.decode_vec(&picture.base64, &mut scratch).is_err()
            {
                return Err(BackupError::BadPicture(picture.id));
            }
            // It must be what the inspection naming it records.
            let named = inspections.iter().find_map(|i| i.attachments.iter().find(|a| a.id == picture.id).map(|a| (a, i.id)));
            if let Some((attachment, inspection)) = named {
                if attachment.sha256 != picture.sha256 || attachment.content_type != picture.content_type {
                    return Err(BackupError::PictureMismatch { picture: picture.id, inspection: Some(inspection) });
                }
            }
            pictures.push(picture);
        }

        let backup = Backup { format: BACKUP_FORMAT, app: BACKUP_APP.into(), created_at, inspections, outbox, library, pictures };
        Ok(Parsed { backup, library_problems })
    }
}

/// A backup as read, with the checklist editions it carried that this build cannot read.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub backup: Backup,
    pub library_problems: Vec<TemplateError>,
}

impl Picture {
    /// The picture's bytes; [`BackupError::BadPicture`] when the text is not base64.
    pub fn decode(&self) -> Result<Vec<u8>, BackupError> {
        BASE64.decode(&self.base64).map_err(|_| BackupError::BadPicture(self.id))
    }

    /// Compares the SHA-256 the app computed of [`Picture::decode`]'s bytes with the one
    /// recorded.
    pub fn verify(&self, computed_sha256: &str) -> Result<(), BackupError> {
        if computed_sha256.eq_ignore_ascii_case(&self.sha256) {
            Ok(())
        } else {
            Err(BackupError::PictureMismatch { picture: self.id, inspection: None })
        }
    }
}

/// The editions (and their rule sets) of `library` that `inspections` were started with.
pub fn library_of(inspections: &[Inspection], library: &Library) -> Library {
    let mut used = Library::new();
    for inspection in inspections {
        let Some(template) = library.template(&inspection.template.id, &inspection.template.version) else { continue };
        let rule_set = template.rule_set.as_deref().and_then(|id| library.rule_set(id)).cloned();
        used.merge(Library { rule_sets: rule_set.into_iter().collect(), templates: vec![template.clone()], ..Library::new() });
    }
    used
}

/// What restoring a backup does on this device. Nothing has been applied yet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestorePlan {
    /// Not on this device: added.
    pub add: Vec<Inspection>,
    /// On this device, but the backup's copy is further along: it replaces the device's.
    pub replace: Vec<Inspection>,
    /// On this device already and kept as they are (the device's copy is as far along).
    pub skipped_existing: Vec<Uuid>,
    /// The pictures of the added and replacing inspections, to store (verify each first).
    pub pictures_to_store: Vec<Picture>,
    /// Pictures those inspections list that the backup does not hold (missing on the phone
    /// that made it). The inspections are restored all the same.
    pub missing_pictures: Vec<Uuid>,
    /// The checklist editions and rule sets the backup carried, to keep on the device.
    pub templates_to_keep: Library,
    /// The backup's outbox records of the added and replacing inspections.
    pub outbox: Vec<OutboxRecord>,
}

/// How far along a copy of an inspection is: completed beats signed beats a draft, then the
/// later edit.
fn progress(inspection: &Inspection) -> (bool, bool, u64) {
    (inspection.is_completed(), inspection.is_signed(), inspection.updated_at)
}

/// Whether the backup's `copy` of an inspection replaces the device's `here` (same id): only
/// when `here` is not completed and `copy` is further along. See [`restore_plan`].
pub fn supersedes(copy: &Inspection, here: &Inspection) -> bool {
    copy.id == here.id && !here.is_completed() && progress(copy) > progress(here)
}

/// Decides what restoring `backup` does on a device holding `existing`.
///
/// Inspections are matched by id, so nothing is ever duplicated. For an id on both:
/// - the device's copy is **completed**: it is kept, whatever the backup holds (a completed
///   inspection is a record; it may be delivered already);
/// - otherwise the backup's copy replaces the device's only when it is further along:
///   completed, or signed where the device's is not, or else edited later (`updated_at`).
///   On a tie, or when the device's copy is newer, the device's is kept. So a draft is
///   never replaced by an older draft, and a completed or signed copy never by a draft.
///
/// Restoring the same backup twice therefore changes nothing the second time.
pub fn restore_plan(backup: Backup, existing: &[Inspection]) -> RestorePlan {
    let mut plan = RestorePlan { templates_to_keep: backup.library, ..RestorePlan::default() };
    for inspection in backup.inspections {
        match existing.iter().find(|e| e.id == inspection.id) {
            None => plan.add.push(inspection),
            Some(here) if supersedes(&inspection, here) => plan.replace.push(inspection),
            Some(here) => plan.skipped_existing.push(here.id),
        }
    }
    plan.outbox = backup.outbox.records.into_iter().filter(|r| plan.add.iter().chain(&plan.replace).any(|i| i.id == r.id)).collect();
    let mut pictures = backup.pictures;
    for attachment in plan.add.iter().chain(&plan.replace).flat_map(|i| &i.attachments) {
        match pictures.iter().position(|p| p.id == attachment.id) {
            Some(at) => plan.pictures_to_store.push(pictures.swap_remove(at)),
            None if plan.pictures_to_store.iter().any(|p| p.id == attachment.id) => {}
            None => plan.missing_pictures.push(attachment.id),
        }
    }
    plan
}

impl RestorePlan {
    /// The inspections written by the restore: added, then replacing.
    pub fn restored(&self) -> impl Iterator<Item = &Inspection> {
        self.add.iter().chain(&self.replace)
    }

    /// Queues the restored completed inspections for delivery, once each. A record the
    /// device has is kept and only gains attachments it does not list; otherwise the
    /// backup's record is taken (what the receiver acknowledged stays acknowledged, so only
    /// what is missing is sent; a send cut off is queued again and a failed one is due at
    /// once), or a fresh one is queued. The receiver is idempotent by id, so a resend of
    /// something it has is harmless.
    pub fn apply_outbox(&self, outbox: &mut Outbox, now: u64) {
        for inspection in self.restored().filter(|i| i.is_completed()) {
            if outbox.record(inspection.id).is_none() {
                if let Some(record) = self.outbox.iter().find(|r| r.id == inspection.id) {
                    let mut record = record.clone();
                    match &mut record.delivery {
                        Delivery::Sending { .. } => record.delivery = Delivery::Queued,
                        Delivery::Failed { next_try, .. } => *next_try = (*next_try).min(now),
                        _ => {}
                    }
                    outbox.records.push(record);
                }
            }
            let attachments = inspection.attachments.iter().map(|a| a.id);
            outbox.enqueue_with(inspection.id, attachments, inspection.completed_at.unwrap_or(now));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::outbox::Outcome;
    use crate::delivery::payload::{Receipt, ReceiptStatus};
    use crate::grading::fixtures;
    use crate::inspection::attachment::tests::{photo, signature};
    use crate::inspection::attachment::SignerRole;
    use std::hash::{Hash, Hasher};

    /// A stand-in for SHA-256 (the app's is the browser's): 64 hex digits that change when
    /// any byte does.
    fn fake_sha(bytes: &[u8]) -> String {
        (0..4u8)
            .map(|seed| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (seed, bytes).hash(&mut h);
                format!("{:016x}", h.finish())
            })
            .collect()
    }

    fn picture_bytes(n: u128) -> Vec<u8> {
        (0..(300 + n as usize * 7)).map(|i| (i as u128 * 31 + n) as u8).collect()
    }

    fn with_bytes(mut attachment: Attachment) -> Attachment {
        let bytes = picture_bytes(attachment.id.as_u128());
        attachment.sha256 = fake_sha(&bytes);
        attachment.bytes = bytes.len() as u64;
        attachment
    }

    /// Device: a draft with a photo (1), a completed one with a photo and a signature,
    /// half delivered (2), a completed one delivered (3), a completed one not queued (4).
    fn device() -> (Vec<Inspection>, Outbox, Library) {
        let t = fixtures::template();
        let r = fixtures::rule_set();
        let mut draft = fixtures::inspection(1, "mall", &["pl-1"]);
        draft.add_attachment(with_bytes(photo(11, Some("pl-1"))), 1_100).unwrap();

        let mut sent_half = fixtures::inspection(2, "office", &["pl-1"]);
        sent_half.edit_hazard(&t, "pl-1", 1_003, fixtures::full_rectification).unwrap();
        sent_half.add_attachment(with_bytes(photo(21, Some("pl-1"))), 1_004).unwrap();
        sent_half.add_attachment(with_bytes(signature(22, "Wang Wei", SignerRole::Inspector)), 1_005).unwrap();
        sent_half.complete(&t, Some(&r), 2_000).unwrap();

        let mut delivered = fixtures::inspection(3, "office", &[]);
        delivered.complete(&t, Some(&r), 2_100).unwrap();
        let mut unqueued = fixtures::inspection(4, "office", &[]);
        unqueued.complete(&t, Some(&r), 2_200).unwrap();

        let mut outbox = Outbox::default();
        let receipt = |n: u128| Receipt { id: Uuid::from_u128(n), status: ReceiptStatus::Stored, received_at: 5 };
        outbox.enqueue_with(sent_half.id, [Uuid::from_u128(21), Uuid::from_u128(22)], 2_000);
        outbox.start_sending(sent_half.id, 2_001);
        outbox.finish(sent_half.id, Outcome::Delivered(receipt(2)), 2_002);
        outbox.finish_attachment(sent_half.id, Uuid::from_u128(21), Outcome::Delivered(receipt(21)), 2_003);
        outbox.start_sending(sent_half.id, 2_004); // cut off while sending the signature
        outbox.enqueue(delivered.id, 2_100);
        outbox.finish(delivered.id, Outcome::Delivered(receipt(3)), 2_101);
        assert!(outbox.record(delivered.id).unwrap().is_delivered());

        let library =
            Library { rule_sets: vec![r], templates: vec![t, crate::inspection::record::tests::demo_template()], ..Library::new() };
        (vec![draft, sent_half, delivered, unqueued], outbox, library)
    }

    /// The backup of [`device`], with every picture.
    fn full_backup() -> Backup {
        let (inspections, outbox, library) = device();
        let mut backup = Backup::of_unsent(&inspections, &outbox, &BTreeSet::new(), &library, 9_000);
        for attachment in backup.wanted_pictures() {
            backup.add_picture(&attachment, &picture_bytes(attachment.id.as_u128()));
        }
        backup
    }

    /// Pictures as stored: (id, bytes).
    type Stored = Vec<(Uuid, Vec<u8>)>;

    /// What the app does: parse, plan, decode and verify every picture, or the first error.
    fn restore(json: &str, existing: &[Inspection]) -> Result<(RestorePlan, Stored), BackupError> {
        let parsed = Backup::parse(json)?;
        let plan = restore_plan(parsed.backup, existing);
        let mut pictures = Vec::new();
        for picture in &plan.pictures_to_store {
            let bytes = picture.decode()?;
            picture.verify(&fake_sha(&bytes))?;
            pictures.push((picture.id, bytes));
        }
        Ok((plan, pictures))
    }

    fn ids(inspections: &[Inspection]) -> Vec<u128> {
        inspections.iter().map(|i| i.id.as_u128()).collect()
    }

    /// The file's pictures are standard base64 with canonical padding and nothing else: the
    /// engine's settings, pinned.
    #[test]
    fn base64_round_trips_and_matches_the_rfc_vectors() {
        for (plain, coded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(BASE64.encode(plain.as_bytes()), coded);
            assert_eq!(BASE64.decode(coded).ok().as_deref(), Some(plain.as_bytes()));
        }
        let all: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        assert_eq!(BASE64.decode(BASE64.encode(&all)).ok(), Some(all));
        assert_eq!(BASE64.encode([0xfb, 0xff]), "+/8=");
        for bad in ["Zg=", "Zg===", "Z===", "Zm9v\n", "Zg==Zm9v", "Zh==", "Zm9=", "Zm-v", "Zm9vYmFy====", "====", "Zm9v Zm9v", "Zm9v_-8="] {
            assert!(BASE64.decode(bad).is_err(), "{bad}");
            let picture = Picture { id: Uuid::from_u128(5), content_type: "image/png".into(), sha256: "0".repeat(64), base64: bad.into() };
            assert_eq!(picture.decode(), Err(BackupError::BadPicture(Uuid::from_u128(5))), "{bad}");
        }
    }

    #[test]
    fn a_backup_holds_every_unsent_inspection_and_nothing_delivered() {
        let backup = full_backup();
        assert_eq!(ids(&backup.inspections), vec![1, 2, 4], "the draft, the half-sent and the unqueued; not the delivered");
        assert_eq!(backup.outbox.records.iter().map(|r| r.id.as_u128()).collect::<Vec<_>>(), vec![2]);
        assert_eq!(backup.pictures.iter().map(|p| p.id.as_u128()).collect::<Vec<_>>(), vec![11, 21, 22]);
        assert_eq!(backup.library.templates.len(), 1, "only the edition in use");
        assert_eq!(backup.library.rule_sets.len(), 1);
        assert_eq!((backup.format, backup.app.as_str(), backup.created_at), (1, "safewalk", 9_000));
        let json: serde_json::Value = serde_json::from_str(&backup.to_json()).unwrap();
        assert_eq!(json["format"], 1);
        assert_eq!(json["app"], "safewalk");
        assert_eq!(json["pictures"][0]["content_type"], "image/jpeg");
        assert_eq!(json["pictures"][2]["content_type"], "image/png");
    }

    #[test]
    fn an_archived_inspection_the_outbox_forgot_is_not_unsent() {
        let (inspections, mut outbox, library) = device();
        let delivered = &inspections[2];
        let archived: BTreeSet<Uuid> = [delivered.id].into();
        assert!(!is_unsent(delivered, &outbox, &BTreeSet::new()), "its receipt is in the outbox");
        outbox.forget_delivered(&archived);
        assert!(is_unsent(delivered, &outbox, &BTreeSet::new()), "unknown to the outbox and not archived: unsent");
        assert!(!is_unsent(delivered, &outbox, &archived));
        assert!(is_unsent(&inspections[0], &outbox, &archived), "a draft");
        let backup = Backup::of_unsent(&inspections, &outbox, &archived, &library, 9_000);
        assert_eq!(ids(&backup.inspections), vec![1, 2, 4]);
    }

    #[test]
    fn a_backup_restores_everything_on_an_empty_phone() {
        let backup = full_backup();
        let (plan, pictures) = restore(&backup.to_json(), &[]).expect("restores");
        assert_eq!(plan.add, backup.inspections, "exactly as they were");
        assert!(plan.replace.is_empty() && plan.skipped_existing.is_empty() && plan.missing_pictures.is_empty());
        assert_eq!(pictures, [11, 21, 22].map(|n| (Uuid::from_u128(n), picture_bytes(n))).to_vec());
        assert_eq!(plan.templates_to_keep, backup.library);

        let mut outbox = Outbox::default();
        plan.apply_outbox(&mut outbox, 10_000);
        assert_eq!(outbox.records.iter().map(|r| r.id.as_u128()).collect::<Vec<_>>(), vec![2, 4], "the completed ones");
        let half = outbox.record(Uuid::from_u128(2)).unwrap();
        assert_eq!(half.delivery, Delivery::Queued, "the cut-off send is queued again");
        assert!(half.record_acknowledged(), "the record is not sent again");
        assert_eq!(half.attachment_progress(), (1, 2), "only the signature is missing");
        assert_eq!(outbox.next_step(10_000), crate::delivery::outbox::Step::SendAttachment(Uuid::from_u128(2), Uuid::from_u128(22)));
        let fresh = outbox.record(Uuid::from_u128(4)).unwrap();
        assert_eq!((fresh.delivery.clone(), fresh.queued_at), (Delivery::Queued, 2_200));
    }

    #[test]
    fn restoring_never_duplicates_and_twice_changes_nothing() {
        let (device_inspections, ..) = device();
        let json = full_backup().to_json();
        // The same phone: everything is here already.
        let (plan, pictures) = restore(&json, &device_inspections).unwrap();
        assert!(plan.add.is_empty() && plan.replace.is_empty() && pictures.is_empty());
        assert_eq!(plan.skipped_existing.iter().map(|id| id.as_u128()).collect::<Vec<_>>(), vec![1, 2, 4]);

        // Another phone, restored twice.
        let mut phone: Vec<Inspection> = vec![fixtures::inspection(99, "mall", &[])];
        let (first, _) = restore(&json, &phone).unwrap();
        phone.extend(first.restored().cloned());
        let mut outbox = Outbox::default();
        first.apply_outbox(&mut outbox, 10_000);
        let (second, pictures) = restore(&json, &phone).unwrap();
        assert!(second.add.is_empty() && second.replace.is_empty() && pictures.is_empty());
        second.apply_outbox(&mut outbox, 11_000);
        assert_eq!(outbox.records.len(), 2, "queued once each");
        assert_eq!(ids(&phone), vec![99, 1, 2, 4]);
    }

    #[test]
    fn a_copy_replaces_the_devices_only_when_it_is_further_along() {
        let t = fixtures::template();
        let r = fixtures::rule_set();
        let older = fixtures::inspection(1, "mall", &["pl-1"]);
        let mut newer = older.clone();
        newer.set_note(&t, "pl-1", "seen again", 5_000).unwrap();
        let mut signed = older.clone();
        signed.add_attachment(with_bytes(signature(30, "Wang Wei", SignerRole::Inspector)), 1_500).unwrap();
        let mut completed = older.clone();
        completed.edit_hazard(&t, "pl-1", 1_100, fixtures::full_rectification).unwrap();
        completed.complete(&t, Some(&r), 1_200).unwrap();
        let mut other_completed = completed.clone();
        other_completed.completed_at = Some(9_999);
        other_completed.updated_at = 9_999;

        let plan_for = |backup_copy: &Inspection, device_copy: &Inspection| {
            let backup = Backup::of_inspections(vec![backup_copy.clone()], &Outbox::default(), &Library::new(), 1);
            restore_plan(backup, std::slice::from_ref(device_copy))
        };
        let replaced = |backup_copy: &Inspection, device_copy: &Inspection| {
            let plan = plan_for(backup_copy, device_copy);
            assert!(plan.add.is_empty());
            assert_eq!(plan.replace.len() + plan.skipped_existing.len(), 1);
            !plan.replace.is_empty()
        };
        assert!(replaced(&newer, &older), "a newer draft replaces an older one");
        assert!(!replaced(&older, &newer), "never an older draft over a newer one");
        assert!(!replaced(&older, &older), "a tie keeps the device's");
        assert!(replaced(&completed, &newer), "completed beats a draft, even one edited later");
        assert!(!replaced(&newer, &completed), "never a draft over a completed one");
        assert!(!replaced(&other_completed, &completed), "a completed one is never replaced");
        assert!(replaced(&signed, &older), "signed beats unsigned");
        assert!(!replaced(&newer, &signed), "never an unsigned draft over a signed one, even newer");

        // A replacing copy brings its pictures; the outbox queues it when completed.
        let mut backup = Backup::of_inspections(vec![signed.clone()], &Outbox::default(), &Library::new(), 1);
        backup.add_picture(&signed.attachments[0], &picture_bytes(30));
        let (plan, pictures) = restore(&backup.to_json(), std::slice::from_ref(&older)).unwrap();
        assert_eq!((plan.replace.len(), pictures.len()), (1, 1));
        let mut outbox = Outbox::default();
        plan.apply_outbox(&mut outbox, 1);
        assert!(outbox.records.is_empty(), "a draft is not queued");
    }

    #[test]
    fn a_device_record_is_kept_and_a_failed_one_from_the_backup_is_due_at_once() {
        let mut backup = full_backup();
        let record = backup.outbox.records.iter_mut().find(|r| r.id == Uuid::from_u128(2)).unwrap();
        record.delivery = Delivery::Failed { reason: "offline".into(), next_try: 99_999 };
        let (plan, _) = restore(&backup.to_json(), &[]).unwrap();
        let mut outbox = Outbox::default();
        plan.apply_outbox(&mut outbox, 10_000);
        assert!(matches!(outbox.record(Uuid::from_u128(2)).unwrap().delivery, Delivery::Failed { next_try: 10_000, .. }));

        let mut here = Outbox::default();
        here.enqueue(Uuid::from_u128(4), 1);
        plan.apply_outbox(&mut here, 10_000);
        assert_eq!(here.records.iter().map(|r| (r.id.as_u128(), r.queued_at)).collect::<Vec<_>>(), vec![(4, 1), (2, 2_000)]);
    }

    #[test]
    fn a_picture_the_backup_lacks_is_reported_and_the_inspection_still_restored() {
        let mut backup = full_backup();
        backup.pictures.retain(|p| p.id != Uuid::from_u128(21));
        let (plan, pictures) = restore(&backup.to_json(), &[]).unwrap();
        assert_eq!(plan.add.len(), 3);
        assert_eq!(plan.missing_pictures, vec![Uuid::from_u128(21)]);
        assert_eq!(pictures.len(), 2);
    }

    #[test]
    fn what_is_not_a_readable_backup_is_refused_by_name() {
        let good = full_backup();
        let json = good.to_json();
        assert!(matches!(Backup::parse(""), Err(BackupError::NotJson(_))));
        assert!(matches!(Backup::parse(&json[..json.len() / 2]), Err(BackupError::NotJson(_))));
        assert_eq!(Backup::parse("[1,2]"), Err(BackupError::NotABackup));
        assert_eq!(Backup::parse(r#"{"format":1,"templates":[]}"#), Err(BackupError::NotABackup));
        assert_eq!(Backup::parse(r#"{"format":1,"app":"other"}"#), Err(BackupError::NotABackup));
        assert_eq!(Backup::parse(r#"{"format":2,"app":"safewalk","inspections":"whatever"}"#), Err(BackupError::UnsupportedFormat(2)));
        let empty = Backup::parse(r#"{"format":1,"app":"safewalk"}"#).expect("an empty backup reads");
        assert!(empty.backup.inspections.is_empty());

        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        value["inspections"][1]["answers"] = serde_json::json!(5);
        match Backup::parse(&value.to_string()) {
            Err(BackupError::Invalid { part, .. }) => assert_eq!(part, "inspection #2"),
            other => panic!("{other:?}"),
        }

        let mut twice = good.clone();
        twice.inspections.push(twice.inspections[0].clone());
        assert_eq!(Backup::parse(&twice.to_json()), Err(BackupError::Duplicate(Uuid::from_u128(1))));

        let mut not_base64 = good.clone();
        not_base64.pictures[1].base64.insert(4, '*');
        assert_eq!(Backup::parse(&not_base64.to_json()), Err(BackupError::BadPicture(Uuid::from_u128(21))));

        let mut swapped = good.clone();
        swapped.pictures[0].sha256 = swapped.pictures[1].sha256.clone();
        assert_eq!(
            Backup::parse(&swapped.to_json()),
            Err(BackupError::PictureMismatch { picture: Uuid::from_u128(11), inspection: Some(Uuid::from_u128(1)) })
        );

        // Valid base64 of other bytes: only hashing finds it.
        let mut damaged = good.clone();
        damaged.pictures[2].base64 = BASE64.encode(b"not the signature");
        assert_eq!(
            restore(&damaged.to_json(), &[]).map(|_| ()),
            Err(BackupError::PictureMismatch { picture: Uuid::from_u128(22), inspection: None })
        );
        assert!(BackupError::UnsupportedFormat(2).to_string().contains("format 2"));
    }

    #[test]
    fn only_the_first_outbox_record_of_each_inspection_in_the_file_is_read() {
        let (_, device_outbox, _) = device();
        let mut backup = full_backup();
        let original = backup.outbox.records[0].clone();
        let mut second = original.clone();
        second.tries = 7;
        let elsewhere = device_outbox.record(Uuid::from_u128(3)).unwrap().clone();
        backup.outbox.records = vec![elsewhere, original.clone(), second];
        backup.outbox.auth_paused = Some("bad token".into());
        let parsed = Backup::parse(&backup.to_json()).unwrap();
        assert_eq!(parsed.backup.outbox, Outbox { records: vec![original], auth_paused: None });
    }

    #[test]
    fn a_picture_with_a_hash_that_is_no_sha256_or_a_type_that_is_no_image_is_refused() {
        let good = full_backup();
        let mut not_a_hash = good.clone();
        not_a_hash.pictures[0].sha256 = "z".repeat(64);
        assert_eq!(Backup::parse(&not_a_hash.to_json()), Err(BackupError::BadPicture(Uuid::from_u128(11))));
        let mut short = good.clone();
        short.pictures[0].sha256.pop();
        assert_eq!(Backup::parse(&short.to_json()), Err(BackupError::BadPicture(Uuid::from_u128(11))));
        let mut not_an_image = good.clone();
        not_an_image.pictures[1].content_type = "text/html".into();
        assert_eq!(Backup::parse(&not_an_image.to_json()), Err(BackupError::BadPicture(Uuid::from_u128(21))));
        // The same, when no inspection names the picture (nothing else would refuse it).
        let mut unnamed = good.clone();
        unnamed.pictures[2].id = Uuid::from_u128(99);
        unnamed.pictures[2].content_type = "application/javascript".into();
        assert_eq!(Backup::parse(&unnamed.to_json()), Err(BackupError::BadPicture(Uuid::from_u128(99))));
        unnamed.pictures[2].content_type = "image/png".into();
        assert!(Backup::parse(&unnamed.to_json()).is_ok(), "an image no inspection names is read (and never stored)");
    }

    #[test]
    fn only_the_records_of_restored_inspections_are_planned() {
        let (device_inspections, ..) = device();
        // This phone has the half-sent inspection (2) already, not the draft (1) or 4.
        let plan = restore_plan(full_backup(), &device_inspections[1..2]);
        assert_eq!((ids(&plan.add), plan.skipped_existing.clone()), (vec![1, 4], vec![Uuid::from_u128(2)]));
        assert_eq!(plan.outbox, Vec::<OutboxRecord>::new(), "the record of 2 stays the device's business");
        let plan = restore_plan(full_backup(), &[]);
        assert_eq!(plan.outbox.iter().map(|r| r.id.as_u128()).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn a_picture_two_restored_inspections_share_is_stored_once_and_not_missing() {
        let mut backup = full_backup();
        let shared = backup.inspections[0].attachments[0].clone();
        backup.inspections[2].attachments.push(shared);
        let (plan, pictures) = restore(&backup.to_json(), &[]).unwrap();
        assert_eq!(plan.pictures_to_store.iter().map(|p| p.id.as_u128()).collect::<Vec<_>>(), vec![11, 21, 22]);
        assert_eq!(plan.missing_pictures, Vec::<Uuid>::new());
        assert_eq!(pictures.len(), 3);
    }

    #[test]
    fn an_unreadable_checklist_is_reported_and_its_inspection_still_restored() {
        let mut value: serde_json::Value = serde_json::from_str(&full_backup().to_json()).unwrap();
        value["library"]["templates"][0]["sections"] = serde_json::json!("broken");
        let parsed = Backup::parse(&value.to_string()).expect("reads");
        assert!(parsed.backup.library.templates.is_empty());
        assert_eq!(parsed.library_problems.len(), 1);
        assert_eq!(parsed.backup.inspections.len(), 3);
    }

    /// Flipping any byte of a backup never panics, and never lets a damaged picture through:
    /// either the file is refused, or every picture to store is exactly the original.
    #[test]
    fn damaged_backups_never_panic_and_never_restore_damaged_pictures() {
        let mut backup = Backup::of_unsent(&device().0[..1], &Outbox::default(), &BTreeSet::new(), &Library::new(), 1);
        let attachment = backup.wanted_pictures()[0].clone();
        let original = picture_bytes(11)[..40].to_vec();
        let mut small = attachment.clone();
        small.sha256 = fake_sha(&original);
        backup.inspections[0].attachments[0] = small.clone();
        backup.add_picture(&small, &original);
        let json = backup.to_json().into_bytes();

        use proptest::prelude::*;
        let config = proptest::test_runner::Config { cases: 512, failure_persistence: None, ..Default::default() };
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            config,
            proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
        );
        let flips = (0..json.len(), any::<u8>(), 0..3usize);
        runner
            .run(&proptest::collection::vec(flips, 1..4), |flips| {
                let mut damaged = json.clone();
                for (at, byte, how) in flips {
                    if damaged.is_empty() {
                        break;
                    }
                    let at = at % damaged.len();
                    match how {
                        0 => damaged[at] = byte,
                        1 => damaged[at] ^= 1 << (byte % 8),
                        _ => damaged.truncate(at),
                    }
                }
                let text = String::from_utf8_lossy(&damaged);
                if let Ok((plan, pictures)) = restore(&text, &[]) {
                    for (_, bytes) in pictures {
                        prop_assert_eq!(&bytes, &original);
                    }
                    prop_assert!(plan.add.len() <= 1);
                }
                Ok(())
            })
            .unwrap();
        // And every single-byte position, exhaustively, with a bit flip.
        for at in 0..json.len() {
            let mut damaged = json.clone();
            damaged[at] ^= 0x04;
            if let Ok((_, pictures)) = restore(&String::from_utf8_lossy(&damaged), &[]) {
                assert!(pictures.iter().all(|(_, bytes)| *bytes == original), "flip at {at}");
            }
        }
    }
}
