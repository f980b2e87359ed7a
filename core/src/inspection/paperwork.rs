//! The papers of one inspection as its record carries them: the particulars printed on them
//! (copied when they are issued), the documents issued with their numbers, and the witness
//! when the unit refuses to sign. Delivered with the inspection (payload schema 4), so the
//! office shows, reprints and verifies exactly what was handed over. Plain data: which papers
//! an inspection calls for, how they are numbered and what they lack are
//! [`crate::documents`]'s rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 现场检查记录.
    InspectionRecord,
    /// 责令限期整改指令书.
    OrderToRectify,
    /// 整改复查意见书.
    ReInspectionOpinion,
    /// 现场处理措施决定书: when on-site measures were taken (production safety).
    MeasuresDecision,
    /// 消防监督检查记录.
    FireInspectionRecord,
    /// 责令立即改正通知书: served on the spot for what can be put right at once.
    FireImmediateCorrection,
    /// 责令限期改正通知书: served within 3 working days for the rest.
    FireCorrectionByDeadline,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Paperwork {
    /// The agency's particulars as they were when the documents were issued.
    pub agency: AgencyParticulars,
    /// The two (or more) officers, with their certificate numbers, in signing order.
    pub officers: Vec<Officer>,
    /// The post (职务) of the unit's legal representative or principal.
    pub principal_post: String,
    /// On-site measures taken (现场处理措施, e.g. stopping the use of equipment): recording any
    /// calls for the decision on on-site measures.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub on_site_measures: String,
    /// When the unit's person in charge refuses to sign: who witnessed it, and the note the
    /// documents carry instead of the unit's signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
    /// The documents issued, in handing-over order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issued: Vec<IssuedDocument>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Refusal {
    pub witness: String,
    pub note: String,
}

/// One numbered document as issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedDocument {
    pub kind: DocumentKind,
    /// The number as printed, e.g. `（安）应急责改〔2026〕17号`.
    pub number: String,
    /// The year and serial the number was made from: what the office checks for collisions.
    pub year: i32,
    pub serial: u32,
    /// Milliseconds since the Unix epoch.
    pub issued_at: u64,
}

/// What the documents need that no inspection records: the issuing agency, how its numbers
/// read, and where a unit may appeal. Set once — by the office, which sends them with the
/// pull, or by hand in the phone's settings when there is no office — and copied into the
/// paperwork when the documents are issued, so a printed paper can always be reproduced from
/// the delivered record alone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgencyParticulars {
    /// The issuing agency as it heads its papers, e.g. `安溪县应急管理局`.
    pub agency: String,
    /// The region's abbreviation in document numbers (地区简称), e.g. `安`.
    pub region: String,
    /// The number pattern (`{region}`, `{code}`, `{year}`, `{serial}`); empty reads as the
    /// default, [`crate::documents::numbering::DEFAULT_PATTERN`].
    pub pattern: String,
    /// Codes (代字) that differ from each kind's default.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub codes: BTreeMap<DocumentKind, String>,
    /// The people's government to which administrative review may be applied (行政复议).
    pub review_government: String,
    /// The department at the next level up, the other place of review.
    pub review_department: String,
    /// The people's court where suit may be brought (行政诉讼).
    pub court: String,
}

/// One law-enforcement officer as the documents name them: both officers sign, and each
/// shows a certificate number (执法证号).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Officer {
    pub name: String,
    pub certificate: String,
}
