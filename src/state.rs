//! The app's state, shared through context: templates, inspections, where the app is, and
//! the write-behind of every edit to the device.
//!
//! Every edit goes through [`AppState::edit`], which changes the inspection in memory at once
//! and schedules a write at most [`SAVE_DELAY`] later. `pagehide` and a hidden page flush
//! at once, so a killed tab loses nothing it had time to show.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use safewalk_core::catalogue::library::Library;
use safewalk_core::delivery::outbox::Outbox;
use safewalk_core::delivery::settings::{validate_endpoint, Settings};
use safewalk_core::grading::RuleSet;
use safewalk_core::rectification::follow_up::start_follow_up;
use safewalk_core::rectification::register::{open_for_site, register, RegisterEntry};
use safewalk_core::storage::{
    decode_record, encode_record, unreadable_key, DraftRepository, KeyValueStore, StoreError, UnreadableDraft, LIBRARY_KEY, OUTBOX_KEY,
    SETTINGS_KEY,
};
use safewalk_core::{EditError, Inspection, Lang, Problem, Route, Template, TemplateError};
use uuid::Uuid;

use crate::browser;
use crate::checklists::Checklists;
use crate::persistence::{self, Persistence};
use crate::store::DeviceStore;

/// How long an edit may wait in memory before it is written.
pub const SAVE_DELAY: Duration = Duration::from_millis(300);
/// How soon a failed write (full quota) is tried again.
const RETRY_DELAY: Duration = Duration::from_secs(2);
const LANG_KEY: &str = "safewalk.lang";

#[derive(Clone, Debug, PartialEq)]
pub enum SaveStatus {
    Saved,
    Pending,
    /// The quota is used up; the edits are in memory and retried.
    Full,
    Failed(String),
}

struct Drafts {
    repo: DraftRepository<DeviceStore>,
    dirty: BTreeSet<Uuid>,
    timer: Option<TimeoutHandle>,
    /// The outbox runner's wake-up for the next due try.
    delivery_timer: Option<TimeoutHandle>,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub route: RwSignal<Route>,
    pub inspections: RwSignal<Vec<Inspection>>,
    pub unreadable: RwSignal<Vec<UnreadableDraft>>,
    pub save_status: RwSignal<SaveStatus>,
    pub update_ready: RwSignal<bool>,
    pub settings: RwSignal<Settings>,
    /// Completed inspections and where their delivery stands; written on every change.
    pub outbox: RwSignal<Outbox>,
    /// False when the browser refuses localStorage and drafts live in memory only.
    pub persistent: bool,
    /// Whether the browser promised not to clear this site's storage.
    pub persistence: RwSignal<Persistence>,
    /// The checklist editions known: kept on the device, and the build's catalogue.
    pub checklists: Checklists,
    drafts: StoredValue<Drafts>,
}

impl AppState {
    /// Loads the kept checklists and every stored draft. Never fails: what cannot be read
    /// is reported. The build's catalogue arrives later ([`Checklists::fetch_catalogue`]).
    pub fn load() -> AppState {
        let mut store = DeviceStore::open();
        let persistent = store.is_persistent();
        let lang = store.get(LANG_KEY).ok().flatten().and_then(|code| Lang::from_code(&code)).unwrap_or_else(browser::preferred_lang);
        let settings = read_record::<Settings>(&mut store, SETTINGS_KEY).unwrap_or_default();
        let outbox = read_record::<Outbox>(&mut store, OUTBOX_KEY).unwrap_or_default();
        let kept = read_record::<Library>(&mut store, LIBRARY_KEY).unwrap_or_else(Library::new);
        let mut repo = DraftRepository::new(store);
        let (inspections, unreadable, status) = match repo.load_all() {
            Ok(report) => (report.inspections, report.unreadable, SaveStatus::Saved),
            Err(e) => (Vec::new(), Vec::new(), SaveStatus::Failed(e.to_string())),
        };
        AppState {
            lang: RwSignal::new(lang),
            route: RwSignal::new(Route::parse(&browser::location_hash())),
            inspections: RwSignal::new(inspections),
            unreadable: RwSignal::new(unreadable),
            save_status: RwSignal::new(status),
            update_ready: RwSignal::new(false),
            settings: RwSignal::new(settings),
            outbox: RwSignal::new(outbox),
            persistent,
            checklists: Checklists::new(kept),
            persistence: RwSignal::new(Persistence::Unknown),
            drafts: StoredValue::new(Drafts { repo, dirty: BTreeSet::new(), timer: None, delivery_timer: None }),
        }
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

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        browser::set_document_lang(lang);
        // A language preference that fails to save is not worth a warning.
        self.drafts.update_value(|d| {
            let _ = d.repo.store_mut().put(LANG_KEY, lang.code());
        });
    }

