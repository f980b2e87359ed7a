// Two tabs (or the installed app and a browser tab) with work to send: only one of them
// sends (the Web Lock holder), so the receiver gets each record once; the other shows the
// same outbox and hands its new work to the sender; when the sender closes, it takes over.
import type { Page } from "@playwright/test";
import { App, expect, SAMPLE_DETAILS, test } from "./support/app";

const UPLOAD = "**/inspections";

test("with two tabs only one sends; closing it, the other delivers everything, each record once", async ({ page, context, server }) => {
  test.setTimeout(180_000);
  // Every upload leaving each tab, and every one the receiver answered, by inspection id.
  const tried: Record<string, string[]> = {};
  const answered: Record<string, string[]> = {};
  const track = (tab: string, p: Page) => {
    const id = (r: { method(): string; url(): string; headers(): Record<string, string> }) =>
      r.method() === "POST" && new URL(r.url()).pathname === "/inspections" ? r.headers()["idempotency-key"] : undefined;
    p.on("request", (r) => {
      const key = id(r);
      if (key) (tried[key] ??= []).push(tab);
    });
    p.on("response", (r) => {
      const key = id(r.request());
      if (key && r.ok()) (answered[key] ??= []).push(tab);
    });
  };

  // Tab A opens first and becomes the sender; its uploads fail (its network is down).
  track("a", page);
  await page.route(UPLOAD, (route) => route.abort("internetdisconnected"));
  const a = new App(page, server.url);
  await a.open();
  const first = await a.completeWholeInspection();
  await expect.poll(() => tried[first]?.[0]).toBe("a");

  // Tab B opens with that work pending, shows A's outbox, and completes one of its own:
  // A takes it in and tries it. B sends nothing while A is the sender.
  const b = new App(await context.newPage(), server.url);
  track("b", b.page);
  await b.open();
  await b.expectUnsent(1);
  const second = await b.completeWholeInspection("commercial-complex", { ...SAMPLE_DETAILS, siteName: "Second site" });
  await expect.poll(() => tried[second]?.[0]).toBe("a");
  await a.goHome();
  await a.expectUnsent(2);
  await b.goHome();
  await b.expectUnsent(2);
  await b.page.evaluate(() => window.dispatchEvent(new Event("online")));
  await b.page.waitForTimeout(1_500);
  expect(Object.values(tried).flat()).not.toContain("b");

  // A closes: B becomes the sender and delivers both, each exactly once.
  await page.close();
  await expect(b.outbox()).toHaveCount(0, { timeout: 20_000 });
  expect(answered).toEqual({ [first]: ["b"], [second]: ["b"] });
  const stored = await server.stored();
  expect(stored.items.map((i) => i.id).sort()).toEqual([first, second].sort());
});
