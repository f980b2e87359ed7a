// Receiver ingest on loopback: POSTs distinct completed inspections to a running
// safewalk-server with a few uploads in flight, and reports requests/s and latency
// percentiles. Also checks every answer was a 201 receipt and that the receiver holds
// exactly as many rows as were sent.
// Usage: node scripts/bench-receiver.mjs BASE_URL [COUNT] [CONCURRENCY]
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const template = JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "commercial-complex.json"), "utf8"));
const items = template.sections.flatMap((s) => s.items.map((i) => i.id));

const [base, countArg = "2000", concurrencyArg = "8"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node scripts/bench-receiver.mjs BASE_URL [COUNT] [CONCURRENCY]");
  process.exit(2);
}
const count = Number(countArg);
const concurrency = Number(concurrencyArg);

/** A completed inspection as the app would send it: every item answered, one hazard. */
function payload(n) {
  const answers = {};
  items.forEach((id, i) => {
    answers[id] = i === 0 ? { answer: "hazard", note: `hazard ${n}: exit blocked` } : { answer: "compliant" };
  });
  const now = Date.now();
  return {
    schema: 1,
    inspection: {
      id: randomUUID(),
      template: { id: template.id, version: template.version },
      site: { name: `Site ${n}`, address: "1 Bench Road", category: template.site_categories[0].id, enterprise: "Bench Co.",
        principal: "Zhao Li", principal_phone: "13800138000" },
      team: { department: "Bench Brigade", inspectors: "Wang Wei" },
      answers,
      created_at: now - 3_600_000,
      updated_at: now,
      completed_at: now,
    },
  };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const bodies = Array.from({ length: count }, (_, n) => payload(n));
  const before = (await (await fetch(`${base}/api/inspections?limit=1`)).json()).total;
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
        headers: { "content-type": "application/json", "idempotency-key": body.inspection.id },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const after = (await (await fetch(`${base}/api/inspections?limit=1`)).json()).total;
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
