//! The papers (issue 15): the phone's document serials, under their own key; the agency
//! particulars the office sends with the pull; and issuing an inspection's documents.
//!
//! Issuing keeps core's order: the serials are written first, then the inspection (at once,
//! not behind). A crash between loses a serial, never prints one twice. The serials are read
//! from storage again before each issue, so another tab's issue is never repeated here.

use leptos::prelude::*;
use safewalk_core::dates::china_year;
use safewalk_core::documents::issue::{issue, IssueError};
use safewalk_core::documents::numbering::{BlockError, SerialBlock, Serials};
use safewalk_core::documents::paperwork::IssuedDocument;
use safewalk_core::documents::particulars::AgencyParticulars;
use safewalk_core::storage::{encode_record, StoreError, OFFICE_AGENCY_KEY, SERIALS_KEY};
use uuid::Uuid;

use super::device::Device;
use super::drafts::Drafts;
use super::settings::Settings;
use crate::browser;

/// Why the documents were not numbered; told by [`crate::i18n::Strings::issue_failure`].
#[derive(Clone, Debug, PartialEq)]
pub enum IssueFailure {
    /// Core's refusal: particulars missing, too few serials, signed.
    Refused(IssueError),
    /// The serials could not be written: nothing was numbered.
    NotKept(StoreError),
    /// The inspection or its checklist is not on the device.
    Gone,
}

/// Why a hand-entered block was not added.
#[derive(Clone, Debug, PartialEq)]
pub enum BlockProblem {
    Refused(BlockError),
    NotKept(StoreError),
}

#[derive(Clone, Copy)]
pub struct Papers {
    serials: RwSignal<Serials>,
    /// What the office sent with its last pull, if it sent any.
    office: RwSignal<Option<AgencyParticulars>>,
    settings: Settings,
    drafts: Drafts,
    device: Device,
}

impl Papers {
    pub fn load(device: Device, settings: Settings, drafts: Drafts) -> Papers {
        Papers {
            serials: RwSignal::new(device.read_record(SERIALS_KEY).unwrap_or_default()),
            office: RwSignal::new(device.read_record(OFFICE_AGENCY_KEY)),
            settings,
            drafts,
            device,
        }
    }

    /// The serials as stored now (another tab may have taken some), or as held here when
    /// the stored copy cannot be read.
    fn stored_serials(&self) -> Serials {
        self.device.read_record(SERIALS_KEY).unwrap_or_else(|| self.serials.get_untracked())
    }

    fn keep(&self, serials: Serials) -> Result<(), StoreError> {
        let raw = encode_record(&serials).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        self.device.put_text(SERIALS_KEY, &raw)?;
        self.serials.set(serials);
        Ok(())
    }

    /// The particulars printed: the office's where it set them, the phone's Settings for the
    /// rest. Tracked.
    pub fn agency(&self) -> AgencyParticulars {
        let own = self.settings.agency();
        self.office.with(|office| office.as_ref().map(|o| o.overlaid_on(&own)).unwrap_or(own))
    }

    /// Whether the office set the particulars (Settings then only fills its blanks). Tracked.
    pub fn office_sets_agency(&self) -> bool {
        self.office.with(Option::is_some)
    }

    /// The blocks held, by year and first serial. Tracked.
    pub fn blocks(&self) -> Vec<SerialBlock> {
        self.serials.with(|s| s.blocks().copied().collect())
    }

    /// Serials of this year (in China) still free. Tracked.
    pub fn remaining_this_year(&self) -> (i32, u32) {
        let year = china_year(browser::now());
        (year, self.serials.with(|s| s.remaining(year)))
    }

    /// A block typed in Settings (no office): refused when it overlaps one held.
    pub fn add_manual(&self, year: i32, first: u32, last: u32) -> Result<(), BlockProblem> {
        let mut serials = self.stored_serials();
        serials.add(SerialBlock { year, first, last, manual: true }).map_err(BlockProblem::Refused)?;
        self.keep(serials).map_err(BlockProblem::NotKept)
    }

    /// The year to ask the office a new block for with the next pull, when this year's
    /// serials run low.
    pub fn top_up_year(&self) -> Option<i32> {
        let year = china_year(browser::now());
        self.stored_serials().needs_top_up(year).then_some(year)
    }

    /// Takes in what a pull brought: the office's blocks (one already held is no change; one
    /// overlapping a hand-entered block is left out, said in the console) and its particulars.
    pub fn take_from_pull(&self, blocks: &[SerialBlock], agency: Option<AgencyParticulars>) {
        if !blocks.is_empty() {
            let mut serials = self.stored_serials();
            for block in blocks {
                if let Err(e) = serials.add(*block) {
                    web_sys::console::warn_1(&format!("Safewalk: the office's block is not used: {}", e.text().en).into());
                }
            }
            serials.drop_before(china_year(browser::now()));
            if let Err(e) = self.keep(serials) {
                web_sys::console::warn_1(&format!("Safewalk: serials not kept: {e}").into());
            }
        }
        if let Some(agency) = agency {
            self.device.put_record(OFFICE_AGENCY_KEY, &agency);
            self.office.set(Some(agency));
        }
    }

    /// Numbers the documents inspection `id` calls for (core's [`issue`]) with the particulars
    /// printed now: the serials are kept first, then the inspection is written.
    pub fn issue(&self, id: Uuid) -> Result<Vec<IssuedDocument>, IssueFailure> {
        let template = self.drafts.template_for(id).ok_or(IssueFailure::Gone)?;
        let mut inspection = self.drafts.with_inspection_untracked(id, Clone::clone).ok_or(IssueFailure::Gone)?;
        let mut serials = self.stored_serials();
        let issued =
            issue(&mut inspection, &template, &self.agency_untracked(), &mut serials, browser::now()).map_err(IssueFailure::Refused)?;
        self.keep(serials).map_err(IssueFailure::NotKept)?;
        // Cannot be refused: issue just edited the same inspection.
        let _ = self.drafts.edit(id, |i, _, _| {
            *i = inspection;
            Ok(())
        });
        self.drafts.flush();
        Ok(issued)
    }

    fn agency_untracked(&self) -> AgencyParticulars {
        let own = self.settings.current().agency;
        self.office.with_untracked(|office| office.as_ref().map(|o| o.overlaid_on(&own)).unwrap_or(own))
    }
}
