// The enforcement documents on the phone (issue 15): an inspection with hazards, Settings filled
// with the inspector's certificate, the agency's particulars and a hand-entered block of serials;
// the documents screen asks for what is missing, issues numbers, the officers and the unit sign,
// the inspection is completed, and each document is printed to PDF in Chromium and read back:
// its mandatory fields, numbered hazards with deadlines and basis, the major count, the appeal
// clause, signatures (or the witness and the refusal note) and page numbers. Two phones with
// blocks 1–50 and 51–100 never print one number. All of it offline.
import { devices, type BrowserContext, type Page } from "@playwright/test";
import { App, expect, MAJOR_RECTIFICATION, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import { StaticServer } from "./support/server";
import { item, items, Sector } from "./support/templates";

// A production-safety checklist (no GB 35181 rule set): the record and the order to rectify.
const SECTOR: Sector = "construction-site";
const MAJOR = "cs-mgmt-01"; // a direct major accident hazard
const GENERAL = "cs-mgmt-03";
const DETAILS = { ...SAMPLE_DETAILS, category: "building" };
const AGENCY = {
  agency: "安溪县应急管理局",
  region: "安",
  reviewGovernment: "安溪县人民政府",
  reviewDepartment: "泉州市应急管理局",
  court: "安溪县人民法院",
};

const T = {
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
function chinaYear(): number {
  return new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
}

/** The text of each page of a PDF, its items joined without spaces (Chinese has none). */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((i) => ("str" in i ? i.str : "")).join("").replace(/\s+/g, ""));
  }
  return pages;
}

/** The pages of one document (each carries its title and number at the top), joined, after
 * checking each says "共 X 页 第 Y 页" with X its document's pages and Y its place. */
function documentPages(pages: string[], titleAndNumber: string): string {
  const own = pages.filter((p) => p.includes(titleAndNumber));
  expect(own.length, titleAndNumber).toBeGreaterThan(0);
  own.forEach((p, k) => expect(p, `${titleAndNumber} page ${k + 1}`).toContain(`共${own.length}页第${k + 1}页`));
  return own.join("");
}

/** Without spaces, as the PDF's text is compared. */
const squeeze = (text: string) => text.replace(/\s+/g, "");

/** A phone that never reaches the office: the app installed, then the receiver gone. */
async function offlinePhone(page: Page, context: BrowserContext, server: StaticServer): Promise<App> {
  const app = new App(page, server.url);
  await app.open();
  await app.waitForServiceWorker();
  await context.setOffline(true);
  return app;
}

/** Settings: who inspects, the agency's particulars, and a block of serials typed by hand. */
async function fillSettings(app: App, name: string, certificate: string, block: [number, number]): Promise<void> {
  const page = app.page;
  await app.openSettings();
  await page.getByLabel(app.t.inspectorName, { exact: true }).fill(name);
  await page.getByLabel(T.certificate, { exact: true }).fill(certificate);
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
  await page.getByLabel("Year", { exact: true }).fill(String(chinaYear()));
  await page.getByLabel("First serial", { exact: true }).fill(String(block[0]));
  await page.getByLabel("Last serial", { exact: true }).fill(String(block[1]));
  await page.getByTestId("serials-add").click();
  await expect(page.getByTestId("serials-message")).toHaveText("Block added.");
  await expect(page.getByTestId("serials-remaining")).toHaveText(`${block[1] - block[0] + 1} serials of ${chinaYear()} left`);
}

/** An inspection of the construction site with a major and a general hazard; on its review. */
async function inspectionWithHazards(app: App): Promise<string> {
  await app.goHome();
  const id = await app.startInspection(SECTOR);
  await app.fillDetails(DETAILS, SECTOR);
  await app.goToChecklist();
  await app.findHazard(MAJOR, "No safety production licence on site");
  await app.rectify(MAJOR, MAJOR_RECTIFICATION);
  await app.findHazard(GENERAL, "Formwork plan not reviewed by experts");
  await app.rectify(GENERAL, SAMPLE_RECTIFICATION);
  await app.answerAll(SECTOR, { [MAJOR]: "hazard", [GENERAL]: "hazard" });
  await app.openReview();
  return id;
}

