//! The enforcement documents on A4 (issue 15), in Chinese as the forms are, whatever the
//! app's language: heading (agency, title, number), the unit and its representative, place and
//! times, the two officers, the findings or numbered problems, the closing text (appeal clause,
//! copies), the signatures or the witness with the refusal note, and a slot for the seal.
//!
//! Page numbers: Chromium's print does not fill CSS page counters in the page's content, so
//! each document is cut into sheets here ([`pages::paginate`], conservative row estimates)
//! and every sheet is one A4 page (style/print.css) carrying "共 X 页 第 Y 页".

use leptos::prelude::*;
use safewalk_core::documents::kind::{Authority, DocumentKind};
use safewalk_core::documents::officers::on_paper;
use safewalk_core::documents::pages::{self, Room};
use safewalk_core::documents::paperwork::{IssuedDocument, Paperwork};
use safewalk_core::documents::wording;
use safewalk_core::grading::Grade;
use safewalk_core::inspection::attachment::{Attachment, SignerRole};
use safewalk_core::inspection::follow_up::Verdict;
use safewalk_core::inspection::words;
use safewalk_core::{Inspection, Lang};

use crate::attachments;
use crate::components::seal::Seal;
use crate::state::Edition;

/// Rows each sheet holds (see [`pages`]): the first has the heading and particulars above
/// its lines; the last needs room for the closing text, signatures and seal.
const ROOM: Room = Room { first: 18, other: 34, closing: 18 };

/// What a document prints that the inspection alone does not say.
#[derive(Clone)]
pub struct Context {
    /// The kinds to print, with their numbers (blank: not numbered yet).
    pub documents: Vec<(DocumentKind, String)>,
    /// When the visit ended: completed, or now while it is not.
    pub ended_at: u64,
    /// The order a re-inspection opinion follows up (its kind, number and issue time).
    pub original_order: Option<IssuedDocument>,
}

/// One numbered line of a document's body.
struct Line {
    text: String,
    detail: Vec<String>,
}

impl Line {
    fn weight(&self) -> usize {
        pages::rows(self.text.chars().count() + 4) + self.detail.iter().map(|d| pages::rows(d.chars().count())).sum::<usize>()
    }
}

/// The hazards the document lists: on-the-spot ones, the rest, or all.
fn hazard_lines(edition: &Edition, inspection: &Inspection, pick: Option<bool>, with_deadline: bool) -> (Vec<Line>, usize) {
    let graded = edition.grade(inspection);
    let authority = Authority::of(&edition.template);
    let mut major = 0;
    let lines = graded
        .hazards()
        .filter_map(|(item, grade)| {
            let r = inspection.hazard(&item.id).cloned().unwrap_or_default().rectification;
            if pick.is_some_and(|on_the_spot| on_the_spot != r.on_the_spot) {
                return None;
            }
            if grade == Grade::Major {
                major += 1;
            }
            let note = inspection.note(&item.id).trim().to_string();
            let mut text = item.text.get(Lang::Zh).to_string();
            if !note.is_empty() {
                text.push_str(&format!("（{note}）"));
            }
            if grade == Grade::Major {
                text.push_str(wording::major_mark(authority, graded.standing(&item.id)));
            }
            let mut detail = Vec::new();
            if with_deadline && !r.on_the_spot {
                detail.push(format!("整改期限：{}", if r.deadline.trim().is_empty() { wording::BLANK } else { r.deadline.trim() }));
            }
            if r.on_the_spot {
                detail.push("已当场整改".to_string());
            }
            if !item.basis.trim().is_empty() {
                detail.push(format!("依据：{}", item.basis.trim()));
            }
            Some(Line { text, detail })
        })
        .collect();
    (lines, major)
}

/// The lines of a re-inspection opinion: each carried hazard and the verdict on it.
fn verdict_lines(inspection: &Inspection) -> Vec<Line> {
    let checks = inspection.follow_up.as_ref().map(|f| f.checks.as_slice()).unwrap_or_default();
    checks
        .iter()
        .map(|check| {
            let verdict = match check.verdict {
                Some(v @ (Verdict::Rectified | Verdict::NotRectified)) => words::verdict(v, Lang::Zh).to_string(),
                None => wording::BLANK.to_string(),
            };
            let mut detail = vec![format!("复查意见：{verdict}")];
            if !check.note.trim().is_empty() {
                detail.push(check.note.trim().to_string());
            }
            Line { text: check.description.clone(), detail }
        })
        .collect()
}

