//! The inspections on this device and their write-behind: the only writer of inspections.
//!
//! Every edit goes through [`Drafts::edit`], which changes the inspection in memory at once
//! and schedules a write at most [`SAVE_DELAY`] later. `pagehide` and a hidden page flush
//! at once, so a killed tab loses nothing it had time to show.
//!
//! Another tab (or the installed app beside a browser tab) may have the same draft open.
//! Every edit stamps the fields it changed (`core::inspection::merge::EditStamps`, stored
//! with the draft); a write merges with whatever another tab stored since, field by field,
//! and another tab's writes arrive through the `storage` event and are merged the same way
//! (and written back when this tab holds something they lack). So both tabs show both tabs'
//! answers and no write replaces an answer it has not seen, in whatever order the browser
//! delivers the writes.
//!
//! Delivered inspections move out of localStorage into the archive (IndexedDB, see
//! `store::archive`), so drafts never meet a full quota. At start only their summaries are
//! read (Home's cards, and each one's register part: the register and its counts); a record
//! itself is read when it is opened (review, report, hazard, follow-up), restored over, or
//! exported.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use safewalk_core::delivery::outbox::{Delivery, Outbox};
use safewalk_core::exchange::backup::{supersedes, RestorePlan};
use safewalk_core::inspection::merge::{merge, EditStamps};
use safewalk_core::rectification::follow_up::start_follow_up;
use safewalk_core::rectification::register::{open_for_site, register_of, RegisterEntry};
use safewalk_core::rectification::register_part::RegisterPart;
use safewalk_core::storage::archive::{is_archivable, next_move_step, MoveStep};
use safewalk_core::storage::summary::RecordSummary;
use safewalk_core::storage::{
    decode_draft, encode_inspection, DraftRepository, KeyValueStore, StoreError, UnreadableDraft, INSPECTION_PREFIX,
};
use safewalk_core::{EditError, Inspection, Problem, Template};
use uuid::Uuid;

use super::checklists::{Checklists, Edition};
use super::device::Device;
use crate::browser;
use crate::store::archive::RecordArchive;
use crate::store::DeviceStore;

/// How long an edit may wait in memory before it is written.
pub const SAVE_DELAY: Duration = Duration::from_millis(300);
/// How many archived summaries are read and decoded in one task at start (about 10 ms each
/// page on a phone; a year of records is some thousands).
const SUMMARIES_PAGE: u32 = 200;
/// How soon a failed write (full quota) is tried again.
const RETRY_DELAY: Duration = Duration::from_secs(2);

struct WriteBehind {
    repo: DraftRepository<DeviceStore>,
    dirty: BTreeSet<Uuid>,
    /// When each field of each inspection was last edited, as stored with it.
    stamps: BTreeMap<Uuid, EditStamps>,
    timer: Option<TimeoutHandle>,
}

#[derive(Clone, Copy)]
pub struct Drafts {
    inspections: RwSignal<Vec<Inspection>>,
    /// Read once at start: what cannot be read stays so until the next start.
    unreadable: StoredValue<Vec<UnreadableDraft>>,
    write_behind: StoredValue<WriteBehind>,
    /// Archived inspections whose records are not read: what Home and the register read of them.
    summaries: RwSignal<Vec<RecordSummary>>,
    /// Archived records being read on demand (each once).
    reading: StoredValue<BTreeSet<Uuid>>,
    /// Archived records that could not be read (damaged or missing): their screens say so
    /// rather than wait.
    unreadable_archived: RwSignal<BTreeSet<Uuid>>,
    /// The inspections no longer in localStorage: read from the archive, or moved there.
    archived: StoredValue<BTreeSet<Uuid>>,
    /// When each archived inspection was delivered, as its summary in the archive keeps it:
    /// the outbox forgets those (`Outbox::forget_delivered`), and their badges read this.
    delivered_at: RwSignal<BTreeMap<Uuid, u64>>,
    /// A move to the archive is under way (one at a time).
    moving: StoredValue<bool>,
    checklists: Checklists,
    device: Device,
}

