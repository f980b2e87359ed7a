// The enforcement documents not printed in documents.spec (issue 15), each printed to PDF in
// Chromium and read back: the fire supervision record with both fire notices (one hazard put
// right on the spot, one left to a deadline); the decision on on-site measures; and the
// re-inspection opinion of a follow-up started from the register once the inspection it
// follows was delivered and moved to the archive (IndexedDB): it names that order's number and
// date, copied into the follow-up when it started. Each document's mandatory fields, numbered
// hazards (with deadlines where the form has them), the major count only where the form has
// it, the appeal clause only on decisions and notices, signatures, "共 N 页 第 N 页".
import { App, expect, INSPECTION_PREFIX, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, test } from "./support/app";
import {
  AGENCY,
  appealClause,
  chinaDate,
  chinaYear,
  documentPages,
  expectFields,
  fillDocumentSettings,
  inspectionWithHazards,
  issueDocuments,
  offlinePhone,
  printedPages,
  PRODUCTION,
  squeeze,
} from "./support/documents";
import { item, Sector } from "./support/templates";

/** A checklist graded by GB 35181: fire supervision's papers. */
const FIRE: Sector = "commercial-complex";
const ON_THE_SPOT = "cc-mgmt-01";
const BY_DEADLINE = "cc-mgmt-03";
const SPOT_NOTE = "Fire-safety manager not named in writing";
const LATE_NOTE = "No patrol records for last week";
const PUT_RIGHT = "当场书面明确消防安全管理人";

/** What every document prints in its heading and closing, for a unit that signed. */
function commonFields(details: typeof SAMPLE_DETAILS, post: string): string[] {
  return [
    AGENCY.agency,
    `被检查单位：${details.enterprise}`,
    `地址：${details.address}`,
    `法定代表人（负责人）：${details.principal}职务：${post}联系电话：${details.principalPhone}`,
    `检查场所：${details.siteName}`,
    "检查时间：",
    "执法人员：王强（执法证号：35012345）、WangWei（执法证号：35012346）",
    "其他检查人员：LiNa",
    "本文书一式两份，一份由被检查单位留存，一份归档。",
    "执法人员（签名）：王强",
    "被检查单位负责人（签名）：赵丽",
  ];
}

/** Signs on the review (the officer and the unit), completes, and opens the documents from the report. */
async function signCompleteAndReopen(app: App, id: string): Promise<void> {
  const page = app.page;
  await page.getByRole("link", { name: `‹ ${app.t.review}` }).click();
  await app.sign("王强", "inspector");
  await app.sign("赵丽", "site_representative");
  await app.complete();
  await app.openReport(id);
  await page.getByTestId("open-documents").click();
  await expect(page.getByTestId("issue-numbers")).toHaveCount(0);
  await expect(page.locator(".doc-sheet img").first()).toBeVisible();
}

test.describe("fire supervision's papers, offline", () => {
  // A phone out of the box: its block typed by hand (an office's pull would bring its own).
  test.use({ phoneInService: false });

  test("fire supervision: the record, the notice to correct at once and the notice by a deadline, printed on A4", async ({ page, context, server }) => {
    test.setTimeout(150_000);
    const app = await offlinePhone(page, context, server);
    await fillDocumentSettings(app, "王强", "35012345", [1, 50]);
    await app.goHome();
    const id = await app.startInspection(FIRE);
    await app.fillDetails(SAMPLE_DETAILS, FIRE);
    await app.goToChecklist();
    await app.findHazard(ON_THE_SPOT, SPOT_NOTE);
    await app.rectify(ON_THE_SPOT, { onTheSpot: PUT_RIGHT });
    await app.findHazard(BY_DEADLINE, LATE_NOTE);
    await app.rectify(BY_DEADLINE, SAMPLE_RECTIFICATION);
    await app.answerAll(FIRE, { [ON_THE_SPOT]: "hazard", [BY_DEADLINE]: "hazard" });
    await app.openReview();
    const year = chinaYear();
    const numbers = await issueDocuments(app, id, "35012346", 3, { principalPost: "总经理" });
    expect(numbers).toEqual([`（安）应急消检记〔${year}〕1号`, `（安）应急消立改〔${year}〕2号`, `（安）应急消限改〔${year}〕3号`]);
    await signCompleteAndReopen(app, id);
    await expect(page.getByTestId("document-number")).toHaveText(numbers);

    const pages = await printedPages(page);
    const record = documentPages(pages, `消防监督检查记录${numbers[0]}`);
    const atOnce = documentPages(pages, `责令立即改正通知书${numbers[1]}`);
    const byDeadline = documentPages(pages, `责令限期改正通知书${numbers[2]}`);
    for (const text of [record, atOnce, byDeadline]) {
      expectFields(text, commonFields(SAMPLE_DETAILS, "总经理"));
      expect(text, "a fire paper has no count of major accident hazards").not.toContain("重大事故隐患");
      expect(text).not.toContain("LiNa（执法证号");
    }
    const [spot, late] = [item(FIRE, ON_THE_SPOT), item(FIRE, BY_DEADLINE)];
    const spotLine = (n: number) => squeeze(`${n}.${spot.text.zh}（${SPOT_NOTE}）已当场整改依据：${spot.basis}`);
    const lateLine = (n: number) => squeeze(`${n}.${late.text.zh}（${LATE_NOTE}）整改期限：${SAMPLE_RECTIFICATION.deadline}依据：${late.basis}`);
    // The record: what was found, both hazards, and no appeal (it decides nothing).
    expect(record).toContain("检查情况：发现下列问题：");
    expect(record).toContain(spotLine(1));
    expect(record).toContain(lateLine(2));
    expect(record).not.toContain("行政复议");
    // The notice to correct at once: only the hazard put right on the spot, no deadline.
    expect(atOnce).toContain(`经查，你单位存在下列问题：${spotLine(1)}`);
    expect(atOnce).not.toContain(late.text.zh);
    expect(atOnce).not.toContain("整改期限");
    expect(atOnce).toContain("现责令你单位立即改正。");
    expect(atOnce).toContain(appealClause("通知"));
    // The notice by a deadline: only the hazard left to its deadline, numbered from 1.
    expect(byDeadline).toContain(`经查，你单位存在下列问题：${lateLine(1)}`);
    expect(byDeadline).not.toContain(spot.text.zh);
    expect(byDeadline).toContain("现责令你单位对上述问题于规定期限内改正完毕。改正期间，你单位应当采取措施，确保消防安全。");
    expect(byDeadline).toContain(appealClause("通知"));
  });
});

