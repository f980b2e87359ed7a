// The office's hazard register at size: loads a running safewalk-server with COUNT completed
// inspections of 5 hazards each (2,000 sites, a third of the deadlines past) and COUNT/10
// re-inspections that verify 2 hazards each rectified, then times /office/hazards pages —
// the first page, filters, a search, a deep page, the CSV of one state — and the figures
// (/office/figures, one sector, the XLSX) as an admin's browser asks for them, one at a
// time, and prints p50/p95 per page as JSON.
// Usage: node scripts/bench-register.mjs BASE_URL [COUNT] [ROUNDS]      defaults 10000 and 40
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const template = JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "commercial-complex.json"), "utf8"));
const items = template.sections.flatMap((s) => s.items.map((i) => i.id));
const HAZARDS = [0, 5, 10, 15, 20].map((n) => items[n % items.length]);

const [base, countArg = "10000", roundsArg = "40"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node scripts/bench-register.mjs BASE_URL [COUNT] [ROUNDS]");
  process.exit(2);
}
const count = Number(countArg);
const rounds = Number(roundsArg);
const auth = process.env.SAFEWALK_BENCH_TOKEN ? { authorization: `Bearer ${process.env.SAFEWALK_BENCH_TOKEN}` } : {};
const DAY = 86_400_000;

const rectification = (deadline) => ({
  on_the_spot: false,
  on_the_spot_note: "",
  measures: "Clear the exit and keep it clear during opening hours",
  unit: "Bench Co., property management",
  person: "Chen Gang",
  role: "Facilities manager",
  phone: "13900215566",
  funds: "",
  deadline,
  contingency_plan: "",
  supervisor: "",
});

const site = (n) => ({
  name: `Site ${n % 2000}`,
  address: `${n % 2000} Bench Road`,
  category: template.site_categories[0].id,
  enterprise: "Bench Co.",
  principal: "Zhao Li",
  principal_phone: "13800138000",
});

/** A completed inspection (schema 2) with 5 hazards; every third one's deadlines have passed. */
function original(n) {
  const now = Date.now() - (count - n) * 60_000;
  const deadline = new Date(now + (n % 3 === 0 ? -30 : 60) * DAY).toISOString().slice(0, 10);
  const answers = {};
  const hazards = {};
  for (const id of items) {
    const hazard = HAZARDS.includes(id);
    answers[id] = hazard ? { answer: "hazard", note: `hazard ${n} at ${id}` } : { answer: "compliant" };
    if (hazard) hazards[id] = { grading: "rule", rectification: rectification(deadline) };
  }
  return {
    schema: 2,
    inspection: {
      id: randomUUID(),
      template: { id: template.id, version: template.version },
      site: site(n),
      team: { department: "Bench Brigade", inspectors: `Inspector ${n % 40}` },
      answers,
      hazards,
      created_at: now - 3_600_000,
      updated_at: now,
      completed_at: now,
    },
    grades: {},
  };
}

/** A re-inspection of `of` verifying its first two hazards rectified. */
function followUp(of) {
  const found = of.inspection;
  const now = Date.now();
  return {
    schema: 2,
    inspection: {
      id: randomUUID(),
      template: found.template,
      site: found.site,
      team: found.team,
      answers: {},
      hazards: {},
      follow_up: {
        of: found.id,
        checks: HAZARDS.slice(0, 2).map((item) => ({
          inspection: found.id,
          item,
          description: found.answers[item].note,
          grade: "general",
          deadline: found.hazards[item].rectification.deadline,
          verdict: "rectified",
          note: "verified",
        })),
      },
      created_at: now - 60_000,
      updated_at: now,
      completed_at: now,
    },
    grades: {},
  };
}

async function send(bodies, concurrency = 8) {
  let next = 0;
  const statuses = new Map();
  async function worker() {
    while (next < bodies.length) {
      const body = bodies[next++];
      const response = await fetch(`${base}/inspections`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (statuses.get(201) !== bodies.length) throw new Error(`uploads answered ${JSON.stringify(Object.fromEntries(statuses))}`);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function time(page) {
  const latencies = [];
  let bytes = 0;
  for (let n = 0; n < rounds; n++) {
    const t0 = performance.now();
    const response = await fetch(`${base}${page}`, { headers: { accept: "text/html", ...auth } });
    const body = await response.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`${page}: ${response.status}`);
    bytes = body.byteLength;
  }
  latencies.sort((a, b) => a - b);
  return { page, p50_ms: Number(percentile(latencies, 50).toFixed(1)), p95_ms: Number(percentile(latencies, 95).toFixed(1)), kb: Math.round(bytes / 1024) };
}

async function main() {
  if (!process.env.SAFEWALK_BENCH_PAGES_ONLY) {
    const originals = Array.from({ length: count }, (_, n) => original(n));
    const t0 = performance.now();
    await send(originals);
    await send(originals.filter((_, n) => n % 10 === 1).map(followUp));
    console.log(JSON.stringify({ loaded: count, follow_ups: Math.ceil(count / 10), load_s: Number(((performance.now() - t0) / 1000).toFixed(1)) }));
  }
  const pages = [
    // The floor on this machine: an existing office page of 50 rows (sites), no register.
    "/office/sites",
    "/office/hazards",
    "/office/hazards?state=overdue&grade=general",
    "/office/hazards?state=closed",
    "/office/hazards?q=site+1234",
    `/office/hazards?offset=${Math.floor(count * 2.5)}`,
    "/office/hazards.csv?state=closed",
    // The figures (last twelve months): the page, one sector (it reads the inspections'
    // payloads for their template) and the workbook.
    "/office/figures",
    `/office/figures?sector=${template.id}`,
    "/office/figures.xlsx",
  ];
  for (const page of pages) console.log(JSON.stringify(await time(page)));
}

main().catch((e) => {
  console.error(`bench-register: ${e.stack ?? e}`);
  process.exit(1);
});
