// Receiver ingest on loopback: POSTs distinct completed inspections to a running
// safewalk-server with a few uploads in flight, and reports requests/s and latency
// percentiles. Each body is a schema-2 payload shaped like the app's (core/src/payload.rs:
// the inspection, its hazard with grade choice and rectification, and the hazard's grade),
// sent as the app sends it (Content-Type: application/json, Idempotency-Key). Also checks every answer was a 201 receipt and that the receiver holds
// exactly as many rows as were sent.
// Usage: node scripts/bench-receiver.mjs BASE_URL [COUNT] [CONCURRENCY]
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const template = JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "commercial-complex.json"), "utf8"));
const items = template.sections.flatMap((s) => s.items.map((i) => i.id));
// The rule set the checklist names: its standard is quoted in the grade's explanation.
const standard = template.rule_set
  ? JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "rules", `${template.rule_set}.json`), "utf8")).standard
  : null;

const [base, countArg = "2000", concurrencyArg = "8"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node scripts/bench-receiver.mjs BASE_URL [COUNT] [CONCURRENCY]");
  process.exit(2);
}
const count = Number(countArg);
const concurrency = Number(concurrencyArg);

/** A general hazard's explanation, worded as core/src/grading/engine.rs words it. */
function generalBecause() {
  const checked = standard
    ? { zh: `已核对本检查表的直接判定项及综合判定规则 ${standard}`, en: `checked: the checklist's direct criteria and the composite rule of ${standard}` }
    : { zh: "已核对本检查表的直接判定项；无综合判定规则", en: "checked: the checklist's direct criteria; no composite rule applies to it" };
  return { zh: `一般隐患：不符合任何重大隐患判定规则（${checked.zh}）`, en: `general: no major-hazard rule applies (${checked.en})` };
}

/**
 * A completed inspection as the app sends it (schema 2): every item answered, the first a
 * general hazard (no major-hazard criterion in the checklist) with a planned rectification,
 * and its grade with the explanation the app shows.
 */
function payload(n) {
  const answers = {};
  items.forEach((id, i) => {
    answers[id] = i === 0 ? { answer: "hazard", note: `hazard ${n}: exit blocked` } : { answer: "compliant" };
  });
  const now = Date.now();
  const hazard = items[0];
  const deadline = new Date(now + 90 * 86_400_000).toISOString().slice(0, 10);
  return {
    schema: 2,
    inspection: {
      id: randomUUID(),
      template: { id: template.id, version: template.version },
      site: { name: `Site ${n}`, address: "1 Bench Road", category: template.site_categories[0].id, enterprise: "Bench Co.",
        principal: "Zhao Li", principal_phone: "13800138000" },
      team: { department: "Bench Brigade", inspectors: "Wang Wei" },
      answers,
      hazards: {
        [hazard]: {
          grading: "rule",
          rectification: {
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
          },
        },
      },
      created_at: now - 3_600_000,
      updated_at: now,
      completed_at: now,
    },
    grades: { [hazard]: { grade: "general", rule_grade: "general", because: generalBecause() } },
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// The device token scripts/bench-receiver made (every route but /health needs a person).
const auth = process.env.SAFEWALK_BENCH_TOKEN ? { authorization: `Bearer ${process.env.SAFEWALK_BENCH_TOKEN}` } : {};

async function main() {
  const bodies = Array.from({ length: count }, (_, n) => payload(n));
  const before = (await (await fetch(`${base}/api/inspections?limit=1`, { headers: auth })).json()).total;
  const latencies = [];
  const statuses = new Map();
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < bodies.length) {
      const body = bodies[next++];
      const t0 = performance.now();
      const response = await fetch(`${base}/inspections`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": body.inspection.id, ...auth },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const after = (await (await fetch(`${base}/api/inspections?limit=1`, { headers: auth })).json()).total;
  latencies.sort((a, b) => a - b);
  const result = {
    count,
    concurrency,
    requests_per_s: Math.round(count / seconds),
    p50_ms: Number(percentile(latencies, 50).toFixed(2)),
    p99_ms: Number(percentile(latencies, 99).toFixed(2)),
    statuses: Object.fromEntries(statuses),
    rows_added: after - before,
  };
  console.log(JSON.stringify(result));
  if (statuses.get(201) !== count || after - before !== count) {
    console.error("bench-receiver: not every upload was stored exactly once");
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`bench-receiver: ${e.stack ?? e}`);
  process.exit(1);
});