    pub fn navigate(&self, route: Route) {
        browser::set_location_hash(&route.to_hash());
        self.route.set(route);
    }

    /// Remembers the position in the checklist without adding a history entry.
    pub fn remember_position(&self, route: Route) {
        browser::replace_location_hash(&route.to_hash());
        self.route.set(route);
    }

    /// Creates a draft with a fresh UUID and writes it at once, keeping its checklist
    /// edition on the device first: a newer catalogue never takes it away.
    pub fn create_inspection(&self, template: &Template) -> Uuid {
        self.keep_checklist(template);
        // From the first draft on there is something to lose: ask the browser to keep it.
        persistence::request(self.persistence);
        let inspection = Inspection::new(Uuid::new_v4(), template, browser::now());
        let id = inspection.id;
        self.inspections.update(|all| all.push(inspection));
        self.mark_dirty(id);
        self.flush();
        id
    }

    /// Every hazard of the completed inspections on this device, graded, open ones first.
    /// Tracked: re-runs when an inspection changes.
    pub fn register(&self) -> Vec<RegisterEntry> {
        let today = browser::today();
        self.inspections.with(|all| {
            let mut library = Library::new();
            for inspection in all.iter().filter(|i| i.is_completed()) {
                if let Some(template) = self.template_of(inspection) {
                    if let Some(rule_set) = self.checklists.rule_set_of(&template) {
                        library.merge(Library { rule_sets: vec![RuleSet::clone(&rule_set)], ..Library::new() });
                    }
                    library.merge(Library { templates: vec![Template::clone(&template)], ..Library::new() });
                }
            }
            register(all, &library, &today)
        })
    }

    /// Starts a re-inspection of a site from one of its inspections, carrying every open
    /// hazard of the site, and writes it at once.
    pub fn start_follow_up(&self, from: Uuid, site_key: &str) -> Option<Uuid> {
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
        let Some(template) = self.inspections.with_untracked(|all| all.iter().find(|i| i.id == id).and_then(|i| self.template_of(i)))
        else {
            return Err(EditError::UnknownItem(format!("inspection {id}")));
        };
        self.keep_checklist(&template);
        let mut result = Err(EditError::UnknownItem(format!("inspection {id}")));
        self.inspections.update(|all| {
            if let Some(inspection) = all.iter_mut().find(|i| i.id == id) {
                result = edit(inspection, &template, browser::now());
            }
        });
        if result.is_ok() {
            self.mark_dirty(id);
        }
        result
    }

    /// Completes an inspection and queues it for delivery.
    pub fn complete(&self, id: Uuid) -> Result<(), Vec<Problem>> {
        let mut outcome = Ok(());
        let _ = self.edit(id, |inspection, template, now| {
            let rule_set = self.checklists.rule_set_of(template);
            outcome = inspection.complete(template, rule_set.as_deref(), now);
            Ok(())
        });
        self.flush();
        if outcome.is_ok() {
            let pictures: Vec<Uuid> =
                self.with_inspection_untracked(id, |i| i.attachments.iter().map(|a| a.id).collect()).unwrap_or_default();
            self.update_outbox(|outbox| outbox.enqueue_with(id, pictures, browser::now()));
            crate::delivery_port::kick(*self);
        }
        outcome
    }

    /// Writes the edition to the device's kept library unless it is there already.
    fn keep_checklist(&self, template: &Template) {
        if let Some(kept) = self.checklists.keep(template) {
            self.report_store_error(self.put_record(LIBRARY_KEY, &kept));
        }
    }

    /// Imports a checklist file or library: valid entries are kept on the device, refused
    /// ones come back with errors naming template, section, item and field.
    pub fn import_checklists(&self, json: &str) -> (usize, Vec<TemplateError>) {
        let (imported, kept, errors) = self.checklists.import(json);
        self.report_store_error(self.put_record(LIBRARY_KEY, &kept));
        (imported, errors)
    }

    fn report_store_error(&self, written: Result<(), StoreError>) {
        if let Err(e) = written {
            self.save_status.set(match e {
                StoreError::QuotaExceeded => SaveStatus::Full,
                StoreError::Unavailable(why) => SaveStatus::Failed(why),
            });
        }
    }

