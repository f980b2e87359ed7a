// The tab goes away in the middle of an inspection (reload, the phone kills it, the
// inspector closes it): what was on screen is back, down to the last keystroke.
import { App, expect, INSPECTION_PREFIX, test } from "./support/app";
import { items } from "./support/templates";

const SECTOR = "commercial-complex";
const TOTAL = items(SECTOR).length;
const LAST_ITEM = "cc-evac-03";
const LAST_NOTE = "Exit door on level 3 locked with a chain";

// Playwright's clock, installed before the app loads, lets a test hold the app's timers: a
// slow, busy machine then cannot let the 300 ms write-behind slip in before the reload.
test.beforeEach(async ({ page }) => {
  await page.clock.install();
});

/**
 * Fills some details, answers five items with notes on two, and ends typing a note on
 * LAST_ITEM. The final keystrokes come right after a completed save, with the clock held:
 * they are only in memory, as within the 300 ms before the write-behind runs.
 */
async function workUntilTheLastKeystroke(app: App): Promise<string> {
  const id = await app.startInspection(SECTOR);
  await app.fillDetails({ siteName: "Harbour City", address: "88 Harbour Road", category: "mixed-use", principal: "Chen Jie" });
  await app.goToChecklist();
  await app.answer("cc-mgmt-01", "compliant");
  await app.answer("cc-mgmt-02", "not_applicable");
  await app.writeNote("cc-mgmt-02", "Control room is run by the landlord");
  await app.answer("cc-mgmt-03", "compliant");
  await app.answer("cc-evac-01", "compliant");
  await app.answer(LAST_ITEM, "hazard");
  const note = app.item(LAST_ITEM).getByLabel(app.t.hazardNoteLabel);
  await note.pressSequentially(LAST_NOTE.slice(0, -5));
  await app.expectSaved(); // nothing pending
  // Hold the clock (a second ahead, so the call cannot arrive "in the past"; no timer is due).
  await app.page.clock.pauseAt((await app.page.evaluate(() => Date.now())) + 1_000);
  await note.pressSequentially(LAST_NOTE.slice(-5));
  await expect(app.saveState()).toHaveText(app.t.saving);
  return id;
}

/** The last keystrokes are on screen but not yet stored. */
async function expectLastKeystrokesOnlyInMemory(app: App, id: string): Promise<void> {
  expect((await app.stored(id))!.answers[LAST_ITEM].note).toBe(LAST_NOTE.slice(0, -5));
}

/** Everything workUntilTheLastKeystroke entered is on screen again. */
async function expectEverythingBack(app: App): Promise<void> {
  await expect(app.progress()).toHaveText(`5/${TOTAL}`);
  for (const [item, kind] of [
    ["cc-mgmt-01", "compliant"],
    ["cc-mgmt-02", "not_applicable"],
    ["cc-mgmt-03", "compliant"],
    ["cc-evac-01", "compliant"],
    [LAST_ITEM, "hazard"],
  ] as const) {
    await expect(app.answerButton(item, kind)).toHaveAttribute("aria-pressed", "true");
  }
  await expect(app.item("cc-mgmt-02").getByLabel(app.t.note)).toHaveValue("Control room is run by the landlord");
  await expect(app.item(LAST_ITEM).getByLabel(app.t.hazardNoteLabel)).toHaveValue(LAST_NOTE);

  await app.page.getByRole("link", { name: app.t.editDetails }).click();
  await expect(app.field("siteName")).toHaveValue("Harbour City");
  await expect(app.field("address")).toHaveValue("88 Harbour Road");
  await expect(app.field("category")).toHaveValue("mixed-use");
  await expect(app.field("principal")).toHaveValue("Chen Jie");
  await expect(app.field("enterprise")).toHaveValue("");
}

test("a reload right after the last keystroke brings back every answer, note and field, at the same item", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await workUntilTheLastKeystroke(app);

  await expectLastKeystrokesOnlyInMemory(app, id);
  // The position goes into the URL once the answer is drawn.
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/checklist/${LAST_ITEM}$`));
  const url = page.url();
  await page.reload();
  await page.clock.resume();
  await app.ready();

  // The pagehide flush wrote them.
  const stored = await app.stored(id);
  expect(stored!.answers[LAST_ITEM]).toEqual({ answer: "hazard", note: LAST_NOTE });
  expect(page.url()).toBe(url);
  await expect(app.item(LAST_ITEM)).toBeInViewport();
  await expect(app.item(LAST_ITEM)).toBeFocused();
  await expectEverythingBack(app);
});

test("closing the tab right after the last keystroke keeps the draft; a new tab lists it with its progress", async ({ context, page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await workUntilTheLastKeystroke(app);

  await expectLastKeystrokesOnlyInMemory(app, id);
  const closed = page.waitForEvent("close");
  await page.close({ runBeforeUnload: true });
  await closed;

  const again = new App(await context.newPage(), server.url);
  await again.page.clock.resume();
  await again.open();
  const stored = await again.stored(id);
  expect(stored!.answers[LAST_ITEM]).toEqual({ answer: "hazard", note: LAST_NOTE });
  expect(await again.page.evaluate(() => JSON.parse(localStorage.getItem("safewalk.index")!).ids)).toEqual([id]);
  expect(await again.storedRaw(INSPECTION_PREFIX + id)).toContain(LAST_NOTE);

  const card = again.cards("drafts");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("Harbour City");
  await expect(card).toContainText("Large commercial complex");
  await expect(card).toContainText(`5/${TOTAL} ${again.t.answered}`);
  await expect(card.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "5");

  await card.click();
  await expect(again.page).toHaveURL(new RegExp(`#/i/${id}/checklist$`));
  await expectEverythingBack(again);
});

test("the phone switching to another app (page hidden) writes the last keystrokes at once", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await workUntilTheLastKeystroke(app);
  await expectLastKeystrokesOnlyInMemory(app, id);

  // Headless Chromium never hides a page by itself: report "hidden" as a phone's browser
  // does when the inspector switches apps, and read storage in the same task.
  const storedWhenHidden = await page.evaluate((key) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange", { bubbles: true })); // as the browser fires it
    return localStorage.getItem(key);
  }, INSPECTION_PREFIX + id);
  expect(JSON.parse(storedWhenHidden!).inspection.answers[LAST_ITEM]).toEqual({ answer: "hazard", note: LAST_NOTE });
});

test("answering moves no history: Back from the review returns to the last item, Back again to the details", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection(SECTOR);
  await app.goToChecklist();
  const length = await page.evaluate(() => history.length);
  for (const item of ["cc-mgmt-01", "cc-mgmt-02", "cc-sep-01", "cc-kit-01"]) await app.answer(item, "compliant");
  expect(await page.evaluate(() => history.length)).toBe(length);
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/checklist/cc-kit-01$`));

  await app.openReview();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/checklist/cc-kit-01$`));
  await expect(app.item("cc-kit-01")).toBeInViewport();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/details$`));
  await expect(app.field("siteName")).toBeVisible();
});