/// Every document of the context, sheet after sheet.
#[component]
pub fn DocumentSheets(inspection: Inspection, edition: Edition, context: Context) -> impl IntoView {
    let paperwork = inspection.paperwork.clone().unwrap_or_default();
    context.documents.iter().map(|(kind, number)| document(*kind, number, &inspection, &edition, &paperwork, &context)).collect_view()
}

fn document(
    kind: DocumentKind,
    number: &str,
    inspection: &Inspection,
    edition: &Edition,
    paperwork: &Paperwork,
    context: &Context,
) -> impl IntoView {
    let (lead, lines, closing_text): (Option<String>, Vec<Line>, Vec<String>) = match kind {
        DocumentKind::InspectionRecord | DocumentKind::FireInspectionRecord => {
            let (lines, _) = hazard_lines(edition, inspection, None, true);
            let lead = if lines.is_empty() { "检查情况：未发现安全隐患。" } else { "检查情况：发现下列问题：" };
            (Some(lead.into()), lines, Vec::new())
        }
        DocumentKind::OrderToRectify => {
            let (lines, major) = hazard_lines(edition, inspection, Some(false), true);
            let closing = vec![
                wording::major_count(major),
                "现责令你单位对上述问题于规定期限内整改完毕，达到有关法律法规规章和标准规定的要求。".into(),
            ];
            (Some("经查，你单位存在下列问题：".into()), lines, closing)
        }
        // The fire notice has no major count: "重大事故隐患" is production safety's term, and a
        // major fire hazard (GB 35181) is settled by its own collective determination.
        DocumentKind::FireCorrectionByDeadline => {
            let (lines, _) = hazard_lines(edition, inspection, Some(false), true);
            let closing = vec!["现责令你单位对上述问题于规定期限内改正完毕。改正期间，你单位应当采取措施，确保消防安全。".into()];
            (Some("经查，你单位存在下列问题：".into()), lines, closing)
        }
        DocumentKind::FireImmediateCorrection => {
            let (lines, _) = hazard_lines(edition, inspection, Some(true), false);
            (Some("经查，你单位存在下列问题：".into()), lines, vec!["现责令你单位立即改正。".into()])
        }
        DocumentKind::MeasuresDecision => {
            let (lines, _) = hazard_lines(edition, inspection, None, false);
            let decision = format!("现作出如下现场处理决定：{}", paperwork.on_site_measures.trim());
            (Some("经查，你单位存在下列问题：".into()), lines, vec![decision])
        }
        DocumentKind::ReInspectionOpinion => {
            let unknown = Authority::of(&edition.template).order_by_deadline();
            let lead =
                format!("{}，整改期限已届满。经复查，提出意见如下：", wording::original_order(context.original_order.as_ref(), unknown));
            (Some(lead), verdict_lines(inspection), Vec::new())
        }
    };
    let mut closing = closing_text;
    closing.extend(wording::appeal_clause(kind, &paperwork.agency));
    closing.push(wording::COPIES.into());
    let weights: Vec<usize> = lines.iter().map(Line::weight).collect();
    let closing_rows: usize = closing.iter().map(|c| pages::rows(c.chars().count())).sum();
    let room = Room { closing: ROOM.closing + closing_rows, ..ROOM };
    let sheets = pages::paginate(&weights, room);
    let count = sheets.len();
    let lines: Vec<(usize, Line)> = lines.into_iter().enumerate().collect();
    let title = kind.title().zh;
    let code = format!("{kind:?}");
    sheets
        .into_iter()
        .enumerate()
        .map(|(index, range)| {
            let first = index == 0;
            let last = index + 1 == count;
            let body = lines[range]
                .iter()
                .map(|(n, line)| {
                    view! {
                        <li value=n + 1>
                            {line.text.clone()}
                            {line.detail.iter().map(|d| view! { <br/><small>{d.clone()}</small> }).collect_view()}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="doc-sheet" data-doc=code.clone() data-testid="doc-sheet">
                    {first.then(|| heading(kind, number, inspection, paperwork, context, lead.clone()))}
                    <ol class="doc-lines">{body}</ol>
                    {last.then(|| closing_part(&closing, inspection, paperwork))}
                    <p class="doc-page">{wording::page_line(index + 1, count)}</p>
                    <p class="doc-running">{title.clone()}" "{number.to_string()}</p>
                </section>
            }
        })
        .collect_view()
}

fn heading(
    kind: DocumentKind,
    number: &str,
    inspection: &Inspection,
    paperwork: &Paperwork,
    context: &Context,
    lead: Option<String>,
) -> impl IntoView {
    let site = &inspection.site;
    let or_blank = |s: &str| if s.trim().is_empty() { wording::BLANK.to_string() } else { s.trim().to_string() };
    // The form's officer lines, and the team members without a certificate apart (see on_paper).
    let on_paper = on_paper(&paperwork.officers);
    let officers =
        on_paper.officers.iter().map(|o| format!("{}（执法证号：{}）", o.name, or_blank(&o.certificate))).collect::<Vec<_>>().join("、");
    let others = (!on_paper.others.is_empty()).then(|| on_paper.others.join("、"));
    let unit = if site.enterprise.trim().is_empty() { &site.name } else { &site.enterprise };
    view! {
        // Not a <header>: the print style hides the app's header.
        <div class="doc-heading">
            <p class="doc-agency">{or_blank(&paperwork.agency.agency)}</p>
            <h2 class="doc-title">{kind.title().zh}</h2>
            <p class="doc-number">{or_blank(number)}</p>
        </div>
        <dl class="doc-facts">
            <div><dt>"被检查单位："</dt><dd>{or_blank(unit)}</dd></div>
            <div><dt>"地址："</dt><dd>{or_blank(&site.address)}</dd></div>
            <div><dt>"法定代表人（负责人）："</dt><dd>{or_blank(&site.principal)}" 职务："{or_blank(&paperwork.principal_post)}" 联系电话："{or_blank(&site.principal_phone)}</dd></div>
            <div><dt>"检查场所："</dt><dd>{or_blank(&site.name)}</dd></div>
            <div><dt>"检查时间："</dt><dd>{wording::china_time(inspection.created_at)}" 至 "{wording::china_time(context.ended_at)}</dd></div>
            <div><dt>"执法人员："</dt><dd>{or_blank(&officers)}</dd></div>
            {others.map(|others| view! { <div><dt>"其他检查人员："</dt><dd>{others}</dd></div> })}
        </dl>
        {lead.map(|lead| view! { <p class="doc-lead">{lead}</p> })}
    }
}

fn closing_part(closing: &[String], inspection: &Inspection, paperwork: &Paperwork) -> impl IntoView {
    let signatures: Vec<Attachment> = inspection.signatures().cloned().collect();
    let of =
        |role: SignerRole| signatures.iter().filter(|a| a.signer.as_ref().is_some_and(|s| s.role == role)).cloned().collect::<Vec<_>>();
    let signed = |list: Vec<Attachment>| {
        list.into_iter()
            .map(|a| {
                let url = attachments::picture_url(a.id);
                let name = a.signer.map(|s| s.name).unwrap_or_default();
                view! {
                    <span class="doc-signature">
                        <img src=move || url.get().unwrap_or_default() alt=format!("{name} 的签名") width=a.width height=a.height/>
                        <span>{name.clone()}</span>
                    </span>
                }
            })
            .collect_view()
    };
    let unit = match &paperwork.refusal {
        Some(refusal) => view! {
            <p class="doc-refusal" data-testid="doc-refusal">{wording::refusal_line(&refusal.witness, &refusal.note)}</p>
            <p>"见证人（签名）："{signed(of(SignerRole::Witness))}</p>
        }
        .into_any(),
        None => view! { <p>"被检查单位负责人（签名）："{signed(of(SignerRole::SiteRepresentative))}</p> }.into_any(),
    };
    let signed_at = inspection.completed_at.or(signatures.last().map(|a| a.taken_at));
    view! {
        {closing.iter().map(|c| view! { <p class="doc-closing">{c.clone()}</p> }).collect_view()}
        <div class="doc-signatures">
            <p>"执法人员（签名）："{signed(of(SignerRole::Inspector))}</p>
            {unit}
            <p>"日期："{signed_at.map(wording::china_time).unwrap_or_else(|| wording::BLANK.to_string())}</p>
        </div>
        <div class="doc-seal"><Seal id=inspection.id/></div>
    }
}
