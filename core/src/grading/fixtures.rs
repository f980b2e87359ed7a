//! Test fixtures shared by the grading, completion, register and payload tests: a format 2
//! template graded by the real GB 35181-2017 rule set file, and inspections of it.

use uuid::Uuid;

use crate::catalogue::rule_set::RuleSet;
use crate::catalogue::template::Template;
use crate::inspection::{Answer, Inspection};

pub(crate) const RULE_SET_JSON: &str = include_str!("../../../templates/rules/gb35181-2017.json");

/// One site category per site class, and items in most element groups: enough to put
/// every threshold of the rule set on either side of its boundary.
pub(crate) const FIRE_DEMO: &str = r#"{
    "format": 2, "id": "fire-demo", "version": "1",
    "sector": {"zh": "演示", "en": "Demo"}, "title": {"zh": "消防演示", "en": "Fire demo"},
    "rule_set": "gb35181-2017",
    "site_categories": [
        {"id": "mall", "name": {"zh": "商场", "en": "Mall"}, "site_class": "crowded"},
        {"id": "depot", "name": {"zh": "油库", "en": "Depot"}, "site_class": "flammable"},
        {"id": "archive", "name": {"zh": "档案馆", "en": "Archive"}, "site_class": "important"},
        {"id": "office", "name": {"zh": "办公楼", "en": "Office"}, "site_class": "other"}
    ],
    "sections": [
        {"id": "evac", "title": {"zh": "疏散", "en": "Evacuation"}, "items": [
            {"id": "ev-1", "text": {"zh": "疏散一", "en": "Evac 1"}, "basis": "b", "element": "evacuation"},
            {"id": "ev-2", "text": {"zh": "疏散二", "en": "Evac 2"}, "basis": "b", "element": "evacuation"},
            {"id": "ev-3", "text": {"zh": "疏散三", "en": "Evac 3"}, "basis": "b", "element": "evacuation"}]},
        {"id": "smoke", "title": {"zh": "防排烟", "en": "Smoke"}, "items": [
            {"id": "sm-1", "text": {"zh": "排烟一", "en": "Smoke 1"}, "basis": "b", "element": "smoke"}]},
        {"id": "deco", "title": {"zh": "装修", "en": "Decoration"}, "items": [
            {"id": "de-1", "text": {"zh": "装修一", "en": "Deco 1"}, "basis": "b", "element": "decoration"}]},
        {"id": "layout", "title": {"zh": "总平面", "en": "Layout"}, "items": [
            {"id": "la-1", "text": {"zh": "布局一", "en": "Layout 1"}, "basis": "b", "element": "layout"},
            {"id": "la-2", "text": {"zh": "布局二", "en": "Layout 2"}, "basis": "b", "element": "layout"}]},
        {"id": "supp", "title": {"zh": "灭火", "en": "Suppression"}, "items": [
            {"id": "su-1", "text": {"zh": "灭火一", "en": "Supp 1"}, "basis": "b", "element": "suppression"}]},
        {"id": "alarm", "title": {"zh": "报警", "en": "Alarm"}, "items": [
            {"id": "al-1", "text": {"zh": "报警一", "en": "Alarm 1"}, "basis": "b", "element": "alarm"},
            {"id": "al-2", "text": {"zh": "报警二", "en": "Alarm 2"}, "basis": "b", "element": "alarm"},
            {"id": "al-3", "text": {"zh": "报警三", "en": "Alarm 3"}, "basis": "b", "element": "alarm"}]},
        {"id": "other", "title": {"zh": "其他", "en": "Other"}, "items": [
            {"id": "dm-1", "text": {"zh": "直接一", "en": "Direct 1"}, "basis": "b", "major": "GB 35181-2017 5.6"},
            {"id": "dm-2", "text": {"zh": "直接二", "en": "Direct 2"}, "basis": "b", "major": "GB 35181-2017 5.4", "element": "evacuation"},
            {"id": "pl-1", "text": {"zh": "普通", "en": "Plain"}, "basis": "b"}]}
    ]}"#;

pub(crate) fn rule_set() -> RuleSet {
    serde_json::from_str(RULE_SET_JSON).expect("the GB 35181-2017 rule set file reads")
}

pub(crate) fn template() -> Template {
    let template = Template::parse(FIRE_DEMO).expect("the fixture template is valid");
    assert!(rule_set().template_problems(&template).is_empty());
    template
}

/// A completable inspection of [`template`] at a site of `category`: details filled in,
/// `hazards` answered "hazard" with a note, every other item compliant. Rectifications
/// are left blank.
pub(crate) fn inspection(id: u128, category: &str, hazards: &[&str]) -> Inspection {
    let template = template();
    let mut inspection = Inspection::new(Uuid::from_u128(id), &template, 1_000);
    fill_details(&mut inspection, category);
    for item in template.items() {
        let hazard = hazards.contains(&item.id.as_str());
        let answer = if hazard { Answer::Hazard } else { Answer::Compliant };
        inspection.set_answer(&template, &item.id, Some(answer), 1_001).expect("known item");
        if hazard {
            inspection.set_note(&template, &item.id, &format!("found at {}", item.id), 1_002).expect("known item");
        }
    }
    inspection
}

pub(crate) fn fill_details(inspection: &mut Inspection, category: &str) {
    inspection
        .edit_details(1_000, |site, team| {
            site.name = "Riverside Mall".into();
            site.address = "1 River Rd".into();
            site.category = category.into();
            site.enterprise = "Riverside Co.".into();
            site.principal = "Zhao Li".into();
            site.principal_phone = "138 0013 8000".into();
            team.department = "District Fire Brigade".into();
            team.inspectors = "Wang Wei, Li Na".into();
        })
        .expect("a draft is editable");
}

/// A complete planned rectification, with the major-hazard fields too.
pub(crate) fn full_rectification(hazard: &mut crate::inspection::hazard::Hazard) {
    let r = &mut hazard.rectification;
    r.measures = "Remove the chains".into();
    r.unit = "Riverside Co.".into();
    r.person = "Zhao Li".into();
    r.role = "Manager".into();
    r.phone = "13800138000".into();
    r.deadline = "2026-03-01".into();
    r.contingency_plan = "Staff at the exit".into();
    r.supervisor = "Chief Sun".into();
}
