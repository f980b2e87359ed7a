// The pull at size, against a running safewalk-server: TASKS sites imported, HAZARDS open
// hazards found there (5 an inspection, delivered by the admin), a task at each site for the
// bench inspector; then GET /sync timed as the phone asks it: full (no cursor) and a delta
// with nothing changed. Prints the answer's size (raw, gzip and brotli at their best, and as the receiver
// serves it to a phone that accepts br) and p50/p95 as JSON.
// Usage: node scripts/bench-pull.mjs BASE_URL [TASKS] [HAZARDS] [ROUNDS]      defaults 50, 500 and 40
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const template = JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "commercial-complex.json"), "utf8"));
const items = template.sections.flatMap((s) => s.items.map((i) => i.id));

const [base, tasksArg = "50", hazardsArg = "500", roundsArg = "40"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node scripts/bench-pull.mjs BASE_URL [TASKS] [HAZARDS] [ROUNDS]");
  process.exit(2);
}
const [tasks, hazards, rounds] = [Number(tasksArg), Number(hazardsArg), Number(roundsArg)];
const admin = { authorization: `Bearer ${process.env.SAFEWALK_BENCH_TOKEN}` };
const inspector = { authorization: `Bearer ${process.env.SAFEWALK_BENCH_INSPECTOR_TOKEN}` };
const PER_INSPECTION = 5;

const site = (n) => ({ name: `Pull Site ${n}`, address: `${n} Pull Road` });

/** A completed inspection at site `n` whose `PER_INSPECTION` hazards start at item `first`. */
function inspection(n, first) {
  const now = Date.now();
  const answers = {};
  const found = {};
  for (let k = 0; k < PER_INSPECTION; k++) {
    const id = items[(first + k) % items.length];
    answers[id] = { answer: "hazard", note: `hazard at ${id}: the exit is blocked by stored goods, cleared on request` };
    found[id] = {
      grading: "rule",
      rectification: {
        on_the_spot: false, on_the_spot_note: "", measures: "Clear the exit", unit: "Bench Co.", person: "Chen Gang",
        role: "Facilities manager", phone: "13900215566", funds: "", deadline: "2999-01-01", contingency_plan: "", supervisor: "",
      },
    };
  }
  return {
    schema: 2,
    inspection: {
      id: randomUUID(),
      template: { id: template.id, version: template.version },
      site: { ...site(n), category: template.site_categories[0].id, enterprise: "Bench Co.", principal: "Zhao Li", principal_phone: "13800138000" },
      team: { department: "Bench Brigade", inspectors: "Another Inspector" },
      answers,
      hazards: found,
      created_at: now - 3_600_000,
      updated_at: now,
      completed_at: now,
    },
    grades: {},
  };
}

async function ok(response, what) {
  const body = await response.text();
  if (response.status >= 400) throw new Error(`${what}: ${response.status} ${body}`);
  return body;
}

const form = (fields) => ({
  method: "POST",
  redirect: "manual",
  headers: { "content-type": "application/x-www-form-urlencoded", ...admin },
  body: new URLSearchParams(fields).toString(),
});

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** The bytes the receiver puts on the wire for one pull when the phone accepts `encoding`
 * (fetch would decompress and hide them). */
function served(query, encoding) {
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}/sync${query}`, { headers: { ...inspector, "accept-encoding": encoding } }, (response) => {
      let bytes = 0;
      response.on("data", (chunk) => (bytes += chunk.length));
      response.on("end", () => resolve({ encoding: response.headers["content-encoding"] ?? "identity", kb: Number((bytes / 1024).toFixed(1)) }));
    });
    request.on("error", reject);
  });
}

async function time(label, query) {
  const latencies = [];
  let body;
  for (let n = 0; n < rounds; n++) {
    const t0 = performance.now();
    const response = await fetch(`${base}/sync${query}`, { headers: inspector });
    body = Buffer.from(await response.arrayBuffer());
    latencies.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`${label}: ${response.status} ${body}`);
  }
  latencies.sort((a, b) => a - b);
  const pull = JSON.parse(body);
  const open = pull.sites.reduce((n, s) => n + s.open.length, 0);
  return {
    pull: label,
    tasks: pull.tasks.length,
    sites: pull.sites.length,
    open_hazards: open,
    kb: Number((body.length / 1024).toFixed(1)),
    gzip_kb: Number((zlib.gzipSync(body, { level: 9 }).length / 1024).toFixed(1)),
    brotli_kb: Number((zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1024).toFixed(1)),
    served: await served(query, "br, gzip"),
    p50_ms: Number(percentile(latencies, 50).toFixed(1)),
    p95_ms: Number(percentile(latencies, 95).toFixed(1)),
    cursor: pull.cursor,
  };
}

async function main() {
  const csv = ["name,address,district,department,sectors", ...Array.from({ length: tasks }, (_, n) => `${site(n).name},${site(n).address},bench,,${template.id}`)];
  await ok(await fetch(`${base}/office/sites/import`, form({ csv: csv.join("\n") })), "import");
  const inspections = Math.ceil(hazards / PER_INSPECTION);
  for (let k = 0; k < inspections; k++) {
    const n = k % tasks;
    const response = await fetch(`${base}/inspections`, {
      method: "POST",
      headers: { "content-type": "application/json", ...admin },
      body: JSON.stringify(inspection(n, Math.floor(k / tasks) * PER_INSPECTION)),
    });
    await ok(response, "delivery");
  }
  const me = JSON.parse(await ok(await fetch(`${base}/me`, { headers: inspector }), "me"));
  const page = await ok(await fetch(`${base}/office/tasks/new`, { headers: { accept: "text/html", ...admin } }), "the assign form");
  const siteIds = [...page.matchAll(/<option value="([0-9a-f-]{36})"/g)].map((m) => m[1]).slice(0, tasks);
  if (siteIds.length < tasks) throw new Error(`the form offers ${siteIds.length} sites`);
  for (const id of siteIds) {
    const fields = [["site", id], ["template", template.id], ["inspector", me.id], ["due", "2999-01-01"], ["note", "bench"], ["kind", "re_inspection"]];
    const response = await fetch(`${base}/office/tasks`, form(fields));
    await ok(response, "assign");
    if (response.status !== 303) throw new Error(`assign: ${response.status}`);
  }
  const full = await time("full", "");
  const delta = await time("delta, nothing changed", `?since=${encodeURIComponent(full.cursor)}`);
  for (const row of [full, delta]) {
    delete row.cursor;
    console.log(JSON.stringify(row));
  }
  if (full.tasks !== tasks || full.open_hazards !== inspections * PER_INSPECTION || delta.tasks !== 0 || delta.sites !== 0) {
    throw new Error("the pull is not what was loaded");
  }
}

main().catch((e) => {
  console.error(`bench-pull: ${e.stack ?? e}`);
  process.exit(1);
});
