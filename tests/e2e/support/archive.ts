// The archive of delivered inspections (IndexedDB `safewalk-records`, store `inspections`,
// and each record's summary in the store `summaries`), read from the page, and a year of delivered records made from one real delivery.
import type { Page } from "@playwright/test";
import { App, expect, INSPECTION_PREFIX, OUTBOX_KEY, Rectification } from "./app";
import { RECORD_DATABASE } from "./images";

const STORE = "inspections";
/** The eviction guard's marker: in localStorage, and under the same key in the archive. */
export const MARKER_KEY = "safewalk.marker";

/** Every record in the archive, by id (the marker left out); empty when there is no archive. */
export async function archived(page: Page, storeName: string = STORE): Promise<Record<string, string>> {
  const all = await page.evaluate(
    ([database, storeName]) =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(storeName)) {
            db.close();
            resolve({});
            return;
          }
          const tx = db.transaction(storeName);
          const keys = tx.objectStore(storeName).getAllKeys();
          const values = tx.objectStore(storeName).getAll();
          tx.oncomplete = () => {
            const out: Record<string, string> = {};
            keys.result.forEach((key, i) => (out[String(key)] = values.result[i]));
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    [RECORD_DATABASE, storeName] as const
  );
  delete all[MARKER_KEY];
  return all;
}

/** Every summary in the archive (what Home lists without reading the records), by id. */
export async function summaries(page: Page): Promise<Record<string, { site_name: string; completed_at: number; delivered_at?: number }>> {
  const texts = await archived(page, "summaries");
  return Object.fromEntries(Object.entries(texts).map(([id, text]) => [id, JSON.parse(text).value]));
}

/** Empties the summaries, as an archive kept before summaries existed has none. */
export async function forgetSummaries(page: Page): Promise<void> {
  await page.evaluate(
    (database) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("summaries", "readwrite");
          tx.objectStore("summaries").clear();
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    RECORD_DATABASE
  );
}

/** The ids of the inspections still in localStorage. */
export async function inLocalStorage(page: Page): Promise<string[]> {
  return page.evaluate(
    (prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
    INSPECTION_PREFIX
  );
}

/** Completes one inspection (with `hazards`, if any) and waits until it is delivered and
 * moved to the archive; returns its id. */
export async function deliveredAndMoved(
  app: App,
  hazards: { item: string; description: string; rectification: Rectification }[] = []
): Promise<string> {
  await app.open();
  const id = await app.completeWholeInspection(undefined, undefined, hazards);
  await app.goHome();
  await app.expectDelivered(id);
  await expect.poll(() => app.storedRaw(INSPECTION_PREFIX + id), { timeout: 10_000 }).toBeNull();
  expect(Object.keys(await archived(app.page))).toEqual([id]);
  return id;
}

/** Puts `count` copies of the delivered inspection `first` (new ids, delivered too) into
 * localStorage, as an earlier build kept a year of records; the app sees them at its next
 * start. Returns their ids. */
export async function seedDeliveredCopies(page: Page, first: string, count: number): Promise<string[]> {
  const raw = (await archived(page))[first];
  const ids = await page.evaluate(
    ([first, raw, count, prefix, outboxKey]) => {
      const outbox = JSON.parse(localStorage.getItem(outboxKey)!);
      const delivered = outbox.value.records.find((r: { id: string }) => r.id === first);
      const ids: string[] = [];
      for (let n = 0; n < count; n++) {
        const id = crypto.randomUUID();
        ids.push(id);
        localStorage.setItem(prefix + id, raw.split(first).join(id));
        outbox.value.records.push(JSON.parse(JSON.stringify(delivered).split(first).join(id)));
      }
      localStorage.setItem(outboxKey, JSON.stringify(outbox));
      return ids;
    },
    [first, raw, count, INSPECTION_PREFIX, OUTBOX_KEY] as const
  );
  return ids;
}

/** Puts `count` copies of the delivered inspection `first` (new ids, delivered too) into the
 * archive with summaries that do not say when they were delivered, and their receipts into the
 * outbox: a phone the last build kept a year of records on (it moved them, and kept every
 * receipt). The app sees them at its next start. Returns their ids. */
export async function seedArchivedReceipts(page: Page, first: string, count: number): Promise<string[]> {
  const raw = (await archived(page))[first];
  const summary = JSON.parse((await archived(page, "summaries"))[first]);
  delete summary.value.delivered_at;
  return page.evaluate(
    ([database, first, raw, summary, count, outboxKey]) =>
      new Promise<string[]>((resolve, reject) => {
        const outbox = JSON.parse(localStorage.getItem(outboxKey)!);
        const delivered = JSON.stringify(outbox.value.records.find((r: { id: string }) => r.id === first));
        const ids = Array.from({ length: count }, () => crypto.randomUUID());
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(["inspections", "summaries"], "readwrite");
          for (const id of ids) {
            tx.objectStore("inspections").put(raw.split(first).join(id), id);
            tx.objectStore("summaries").put(summary.split(first).join(id), id);
            outbox.value.records.push(JSON.parse(delivered.split(first).join(id)));
          }
          tx.oncomplete = () => {
            open.result.close();
            localStorage.setItem(outboxKey, JSON.stringify(outbox));
            resolve(ids);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    [RECORD_DATABASE, first, raw, JSON.stringify(summary), count, OUTBOX_KEY] as const
  );
}

/** Writes `text` over the archived record of `id` (a damaged archive). */
export async function damageArchived(page: Page, id: string, text: string): Promise<void> {
  await page.evaluate(
    ([database, id, text]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("inspections", "readwrite");
          tx.objectStore("inspections").put(text, id);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    [RECORD_DATABASE, id, text] as const
  );
}
