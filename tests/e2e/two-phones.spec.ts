// One loop across the office and two phones (issue 14): the office assigns a task to inspector
// A, whose phone pulls it, works it offline with a hazard and delivers it; the office register
// lists the hazard; the office sends inspector B to re-inspect the site; B's phone pulls the
// site's open hazards (A's), verifies the hazard rectified offline with a closing photo taken
// where B stands, delivers, and the register shows it closed. Each phone is its own browser
// context with its own inspector's device token; the office is a third, used through its pages.
// Also: the list kept offline across a reload, what a failed pull says, and a task withdrawn
// while a phone works on it (the inspection is still delivered).
import type { BrowserContext, Page } from "@playwright/test";
import { App, dateFromToday, expect, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import { jpegFile } from "./support/images";
import { INSPECTOR, StaticServer } from "./support/server";
import { item, Sector, template } from "./support/templates";

const SECTOR: Sector = "commercial-complex";
const HAZARD = "cc-sys-03";
const HAZARD_NOTE = "Stock pallets under the fire shutter of unit B2-14";
const INSPECTOR_B = "E2E Inspector B";
const SITE = "上海万达广场（五角场店）";
// A valid unified social credit code: the delivered inspection attaches to the site by it.
const SITE_CODE = "91350100M000100Y43";
const SITES_CSV = [
  "name,address,uscc,district,department,sectors,category,position",
  `${SITE},邯郸路600号,${SITE_CODE},杨浦,,${SECTOR},,`,
].join("\n");
/** What the office does not hold and the inspector types on the details screen. */
const REST_OF_DETAILS = {
  category: SAMPLE_DETAILS.category,
  enterprise: SAMPLE_DETAILS.enterprise,
  principal: SAMPLE_DETAILS.principal,
  principalPhone: SAMPLE_DETAILS.principalPhone,
  department: SAMPLE_DETAILS.department,
};
/** Where inspector B stands at the site. */
const AT_THE_SITE = { latitude: 31.3004, longitude: 121.5137, accuracy: 15 };

/** The office, signed in as the admin, on its own computer (a browser context of its own). */
async function openOffice(server: StaticServer, context: BrowserContext): Promise<Page> {
  const office = await context.newPage();
  await server.signInToOffice(office);
  return office;
}

async function importSite(office: Page, server: StaticServer): Promise<void> {
  await office.goto(`${server.url}office/sites/import`);
  await office.getByLabel("CSV 文本").fill(SITES_CSV);
  await office.getByRole("button", { name: "导入" }).click();
  await office.goto(`${server.url}office/sites`);
  await expect(office.getByRole("link", { name: SITE })).toBeVisible();
}

/** From the site's page: a task of `kind` for `inspector`, due tomorrow; returns the task page's address. */
async function assign(office: Page, server: StaticServer, inspector: string, kind: "inspection" | "re_inspection", note = ""): Promise<string> {
  await office.goto(`${server.url}office/sites`);
  await office.getByRole("link", { name: SITE }).click();
  await office.getByRole("link", { name: "派发任务" }).click();
  await office.getByLabel("类型").selectOption(kind);
  await office.getByRole("checkbox", { name: inspector, exact: true }).check();
  await office.getByLabel("期限").fill(dateFromToday(1));
  if (note) await office.getByLabel("备注").fill(note);
  await office.getByRole("button", { name: "派发" }).click();
  await expect(office.getByRole("heading", { name: /^任务 \d{4}-\d{4}$/ })).toBeVisible();
  return office.url();
}

/** A second phone: its own context, holding inspector B's device token for this receiver. */
async function phoneOf(server: StaticServer, context: BrowserContext, token: string): Promise<App> {
  await context.addInitScript(
    ({ origin, token }) => {
      if (location.origin === origin && localStorage.getItem("safewalk.settings") === null) {
        localStorage.setItem("safewalk.settings", JSON.stringify({ format: 1, value: { endpoint: "", token, inspector_name: "", inspector_id: "" } }));
      }
    },
    { origin: server.url.replace(/\/$/, ""), token }
  );
  const page = await context.newPage();
  const app = new App(page, server.url);
  await app.open();
  return app;
}

function tasks(app: App) {
  return app.page.getByTestId("task");
}

function taskAt(app: App, site: string) {
  return tasks(app).filter({ has: app.page.locator(".card-title", { hasText: site }) });
}

test("a task goes to phone A, its hazard to the office register, the re-inspection to phone B, which closes it offline with a photo", async ({
  browser,
  context,
  page,
  server,
}) => {
  test.setTimeout(180_000);
  server.people("add", INSPECTOR_B, "--role", "inspector");
  const tokenB = server.people("token", INSPECTOR_B, "--label", "phone B");
  const officeContext = await browser.newContext();
  const office = await openOffice(server, officeContext);
  await importSite(office, server);
  await assign(office, server, INSPECTOR, "inspection", "Bring the floor plans");

  // Phone A pulls at start: the task, its checklist's title from the library, the due date.
  const a = new App(page, server.url);
  await a.open();
  const task = taskAt(a, SITE);
  await expect(task).toHaveCount(1);
  await expect(task).toContainText("Inspection");
  await expect(task).toContainText(template(SECTOR).title.en);
  await expect(task).toContainText(`Due ${dateFromToday(1)}`);
  await expect(task).toContainText("Bring the floor plans");
  await expect(task.getByTestId("task-overdue")).toHaveCount(0);
  await expect(a.page.getByTestId("tasks-updated")).toHaveText("Updated just now");
  await expectAccessible(a.page, "home with assigned tasks");

  // Offline after a reload the list is still there, and a refresh says why it brought nothing.
  await a.waitForServiceWorker();
  await context.setOffline(true);
  await a.reload();
  await expect(taskAt(a, SITE)).toHaveCount(1);
  await a.page.getByTestId("refresh-tasks").click();
  await expect(a.page.getByTestId("pull-error")).toHaveText("Tasks not updated: this phone is offline. The list is from the last update.");

  // Started offline: the office's site and the task's inspectors are filled in.
  await taskAt(a, SITE).getByRole("button", { name: "Start" }).click();
  await expect(a.page).toHaveURL(/#\/i\/[0-9a-f-]{36}\/details$/);
  const id = /#\/i\/([0-9a-f-]{36})\/details$/.exec(a.page.url())![1];
  await expect(a.field("siteName")).toHaveValue(SITE);
  await expect(a.field("inspectors")).toHaveValue(INSPECTOR);
  await a.fillDetails(REST_OF_DETAILS);
  await a.goToChecklist();
  await a.findHazard(HAZARD, HAZARD_NOTE);
  await a.rectify(HAZARD, SAMPLE_RECTIFICATION);
  await a.answerAll(SECTOR, { [HAZARD]: "hazard" });
  await a.openReview();
  await a.complete();
  await a.goHome();
  await expect(taskAt(a, SITE).getByTestId("task-sending")).toHaveText("Completed — sending");

  // Online again: delivered as schema 3 with the task; the next pull drops the task.
  await context.setOffline(false);
  await a.expectDelivered(id, a.cards("completed").first());
  await expect(tasks(a)).toHaveCount(0);
  await expect(a.page.getByTestId("assigned")).toContainText("No open tasks.");
  const delivered = (await server.stored()).items.find((i) => i.id === id)!;
  expect(delivered.payload.schema).toBe(3);
  expect(delivered.payload.inspection.task).toEqual(expect.any(String));

  // The office register lists A's hazard, open.
  await office.goto(`${server.url}office/hazards`);
  const row = office.getByRole("row").filter({ hasText: SITE });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("未整改");

  // The re-inspection goes to B, whose phone has never seen the site.
  await assign(office, server, INSPECTOR_B, "re_inspection");
  const phoneB = await browser.newContext();
  await phoneB.grantPermissions(["geolocation"], { origin: new URL(server.url).origin });
  await phoneB.setGeolocation(AT_THE_SITE);
  const b = await phoneOf(server, phoneB, tokenB);
  const reinspection = taskAt(b, SITE);
  await expect(reinspection).toContainText("Re-inspection (复查)");
  await b.waitForServiceWorker();

  // Offline, B starts it: A's hazard is carried with its description, grade and deadline.
  await phoneB.setOffline(true);
  await reinspection.getByRole("button", { name: "Start" }).click();
  await expect(b.field("siteName")).toHaveValue(SITE);
  await expect(b.field("inspectors")).toHaveValue(INSPECTOR_B);
  await b.fillDetails(REST_OF_DETAILS);
  await b.page.getByRole("link", { name: b.t.toChecklist }).click();
  await expect(b.page.getByRole("heading", { level: 1, name: b.t.followUpTitle })).toBeVisible();
  const followUp = /#\/i\/([0-9a-f-]{36})\/checklist$/.exec(b.page.url())![1];
  const check = b.check(item(SECTOR, HAZARD).text.en);
  await expect(check).toContainText(HAZARD_NOTE);
  await expect(check).toContainText(SAMPLE_RECTIFICATION.deadline!);
  await expect(check.locator(".badge")).toHaveText(b.t.gradeGeneral);
  await b.verify(check, "rectified", "Pallets removed, the shutter moves freely");
  await b.addPhoto(b.photoStrip(check), await jpegFile(b.page, { width: 1600, height: 1200, seed: 41 }));
  const [closing] = await b.storedAttachments(followUp, "photo");
  expect(closing.item).toBe(HAZARD);
  expect(closing.position).toMatchObject({ lat: AT_THE_SITE.latitude, lon: AT_THE_SITE.longitude, accuracy_m: AT_THE_SITE.accuracy });
  await b.page.getByRole("link", { name: b.t.review, exact: true }).click();
  await expect(b.page.getByRole("heading", { level: 1, name: b.t.review })).toBeVisible();
  await b.complete();

  // Online: delivered; the office register shows the hazard closed by B's re-inspection.
  await phoneB.setOffline(false);
  await b.goHome();
  await b.expectDelivered(followUp, b.cards("completed").first());
  await office.goto(`${server.url}office/hazards`);
  await expect(office.getByRole("row").filter({ hasText: SITE })).toContainText("复查销号");
  await phoneB.close();
  await officeContext.close();
});

test("a task withdrawn while the phone works on it: the inspection is still delivered, and the task leaves the list", async ({ browser, page, server }) => {
  test.setTimeout(180_000);
  const officeContext = await browser.newContext();
  const office = await openOffice(server, officeContext);
  await importSite(office, server);
  const taskPage = await assign(office, server, INSPECTOR, "inspection");

  const a = new App(page, server.url);
  await a.open();
  await taskAt(a, SITE).getByRole("button", { name: "Start" }).click();
  const id = /#\/i\/([0-9a-f-]{36})\/details$/.exec(a.page.url())![1];
  await a.fillDetails(REST_OF_DETAILS);

  await office.goto(taskPage);
  await office.getByRole("button", { name: "撤回任务" }).click();

  // Back on Home the task offers "Continue" (a draft exists), until the next pull.
  await a.goHome();
  await expect(taskAt(a, SITE).getByRole("button", { name: "Continue" })).toBeVisible();
  await taskAt(a, SITE).getByRole("button", { name: "Continue" }).click();
  await expect(a.page).toHaveURL(new RegExp(`#/i/${id}/details$`));
  await a.goToChecklist();
  await a.answerAll(SECTOR);
  await a.openReview();
  await a.complete();
  await a.expectDelivered(id);
  const delivered = (await server.stored()).items.find((i) => i.id === id)!;
  expect(delivered.payload.inspection.task).toEqual(expect.any(String));
  // The office accepted it and flags it on the inspection's page.
  await office.goto(`${server.url}office/${id}`);
  await expect(office.locator("body")).toContainText("任务已撤回");
  await a.goHome();
  await expect(tasks(a)).toHaveCount(0);
  await officeContext.close();
});

test.describe("what a failed pull says", () => {
  // The requests must reach the test's route, not be answered by the service worker.
  test.use({ serviceWorkers: "block" });

  test("a receiver without /sync, a Wi-Fi portal, a refused token and a server error each say what happened and keep the list", async ({
    page,
    server,
  }) => {
    const answers: { status: number; contentType: string; body: string; says: string }[] = [
      { status: 404, contentType: "text/plain", body: "not found", says: "this receiver does not send tasks" },
      { status: 200, contentType: "text/html", body: "<html>Sign in to the Wi-Fi</html>", says: "the answer was a web page, not the receiver (a Wi-Fi sign-in page?)" },
      { status: 401, contentType: "application/json", body: '{"error":"unknown token"}', says: "the receiver refused this phone's access token — sign in again in Settings" },
      { status: 503, contentType: "application/json", body: '{"error":"busy"}', says: "a server error (HTTP 503); try again later" },
    ];
    const a = new App(page, server.url);
    // A first pull that succeeds (the list is shown once anything was pulled).
    await page.route("**/sync*", (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ cursor: "1", full: true, tasks: [], sites: [] }) })
    );
    await a.open();
    await expect(page.getByTestId("assigned")).toContainText("No open tasks.");
    for (const answer of answers) {
      await page.unroute("**/sync*");
      await page.route("**/sync*", (route) => route.fulfill({ status: answer.status, contentType: answer.contentType, body: answer.body }));
      await page.getByTestId("refresh-tasks").click();
      await expect(page.getByTestId("pull-error")).toHaveText(`Tasks not updated: ${answer.says}. The list is from the last update.`);
      await expect(page.getByTestId("tasks-updated")).toHaveText("Updated just now");
    }
    await expectAccessible(page, "home with a failed pull");
  });
});

