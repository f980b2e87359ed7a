// The enforcement documents as the e2e drives and reads them (issue 15): the phone's Settings
// for documents, the documents screen's "Issue numbers", and a printed PDF read back as text
// (pdfjs-dist), one document's pages at a time. Shared by documents.spec and documents-fire.spec.
import type { BrowserContext, Page } from "@playwright/test";
import { App, expect, MAJOR_RECTIFICATION, SAMPLE_DETAILS, SAMPLE_RECTIFICATION } from "./app";
import { StaticServer } from "./server";
import { Sector } from "./templates";

/** A production-safety checklist (no GB 35181 rule set): the record and the order to rectify. */
export const PRODUCTION = {
  sector: "construction-site" as Sector,
  major: "cs-mgmt-01", // a direct major accident hazard
  general: "cs-mgmt-03",
  details: { ...SAMPLE_DETAILS, category: "building" },
  majorNote: "No safety production licence on site",
  generalNote: "Formwork plan not reviewed by experts",
};

/** An inspection of the construction site with a major and a general hazard, both left to a
 * deadline; on its review. */
export async function inspectionWithHazards(app: App): Promise<string> {
  const { sector, major, general, details } = PRODUCTION;
  await app.goHome();
  const id = await app.startInspection(sector);
  await app.fillDetails(details, sector);
  await app.goToChecklist();
  await app.findHazard(major, PRODUCTION.majorNote);
  await app.rectify(major, MAJOR_RECTIFICATION);
  await app.findHazard(general, PRODUCTION.generalNote);
  await app.rectify(general, SAMPLE_RECTIFICATION);
  await app.answerAll(sector, { [major]: "hazard", [general]: "hazard" });
  await app.openReview();
  return id;
}

export const AGENCY = {
  agency: "安溪县应急管理局",
  region: "安",
  reviewGovernment: "安溪县人民政府",
  reviewDepartment: "泉州市应急管理局",
  court: "安溪县人民法院",
};

/** The appeal clause of a document that is a decision (`本决定`), an order (`本指令`) or a notice (`本通知`). */
export function appealClause(what: "决定" | "指令" | "通知"): string {
  return `如不服本${what}，可以依法在60日内向${AGENCY.reviewGovernment}或者${AGENCY.reviewDepartment}申请行政复议，或者在6个月内依法向${AGENCY.court}提起行政诉讼，但本${what}不停止执行。`;
}

export const DOCUMENT_TEXT = {
  documents: "Documents",
  issueNumbers: "Issue numbers",
  certificate: "Law-enforcement certificate number",
  principalPost: "Post of the legal representative (principal)",
  officerName: (n: number) => `Officer ${n}: name`,
  officerCertificate: (n: number) => `Officer ${n}: certificate number`,
  witness: "Witness",
  roleWitness: "Witness",
};

/** The year a number carries: the calendar year in China. */
export function chinaYear(): number {
  return new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
}

/** Today in China as the forms write a date: `2026年5月9日`. */
export function chinaDate(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The text of each page of a PDF, its items joined without spaces (Chinese has none). */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((i) => ("str" in i ? i.str : "")).join("").replace(/\s+/g, ""));
  }
  return pages;
}

/** The documents screen printed on A4 (print media), each page's text. */
export async function printedPages(page: Page): Promise<string[]> {
  await page.emulateMedia({ media: "print" });
  const pages = await pdfPages(await page.pdf({ format: "A4", preferCSSPageSize: true }));
  await page.emulateMedia({ media: "screen" });
  return pages;
}

/** The pages of one document (each carries its title and number at the top), joined, after
 * checking each says "共 X 页 第 Y 页" with X its document's pages and Y its place. */
export function documentPages(pages: string[], titleAndNumber: string): string {
  const own = pages.filter((p) => p.includes(titleAndNumber));
  expect(own.length, titleAndNumber).toBeGreaterThan(0);
  own.forEach((p, k) => expect(p, `${titleAndNumber} page ${k + 1}`).toContain(`共${own.length}页第${k + 1}页`));
  return own.join("");
}

/** Without spaces, as the PDF's text is compared. */
export const squeeze = (text: string) => text.replace(/\s+/g, "");

