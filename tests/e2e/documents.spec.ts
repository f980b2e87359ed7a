// The enforcement documents on the phone (issue 15): an inspection with hazards, Settings filled
// with the inspector's certificate, the agency's particulars and a hand-entered block of serials;
// the documents screen asks for what is missing, issues numbers, the officers and the unit sign,
// the inspection is completed, and each document is printed to PDF in Chromium and read back:
// its mandatory fields, numbered hazards with deadlines and basis, the major count, the appeal
// clause, signatures (or the witness and the refusal note) and page numbers. Two phones with
// blocks 1–50 and 51–100 never print one number. All of it offline.
import { devices } from "@playwright/test";
import { App, expect, MAJOR_RECTIFICATION, SAMPLE_RECTIFICATION, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import {
  AGENCY,
  appealClause,
  chinaYear,
  documentPages,
  DOCUMENT_TEXT as T,
  fillDocumentSettings as fillSettings,
  issueDocuments as issueAll,
  offlinePhone,
  inspectionWithHazards,
  pdfPages,
  PRODUCTION,
  squeeze,
} from "./support/documents";
import { item, items } from "./support/templates";

const { sector: SECTOR, major: MAJOR, general: GENERAL, details: DETAILS } = PRODUCTION;

/** The record and the order of an inspection with hazards, numbered. */
const issueDocuments = (app: App, id: string, secondCertificate: string) => issueAll(app, id, secondCertificate, 2);

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
        "执法人员：王强（执法证号：35012345）、WangWei（执法证号：35012346）其他检查人员：LiNa",
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
    expect(order).toContain(appealClause("指令"));
    expect(record).not.toContain("行政复议");
    // The team's third member, without a certificate, is named apart, not as an officer with a blank number.
    expect(record + order).not.toContain("LiNa（执法证号");
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
