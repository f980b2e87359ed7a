// The office's figures in a browser (issue 14): an inspector's phone delivers an inspection
// with three hazards and a re-inspection that verifies one rectified; the office reads the
// figures (found 3, closed 1: 33 %) as tables and charts drawn by the receiver, downloads the
// workbook, switches to English (remembered on the next page) and prints without its
// controls. On a phone and on a laptop, every screen passing axe and fitting its width.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import { watchCsp } from "./support/csp";
import type { StaticServer } from "./support/server";
import { template } from "./support/templates";

const SECTOR = "commercial-complex";
const DAY = 86_400_000;

const rectification = (deadline: string) => ({
  on_the_spot: false,
  on_the_spot_note: "",
  measures: "Clear the exit and keep it clear",
  unit: "Riverside Co.",
  person: "Chen Gang",
  role: "Facilities manager",
  phone: "13900215566",
  funds: "",
  deadline,
  contingency_plan: "",
  supervisor: "",
});

/** Delivers, as the inspector's phone does, an inspection with three hazards (one overdue) and
 * a re-inspection verifying the first rectified. */
async function deliver(server: StaticServer): Promise<void> {
  const t = template(SECTOR);
  const ids = t.sections.flatMap((s) => s.items.filter((i) => !i.major).map((i) => i.id));
  const found = [ids[0], ids[1], ids[2]];
  const now = Date.now();
  const date = (days: number) => new Date(now + days * DAY).toISOString().slice(0, 10);
  const answers: Record<string, { answer: string; note?: string }> = {};
  const hazards: Record<string, unknown> = {};
  for (const id of ids) answers[id] = { answer: "compliant" };
  found.forEach((id, n) => {
    answers[id] = { answer: "hazard", note: `hazard at ${id}` };
    hazards[id] = { grading: "rule", rectification: rectification(date(n === 2 ? -10 : 30)) };
  });
  const site = { name: "滨江商场 Riverside Mall", address: "1 River Road", category: t.site_categories[0].id, enterprise: "Riverside Co.", principal: "Zhao Li", principal_phone: "13800138000" };
  const team = { department: "District Fire Brigade", inspectors: "E2E Inspector" };
  const original = {
    schema: 2,
    inspection: { id: randomUUID(), template: { id: t.id, version: t.version }, site, team, answers, hazards, created_at: now - 7_200_000, updated_at: now - 3_600_000, completed_at: now - 3_600_000 },
    grades: {},
  };
  const followUp = {
    schema: 2,
    inspection: {
      id: randomUUID(),
      template: original.inspection.template,
      site,
      team,
      answers: {},
      hazards: {},
      follow_up: {
        of: original.inspection.id,
        checks: [{ inspection: original.inspection.id, item: found[0], description: `hazard at ${found[0]}`, grade: "general", deadline: date(30), verdict: "rectified", note: "verified" }],
      },
      created_at: now - 120_000,
      updated_at: now - 60_000,
      completed_at: now - 60_000,
    },
    grades: {},
  };
  for (const body of [original, followUp]) {
    const response = await fetch(`${server.url}inspections`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${server.inspectorToken}` },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.text()).toBe(201);
  }
}

async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect.soft(fits, `${name} is no wider than the screen`).toBe(true);
}

async function readFigures(page: Page, server: StaticServer, screen: string): Promise<void> {
  await server.signInToOffice(page);
  await page.getByRole("link", { name: "统计", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "统计" })).toBeVisible();
  const months = page.getByRole("region", { name: "每月发现与销号的隐患" });
  await expect(months.getByRole("row").filter({ hasText: "合计" })).toContainText("33%");
  await expect(page.getByRole("img", { name: "每月发现与销号的隐患" })).toBeVisible();
  // Drawn: the bars stand on the axis (an SVG element left open in HTML would swallow them).
  const bars = page.getByRole("img", { name: "每月发现与销号的隐患" }).locator("rect.bar");
  await expect(bars.last()).toBeVisible();
  expect((await bars.last().boundingBox())?.height ?? 0).toBeGreaterThan(0);
  await expect(page.getByRole("region", { name: "当前逾期未整改的隐患" }).getByRole("row").filter({ hasText: "合计" })).toContainText("1");
  await expect(page.getByRole("region", { name: "检查人员每月检查数" })).toContainText("E2E Inspector");
  await checkPage(page, `figures (${screen})`);

  // The workbook: a zip holding the workbook part.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /导出 Excel/ }).click()]);
  expect(download.suggestedFilename()).toBe("figures.xlsx");
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.includes(Buffer.from("xl/workbook.xml"))).toBe(true);

  // English, remembered on the next page.
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Figures" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("region", { name: "Hazards found and closed per month" }).getByRole("row").filter({ hasText: "Total" })).toContainText("33%");
  await checkPage(page, `figures in English (${screen})`);
  await page.getByRole("link", { name: "Hazards", exact: true }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "中文" })).toBeVisible();

  // On paper: no nav, no filters, the table still there.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("nav")).toBeHidden();
  await expect(page.locator("form").first()).toBeHidden();
  await expect(page.getByRole("table").first()).toBeVisible();
  await page.emulateMedia({ media: "screen" });
  await page.getByRole("link", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
}

test("the office reads the figures, downloads them as a workbook, switches to English and prints, on a phone", async ({ page, server }) => {
  test.setTimeout(120_000);
  await deliver(server);
  await readFigures(page, server, "phone");
});

test("the same on a laptop", async ({ browser, server }) => {
  test.setTimeout(120_000);
  await deliver(server);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  await watchCsp(context);
  const page = await context.newPage();
  await readFigures(page, server, "laptop");
  await context.close();
});