/** Expects each of `fields` (spaces ignored) in a document's text. */
export function expectFields(text: string, fields: string[]): void {
  for (const field of fields) expect(text, field).toContain(squeeze(field));
}

/** A phone that never reaches the office: the app installed, then the receiver gone. */
export async function offlinePhone(page: Page, context: BrowserContext, server: StaticServer): Promise<App> {
  const app = new App(page, server.url);
  await app.open();
  await app.waitForServiceWorker();
  await context.setOffline(true);
  return app;
}

/** Settings: who inspects, the agency's particulars, and a block of serials typed by hand
 * (none: the phone is in service and takes the office's block from its pull). */
export async function fillDocumentSettings(app: App, name: string, certificate: string, block?: [number, number]): Promise<void> {
  const page = app.page;
  await app.openSettings();
  await page.getByLabel(app.t.inspectorName, { exact: true }).fill(name);
  await page.getByLabel(DOCUMENT_TEXT.certificate, { exact: true }).fill(certificate);
  await page.getByLabel("Issuing agency", { exact: true }).fill(AGENCY.agency);
  await page.getByLabel("Region abbreviation in document numbers", { exact: true }).fill(AGENCY.region);
  await page.getByLabel("People's government that hears an administrative review", { exact: true }).fill(AGENCY.reviewGovernment);
  await page.getByLabel("Department that hears an administrative review", { exact: true }).fill(AGENCY.reviewDepartment);
  await page.getByLabel("People's court that hears a suit", { exact: true }).fill(AGENCY.court);
  // A pattern without {serial} is refused and nothing is saved.
  await page.getByLabel("Document number pattern", { exact: true }).fill("（{region}）应急{code}〔{year}〕号");
  await page.getByRole("button", { name: app.t.save, exact: true }).click();
  await expect(page.getByTestId("settings-message")).toContainText("must contain {serial}");
  await page.getByLabel("Document number pattern", { exact: true }).fill("");
  await app.saveSettings({});
  if (!block) return;
  await page.getByLabel("Year", { exact: true }).fill(String(chinaYear()));
  await page.getByLabel("First serial", { exact: true }).fill(String(block[0]));
  await page.getByLabel("Last serial", { exact: true }).fill(String(block[1]));
  await page.getByTestId("serials-add").click();
  await expect(page.getByTestId("serials-message")).toHaveText("Block added.");
  await expect(page.getByTestId("serials-remaining")).toHaveText(`${block[1] - block[0] + 1} serials of ${chinaYear()} left`);
}

/** From the review: the documents screen, the missing particulars filled (officer 2 is the
 * team's first other name, Wang Wei in SAMPLE_DETAILS), numbers issued; returns them. */
export async function issueDocuments(
  app: App,
  id: string,
  secondCertificate: string,
  count: number,
  extra: { principalPost?: string; measures?: string } = {}
): Promise<string[]> {
  const page = app.page;
  await page.getByTestId("open-documents").click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/documents$`));
  const missing = page.getByTestId("documents-missing");
  await expect(missing).toContainText("Two officers' names and certificate numbers");
  await expect(missing).toContainText("The post of the legal representative");
  // Officer 1 is the phone's inspector, from Settings; officer 2 the team's first other name.
  await expect(page.getByLabel(DOCUMENT_TEXT.officerName(2), { exact: true })).toHaveValue("Wang Wei");
  await page.getByLabel(DOCUMENT_TEXT.officerCertificate(2), { exact: true }).fill(secondCertificate);
  await page.getByLabel(DOCUMENT_TEXT.principalPost, { exact: true }).fill(extra.principalPost ?? "项目经理");
  if (extra.measures) await page.getByLabel("On-site measures taken (leave blank if none)", { exact: true }).fill(extra.measures);
  await expect(missing).toHaveCount(0);
  await page.getByTestId("issue-numbers").click();
  await expect(page.getByTestId("documents-message")).toHaveText(count === 1 ? "1 document numbered." : `${count} documents numbered.`);
  const numbers = await page.getByTestId("document-number").allTextContents();
  expect(numbers).toHaveLength(count);
  return numbers;
}