impl Drafts {
    /// Loads every stored draft. Never fails: what cannot be read is reported.
    pub fn load(device: Device, checklists: Checklists) -> Drafts {
        let mut repo = DraftRepository::new(DeviceStore::open());
        let (inspections, stamps, unreadable) = match repo.load_all() {
            Ok(report) => (report.inspections, report.stamps, report.unreadable),
            Err(e) => {
                device.report_saved(Err(e));
                (Vec::new(), BTreeMap::new(), Vec::new())
            }
        };
        Drafts {
            inspections: RwSignal::new(inspections),
            unreadable: StoredValue::new(unreadable),
            write_behind: StoredValue::new(WriteBehind { repo, dirty: BTreeSet::new(), stamps, timer: None }),
            summaries: RwSignal::new(Vec::new()),
            reading: StoredValue::new(BTreeSet::new()),
            unreadable_archived: RwSignal::new(BTreeSet::new()),
            archived: StoredValue::new(BTreeSet::new()),
            delivered_at: RwSignal::new(BTreeMap::new()),
            moving: StoredValue::new(false),
            checklists,
            device,
        }
    }

    /// Writes every pending edit when the page is hidden or left: the last chance before the
    /// tab is frozen or killed. The app lives as long as the page, so the listeners stay.
    pub fn flush_on_leave(&self) {
        let drafts = *self;
        window_event_listener_untyped("pagehide", move |_| drafts.flush());
        window_event_listener_untyped("visibilitychange", move |_| {
            if browser::is_hidden() {
                drafts.flush();
            }
        });
    }

    /// Takes in what another tab writes, merged field by field with this tab's copy; when
    /// this tab holds edits the other's copy lacks, the merge is written back, so the stored
    /// copy ends with both tabs' answers.
    pub fn follow_other_tabs(&self) {
        let drafts = *self;
        window_event_listener(leptos::ev::storage, move |event| {
            let (Some(key), Some(raw)) = (event.key(), event.new_value()) else { return };
            if !key.starts_with(INSPECTION_PREFIX) {
                return;
            }
            match decode_draft(&raw) {
                Ok((theirs, stamps)) if key.ends_with(&theirs.id.to_string()) => drafts.take_in(theirs, stamps),
                _ => {}
            }
        });
    }

    fn take_in(&self, theirs: Inspection, their_stamps: EditStamps) {
        let id = theirs.id;
        let stamps = self.write_behind.with_value(|w| w.stamps.get(&id).cloned()).unwrap_or_default();
        let mut write_back = false;
        self.inspections.maybe_update(|all| match all.iter_mut().find(|i| i.id == id) {
            Some(mine) => {
                let (merged, merged_stamps) = merge((mine, &stamps), (&theirs, &their_stamps));
                write_back = (&merged, &merged_stamps) != (&theirs, &their_stamps);
                self.write_behind.update_value(|w| {
                    w.stamps.insert(id, merged_stamps);
                });
                let changed = *mine != merged;
                *mine = merged;
                changed
            }
            None => {
                self.write_behind.update_value(|w| {
                    w.stamps.insert(id, their_stamps.clone());
                });
                all.push(theirs.clone());
                true
            }
        });
        if write_back {
            self.mark_dirty(id);
        }
    }

