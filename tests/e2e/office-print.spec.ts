// The office files paper: a site's page and an inspection's page printed to PDF (Chromium's
// page.pdf, the print stylesheet) and read back as text with pdftotext (poppler-utils,
// installed by scripts/setup). On paper: what a filing clerk needs — the site, the
// inspection's people and dates, every hazard with its rectification, the items — and none of
// the screen's controls: no nav, no back links, no forms or buttons. Printed in English: the
// machines that run these tests have no Chinese font for Chromium to draw with.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/app";
import type { StaticServer } from "./support/server";
import { template } from "./support/templates";

const SECTOR = "commercial-complex";
const SITE = { name: "Riverside Mall", address: "1 River Road" };

/** The page printed to an A4 PDF, as text. */
async function printed(page: Page): Promise<string> {
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4" });
  await page.emulateMedia({ media: "screen" });
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "safewalk-print-")), "page.pdf");
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

/** Files the site, then delivers, as the inspector's phone does, an inspection of it with two hazards. */
async function deliver(server: StaticServer): Promise<{ id: string; hazards: string[] }> {
  const csv = `name,address,district,department,sectors\n${SITE.name},${SITE.address},Pudong,Brigade 1,${SECTOR}\n`;
  const imported = await fetch(`${server.url}office/sites/import`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${server.adminToken}` },
    body: new URLSearchParams({ csv }).toString(),
  });
  expect(imported.status, await imported.text()).toBe(303);
  const t = template(SECTOR);
  const ids = t.sections.flatMap((s) => s.items.filter((i) => !i.major).map((i) => i.id));
  const found = [ids[0], ids[1]];
  const now = Date.now();
  const answers: Record<string, { answer: string; note?: string }> = {};
  const hazards: Record<string, unknown> = {};
  for (const id of ids) answers[id] = { answer: "compliant" };
  found.forEach((id, n) => {
    answers[id] = { answer: "hazard", note: `Hazard number ${n + 1} at ${id}` };
    hazards[id] = {
      grading: "rule",
      rectification: {
        on_the_spot: false,
        on_the_spot_note: "",
        measures: `Measure number ${n + 1}`,
        unit: "Riverside Co.",
        person: "Chen Gang",
        role: "Facilities manager",
        phone: "13900215566",
        funds: "",
        deadline: "2099-12-31",
        contingency_plan: "",
        supervisor: "",
      },
    };
  });
  const site = { ...SITE, category: t.site_categories[0].id, enterprise: "Riverside Co.", principal: "Zhao Li", principal_phone: "13800138000" };
  const id = randomUUID();
  const body = {
    schema: 2,
    inspection: {
      id,
      template: { id: t.id, version: t.version },
      site,
      team: { department: "District Fire Brigade", inspectors: "Wang Wei, Li Na" },
      answers,
      hazards,
      created_at: now - 7_200_000,
      updated_at: now - 3_600_000,
      completed_at: now - 3_600_000,
    },
    grades: {},
  };
  const response = await fetch(`${server.url}inspections`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${server.inspectorToken}` },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.text()).toBe(201);
  return { id, hazards: found.map((item, n) => `Hazard number ${n + 1} at ${item}`) };
}

/** The screen's controls, none of which belongs on paper. */
const CONTROLS = ["Signed in as", "Sign out", "中文", "All inspections", "Its tasks", "Assign a task", "Merge into this site"];

test("the site's page and the inspection's page print to PDF with what a clerk files and none of the controls", async ({ page, server }) => {
  test.setTimeout(120_000);
  const { id, hazards } = await deliver(server);
  await server.signInToOffice(page);

  // The inspection.
  await page.goto(`${server.url}office/${id}?lang=en`);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const inspection = await printed(page);
  const t = template(SECTOR);
  for (const shown of [SITE.name, SITE.address, "Riverside Co.", "Zhao Li", "13800138000", "District Fire Brigade", "Wang Wei, Li Na", "Hazards found (2)", ...hazards, "Measure number 1", "Measure number 2", "2099-12-31", "Chen Gang", "Items", t.sections[0].items[0].text.en.slice(0, 20)]) {
    expect(inspection, `"${shown}" on the printed inspection`).toContain(shown);
  }
  // When it was completed and received (pdftotext may break a date at its hyphen).
  expect(inspection).toMatch(/completed \d{4}-?\d{2}-?\d{2} \d{2}:\d{2} UTC · received/);
  for (const control of CONTROLS) expect(inspection, `"${control}" is not printed`).not.toContain(control);

  // The site, reached from the inspection's page.
  await page.getByRole("link", { name: SITE.name, exact: true }).first().click();
  await expect(page).toHaveURL(/\/office\/sites\/[0-9a-f-]{36}$/);
  const site = await printed(page);
  for (const shown of [SITE.name, SITE.address, "Pudong", "Brigade 1", "Open hazards (2)", ...hazards.map((h) => h.slice(0, 16)), "Inspections (1)", "Wang Wei, Li Na"]) {
    expect(site, `"${shown}" on the printed site`).toContain(shown);
  }
  for (const control of [...CONTROLS, "Search"]) expect(site, `"${control}" is not printed`).not.toContain(control);
});