test.describe("the decision on measures and the re-inspection opinion, in service", () => {

  test("on-site measures get their decision; the re-inspection of the delivered, archived inspection names its order", async ({ page, server }) => {
    test.setTimeout(240_000);
    // In service: the office's block comes with the pull at start (no block typed by hand).
    const app = new App(page, server.url);
    await app.open();
    await fillDocumentSettings(app, "王强", "35012345");
    const year = chinaYear();
    await expect(page.getByTestId("serials-remaining")).toHaveText(`50 serials of ${year} left`, { timeout: 15_000 });

    const { sector, major, general, details, majorNote, generalNote } = PRODUCTION;
    const id = await inspectionWithHazards(app);
    const measures = "停止使用未经验收的塔式起重机，待检验合格后恢复使用";
    const numbers = await issueDocuments(app, id, "35012346", 3, { measures });
    expect(numbers).toEqual([`（安）应急检记〔${year}〕1号`, `（安）应急责改〔${year}〕2号`, `（安）应急现决〔${year}〕3号`]);
    const issuedOn = chinaDate();
    await signCompleteAndReopen(app, id);
    const decision = documentPages(await printedPages(page), `现场处理措施决定书${numbers[2]}`);
    expectFields(decision, commonFields(details, "项目经理"));
    const [majorItem, generalItem] = [item(sector, major), item(sector, general)];
    expect(decision).toContain(squeeze(`经查，你单位存在下列问题：1.${majorItem.text.zh}（${majorNote}）【重大事故隐患】依据：${majorItem.basis}`));
    expect(decision).toContain(squeeze(`2.${generalItem.text.zh}（${generalNote}）依据：${generalItem.basis}`));
    expect(decision, "the decision sets no deadline").not.toContain("整改期限");
    expect(decision).not.toContain("其中重大事故隐患");
    expect(decision).toContain(squeeze(`现作出如下现场处理决定：${measures}`));
    expect(decision).toContain(appealClause("决定"));

    // Delivered, then moved from localStorage to the archive: no longer a draft on this phone.
    await app.goHome();
    await app.expectDelivered(id);
    await expect.poll(() => app.storedRaw(INSPECTION_PREFIX + id), { timeout: 15_000 }).toBeNull();
    await app.openRegister();
    const followUp = await app.reinspect(app.registerEntry(majorItem.text.en).first());
    await app.verify(app.check(majorItem.text.en), "rectified", "已取得安全生产许可证");
    await app.verify(app.check(generalItem.text.en), "not_rectified", "方案仍未论证");
    // A follow-up's page has no checklist navigation: its own link to the review.
    await page.getByRole("link", { name: app.t.review, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: app.t.review })).toBeVisible();
    const [opinionNumber] = await issueDocuments(app, followUp, "35012346", 1);
    expect(opinionNumber).toBe(`（安）应急复查〔${year}〕4号`);
    // After a reload the original is only in the archive (starting the follow-up had read it
    // into memory): the opinion names the order all the same, from the follow-up's own record.
    await app.reload();
    await expect(page.getByTestId("doc-print")).toContainText(`作出的《责令限期整改指令书》（${numbers[1]}）`);
    expect(await app.storedRaw(INSPECTION_PREFIX + id)).toBeNull();
    await signCompleteAndReopen(app, followUp);
    const opinion = documentPages(await printedPages(page), `整改复查意见书${opinionNumber}`);
    expectFields(opinion, commonFields(details, "项目经理"));
    expect(opinion).toContain(squeeze(`本机关于${issuedOn}作出的《责令限期整改指令书》（${numbers[1]}），整改期限已届满。经复查，提出意见如下：`));
    expect(opinion).toContain(squeeze(`1.${majorNote}复查意见：已整改已取得安全生产许可证`));
    expect(opinion).toContain(squeeze(`2.${generalNote}复查意见：未整改方案仍未论证`));
    expect(opinion, "an opinion decides nothing: no appeal").not.toContain("行政复议");
    expect(opinion).not.toContain("＿");
  });
});
