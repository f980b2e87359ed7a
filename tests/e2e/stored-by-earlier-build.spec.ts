// A phone keeps what an earlier build wrote: drafts, the outbox with its receipts and failed
// tries, checklist editions and pictures. fixtures/stored-by-build-2026-12-02.json is what the
// build of 2 December 2026 (before the app's middle layer was reshaped into services) wrote
// to a phone: one inspection completed and delivered with a photo, one completed while the
// receiver could not be reached, one draft with a hazard and a photo. Every later build must
// open it all and carry on where that phone left off.
import { readFileSync } from "node:fs";
import path from "node:path";
import { App, expect, test } from "./support/app";
import { summaries } from "./support/archive";
import { BLOB_DATABASE, BLOB_STORE, storedPicture } from "./support/images";

interface Fixture {
  ids: { delivered: string; unsent: string; draft: string };
  local: Record<string, string>;
  pictures: Record<string, { type: string; base64: string }>;
}

const fixture: Fixture = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "stored-by-build-2026-12-02.json"), "utf8"));
const record = (id: string) => JSON.parse(fixture.local[`safewalk.inspection.${id}`]).inspection;

test("what the build of 2026-12-02 stored opens: drafts, delivered and unsent inspections, pictures", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  // Put the earlier build's storage in place behind the app's back, then start it over it.
  await page.evaluate(
    async ([local, pictures, database, storeName]) => {
      localStorage.clear();
      for (const [key, value] of Object.entries(local)) localStorage.setItem(key, value);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(database);
        request.onupgradeneeded = () => {
          if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const [key, { type, base64 }] of Object.entries(pictures)) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(storeName, "readwrite");
          tx.objectStore(storeName).put(new Blob([bytes], { type }), key);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    },
    [fixture.local, fixture.pictures, BLOB_DATABASE, BLOB_STORE] as const
  );
  await app.reload();
  await expect(page.getByTestId("unreadable-draft")).toHaveCount(0);

  // The inspection completed while the receiver was out of reach goes now, with nothing else:
  // the delivered one keeps its receipt and is not sent again.
  await expect.poll(async () => (await server.stored()).items.map((i) => i.id), { timeout: 20_000 }).toEqual([fixture.ids.unsent]);
  await app.open(`#/i/${fixture.ids.unsent}/review`);
  await app.expectDelivered(fixture.ids.unsent);
  await app.open(`#/i/${fixture.ids.delivered}/review`);
  await app.expectDelivered(fixture.ids.delivered);
  // Its outbox record, receipt and acknowledged photo included, is exactly as it was stored —
  // until the start's tidy forgets it (issue 12: delivered and archived), its delivery time
  // then kept in the archived record's summary. Either way, never sent again.
  const recordIn = (raw: string | null | undefined) =>
    JSON.parse(raw ?? "null").value.records.find((r: { id: string }) => r.id === fixture.ids.delivered);
  const stored = recordIn(fixture.local["safewalk.outbox"]);
  const kept = recordIn(await app.storedRaw("safewalk.outbox"));
  if (kept === undefined) expect((await summaries(page))[fixture.ids.delivered]?.delivered_at).toBe(stored.delivery.delivered.at);
  else expect(kept).toEqual(stored);
  expect((await server.stored()).total).toBe(1);

  // Its hazard is in the register.
  await app.goHome();
  await app.expectRegisterSummary({ open: 1, major: 0, overdue: 0 });

  // The draft opens where it was left, with its hazard, note and photo, and takes new answers.
  const draft = record(fixture.ids.draft);
  await expect(app.cards("drafts")).toHaveCount(1);
  await expect(app.cards("drafts")).toContainText(draft.site.name);
  await app.cards("drafts").click();
  await expect(app.answerButton("cc-mgmt-01", "compliant")).toHaveAttribute("aria-pressed", "true");
  await expect(app.answerButton("cc-mgmt-02", "hazard")).toHaveAttribute("aria-pressed", "true");
  const photos = app.photos(app.item("cc-mgmt-01"));
  await expect(photos).toHaveCount(1);
  await app.expectPicturesShown(photos.getByRole("img"));
  await app.answer("cc-mgmt-03", "not_applicable");
  await app.expectStored(fixture.ids.draft, (s) => {
    expect(s.answers["cc-mgmt-01"]).toEqual(draft.answers["cc-mgmt-01"]);
    expect(s.answers["cc-mgmt-02"]).toEqual(draft.answers["cc-mgmt-02"]);
    expect(s.answers["cc-mgmt-03"]).toEqual({ answer: "not_applicable" });
    expect(s.attachments).toEqual(draft.attachments);
    expect(s.created_at).toBe(draft.created_at);
  });
  // Every picture is still there, byte for byte.
  for (const [id, { base64 }] of Object.entries(fixture.pictures)) {
    const stored = await storedPicture(page, id);
    expect(stored?.size, `picture ${id}`).toBe(Buffer.from(base64, "base64").length);
  }
});
