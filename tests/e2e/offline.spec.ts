// No signal on site: after one visit online, the app starts from the service worker alone
// and a whole inspection can be done and kept on the device.
import { App, expect, reopenOffline, test } from "./support/app";
import { items } from "./support/templates";

test("after one online visit, a cold start offline runs a whole inspection and keeps it", async ({ context, page, server }) => {
  const online = new App(page, server.url);
  await online.open();
  // The first install takes over this page without reloading it.
  await page.evaluate(() => ((window as unknown as { firstPage: boolean }).firstPage = true));
  await online.waitForServiceWorker();
  expect(await page.evaluate(() => (window as unknown as { firstPage?: boolean }).firstPage)).toBe(true);

  // The network is gone: no server, and the browser offline.
  const app = await reopenOffline(page, context, server);
  expect(await app.page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe("activated");

  const sector = "warehouse-logistics";
  const id = await app.completeWholeInspection(sector, {
    siteName: "North Gate Logistics Park",
    address: "5 Gangwan Road",
    category: "logistics-center",
    enterprise: "North Gate Supply Chain Ltd.",
    principal: "Sun Hao",
    principalPhone: "13912345678",
    department: "Port Fire Station",
    inspectors: "Liu Yang, Xu Min",
  });
  const total = items(sector).length;
  await app.expectStored(id, (s) => {
    expect(s.completed_at).toEqual(expect.any(Number));
    expect(s.template.id).toBe(sector);
    expect(Object.keys(s.answers)).toHaveLength(total);
  });

  // Still offline, a reload: the inspection is there, completed.
  await app.reload();
  await app.goHome();
  await expect(app.cards("completed")).toHaveCount(1);
  await expect(app.cards("completed")).toContainText("North Gate Logistics Park");
  await expect(app.cards("completed")).toContainText(`${total}/${total} ${app.t.answered}`);
  await expect(app.cards("drafts")).toHaveCount(0);
  await app.cards("completed").click();
  await expect(app.page.getByRole("main").getByRole("status")).toContainText(app.t.readOnly);
  await app.expectCounts({ compliant: total, hazard: 0, notApplicable: 0, unanswered: 0 });
});
