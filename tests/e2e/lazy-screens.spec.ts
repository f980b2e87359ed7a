// The first download holds only what starting and answering a checklist needs; the other
// screens come in parts of their own (src/lazy.rs), fetched when first opened, and the service
// worker precaches them right after the first load, so they all open offline after a single
// online visit.
import { Request } from "@playwright/test";
import { App, expect, reopenOffline, SAMPLE_DETAILS, test } from "./support/app";
import { item } from "./support/templates";

const SECTOR = "commercial-complex";
// Major by itself: a suspected major hazard, so Review shows the collective determination.
const MAJOR = "cc-sep-03";

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
  // Its own part, and maybe a chunk of code it shares with other screens; no other screen's part.
  const parts = fetched.filter(isPart).map((url) => url.replace(/.*\//, ""));
  expect(parts.filter((name) => name.startsWith("split_"))).toEqual([expect.stringMatching(/^split_register-/)]);
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
  const parts = cached.filter(isPart).map((url) => url.replace(/.*\//, "").replace(/-[0-9a-f]{16}\.wasm$/, ""));
  for (const part of ["split_register", "split_settings", "split_hazard", "split_report", "split_documents", "split_determination", "split_signature"]) expect(parts).toContain(part);

  // The network is gone: no server, and the browser offline.
  const app = await reopenOffline(page, context, server);
  const heading = (name: string) => app.page.getByRole("heading", { level: 1, name, exact: true });

  await app.open("#/register");
  await expect(heading(app.t.registerTitle)).toBeVisible();
  await app.open("#/settings");
  await expect(heading(app.t.settings)).toBeVisible();
  await app.open("#/join/swl_AbC-d_9");
  await expect(heading(app.t.settings)).toBeVisible();

  expect(item(SECTOR, MAJOR).major).toBeTruthy();
  // A suspected major hazard: its page, then the determination on Review, then the report.
  await app.goHome();
  const id = await app.startInspection(SECTOR);
  await app.fillDetails(SAMPLE_DETAILS);
  await app.goToChecklist();
  await app.findHazard(MAJOR, "LPG cylinders stored on the trading floor");
  await app.openHazard(MAJOR);
  await app.page.getByRole("link", { name: app.t.backToChecklist }).click();
  await app.answerAll(SECTOR, { [MAJOR]: "hazard" });
  await app.openReview();
  await expect(app.page.getByTestId("determination")).toBeVisible();
  await app.open(`#/i/${id}/report`);
  await expect(app.page.getByTestId("report")).toBeVisible();
  await app.open(`#/i/${id}/documents`);
  await expect(app.page.getByTestId("issue-numbers")).toBeVisible();
  await expect(app.page.getByText(app.t.partUnavailableTitle)).toHaveCount(0);
});
