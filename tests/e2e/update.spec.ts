// A new build is deployed while an inspection is open: it waits until the inspector says
// "Update now", then the app reloads under it with the draft intact.
import { App, expect, test } from "./support/app";
import { copyBuild, newBuild, swVersion } from "./support/builds";
import { fillStorage, freeStorage } from "./support/quota";
import { StaticServer } from "./support/server";
import { items } from "./support/templates";

const SECTOR = "hazardous-chemicals";
const MARKER = "second build";

const cacheNames = (app: App) => app.page.evaluate(() => caches.keys());
const runsSecondBuild = (app: App) => app.page.evaluate((marker) => document.body.innerHTML.includes(marker), MARKER);

/** The first build, served and installed, with a draft of two answers open in the checklist. */
async function draftUnderFirstBuild(app: App, firstBuild: string): Promise<string> {
  await app.open();
  await app.waitForServiceWorker();
  await expect.poll(() => cacheNames(app)).toEqual([`safewalk-${swVersion(firstBuild)}`]);
  await expect(app.page.getByTestId("update-banner")).toHaveCount(0);

  const id = await app.startInspection(SECTOR);
  await app.fillDetails({ siteName: "Eastern Solvents Depot" }, SECTOR);
  await app.goToChecklist();
  await app.answer("hc-mgmt-01", "compliant");
  await app.answer("hc-mgmt-02", "not_applicable");
  await app.expectStored(id, (s) => expect(Object.keys(s.answers)).toEqual(["hc-mgmt-01", "hc-mgmt-02"]));
  return id;
}

/** Redeploys on the same origin: index.html changed, so sw.js has a new version. */
async function deploySecondBuild(server: StaticServer, firstBuild: string, dir: string): Promise<string> {
  const secondBuild = newBuild(firstBuild, dir, MARKER);
  expect(swVersion(secondBuild)).not.toBe(swVersion(firstBuild));
  await server.serve(secondBuild);
  return secondBuild;
}

/** Taps "Update now" and waits for the reload under the new worker. */
async function updateNow(app: App): Promise<void> {
  const reloaded = app.page.waitForEvent("load", { timeout: 15_000 }).catch(() => {
    throw new Error("“Update now” did not reload the page within 15 s");
  });
  await app.page.getByTestId("update-banner").getByRole("button", { name: app.t.updateNow }).click();
  await reloaded;
  await app.ready();
}