    /// Reads the summaries of the delivered inspections kept in the archive, never their
    /// records: Home's cards and the register (with its counts) read only these. A summary
    /// written by an earlier build, or made without a checklist edition the device now
    /// knows, is made again from its record afterwards (once: see
    /// `RecordSummary::needs_remaking`), and replaces the one listed.
    /// One still in localStorage too (a move cut off) is in the list already, and is moved again.
    pub async fn load_archive(&self) {
        let warn = |e: &dyn std::fmt::Display| {
            web_sys::console::warn_1(&format!("Safewalk: the archive of delivered inspections cannot be read: {e}").into())
        };
        let archive = match RecordArchive::open().await {
            Ok(archive) => archive,
            Err(e) => return warn(&e),
        };
        // A page at a time, each read and decoded in its own task: delivery, started at the
        // same time, writes its receipts between two pages rather than after them all.
        let mut summaries = Vec::new();
        let mut after = None;
        loop {
            let (texts, next) = match archive.summaries_page(after.as_deref(), SUMMARIES_PAGE).await {
                Ok(page) => page,
                Err(e) => return warn(&e),
            };
            summaries.extend(texts.iter().filter_map(|raw| RecordSummary::decode(raw).ok()));
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        self.take_summaries(summaries);
        self.remake_summaries(&archive).await;
    }

    /// Lists archived inspections by these summaries (new ones, or replacing the ones
    /// listed), leaving out those read here (a move cut off, or opened).
    fn take_summaries(&self, summaries: Vec<RecordSummary>) {
        let here: BTreeSet<Uuid> = self.inspections.with_untracked(|all| all.iter().map(|i| i.id).collect());
        let summaries: Vec<RecordSummary> = summaries.into_iter().filter(|s| !here.contains(&s.id)).collect();
        if summaries.is_empty() {
            return;
        }
        self.archived.update_value(|archived| archived.extend(summaries.iter().map(|s| s.id)));
        let delivered: Vec<(Uuid, u64)> = summaries.iter().filter_map(|s| Some((s.id, s.delivered_at?))).collect();
        if !delivered.is_empty() {
            self.delivered_at.update(|known| known.extend(delivered));
        }
        self.summaries.update(|listed| {
            // By id, not by a search of the list per summary: a year of records is thousands.
            let mut at: BTreeMap<Uuid, usize> = listed.iter().enumerate().map(|(n, s)| (s.id, n)).collect();
            for summary in summaries {
                match at.get(&summary.id) {
                    Some(&n) => listed[n] = summary,
                    None => {
                        at.insert(summary.id, listed.len());
                        listed.push(summary);
                    }
                }
            }
        });
    }

    /// Whether the inspection with this id is known by its summary only: its record is in
    /// the archive, not read (screens open it with [`Drafts::read_archived`]), and not found
    /// unreadable. Tracked.
    pub fn is_being_read(&self, id: Uuid) -> bool {
        self.summaries.with(|summaries| summaries.iter().any(|s| s.id == id)) && !self.archive_unreadable(id)
    }

    /// Whether the archived record of this id was asked for and could not be read. Tracked.
    pub fn archive_unreadable(&self, id: Uuid) -> bool {
        self.unreadable_archived.with(|unreadable| unreadable.contains(&id))
    }

    /// Archived inspections known by their summary only. Tracked.
    pub fn with_summaries<R>(&self, read: impl FnOnce(&[RecordSummary]) -> R) -> R {
        self.summaries.with(|summaries| read(summaries))
    }

    /// Reads the archived records of these ids that are known by their summary only, and
    /// adds them to the inspections here (where screens read them). A record that cannot be
    /// read is logged and stays known by its summary.
    pub async fn read_archived(&self, ids: &[Uuid]) {
        let known: Vec<Uuid> =
            self.summaries.with_untracked(|summaries| ids.iter().copied().filter(|id| summaries.iter().any(|s| s.id == *id)).collect());
        let wanted: Vec<Uuid> =
            self.reading.try_update_value(|reading| known.into_iter().filter(|id| reading.insert(*id)).collect()).unwrap_or_default();
        if wanted.is_empty() {
            return;
        }
        let found = read_records(&wanted).await;
        let added: BTreeSet<Uuid> = found.iter().map(|i| i.id).collect();
        self.inspections.update(|all| {
            for inspection in found {
                if !all.iter().any(|i| i.id == inspection.id) {
                    all.push(inspection);
                }
            }
        });
        self.summaries.update(|summaries| summaries.retain(|s| !added.contains(&s.id)));
        self.reading.update_value(|reading| reading.retain(|id| !wanted.contains(id)));
        if added.len() < wanted.len() {
            self.unreadable_archived.update(|unreadable| unreadable.extend(wanted.iter().filter(|id| !added.contains(id))));
        }
    }

    /// Every inspection on the device, the archived ones not read here read for this call
    /// only (an export of everything), never kept in memory.
    pub async fn read_everything(&self) -> Vec<Inspection> {
        let mut everything = self.inspections.get_untracked();
        let unread: Vec<Uuid> = self.summaries.with_untracked(|summaries| summaries.iter().map(|s| s.id).collect());
        if !unread.is_empty() {
            everything.extend(read_records(&unread).await);
        }
        everything
    }

    /// Makes again the summaries that need it, from their records: those of records archived
    /// before summaries were kept (listed only when the archive holds more records than
    /// summaries), and those `RecordSummary::needs_remaking` names. A failure leaves it for
    /// the next start.
    async fn remake_summaries(&self, archive: &RecordArchive) {
        let warn = |e: &dyn std::fmt::Display| web_sys::console::warn_1(&format!("Safewalk: archived records not summarised: {e}").into());
        let mut ids: Vec<String> = match archive.has_unsummarised().await {
            Ok(true) => match archive.without_summary().await {
                Ok(missing) => missing,
                Err(e) => return warn(&e),
            },
            Ok(false) => Vec::new(),
            Err(e) => return warn(&e),
        };
        self.summaries.with_untracked(|summaries| {
            let stale = summaries.iter().filter(|s| s.needs_remaking(self.checklists.edition(&s.template).is_some()));
            ids.extend(stale.map(|s| s.id.to_string()));
        });
        let mut remade = Vec::new();
        for id in ids {
            let Ok(Some(raw)) = archive.get(&id).await else { continue };
            let Some(mut summary) = RecordSummary::of_stored(&raw, |template| self.checklists.library_of([template])) else { continue };
            summary.delivered_at = self.delivered_at.with_untracked(|known| known.get(&summary.id).copied());
            remade.push(summary);
        }
        if remade.is_empty() {
            return;
        }
        if let Err(e) = archive.put_summaries(&encoded(&remade)).await {
            return warn(&e);
        }
        self.take_summaries(remade);
    }

    /// Moves the delivered inspections still in localStorage to the archive, one at a time:
    /// copy (with when it was delivered, in its summary), read back and compare, then remove
    /// here (`core::storage::archive`). Stopped anywhere, the next start finishes it. `None`
    /// when there is nothing to move or a move is under way; else the move, to run.
    pub(super) fn move_delivered(&self, outbox: &Outbox) -> Option<impl std::future::Future<Output = ()>> {
        if self.moving.get_value() {
            return None;
        }
        let moves: Vec<(Uuid, u64)> = self.archived.with_value(|archived| {
            self.inspections.with_untracked(|all| {
                all.iter()
                    .filter(|i| !archived.contains(&i.id) && is_archivable(i, outbox))
                    .filter_map(|i| Some((i.id, delivered_at(outbox, i.id)?)))
                    .collect()
            })
        });
        if moves.is_empty() {
            return None;
        }
        self.moving.set_value(true);
        let drafts = *self;
        Some(async move {
            drafts.move_to_archive(moves).await;
            drafts.moving.set_value(false);
        })
    }

    /// Gives the archived summaries written before they kept it (by an earlier build) when
    /// their inspection was delivered, from the outbox, which still holds it: written to the
    /// archive first, so the outbox may forget the receipt after (a failure leaves both for
    /// the next start).
    pub(super) async fn keep_delivered_at(&self, outbox: &Outbox) {
        let missing: Vec<RecordSummary> = self.summaries.with_untracked(|summaries| {
            summaries
                .iter()
                .filter(|s| s.delivered_at.is_none())
                .filter_map(|s| Some(RecordSummary { delivered_at: Some(delivered_at(outbox, s.id)?), ..s.clone() }))
                .collect()
        });
        if missing.is_empty() {
            return;
        }
        let archive = match RecordArchive::open().await {
            Ok(archive) => archive,
            Err(e) => return web_sys::console::warn_1(&format!("Safewalk: receipts stay in the outbox: {e}").into()),
        };
        // One transaction for all of them: the first start after the update gives every
        // archived summary its time, a year of them.
        if let Err(e) = archive.put_summaries(&encoded(&missing)).await {
            return web_sys::console::warn_1(&format!("Safewalk: receipts stay in the outbox: {e}").into());
        }
        self.take_summaries(missing);
    }

    /// The archived inspections whose summaries keep when they were delivered: those the
    /// outbox may forget.
    pub(super) fn delivered_and_archived(&self) -> BTreeSet<Uuid> {
        self.delivered_at.with_untracked(|known| known.keys().copied().collect())
    }

    /// The inspections no longer in localStorage (read from the archive or moved there):
    /// delivered, whether or not the outbox still holds their receipts.
    pub fn with_archived<R>(&self, read: impl FnOnce(&BTreeSet<Uuid>) -> R) -> R {
        self.archived.with_value(read)
    }

    /// When an archived inspection was delivered, as its summary keeps it. Tracked.
    pub fn delivered_at(&self, id: Uuid) -> Option<u64> {
        self.delivered_at.with(|known| known.get(&id).copied())
    }

    /// Another tab moved this inspection to the archive (its key left localStorage: only a
    /// move removes one); `delivered_at` is when, as this tab's outbox still says.
    pub(super) fn archived_elsewhere(&self, id: Uuid, delivered_at: Option<u64>) {
        self.archived.update_value(|archived| {
            archived.insert(id);
        });
        if let Some(at) = delivered_at {
            self.delivered_at.update(|known| {
                known.insert(id, at);
            });
        }
    }

    async fn move_to_archive(&self, moves: Vec<(Uuid, u64)>) {
        let archive = match RecordArchive::open().await {
            Ok(archive) => archive,
            Err(e) => {
                web_sys::console::warn_1(&format!("Safewalk: delivered inspections stay in localStorage: {e}").into());
                return;
            }
        };
        for (id, delivered_at) in moves {
            if let Err(e) = self.move_one(&archive, id, delivered_at).await {
                web_sys::console::warn_1(&format!("Safewalk: inspection {id} stays in localStorage: {e}").into());
                return;
            }
        }
    }

    async fn move_one(&self, archive: &RecordArchive, id: Uuid, delivered_at: u64) -> Result<(), String> {
        let name = id.to_string();
        let key = DraftRepository::<DeviceStore>::key_for(&name);
        let summary = self
            .with_inspection_untracked(id, |i| RecordSummary {
                delivered_at: Some(delivered_at),
                ..RecordSummary::archived(i, &self.checklists.library_of([&i.template]))
            })
            .ok_or("the inspection is no longer here")?
            .encode();
        let mut copied = false;
        // Copy, then read back: a second copy only when the first did not read back the same.
        for _ in 0..2 {
            let local = self.write_behind.with_value(|w| w.repo.store().get(&key)).map_err(|e| e.to_string())?;
            let there = archive.get(&name).await.map_err(|e| e.to_string())?;
            match next_move_step(local.as_deref(), there.as_deref()) {
                MoveStep::Copy => {
                    archive.put(&name, local.as_deref().unwrap_or_default(), &summary).await.map_err(|e| e.to_string())?;
                    copied = true;
                }
                MoveStep::RemoveLocal => {
                    if !copied {
                        // Copied by a move cut off, perhaps by an earlier build: its summary
                        // may not keep when it was delivered yet.
                        archive.put_summary(&name, &summary).await.map_err(|e| e.to_string())?;
                    }
                    self.write_behind.try_update_value(|w| w.repo.remove(&name)).unwrap_or(Ok(())).map_err(|e| e.to_string())?;
                    self.archived.update_value(|archived| {
                        archived.insert(id);
                    });
                    self.delivered_at.update(|known| {
                        known.insert(id, delivered_at);
                    });
                    return Ok(());
                }
                MoveStep::Nothing => return Ok(()),
            }
        }
        Err("the archive does not read back what was written".into())
    }

    /// Reads every inspection on the device, tracked.
    pub fn with_all<R>(&self, read: impl FnOnce(&[Inspection]) -> R) -> R {
        self.inspections.with(|all| read(all))
    }

    pub fn with_all_untracked<R>(&self, read: impl FnOnce(&[Inspection]) -> R) -> R {
        self.inspections.with_untracked(|all| read(all))
    }

    /// Drafts that could not be read at start, with their raw text.
    pub fn unreadable(&self) -> Vec<UnreadableDraft> {
        self.unreadable.get_value()
    }

    /// Reads one inspection, tracked: the caller re-runs when any inspection changes, so
    /// views wrap this in a `Memo` to update only when their part does.
    pub fn with_inspection<R>(&self, id: Uuid, read: impl FnOnce(&Inspection) -> R) -> Option<R> {
        self.inspections.with(|all| all.iter().find(|i| i.id == id).map(read))
    }

    pub fn with_inspection_untracked<R>(&self, id: Uuid, read: impl FnOnce(&Inspection) -> R) -> Option<R> {
        self.inspections.with_untracked(|all| all.iter().find(|i| i.id == id).map(read))
    }

    /// The exact template edition an inspection was started with.
    pub fn template_of(&self, inspection: &Inspection) -> Option<Arc<Template>> {
        self.checklists.edition(&inspection.template)
    }

    /// The template of the inspection with this id, if both exist.
    pub fn template_for(&self, id: Uuid) -> Option<Arc<Template>> {
        self.with_inspection_untracked(id, |i| self.template_of(i)).flatten()
    }

    /// The checklist edition of the inspection with this id, read or known by its summary.
    pub fn kept_template_of(&self, id: Uuid) -> Option<Arc<Template>> {
        self.template_for(id).or_else(|| {
            let wanted = self.summaries.with_untracked(|summaries| summaries.iter().find(|s| s.id == id).map(|s| s.template.clone()))?;
            self.checklists.edition(&wanted)
        })
    }

    /// The checklist edition (and rule set) of the inspection with this id, if both exist.
    pub fn edition_for(&self, id: Uuid) -> Option<Edition> {
        self.with_inspection_untracked(id, |i| self.checklists.checklist_of(&i.template)).flatten()
    }

    /// Creates a draft with a fresh UUID and writes it at once, keeping its checklist
    /// edition on the device first: a newer catalogue never takes it away.
    pub fn create(&self, template: &Template) -> Uuid {
        self.checklists.keep(template);
        // From the first draft on there is something to lose: ask the browser to keep it.
        self.device.request_persistence();
        let inspection = Inspection::new(Uuid::new_v4(), template, browser::now());
        let id = inspection.id;
        self.inspections.update(|all| all.push(inspection));
        self.mark_dirty(id);
        self.flush();
        id
    }

    /// Adds an inspection started elsewhere (from an office task: `core::assignment::start`)
    /// and writes it at once, its checklist edition kept on the device first, as
    /// [`Drafts::create`] does.
    pub fn add_started(&self, inspection: Inspection, template: &Template) -> Uuid {
        self.checklists.keep(template);
        self.device.request_persistence();
        let id = inspection.id;
        self.inspections.update(|all| all.push(inspection));
        self.mark_dirty(id);
        self.flush();
        id
    }

    /// Every hazard of the completed inspections on this device, graded, open ones first:
    /// core's register over each inspection's part, made from the records read here and
    /// kept in the summaries of the archived ones not read. Tracked: re-runs when an
    /// inspection changes.
    pub fn register(&self) -> Vec<RegisterEntry> {
        let today = browser::today();
        self.inspections.with(|all| {
            self.summaries.with(|archived| {
                let library = self.checklists.library_of(all.iter().filter(|i| i.is_completed()).map(|i| &i.template));
                let parts: Vec<RegisterPart> = all.iter().map(|i| RegisterPart::of(i, &library)).collect();
                let mut refs: Vec<&RegisterPart> = parts.iter().collect();
                refs.extend(archived.iter().filter_map(|s| s.register.as_ref()));
                register_of(&refs, &today)
            })
        })
    }

    /// Starts a re-inspection of a site from one of its inspections (read from the archive
    /// first when it is known by its summary only), carrying every open hazard of the site,
    /// and writes it at once.
    pub async fn start_follow_up(&self, from: Uuid, site_key: &str) -> Option<Uuid> {
        self.read_archived(&[from]).await;
        let entries = self.register();
        let open = open_for_site(&entries, site_key);
        let follow_up =
            self.with_inspection_untracked(from, |original| start_follow_up(Uuid::new_v4(), original, &open, browser::now()))?;
        let id = follow_up.id;
        self.inspections.update(|all| all.push(follow_up));
        self.mark_dirty(id);
        self.flush();
        Some(id)
    }

    /// Applies an edit to one inspection in memory and schedules its write.
    pub fn edit(&self, id: Uuid, edit: impl FnOnce(&mut Inspection, &Template, u64) -> Result<(), EditError>) -> Result<(), EditError> {
        let Some(template) = self.template_for(id) else {
            return Err(EditError::UnknownItem(format!("inspection {id}")));
        };
        self.checklists.keep(&template);
        let mut result = Err(EditError::UnknownItem(format!("inspection {id}")));
        let now = browser::now();
        self.inspections.update(|all| {
            if let Some(inspection) = all.iter_mut().find(|i| i.id == id) {
                let before = inspection.clone();
                result = edit(inspection, &template, now);
                if result.is_ok() {
                    self.write_behind.update_value(|w| w.stamps.entry(id).or_default().record(&before, inspection, now));
                }
            }
        });
        if result.is_ok() {
            self.mark_dirty(id);
        }
        result
    }

    /// Completes an inspection and writes it at once. Returns its pictures, which delivery
    /// sends after the record: screens complete through [`super::Delivery::complete`], which
    /// queues it.
    pub(super) fn complete(&self, id: Uuid) -> Result<Vec<Uuid>, Vec<Problem>> {
        let mut outcome = Ok(());
        let _ = self.edit(id, |inspection, template, now| {
            let rule_set = self.checklists.rule_set_of(template);
            outcome = inspection.complete(template, rule_set.as_deref(), now);
            Ok(())
        });
        self.flush();
        outcome?;
        Ok(self.with_inspection_untracked(id, |i| i.attachments.iter().map(|a| a.id).collect()).unwrap_or_default())
    }

    /// Takes in a backup's inspections: new ones are added, and a copy replaces the device's
    /// only when it supersedes it (compared again here, as the device's copy may have been
    /// edited while the pictures were stored). Returns how many were added and replaced.
    pub fn restore(&self, plan: &RestorePlan) -> (usize, usize) {
        let (mut added, mut replaced) = (Vec::new(), Vec::new());
        self.inspections.update(|all| {
            for copy in &plan.replace {
                if let Some(slot) = all.iter_mut().find(|i| i.id == copy.id) {
                    if supersedes(copy, slot) {
                        *slot = copy.clone();
                        replaced.push(copy.id);
                    }
                }
            }
            for inspection in &plan.add {
                if !all.iter().any(|i| i.id == inspection.id) {
                    all.push(inspection.clone());
                    added.push(inspection.id);
                }
            }
        });
        for id in added.iter().chain(&replaced) {
            match self.template_for(*id) {
                // As an edit does: its edition is kept on the device, then it is written.
                Some(template) => {
                    self.checklists.keep(&template);
                    self.mark_dirty(*id);
                }
                None => self.write_without_checklist(*id),
            }
        }
        self.flush();
        (added.len(), replaced.len())
    }

    /// A restored inspection whose checklist is not on this device is written at once under
    /// its own key (the index of drafts follows from the keys at the next start).
    fn write_without_checklist(&self, id: Uuid) {
        let written = self.with_inspection_untracked(id, |i| {
            let raw = encode_inspection(i).map_err(|e| e.to_string())?;
            self.write_behind
                .try_update_value(|w| w.repo.store_mut().put(&DraftRepository::<DeviceStore>::key_for(&id.to_string()), &raw))
                .unwrap_or(Ok(()))
                .map_err(|e| e.to_string())
        });
        if let Some(Err(why)) = written {
            web_sys::console::warn_1(&format!("Safewalk: restored inspection {id} not saved: {why}").into());
        }
    }

    fn mark_dirty(&self, id: Uuid) {
        self.write_behind.update_value(|w| {
            w.dirty.insert(id);
        });
        self.device.mark_pending();
        self.schedule_flush(SAVE_DELAY);
    }

    fn schedule_flush(&self, delay: Duration) {
        let already = self.write_behind.with_value(|w| w.timer.is_some());
        if already {
            return;
        }
        let drafts = *self;
        let handle = set_timeout_with_handle(
            move || {
                drafts.write_behind.update_value(|w| w.timer = None);
                drafts.flush();
            },
            delay,
        );
        if let Ok(handle) = handle {
            self.write_behind.update_value(|w| w.timer = Some(handle));
        }
    }

    /// Writes every pending edit now. On failure the edits stay in memory and a retry is
    /// scheduled; the save status says what happened.
    pub fn flush(&self) {
        let dirty: Vec<Uuid> = self.write_behind.with_value(|w| w.dirty.iter().copied().collect());
        if !dirty.is_empty() {
            browser::timed("safewalk:save", || self.write(dirty));
        }
    }

    /// Whether every edit is on the device (after a [`Drafts::flush`]): a reload now loses nothing.
    pub fn all_saved(&self) -> bool {
        self.device.save_status_untracked() == super::device::SaveStatus::Saved
    }

    fn write(&self, dirty: Vec<Uuid>) {
        let mut failure: Option<StoreError> = None;
        for id in dirty {
            let written = self.inspections.with_untracked(|all| {
                let inspection = all.iter().find(|i| i.id == id)?;
                self.write_behind.try_update_value(|w| {
                    let stamps = w.stamps.get(&id).cloned().unwrap_or_default();
                    w.repo.save_over(inspection, &stamps)
                })
            });
            match written {
                Some(Err(e)) => failure = Some(e),
                Some(Ok(merged)) => {
                    self.write_behind.update_value(|w| {
                        w.dirty.remove(&id);
                    });
                    if let Some((merged, stamps)) = merged {
                        // Another tab's answers joined ours on the way to the device.
                        self.write_behind.update_value(|w| {
                            w.stamps.insert(id, stamps);
                        });
                        self.inspections.update(|all| {
                            if let Some(slot) = all.iter_mut().find(|i| i.id == id) {
                                *slot = merged;
                            }
                        });
                    }
                }
                None => self.write_behind.update_value(|w| {
                    w.dirty.remove(&id);
                }),
            }
        }
        let retry = failure.is_some();
        self.device.report_saved(failure.map_or(Ok(()), Err));
        if retry {
            self.schedule_flush(RETRY_DELAY);
        }
    }
}

/// Reads these archived records; one that cannot be read is logged and left out.
async fn read_records(ids: &[Uuid]) -> Vec<Inspection> {
    let archive = match RecordArchive::open().await {
        Ok(archive) => archive,
        Err(e) => {
            web_sys::console::warn_1(&format!("Safewalk: the archive of delivered inspections cannot be read: {e}").into());
            return Vec::new();
        }
    };
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        match archive.get(&id.to_string()).await {
            Ok(Some(raw)) => match decode_draft(&raw) {
                Ok((inspection, _)) => found.push(inspection),
                Err(why) => web_sys::console::warn_1(&format!("Safewalk: archived inspection {id} is unreadable ({why})").into()),
            },
            Ok(None) => web_sys::console::warn_1(&format!("Safewalk: archived inspection {id} is not in the archive").into()),
            Err(e) => web_sys::console::warn_1(&format!("Safewalk: archived inspection {id} cannot be read: {e}").into()),
        }
    }
    found
}

/// Summaries as the archive stores them: `(id, stored text)`.
fn encoded(summaries: &[RecordSummary]) -> Vec<(String, String)> {
    summaries.iter().map(|s| (s.id.to_string(), s.encode())).collect()
}

/// When the outbox says this inspection's last part was acknowledged.
fn delivered_at(outbox: &Outbox, id: Uuid) -> Option<u64> {
    match outbox.record(id)?.delivery {
        Delivery::Delivered { at, .. } => Some(at),
        _ => None,
    }
}
