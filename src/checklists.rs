//! The checklists the app knows: the editions kept on the device (those its drafts use,
//! and those imported) and the build's catalogue, `templates.json`, fetched at start (the
//! service worker has it offline). Templates are data, not code: 14 sectors compiled in
//! would cost the download more than the whole rest of a screen.

use std::sync::Arc;

use leptos::prelude::*;
use safewalk_core::catalogue::library::{find, Library};
use safewalk_core::grading::RuleSet;
use safewalk_core::{Template, TemplateError, TemplateRef};

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

#[derive(Clone, Copy)]
pub struct Checklists {
    /// Every edition known, kept or from the catalogue, in the order first learned.
    templates: RwSignal<Vec<Arc<Template>>>,
    rule_sets: RwSignal<Vec<Arc<RuleSet>>>,
    pub status: RwSignal<CatalogueStatus>,
    /// Entries of the catalogue or of an import that were refused.
    pub errors: RwSignal<Vec<TemplateError>>,
    /// What is written under LIBRARY_KEY.
    kept: StoredValue<Library>,
}

impl Checklists {
    pub fn new(kept: Library) -> Checklists {
        let checklists = Checklists {
            templates: RwSignal::new(Vec::new()),
            rule_sets: RwSignal::new(Vec::new()),
            status: RwSignal::new(CatalogueStatus::Loading),
            errors: RwSignal::new(Vec::new()),
            kept: StoredValue::new(Library::new()),
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
                    Some(slot) if safewalk_core::catalogue::library::is_newer(&template.version, &slot.version) => *slot = template.clone(),
                    Some(_) => {}
                    None => latest.push(template.clone()),
                }
            }
            latest
        })
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

    pub fn known_rule_sets(&self) -> Vec<RuleSet> {
        self.rule_sets.with_untracked(|all| all.iter().map(|r| RuleSet::clone(r)).collect())
    }

    /// Adds the edition (and its rule set) to what the device keeps. Returns the library
    /// to write when something was added, `None` when it was kept already.
    pub fn keep(&self, template: &Template) -> Option<Library> {
        let rule_set = self.rule_set_of(template);
        self.kept
            .try_update_value(|kept| {
                let mut addition = Library::new();
                addition.templates.push(template.clone());
                addition.rule_sets.extend(rule_set.map(|r| RuleSet::clone(&r)));
                (kept.merge(addition) > 0).then(|| kept.clone())
            })
            .flatten()
    }

    /// Reads an imported file (a library or one template). Valid entries are learned and
    /// added to what the device keeps; returns how many templates the file held, the kept
    /// library to write, and the refused entries, each error naming where.
    pub fn import(&self, json: &str) -> (usize, Library, Vec<TemplateError>) {
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
        (imported, kept, errors)
    }

    /// Fetches the build's catalogue and learns it.
    pub async fn fetch_catalogue(self) {
        use safewalk_core::delivery::outbox::Attempt;
        match crate::sync::transport::get_text(CATALOGUE_URL, "").await {
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
