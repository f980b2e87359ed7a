// The eviction guard: a browser may clear a site's storage (Safari after seven days without a
// visit, unless installed). Work that exists only on this phone for more than three days is
// warned about with the backup offered; a store cleared since the last start is told on start.
import { readFileSync } from "node:fs";
import { App, expect, INSPECTION_PREFIX, test } from "./support/app";
import { MARKER_KEY } from "./support/archive";
import { RECORD_DATABASE } from "./support/images";

const DAY = 24 * 60 * 60 * 1000;

test("a draft older than three days is warned about, and the warning backs it up", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection();
  await app.fillDetails();
  await app.goHome();
  await expect(page.getByTestId("at-risk")).toHaveCount(0);

  // Four days later, nothing sent.
  const raw = JSON.parse((await app.storedRaw(INSPECTION_PREFIX + id))!);
  raw.inspection.created_at -= 4 * DAY;
  await app.putRaw(INSPECTION_PREFIX + id, JSON.stringify(raw));
  await app.reload();
  const warning = page.getByTestId("at-risk");
  await expect(warning).toContainText("1 inspection exists only on this phone");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("at-risk-backup").click()]);
  const backup = JSON.parse(readFileSync((await download.path())!, "utf8"));
  expect(backup.inspections.map((i: { id: string }) => i.id)).toEqual([id]);
  await expect(warning.getByRole("status")).toContainText(download.suggestedFilename());
});

test("a store the browser cleared since the last start is told on start, once", async ({ page, server }) => {
  const app = new App(page, server.url);
  const vanished = page.getByTestId("storage-vanished");
  /** Reloads, and waits until the app has compared the markers of this start. */
  const restart = async () => {
    await app.reload();
    await expect(page.locator(".banners")).toHaveAttribute("data-stores-checked", "true");
  };
  await app.open();
  await app.startInspection();
  await expect.poll(() => app.storedRaw(MARKER_KEY)).not.toBeNull();
  await restart();
  await expect(vanished).toHaveCount(0);

  // IndexedDB cleared, localStorage kept.
  const deleted = await page.evaluate(
    (database) =>
      new Promise<string>((resolve) => {
        const request = indexedDB.deleteDatabase(database);
        request.onsuccess = () => resolve("deleted");
        request.onerror = () => resolve(`failed: ${request.error}`);
        request.onblocked = () => resolve("blocked");
      }),
    RECORD_DATABASE
  );
  expect(deleted).toBe("deleted");
  await restart();
  await expect(vanished).toContainText("The browser cleared the photos, signatures and delivered inspections");

  // The next start has both markers again: nothing to tell.
  await restart();
  await expect(vanished).toHaveCount(0);

  // localStorage cleared, IndexedDB kept.
  await page.evaluate(() => localStorage.clear());
  await restart();
  await expect(vanished).toContainText("The browser cleared the drafts, the inspections waiting to be sent and the settings");
  await vanished.getByRole("button", { name: "Dismiss" }).click();
  await expect(vanished).toHaveCount(0);
});
