//! The checklists the app knows: the editions kept on the device (those its drafts use,
//! and those imported) and the build's catalogue, `templates.json`, fetched at start (the
//! service worker has it offline). Templates are data, not code: 14 sectors compiled in
//! would cost the download more than the whole rest of a screen.

use std::sync::Arc;

use leptos::prelude::*;
use safewalk_core::catalogue::library::{find, is_newer, Library};
use safewalk_core::delivery::outbox::Attempt;
use safewalk_core::grading::{Graded, RuleSet};
use safewalk_core::storage::LIBRARY_KEY;
use safewalk_core::{Inspection, Template, TemplateError, TemplateRef};

use super::device::Device;
use crate::sync::transport;

/// Where the build's catalogue is, relative to the app.
const CATALOGUE_URL: &str = "templates.json";

#[derive(Clone, Debug, PartialEq)]
pub enum CatalogueStatus {
    Loading,
    Ready,
    /// The catalogue could not be fetched or read; kept and imported checklists still work.
    Failed(CatalogueFailure),
}

/// Why the built-in catalogue could not be loaded, told in the inspector's language by
/// [`crate::i18n::Strings::catalogue_failure`].
#[derive(Clone, Debug, PartialEq)]
pub enum CatalogueFailure {
    /// The app's own server answered with this HTTP status instead of the catalogue.
    Status(u16),
    TimedOut,
    /// The browser could not reach the server; its own words.
    Network(String),
    /// The catalogue was read but held no usable checklist: the first problem found in it.
    NoChecklists(Option<String>),
}

/// Why an import from the receiver brought nothing, told by
/// [`crate::i18n::Strings::receiver_import_error`].
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiverImportError {
    /// What was asked: `{endpoint}/templates`.
    pub url: String,
    pub failure: FetchFailure,
}

/// Why a GET brought nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchFailure {
    /// The server answered with this HTTP status instead of 200.
    Status(u16),
    TimedOut,
    /// The browser could not reach the server; its own words.
    Network(String),
}

/// One checklist edition with the rule set that grades it: what an inspection is read with.
#[derive(Clone)]
pub struct Edition {
    pub template: Arc<Template>,
    pub rule_set: Option<Arc<RuleSet>>,
}

impl Edition {
    /// An inspection read through this edition and its rules: grades, problems, counts.
    pub fn grade<'a>(&'a self, inspection: &'a Inspection) -> Graded<'a> {
        Graded::new(inspection, &self.template, self.rule_set.as_deref())
    }
}

#[derive(Clone, Copy)]
pub struct Checklists {
    /// Every edition known, kept or from the catalogue, in the order first learned.
    templates: RwSignal<Vec<Arc<Template>>>,
    rule_sets: RwSignal<Vec<Arc<RuleSet>>>,
    status: RwSignal<CatalogueStatus>,
    /// Entries of the catalogue that were refused.
    errors: RwSignal<Vec<TemplateError>>,
    /// What is written under LIBRARY_KEY.
    kept: StoredValue<Library>,
    device: Device,
}

impl Checklists {
    /// Knows the editions kept on the device; the catalogue arrives later
    /// ([`Checklists::fetch_catalogue`]).
    pub fn load(device: Device) -> Checklists {
        let kept = device.read_record::<Library>(LIBRARY_KEY).unwrap_or_default();
        let checklists = Checklists {
            templates: RwSignal::new(Vec::new()),
            rule_sets: RwSignal::new(Vec::new()),
            status: RwSignal::new(CatalogueStatus::Loading),
            errors: RwSignal::new(Vec::new()),
            kept: StoredValue::new(Library::new()),
            device,
        };
        checklists.learn(kept.clone());
        checklists.kept.set_value(kept);
        checklists
    }

    /// Adds editions and rule sets not known yet; a known edition is never replaced.
    pub fn learn(&self, library: Library) {
        self.rule_sets.update(|known| {
            for rule_set in library.rule_sets {
                if !known.iter().any(|r| r.id == rule_set.id) {
                    known.push(Arc::new(rule_set));
                }
            }
        });
        self.templates.update(|known| {
            for template in library.templates {
                if find(known, &template.id, &template.version).is_none() {
                    known.push(Arc::new(template));
                }
            }
        });
    }

    /// The newest edition of each checklist, for starting a new inspection. Tracked.
    pub fn latest(&self) -> Vec<Arc<Template>> {
        self.templates.with(|all| {
            let mut latest: Vec<Arc<Template>> = Vec::new();
            for template in all {
                match latest.iter_mut().find(|t| t.id == template.id) {
                    Some(slot) if is_newer(&template.version, &slot.version) => *slot = template.clone(),
                    Some(_) => {}
                    None => latest.push(template.clone()),
                }
            }
            latest
        })
    }

    /// The newest edition of one checklist, untracked: what a task starts with.
    pub fn latest_of(&self, id: &str) -> Option<Arc<Template>> {
        self.templates.with_untracked(|all| {
            let mut newest: Option<&Arc<Template>> = None;
            for template in all.iter().filter(|t| t.id == id) {
                if newest.is_none_or(|n| is_newer(&template.version, &n.version)) {
                    newest = Some(template);
                }
            }
            newest.cloned()
        })
    }

    /// Whether the build's catalogue has arrived. Tracked.
    pub fn status(&self) -> CatalogueStatus {
        self.status.get()
    }

    pub fn status_untracked(&self) -> CatalogueStatus {
        self.status.get_untracked()
    }

    /// The catalogue's refused entries. Tracked.
    pub fn errors(&self) -> Vec<TemplateError> {
        self.errors.get()
    }

    /// Subscribes the caller to changes of the known editions.
    pub fn track(&self) {
        self.templates.track();
    }

