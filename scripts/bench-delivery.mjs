// The app delivering a backlog: 200 completed inspections waiting on the phone (seeded into
// localStorage as the app stores them) are sent to the local receiver when the app starts.
// Reports the time from navigation until the receiver holds all of them and the app shows
// none unsent, and checks each was stored exactly once.
// Usage: node scripts/bench-delivery.mjs BASE_URL [COUNT]   (BASE_URL: a running safewalk-server)
import { chromium, devices } from "@playwright/test";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const template = JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "commercial-complex.json"), "utf8"));
const { args } = JSON.parse(fs.readFileSync(path.join(ROOT, "scripts", "chromium.json"), "utf8"));
const [base, countArg = "200"] = process.argv.slice(2);
const count = Number(countArg);
// The inspector's device token scripts/bench-receiver made: the phone holds it in Settings.
const token = process.env.SAFEWALK_BENCH_TOKEN ?? "";

function completedInspection(n) {
  const answers = {};
  for (const section of template.sections) for (const item of section.items) answers[item.id] = { answer: "compliant" };
  const now = Date.now();
  return {
    id: randomUUID(),
    template: { id: template.id, version: template.version },
    site: { name: `Backlog site ${n}`, address: "1 Bench Road", category: template.site_categories[0].id, enterprise: "Bench Co.",
      principal: "Zhao Li", principal_phone: "13800138000" },
    team: { department: "Bench Brigade", inspectors: "Wang Wei" },
    answers, created_at: now - 60_000, updated_at: now, completed_at: now,
  };
}

async function storedTotal() {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  return (await (await fetch(`${base}/api/inspections?limit=1`, { headers })).json()).total;
}

const inspections = Array.from({ length: count }, (_, n) => completedInspection(n));
const before = await storedTotal();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args });
try {
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "en-US" });
  await context.addInitScript(({ records, token }) => {
    if (localStorage.getItem("safewalk.index")) return;
    localStorage.setItem("safewalk.settings", JSON.stringify({ format: 1, value: { endpoint: "", token, inspector_name: "", inspector_id: "" } }));
    for (const inspection of records) {
      localStorage.setItem(`safewalk.inspection.${inspection.id}`, JSON.stringify({ format: 2, inspection }));
    }
    localStorage.setItem("safewalk.index", JSON.stringify({ format: 1, ids: records.map((r) => r.id) }));
  }, { records: inspections, token });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(base);
  const deadline = started + 300_000;
  while ((await storedTotal()) - before < count) {
    if (Date.now() > deadline) throw new Error("backlog not delivered within 5 minutes");
    await new Promise((r) => setTimeout(r, 100));
  }
  const receiverDone = Date.now() - started;
  await page.getByTestId("outbox").waitFor({ state: "detached", timeout: 60_000 });
  const appDone = Date.now() - started;
  const added = (await storedTotal()) - before;
  console.log(JSON.stringify({ count, receiver_has_all_ms: receiverDone, app_shows_none_unsent_ms: appDone,
    per_inspection_ms: Number((appDone / count).toFixed(1)), rows_added: added }));
  if (added !== count) {
    console.error(`bench-delivery: ${added} rows for ${count} inspections`);
    process.exit(1);
  }
} finally {
  await browser.close();
}
