// The device's storage misbehaves: records the app cannot read, and a full quota. Nothing
// is lost either way.
import { App, expect, INSPECTION_PREFIX, test } from "./support/app";
import { BLOCK_SITE_DATA, launchProfile } from "./support/profile";
import { fillStorage, freeStorage } from "./support/quota";
import { edition, items } from "./support/templates";

/** Half of a draft, as a write cut off by a dead battery might leave it, with some text that must stay text. */
const CUT_OFF = '{"format":2,"inspection":{"id":"6f9b1c2e-0d4a-4b8e-9c1f-2a3b4c5d6e7f","site":{"name":"<b>Depot</b> & 仓库 \\"7\\"\n';
const FROM_THE_FUTURE = '{"format":99,"inspection":{"id":"00000000-0000-4000-8000-000000000099"}}';

test("unreadable drafts are listed with their key, reason and raw text, and left untouched", async ({ context, page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection("commercial-complex");
  await app.fillDetails({ siteName: "Riverside Mall" });
  await app.expectStored(id, (s) => expect(s.site.name).toBe("Riverside Mall"));

  const cutOff = await app.plantUnreadable(CUT_OFF);
  const future = await app.plantUnreadable(FROM_THE_FUTURE);
  await app.goHome();
  await app.reload();

  // The good draft is there as usual.
  await expect(app.cards("drafts")).toHaveCount(1);
  await expect(app.cards("drafts")).toContainText("Riverside Mall");

  // The others are listed, each with its key and why it could not be opened.
  await expect(page.getByRole("heading", { name: app.t.unreadableTitle })).toBeVisible();
  await expect(page.getByTestId("unreadable-draft")).toHaveCount(2);
  await expect(app.unreadableEntry(cutOff)).toContainText("not valid JSON");
  await expect(app.unreadableEntry(future)).toContainText("unknown format 99");

  // The raw text is shown exactly, as text.
  await expect(await app.openRawText(cutOff)).toHaveValue(CUT_OFF);
  await expect(await app.openRawText(future)).toHaveValue(FROM_THE_FUTURE);
  await expect(app.unreadableEntry(cutOff).locator("b")).toHaveCount(0);
  await expect(await app.openRawText(cutOff)).not.toBeEditable();

  // "Copy raw text" puts exactly that on the clipboard.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
  await app.unreadableEntry(cutOff).getByRole("button", { name: app.t.copyRaw }).click();
  await expect(app.unreadableEntry(cutOff).getByRole("status")).toHaveText(app.t.copied);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(CUT_OFF);

  // Working on the good draft writes storage again; the unreadable records stay as they were.
  await app.cards("drafts").click();
  await app.answer("cc-mgmt-01", "compliant");
  await app.expectStored(id, (s) => expect(s.answers["cc-mgmt-01"]).toEqual({ answer: "compliant" }));
  expect(await app.storedRaw(cutOff)).toBe(CUT_OFF);
  expect(await app.storedRaw(future)).toBe(FROM_THE_FUTURE);
  await app.reload();
  await app.goHome();
  await expect(page.getByTestId("unreadable-draft")).toHaveCount(2);
  expect(await app.storedRaw(cutOff)).toBe(CUT_OFF);
});

test("with storage full, edits stay on screen and are saved once space frees up", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection("commercial-complex");
  await app.fillDetails({ siteName: "Riverside Mall" });
  await app.goToChecklist();
  await app.answer("cc-mgmt-01", "hazard");
  await app.expectSaved();

  // Another app on the origin (or the browser) has used up the quota.
  const junk = await fillStorage(page);
  expect(junk.length).toBeGreaterThan(1);

  const note = "Fire-safety manager not appointed in writing. ".repeat(40).trim();
  const field = app.item("cc-mgmt-01").getByLabel(app.t.hazardNoteLabel);
  await field.fill(note);

  const banner = page.getByTestId("storage-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute("role", "alert");
  await expect(banner).toContainText(app.t.storageFull);
  await expect(field).toHaveValue(note);
  expect((await app.stored(id))!.answers["cc-mgmt-01"].note).toBeUndefined();

  // Space frees up: within a retry or two the banner goes and the note is on the device.
  await freeStorage(page, junk);
  await expect(banner).toBeHidden();
  await app.expectSaved();
  await app.expectStored(id, (s) => expect(s.answers["cc-mgmt-01"]).toEqual({ answer: "hazard", note }));
  await expect(field).toHaveValue(note);
});

test("a draft saved by the first version of the app (format 1) opens as usual and is upgraded on the next save", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = "3f2b8a1c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
  await app.putRaw(
    INSPECTION_PREFIX + id,
    JSON.stringify({
      format: 1,
      id,
      template_id: "commercial-complex",
      // The edition the first versions of the app had built in (they kept no library on the
      // device): the app must still be able to open a draft started with it.
      template_version: "2026.11",
      site: { name: "Old Town Market" },
      team: { department: "District Fire Brigade" },
      answers: { "cc-mgmt-01": "hazard", "cc-mgmt-02": "compliant" },
      notes: { "cc-mgmt-01": "Exit blocked by stalls" },
      created_at: 1_700_000_000_000,
      updated_at: 1_700_000_001_000,
    })
  );
  await app.reload();
  await expect(page.getByTestId("unreadable-draft")).toHaveCount(0);
  await expect(app.cards("drafts")).toContainText("Old Town Market");
  // Counted over the edition it was started with, not today's.
  const started = edition("commercial-complex", "2026.11").sections.flatMap((s) => s.items);
  await expect(app.cards("drafts")).toContainText(`2/${started.length} ${app.t.answered}`);

  await app.cards("drafts").click();
  await expect(app.answerButton("cc-mgmt-01", "hazard")).toHaveAttribute("aria-pressed", "true");
  await expect(app.item("cc-mgmt-01").getByLabel(app.t.hazardNoteLabel)).toHaveValue("Exit blocked by stalls");
  await app.answer("cc-mgmt-03", "not_applicable");
  await app.expectStored(id, (s) => {
    expect(s.site.name).toBe("Old Town Market");
    expect(s.team.department).toBe("District Fire Brigade");
    expect(s.created_at).toBe(1_700_000_000_000);
    expect(s.answers).toEqual({
      "cc-mgmt-01": { answer: "hazard", note: "Exit blocked by stalls" },
      "cc-mgmt-02": { answer: "compliant" },
      "cc-mgmt-03": { answer: "not_applicable" },
    });
  });
});