    /// The exact edition an inspection was started with. Untracked.
    pub fn edition(&self, wanted: &TemplateRef) -> Option<Arc<Template>> {
        self.templates.with_untracked(|all| find(all, &wanted.id, &wanted.version).cloned())
    }

    pub fn rule_set_of(&self, template: &Template) -> Option<Arc<RuleSet>> {
        let id = template.rule_set.as_deref()?;
        self.rule_sets.with_untracked(|all| all.iter().find(|r| r.id == id).cloned())
    }

    fn known_rule_sets(&self) -> Vec<RuleSet> {
        self.rule_sets.with_untracked(|all| all.iter().map(|r| RuleSet::clone(r)).collect())
    }

    /// The exact edition an inspection was started with, and its rule set.
    pub fn checklist_of(&self, wanted: &TemplateRef) -> Option<Edition> {
        let template = self.edition(wanted)?;
        let rule_set = self.rule_set_of(&template);
        Some(Edition { template, rule_set })
    }

    /// The editions (and their rule sets) of these references, as far as this device knows
    /// them: what an export or a backup carries along.
    pub fn library_of<'a>(&self, wanted: impl IntoIterator<Item = &'a TemplateRef>) -> Library {
        let mut library = Library::new();
        for wanted in wanted {
            let Some(Edition { template, rule_set }) = self.checklist_of(wanted) else { continue };
            let rule_sets = rule_set.map(|r| RuleSet::clone(&r)).into_iter().collect();
            library.merge(Library { rule_sets, templates: vec![Template::clone(&template)], ..Library::new() });
        }
        library
    }

    /// Keeps the edition (and its rule set) on the device unless it is kept already: a
    /// newer catalogue never takes away the edition a draft uses.
    pub fn keep(&self, template: &Template) {
        let rule_set = self.rule_set_of(template);
        // Every edit calls this: once kept, say so without copying the template and its rule
        // set (a deep copy of every item, each tap).
        let kept_already = self
            .kept
            .try_with_value(|kept| {
                kept.template(&template.id, &template.version).is_some() && rule_set.as_ref().is_none_or(|r| kept.rule_set(&r.id).is_some())
            })
            .unwrap_or(false);
        if kept_already {
            return;
        }
        let added = self
            .kept
            .try_update_value(|kept| {
                let mut addition = Library::new();
                addition.templates.push(template.clone());
                addition.rule_sets.extend(rule_set.map(|r| RuleSet::clone(&r)));
                (kept.merge(addition) > 0).then(|| kept.clone())
            })
            .flatten();
        if let Some(kept) = added {
            self.device.put_record(LIBRARY_KEY, &kept);
        }
    }

    /// Imports a checklist file or library (one template or several). Valid entries are
    /// learned and kept on the device; returns how many templates the file held and the
    /// refused entries, each error naming template, section, item and field.
    pub fn import(&self, json: &str) -> (usize, Vec<TemplateError>) {
        let (library, errors) = Library::parse(json, &self.known_rule_sets());
        let imported = library.templates.len();
        self.learn(library.clone());
        let kept = self
            .kept
            .try_update_value(|kept| {
                kept.merge(library);
                kept.clone()
            })
            .unwrap_or_default();
        self.device.put_record(LIBRARY_KEY, &kept);
        (imported, errors)
    }

    /// Imports the receiver's checklist library (`GET {endpoint}/templates`).
    pub async fn import_from_receiver(self, endpoint: String, token: String) -> Result<(usize, Vec<TemplateError>), ReceiverImportError> {
        Ok(self.import(&receiver_library(&endpoint, &token).await?))
    }

    /// Learns the receiver's library (`GET {endpoint}/templates`) without keeping it, as the
    /// build's catalogue is learned: an edition is kept on the device once a draft or a task
    /// uses it ([`Checklists::keep`]), so a pull never fills the device with every checklist.
    pub async fn refresh_from_receiver(self, endpoint: String, token: String) -> Result<(), ReceiverImportError> {
        let body = receiver_library(&endpoint, &token).await?;
        self.learn(Library::parse(&body, &self.known_rule_sets()).0);
        Ok(())
    }

    /// Fetches the build's catalogue and learns it.
    pub async fn fetch_catalogue(self) {
        match transport::get_text(CATALOGUE_URL, "").await {
            Attempt::Response { status: 200, body, .. } => {
                let (library, errors) = Library::parse(&body, &[]);
                if library.templates.is_empty() {
                    self.status.set(CatalogueStatus::Failed(CatalogueFailure::NoChecklists(errors.first().map(ToString::to_string))));
                } else {
                    self.status.set(CatalogueStatus::Ready);
                }
                self.learn(library);
                self.errors.update(|all| all.extend(errors));
            }
            Attempt::Response { status, .. } => self.status.set(CatalogueStatus::Failed(CatalogueFailure::Status(status))),
            Attempt::Timeout => self.status.set(CatalogueStatus::Failed(CatalogueFailure::TimedOut)),
            Attempt::NetworkError(why) => self.status.set(CatalogueStatus::Failed(CatalogueFailure::Network(why))),
        }
    }
}

/// The receiver's checklist library as it sent it, or why not.
async fn receiver_library(endpoint: &str, token: &str) -> Result<String, ReceiverImportError> {
    let failure = match transport::templates(endpoint, token).await {
        Attempt::Response { status: 200, body, .. } => return Ok(body),
        Attempt::Response { status, .. } => FetchFailure::Status(status),
        Attempt::Timeout => FetchFailure::TimedOut,
        Attempt::NetworkError(why) => FetchFailure::Network(why),
    };
    Err(ReceiverImportError { url: format!("{endpoint}/templates"), failure })
}