    /// Changes the outbox and writes it at once: a delivery state only in memory could send
    /// twice or forget a receipt after a reload.
    pub fn update_outbox(&self, change: impl FnOnce(&mut Outbox)) {
        self.outbox.update(change);
        let written = self.outbox.with_untracked(|outbox| self.put_record(OUTBOX_KEY, outbox));
        self.report_store_error(written);
    }

    /// Saves settings after checking the endpoint; a new endpoint or token ends an auth pause.
    pub fn save_settings(&self, mut settings: Settings) -> Result<(), safewalk_core::delivery::settings::EndpointError> {
        if !settings.endpoint.trim().is_empty() {
            settings.endpoint = validate_endpoint(&settings.endpoint)?;
        }
        let _ = self.put_record(SETTINGS_KEY, &settings);
        self.settings.set(settings);
        self.update_outbox(Outbox::settings_changed);
        Ok(())
    }

    /// Where inspections go: the configured endpoint, or the origin that served the app
    /// (the reference receiver serves both, so that works out of the box).
    pub fn endpoint(&self) -> String {
        let configured = self.settings.with_untracked(|s| s.endpoint.clone());
        if configured.trim().is_empty() {
            browser::origin()
        } else {
            configured
        }
    }

    /// Runs `wake` after `delay`, replacing any earlier wake-up of the delivery runner.
    pub fn wake_at(&self, delay: Duration, wake: impl FnOnce() + 'static) {
        if let Some(old) = self.drafts.try_update_value(|d| d.delivery_timer.take()).flatten() {
            old.clear();
        }
        if let Ok(handle) = set_timeout_with_handle(wake, delay) {
            self.drafts.update_value(|d| d.delivery_timer = Some(handle));
        }
    }

    fn put_record<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let raw = encode_record(value).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        self.drafts.try_update_value(|d| d.repo.store_mut().put(key, &raw)).unwrap_or(Ok(()))
    }

    fn mark_dirty(&self, id: Uuid) {
        self.drafts.update_value(|d| {
            d.dirty.insert(id);
        });
        if self.save_status.get_untracked() == SaveStatus::Saved {
            self.save_status.set(SaveStatus::Pending);
        }
        self.schedule_flush(SAVE_DELAY);
    }

    fn schedule_flush(&self, delay: Duration) {
        let already = self.drafts.with_value(|d| d.timer.is_some());
        if already {
            return;
        }
        let state = *self;
        let handle = set_timeout_with_handle(
            move || {
                state.drafts.update_value(|d| d.timer = None);
                state.flush();
            },
            delay,
        );
        if let Ok(handle) = handle {
            self.drafts.update_value(|d| d.timer = Some(handle));
        }
    }

    /// Writes every pending edit now. On failure the edits stay in memory and a retry is
    /// scheduled; the status says what happened.
    pub fn flush(&self) {
        let dirty: Vec<Uuid> = self.drafts.with_value(|d| d.dirty.iter().copied().collect());
        if !dirty.is_empty() {
            browser::timed("safewalk:save", || self.write(dirty));
        }
    }

    fn write(&self, dirty: Vec<Uuid>) {
        let mut failure: Option<StoreError> = None;
        for id in dirty {
            let written = self.inspections.with_untracked(|all| {
                let inspection = all.iter().find(|i| i.id == id)?;
                Some(self.drafts.try_update_value(|d| d.repo.save(inspection)).unwrap_or(Ok(())))
            });
            match written {
                Some(Err(e)) => failure = Some(e),
                Some(Ok(())) | None => self.drafts.update_value(|d| {
                    d.dirty.remove(&id);
                }),
            }
        }
        match failure {
            None => self.save_status.set(SaveStatus::Saved),
            Some(e) => {
                self.save_status.set(match e {
                    StoreError::QuotaExceeded => SaveStatus::Full,
                    StoreError::Unavailable(why) => SaveStatus::Failed(why),
                });
                self.schedule_flush(RETRY_DELAY);
            }
        }
    }
}

/// Reads a single-key record. An unreadable one is copied aside (`<key>.unreadable`) before
/// it is replaced, so its raw text is never lost; the app then starts from the default.
fn read_record<T: serde::de::DeserializeOwned>(store: &mut DeviceStore, key: &str) -> Option<T> {
    let raw = store.get(key).ok().flatten()?;
    match decode_record::<T>(&raw) {
        Ok(value) => Some(value),
        Err(reason) => {
            web_sys::console::warn_1(&format!("Safewalk: {key} unreadable ({reason}); kept under {}", unreadable_key(key)).into());
            let _ = store.put(&unreadable_key(key), &raw);
            None
        }
    }
}
