// The first download holds only what starting and answering a checklist needs; the other
// screens come in parts of their own (src/lazy.rs), fetched when first opened, and the service
// worker precaches them right after the first load, so they all open offline after a single
// online visit.
import { Request } from "@playwright/test";
import { App, expect, test } from "./support/app";

/** A lazily loaded part of the app (scripts/split-parts names them `split_<screen>-<hash>.wasm`). */
const isPart = (url: string) => /\/(split|chunk)_[a-z0-9_]+-[0-9a-f]{16}\.wasm$/.test(url);

test("a rarely used screen is downloaded when opened, not with the app", async ({ page, server }) => {
  const fetched: string[] = [];
  // The page's own requests (the worker's precaching is reported on the worker, not here).
  page.on("request", (request: Request) => fetched.push(request.url()));
  const app = new App(page, server.url);
  await app.open();
  await app.waitForServiceWorker();
  expect(fetched.filter(isPart), "parts the first screen downloaded").toEqual([]);

  await app.open("#/register");
  await expect(page.getByRole("heading", { level: 1, name: app.t.registerTitle })).toBeVisible();
  expect(fetched.filter(isPart).map((url) => url.replace(/.*\//, ""))).toEqual([expect.stringMatching(/^split_register-/)]);
});

test("after one online visit, every lazily loaded screen opens offline", async ({ context, page, server }) => {
  const online = new App(page, server.url);
  await online.open();
  await online.waitForServiceWorker();
  // The worker has precached every part by the time it controls the page.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names[0]);
    return (await cache.keys()).map((request) => request.url);
  });
  expect(cached.filter(isPart).length).toBeGreaterThan(0);

  await server.stop();
  await context.setOffline(true);
  await page.close();
  const app = new App(await context.newPage(), server.url);
  await app.open();
  expect(await app.page.evaluate(() => navigator.onLine)).toBe(false);

  await app.open("#/register");
  await expect(app.page.getByRole("heading", { level: 1, name: app.t.registerTitle })).toBeVisible();
});
