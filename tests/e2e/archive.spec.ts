// A year of records on one phone: delivered inspections leave localStorage (a few MB, which
// the drafts need) for IndexedDB, and stay on Home, in the report and the register. The move
// is copy, verify, then delete; a tab killed in the middle of it loses nothing, and the next
// start finishes it. A start reads only their summaries (with what the register needs); a
// record is read when it is opened. The outbox forgets an archived inspection's receipt at the
// next start (its summary keeps when it was delivered), so it never grows with the records.
import { App, expect, SAMPLE_RECTIFICATION, test } from "./support/app";
import { INSPECTION_PREFIX, OUTBOX_KEY } from "./support/app";
import { archived, damageArchived, deliveredAndMoved, forgetSummaries, inLocalStorage, MARKER_KEY, seedArchivedReceipts, seedDeliveredCopies, summaries } from "./support/archive";

const COPIES = 300;
/** A year of delivered inspections. */
const RECEIPTS = 2_000;

test("a delivered inspection leaves localStorage for IndexedDB and still opens after a reload", async ({ page, server }) => {
  const app = new App(page, server.url);
  const id = await deliveredAndMoved(app);
  const record = JSON.parse((await archived(page))[id]);
  expect(record.inspection.id).toBe(id);
  expect(record.inspection.completed_at).toBeGreaterThan(0);
  // Its summary, written with it, is what Home lists at start.
  const summary = { site_name: record.inspection.site.name, completed_at: record.inspection.completed_at };
  expect((await summaries(page))[id]).toMatchObject(summary);
  // An archive kept before summaries existed gets them made from its records at start.
  await forgetSummaries(page);
  expect(await summaries(page)).toEqual({});

  await app.reload();
  await expect(app.cards("completed")).toHaveCount(1);
  await expect.poll(async () => (await summaries(page))[id]).toMatchObject(summary);
  await app.cards("completed").first().click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/review`));
  // The read-only banner, not a lazily loaded section's "Opening…" status beside it.
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: app.t.readOnly })).toBeVisible();
  // Still delivered, not sent again: the start forgot its receipt (the outbox holds only what
  // is under way), and its badge reads the time its summary keeps.
  expect((await app.storedOutbox())!.records.filter((r) => r.id === id)).toEqual([]);
  await app.expectDelivered(id);
  expect((await server.stored()).total).toBe(1);
});

test("a year of receipts kept by the last build is forgotten at start: nothing is sent again, and every badge still says delivered", async ({ page, server }) => {
  const app = new App(page, server.url);
  const first = await deliveredAndMoved(app);
  const receipt = (await app.outboxRecord(first))!.delivery as { at: number };
  const ids = await seedArchivedReceipts(page, first, RECEIPTS);
  const bytesBefore = (await app.storedRaw(OUTBOX_KEY))!.length;
  expect((await app.storedOutbox())!.records).toHaveLength(RECEIPTS + 1);
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/inspections") posts.push(r.headers()["idempotency-key"]);
  });

  await app.reload();
  await expect.poll(async () => (await app.storedOutbox())!.records.length, { timeout: 30_000 }).toBe(0);
  const bytesAfter = (await app.storedRaw(OUTBOX_KEY))!.length;
  console.log(`outbox in localStorage: ${bytesBefore} bytes with ${RECEIPTS + 1} receipts, ${bytesAfter} after the start`);
  expect(bytesAfter).toBeLessThan(100);
  // Each summary was given its delivery time (in the archive) before the outbox forgot it.
  const kept = await summaries(page);
  for (const id of [first, ...ids]) expect(kept[id].delivered_at, id).toBe(receipt.at);
  await expect(app.cards("completed")).toHaveCount(50);
  for (const card of await app.cards("completed").all()) {
    await expect(app.deliveryStatus(card)).toHaveText(`${app.t.deliveryDelivered}: ${await app.formatTime(receipt.at)}`);
  }

  // A new inspection is the only one sent, once; the receiver holds no duplicate.
  const next = await app.completeWholeInspection();
  const review = () => page.evaluate((id) => (location.hash = `#/i/${id}/review`), next);
  await review();
  await app.expectDelivered(next);
  // Moved, then forgotten at the next start; still delivered, read from the archive.
  await expect.poll(() => app.storedRaw(INSPECTION_PREFIX + next), { timeout: 10_000 }).toBeNull();
  await app.reload();
  await expect.poll(async () => (await app.storedOutbox())!.records.length, { timeout: 30_000 }).toBe(0);
  await review();
  await app.expectDelivered(next);
  expect(posts).toEqual([next]);
  expect((await server.stored()).total).toBe(2);
});