/** From the review: the documents screen, the missing particulars filled, numbers issued. */
async function issueDocuments(app: App, id: string, secondCertificate: string): Promise<string[]> {
  const page = app.page;
  await page.getByTestId("open-documents").click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/documents$`));
  const missing = page.getByTestId("documents-missing");
  await expect(missing).toContainText("Two officers' names and certificate numbers");
  await expect(missing).toContainText("The post of the legal representative");
  // Officer 1 is the phone's inspector, from Settings; officer 2 the team's first other name.
  await expect(page.getByLabel(T.officerName(2), { exact: true })).toHaveValue("Wang Wei");
  await page.getByLabel(T.officerCertificate(2), { exact: true }).fill(secondCertificate);
  await page.getByLabel(T.principalPost, { exact: true }).fill("项目经理");
  await expect(missing).toHaveCount(0);
  await page.getByTestId("issue-numbers").click();
  await expect(page.getByTestId("documents-message")).toHaveText("2 documents numbered.");
  const numbers = await page.getByTestId("document-number").allTextContents();
  expect(numbers).toHaveLength(2);
  return numbers;
}

test.describe("enforcement documents", () => {
  test.use({ phoneInService: false });

  test("an order to rectify: filled from the record, numbered, signed, completed and printed on A4", async ({ page, context, server }) => {
    test.setTimeout(120_000);
    const app = await offlinePhone(page, context, server);
    await fillSettings(app, "王强", "35012345", [1, 50]);
    const id = await inspectionWithHazards(app);
    const year = chinaYear();
    const numbers = await issueDocuments(app, id, "35012346");
    expect(numbers).toEqual([`（安）应急检记〔${year}〕1号`, `（安）应急责改〔${year}〕2号`]);
    await expectAccessible(page, "the documents screen");

    // Signed on the review, then completed: the documents are locked.
    await page.getByRole("link", { name: `‹ ${app.t.review}` }).click();
    await app.sign("王强", "inspector");
    await app.sign("赵丽", "site_representative");
    await app.complete();
    await app.openReport(id);
    await page.getByTestId("open-documents").click();
    await expect(page.getByTestId("issue-numbers")).toHaveCount(0);
    await expect(page.getByTestId("document-number")).toHaveText(numbers);
    await expect(page.locator(".doc-sheet img").first()).toBeVisible();
    // Completed: each document carries the record's seal (text and QR code of the verify link at
    // the origin that served the app, the phone's endpoint when none is set).
    const seals = page.locator(".doc-seal").getByTestId("seal-text");
    await expect(seals).toHaveCount(2);
    const seal = squeeze((await seals.first().textContent())!);
    expect(seal).toMatch(/^[0-9a-f]{64}$/);
    await expect(seals.last()).toHaveText((await seals.first().textContent())!);
    await expect(page.locator(".doc-seal").getByTestId("seal-qr").first()).toHaveAttribute("data-content", `${server.url.replace(/\/$/, "")}/verify/${seal}`);

    await page.emulateMedia({ media: "print" });
    const pages = await pdfPages(await page.pdf({ format: "A4", preferCSSPageSize: true }));
    // Each document on sheets of its own, each sheet one printed page numbered within its document.
    const record = documentPages(pages, `现场检查记录${numbers[0]}`);
    const order = documentPages(pages, `责令限期整改指令书${numbers[1]}`);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const text of [record, order]) {
      for (const field of [
        `${AGENCY.agency}`,
        `被检查单位：${DETAILS.enterprise}`,
        `地址：${DETAILS.address}`,
        `法定代表人（负责人）：${DETAILS.principal}职务：项目经理联系电话：${DETAILS.principalPhone}`,
        `检查场所：${DETAILS.siteName}`,
        "检查时间：",
        "执法人员：王强（执法证号：35012345）、WangWei（执法证号：35012346）",
        "本文书一式两份，一份由被检查单位留存，一份归档。",
        "执法人员（签名）：王强",
        "被检查单位负责人（签名）：赵丽",
      ]) {
        expect(text, field).toContain(squeeze(field));
      }
    }
    expect(record).toContain(`现场检查记录${numbers[0]}`);
    expect(record.indexOf(AGENCY.agency)).toBeLessThan(record.indexOf("被检查单位："));
    // The order: numbered problems, each with its deadline and basis; the major count; the appeal clause.
    const major = item(SECTOR, MAJOR);
    const general = item(SECTOR, GENERAL);
    expect(order).toContain(squeeze(`1.${major.text.zh}（No safety production licence on site）【重大事故隐患】整改期限：${MAJOR_RECTIFICATION.deadline}依据：${major.basis}`));
    expect(order).toContain(squeeze(`2.${general.text.zh}（Formwork plan not reviewed by experts）整改期限：${SAMPLE_RECTIFICATION.deadline}依据：${general.basis}`));
    expect(order).toContain("其中重大事故隐患1项。");
    expect(order).toContain(
      "如不服本指令，可以依法在60日内向安溪县人民政府或者泉州市应急管理局申请行政复议，或者在6个月内依法向安溪县人民法院提起行政诉讼，但本指令不停止执行。"
    );
    expect(record).not.toContain("行政复议");
    // The seal is printed on both.
    expect(record).toContain(seal);
    expect(order).toContain(seal);
    expect(items(SECTOR).length).toBeGreaterThan(2);
  });

  test("the unit refuses: a witness signs and the documents print the note instead", async ({ page, context, server }) => {
    test.setTimeout(180_000);
    const app = await offlinePhone(page, context, server);
    await fillSettings(app, "王强", "35012345", [1, 50]);
    const id = await inspectionWithHazards(app);
    await issueDocuments(app, id, "35012346");
    await page.getByLabel(T.witness, { exact: true }).fill("村委会 李明");
    await page.getByLabel("Note", { exact: true }).fill("负责人拒绝签字");
    await page.getByTestId("record-refusal").click();
    await expect(page.getByTestId("refusal-message")).toHaveText("Refusal recorded: the witness signs on the review.");
    await page.getByRole("link", { name: `‹ ${app.t.review}` }).click();
    await app.sign("王强", "inspector");
    // The witness signs after the officers (the refusal may be recorded once signed too).
    const form = app.signatureForm();
    await form.getByTestId("signer-name").fill("村委会 李明");
    await form.getByRole("radio", { name: T.roleWitness, exact: true }).check();
    await app.drawSignature();
    await form.getByTestId("sign").click();
    await expect(app.signatures()).toHaveCount(2);
    await app.complete();
    await page.goto(`${server.url}#/i/${id}/documents`);
    await page.emulateMedia({ media: "print" });
    const pages = await pdfPages(await page.pdf({ format: "A4", preferCSSPageSize: true }));
    const numbers = await page.getByTestId("document-number").allTextContents();
    const documents = [documentPages(pages, `现场检查记录${numbers[0]}`), documentPages(pages, `责令限期整改指令书${numbers[1]}`)];
    for (const text of documents) {
      expect(text).toContain(squeeze("被检查单位拒绝签字（负责人拒绝签字），见证人：村委会 李明"));
      expect(text).toContain("见证人（签名）：");
      expect(text).not.toContain("被检查单位负责人（签名）");
    }
  });

  test("two phones with blocks 1–50 and 51–100 never print one number; an overlapping block is refused", async ({ browser, page, context, server }) => {
    test.setTimeout(240_000);
    const a = await offlinePhone(page, context, server);
    await fillSettings(a, "王强", "35012345", [1, 50]);
    // One phone never repeats itself: a block overlapping the one it holds is refused.
    await a.page.getByLabel("First serial", { exact: true }).fill("40");
    await a.page.getByLabel("Last serial", { exact: true }).fill("60");
    await a.page.getByTestId("serials-add").click();
    await expect(a.page.getByTestId("serials-message")).toHaveText(`It overlaps the block 1–50 of ${chinaYear()} already held`);

    const phoneB = await browser.newContext({ ...devices["Pixel 7"], locale: "en-US", serviceWorkers: "allow" });
    const b = await offlinePhone(await phoneB.newPage(), phoneB, server);
    await fillSettings(b, "李敏", "35012399", [51, 100]);

    const printed: string[] = [];
    for (const phone of [a, b, a]) {
      const id = await inspectionWithHazards(phone);
      printed.push(...(await issueDocuments(phone, id, "35012346")));
    }
    const year = chinaYear();
    expect(printed).toEqual([
      `（安）应急检记〔${year}〕1号`,
      `（安）应急责改〔${year}〕2号`,
      `（安）应急检记〔${year}〕51号`,
      `（安）应急责改〔${year}〕52号`,
      `（安）应急检记〔${year}〕3号`,
      `（安）应急责改〔${year}〕4号`,
    ]);
    expect(new Set(printed).size).toBe(printed.length);
    await phoneB.close();
  });
});