// With storage blocked, drafts live in memory only: the header's save indicator says nothing
// at all (src/components/header.rs: blank whenever storage is not persistent), never "Saving…"
// nor "Saved on this device"; the banner is the one place that speaks of storage.
test("when the browser blocks storage, the app warns, works from memory, and does not claim to have saved", async ({ server }) => {
  const profile = await launchProfile(BLOCK_SITE_DATA);
  try {
    const page = profile.context.pages()[0] ?? (await profile.context.newPage());
    const app = new App(page, server.url);
    await app.open();
    await expect(page.getByRole("alert")).toHaveText(
      "The browser blocks local storage (private mode?): what you enter will not survive a reload."
    );

    await app.startInspection("commercial-complex");
    await app.fillDetails({ siteName: "Riverside Mall" });
    await app.goToChecklist();
    // When the answer is tapped: a capturing listener runs in the same task as the app's
    // handler, which marks the draft dirty, so any write starting later includes the answer.
    await page.evaluate(() =>
      document.addEventListener(
        "click",
        (event) => {
          if ((event.target as Element).closest("article[id^='item-']")) Object.assign(window, { __answeredAt: performance.now() });
        },
        { capture: true }
      )
    );
    await app.answer("cc-mgmt-01", "compliant");
    await expect(app.saveState()).toHaveText("");
    await app.goHome();
    await expect(app.cards("drafts")).toContainText("Riverside Mall");
    await expect(app.cards("drafts")).toContainText(`1/${items("commercial-complex").length} ${app.t.answered}`);

    // The write-behind has run since the answer (a "safewalk:save" measure started after it;
    // in memory it succeeds): the indicator is still blank, and the only alert is the warning.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const answeredAt = (window as unknown as { __answeredAt: number }).__answeredAt;
          return performance.getEntriesByName("safewalk:save").some((save) => save.startTime > answeredAt);
        })
      )
      .toBe(true);
    await expect(app.saveState()).toHaveText("");
    await expect(page.getByRole("alert")).toHaveText(
      "The browser blocks local storage (private mode?): what you enter will not survive a reload."
    );
  } finally {
    await profile.close();
  }
});