async function expectSecondBuildInCharge(app: App, secondBuild: string): Promise<void> {
  expect(await runsSecondBuild(app)).toBe(true);
  // The new worker's cache, and only it: the old one is deleted on activation.
  await expect.poll(() => cacheNames(app)).toEqual([`safewalk-${swVersion(secondBuild)}`]);
  expect(await app.page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe("activated");
  await expect(app.page.getByTestId("update-banner")).toHaveCount(0);
}

test("a new build waits for “Update now”, then takes over with the draft intact", async ({ page, serve }, testInfo) => {
  const firstBuild = copyBuild(testInfo.outputPath("build-1"));
  const server = await serve(firstBuild);
  const app = new App(page, server.url);
  const id = await draftUnderFirstBuild(app, firstBuild);
  const secondBuild = await deploySecondBuild(server, firstBuild, testInfo.outputPath("build-2"));

  await app.reload();
  const banner = page.getByTestId("update-banner");
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText(app.t.updateReady);
  // It waits: this page still runs the first build, and the draft is on screen.
  expect(await runsSecondBuild(app)).toBe(false);
  await expect(app.answerButton("hc-mgmt-02", "not_applicable")).toHaveAttribute("aria-pressed", "true");
  // A reload does not sneak it in either: still the first build, still asking.
  await app.reload();
  await expect(banner).toBeVisible();
  expect(await runsSecondBuild(app)).toBe(false);

  // One more answer, and the update straight away: it is saved before the switch.
  await app.answer("hc-mgmt-03", "hazard");
  await updateNow(app);
  await expectSecondBuildInCharge(app, secondBuild);

  await expect(page).toHaveURL(new RegExp(`#/i/${id}/checklist/hc-mgmt-03$`));
  await expect(app.answerButton("hc-mgmt-01", "compliant")).toHaveAttribute("aria-pressed", "true");
  await expect(app.answerButton("hc-mgmt-02", "not_applicable")).toHaveAttribute("aria-pressed", "true");
  await expect(app.answerButton("hc-mgmt-03", "hazard")).toHaveAttribute("aria-pressed", "true");
  await expect(app.progress()).toHaveText(`3/${items(SECTOR).length}`);
  const stored = await app.stored(id);
  expect(stored!.site.name).toBe("Eastern Solvents Depot");
  expect(stored!.answers).toEqual({
    "hc-mgmt-01": { answer: "compliant" },
    "hc-mgmt-02": { answer: "not_applicable" },
    "hc-mgmt-03": { answer: "hazard" },
  });
});

test("an app left open is told about a new build when it comes back to the foreground", async ({ page, serve }, testInfo) => {
  const firstBuild = copyBuild(testInfo.outputPath("build-1"));
  const server = await serve(firstBuild);
  const app = new App(page, server.url);
  const id = await draftUnderFirstBuild(app, firstBuild);
  const secondBuild = await deploySecondBuild(server, firstBuild, testInfo.outputPath("build-2"));

  // The inspector comes back to the app (no reload): it checks for a new build.
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
  await expect(page.getByTestId("update-banner")).toBeVisible({ timeout: 30_000 });
  expect(await runsSecondBuild(app)).toBe(false);

  await updateNow(app);
  await expectSecondBuildInCharge(app, secondBuild);
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/checklist/hc-mgmt-02$`));
  await expect(app.progress()).toHaveText(`2/${items(SECTOR).length}`);
});

// While storage is full, edits live only in memory: "Update now" must refuse (and say why)
// rather than reload them away; the update goes ahead once they are saved.
test("“Update now” while storage is full does not lose the edits that are only in memory", async ({ page, serve }, testInfo) => {
  const firstBuild = copyBuild(testInfo.outputPath("build-1"));
  const server = await serve(firstBuild);
  const app = new App(page, server.url);
  const id = await draftUnderFirstBuild(app, firstBuild);
  await deploySecondBuild(server, firstBuild, testInfo.outputPath("build-2"));
  await app.reload();
  await expect(page.getByTestId("update-banner")).toBeVisible({ timeout: 30_000 });

  const junk = await fillStorage(page);
  await app.answer("hc-mgmt-03", "hazard");
  const note = "Relief valve on tank T-4 removed, opening blanked off";
  await app.item("hc-mgmt-03").getByLabel(app.t.hazardNoteLabel).fill(note);
  await expect(page.getByTestId("storage-banner")).toContainText(app.t.storageFull);

  // The inspector taps "Update now". Give a reload, if one comes, the time to happen.
  const reload = page.waitForEvent("load", { timeout: 5_000 }).catch(() => null);
  await page.getByTestId("update-banner").getByRole("button", { name: app.t.updateNow }).click();
  await expect(page.getByTestId("update-banner")).toContainText(app.t.updateBlocked);
  await reload;
  await app.ready();

  // What was entered is still there, and it is stored once space frees up.
  await expect(app.answerButton("hc-mgmt-03", "hazard")).toHaveAttribute("aria-pressed", "true");
  await expect(app.item("hc-mgmt-03").getByLabel(app.t.hazardNoteLabel)).toHaveValue(note);
  await freeStorage(page, junk);
  await app.expectStored(id, (s) => expect(s.answers["hc-mgmt-03"]).toEqual({ answer: "hazard", note }));
});

// Once the update was accepted in another tab, the worker this tab saw waiting is already
// active: "Update now" must still move this tab (still on the old build) to the new one.
test("with two tabs open, “Update now” in the second tab still switches it after the first took the update", async ({ context, page, serve }, testInfo) => {
  const firstBuild = copyBuild(testInfo.outputPath("build-1"));
  const server = await serve(firstBuild);
  const first = new App(page, server.url);
  const id = await draftUnderFirstBuild(first, firstBuild);
  const second = new App(await context.newPage(), server.url);
  await second.open(`#/i/${id}/checklist`);
  const secondBuild = await deploySecondBuild(server, firstBuild, testInfo.outputPath("build-2"));

  await first.reload();
  await expect(first.page.getByTestId("update-banner")).toBeVisible({ timeout: 30_000 });
  await expect(second.page.getByTestId("update-banner")).toBeVisible();
  await updateNow(first);
  await expectSecondBuildInCharge(first, secondBuild);

  // The second tab was left alone (it may hold a draft) and still offers the update.
  expect(await runsSecondBuild(second)).toBe(false);
  await expect(second.page.getByTestId("update-banner")).toBeVisible();
  await updateNow(second);
  await expectSecondBuildInCharge(second, secondBuild);
  await expect(second.answerButton("hc-mgmt-02", "not_applicable")).toHaveAttribute("aria-pressed", "true");
});