test("a tab killed in the middle of the move loses nothing, and the next start finishes it", async ({ page, context, server }) => {
  const app = new App(page, server.url);
  const first = await deliveredAndMoved(app);

  // A year of delivered records, as an older build left them: all in localStorage.
  const ids = await seedDeliveredCopies(page, first, COPIES);

  // The next start moves them; the tab is killed once the move is under way.
  await page.reload();
  await expect.poll(async () => Object.keys(await archived(page)).length, { intervals: [20] }).toBeGreaterThan(5);
  expect((await inLocalStorage(page)).length, "killed while records are still to move").toBeGreaterThan(0);
  const cdp = await context.newCDPSession(page);
  const crashed = page.waitForEvent("crash");
  void cdp.send("Page.crash").catch(() => {});
  await crashed;

  const later = new App(await context.newPage(), server.url);
  await later.open();
  // Nothing lost at any moment: every record is in localStorage, or in IndexedDB, or both.
  await expect
    .poll(async () => (await inLocalStorage(later.page)).length, { timeout: 30_000 })
    .toBe(0);
  const moved = await archived(later.page);
  expect(Object.keys(moved).sort()).toEqual([first, ...ids].sort());
  for (const id of ids) expect(JSON.parse(moved[id]).inspection.id).toBe(id);
  expect(Object.keys(await summaries(later.page)).sort(), "a summary beside every record").toEqual([first, ...ids].sort());

  await later.goHome();
  // A page of them at a time (paging.spec.ts), all counted.
  await expect(later.cards("completed")).toHaveCount(50);
  await expect(later.page.getByRole("button", { name: /^Show more/ })).toHaveText(`Show more (50 of ${COPIES + 1} shown)`);
  const outbox = await later.storedOutbox();
  expect(outbox!.records.filter((r) => r.delivery.state !== "delivered")).toEqual([]);
});

/** Runs before the app: notes every read of an archived record (the marker left out). */
function noteRecordReads(marker: string) {
  const reads: string[] = [];
  (window as unknown as { __recordReads: string[] }).__recordReads = reads;
  for (const method of ["get", "getAll", "openCursor"] as const) {
    const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
    (IDBObjectStore.prototype as unknown as Record<string, unknown>)[method] = function (this: IDBObjectStore, ...args: unknown[]) {
      if (this.name === "inspections" && args[0] !== marker) reads.push(args[0] === undefined ? "all" : String(args[0]));
      return original.apply(this, args);
    };
  }
}

test("a start reads no archived record: the register counts its hazards from its summary, and the record is read when opened", async ({ page, server }) => {
  const app = new App(page, server.url);
  const id = await deliveredAndMoved(app, [{ item: "cc-evac-03", description: "Exit chained", rectification: SAMPLE_RECTIFICATION }]);
  await page.addInitScript(noteRecordReads, MARKER_KEY);
  const reads = () => page.evaluate(() => (window as unknown as { __recordReads: string[] }).__recordReads);

  await app.reload();
  await expect(app.registerSummary()).toContainText(`${app.t.openHazards}: 1`);
  await app.openRegister();
  await expect(app.registerEntries()).toHaveCount(1);
  await expect(app.registerEntries().first()).toContainText("Exit chained");
  expect(await reads(), "Home and the register from the summaries alone").toEqual([]);
  await app.goHome();

  // An archive whose summaries are gone (or from an earlier build) has them made again once.
  await forgetSummaries(page);
  await app.reload();
  await expect(app.registerSummary()).toContainText(`${app.t.openHazards}: 1`);
  expect(await reads()).toEqual([id]);
  await app.reload();
  await expect(app.registerSummary()).toContainText(`${app.t.openHazards}: 1`);
  await expect(app.cards("completed")).toHaveCount(1);
  expect(await reads(), "made once, not at every start").toEqual([]);

  // Opened, its record is read, and its review shows.
  await app.cards("completed").first().click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/review`));
  // The read-only banner, not a lazily loaded section's "Opening…" status beside it.
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: app.t.readOnly })).toBeVisible();
  expect(await reads()).toEqual([id]);
});

test("a delivered inspection whose archived record cannot be read says so instead of loading forever", async ({ page, server }) => {
  const app = new App(page, server.url);
  const id = await deliveredAndMoved(app);
  await damageArchived(page, id, "{not a record");
  await app.reload();
  await app.cards("completed").first().click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/review`));
  await expect(page.getByRole("main").getByRole("heading", { level: 1 })).toHaveText(app.t.notFound);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(app.t.archiveUnreadable);
  // Home still lists it, delivered.
  await app.goHome();
  await expect(app.deliveryStatus(app.cards("completed").first())).toHaveText(new RegExp(`^${app.t.deliveryDelivered}: `));
});