test.describe("a pull of 50 tasks (figures, not asserted)", () => {
  test.use({ serviceWorkers: "block" });

  test("50 tasks with 500 open hazards are applied, kept and listed soonest due first", async ({ page, server }, testInfo) => {
    const due = (n: number) => dateFromToday(1 + (n % 30));
    const site = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    const hazard = (n: number, h: number) => ({
      inspection: `00000000-0000-4000-9000-${String(n * 100 + h).padStart(12, "0")}`,
      item: HAZARD,
      site_name: `Site ${n}`,
      site_key: `site ${n}\n`,
      template: SECTOR,
      grade: "general",
      description: `Hazard ${h} found at site ${n}: stock under the fire shutter`,
      deadline: dateFromToday(-1),
      found_at: 1_700_000_000_000 + h,
      status: { status: "open" },
      overdue: true,
    });
    const pull = {
      cursor: "50",
      full: true,
      tasks: Array.from({ length: 50 }, (_, n) => ({
        id: `00000000-0000-4000-a000-${String(n).padStart(12, "0")}`,
        number: `2026-${String(n + 1).padStart(4, "0")}`,
        kind: n % 2 ? "re_inspection" : "inspection",
        state: "assigned",
        site: site(n),
        site_details: { name: `Site ${String(n).padStart(2, "0")}`, address: `${n} River Road` },
        template: SECTOR,
        inspectors: [INSPECTOR, INSPECTOR_B],
        due: due(n),
        note: "",
      })),
      sites: Array.from({ length: 50 }, (_, n) => ({ site: site(n), open: Array.from({ length: 10 }, (_, h) => hazard(n, h)) })),
    };
    const body = JSON.stringify(pull);
    let answer = JSON.stringify({ cursor: "0", full: true });
    await page.route("**/sync*", (route) => route.fulfill({ status: 200, contentType: "application/json", body: answer }));
    const a = new App(page, server.url);
    await a.open();
    await expect(page.getByTestId("assigned")).toContainText("No open tasks.");
    answer = body;
    const rendered = page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (document.querySelectorAll("[data-testid=task]").length >= 50) {
              observer.disconnect();
              resolve(performance.now() - start);
            }
          });
          observer.observe(document.body, { childList: true, subtree: true });
        })
    );
    await page.getByTestId("refresh-tasks").click();
    const toCards = await rendered;
    await expect(tasks(a)).toHaveCount(50);
    const dues = await tasks(a).locator(".task-due").allTextContents();
    expect(dues.map((d) => d.slice(4, 14))).toEqual([...dues.map((d) => d.slice(4, 14))].sort());
    const apply = await page.evaluate(() => performance.getEntriesByName("safewalk:pull-apply").map((e) => e.duration));
    const kept = (await a.storedRaw("safewalk.assigned"))!.length;
    const figures = `pull of 50 tasks + 500 hazards: ${(body.length / 1024).toFixed(1)} KB JSON, kept ${(kept / 1024).toFixed(1)} KB; apply ${apply.at(-1)?.toFixed(1)} ms; refresh tap to 50 cards ${toCards.toFixed(0)} ms`;
    testInfo.annotations.push({ type: "figures", description: figures });
    console.log(figures);
  });
});
