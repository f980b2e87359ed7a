// A year of work on one phone, against a running receiver (scripts/bench-storage starts one
// serving dist/):
//   1. Home start with 2,000 delivered inspections on the device, against a new phone (none).
//      The records are seeded into localStorage as an earlier build left them; the first
//      start moves them to IndexedDB (timed: "move"); then each run reloads the app (service
//      worker installed) at 4x CPU and times from navigation start to Home shown (the "new
//      inspection" button) and to the first completed card, runs alternated between the two.
//   2. Tap and autosave on a 300-item checklist against the 22-item one it is made from (the
//      commercial-complex checklist, its sections repeated with new item ids), at 4x CPU:
//      20 taps spread over the list (every fourth "hazard found", reported apart), each a real
//      click from outside the page, timed from the click's time stamp to the answer shown and
//      to the second animation frame after it (the frame that shows it drawn); every save the
//      app made ("safewalk:save" user timing). The same taps on the static page of the 22-item
//      checklist (.bench/reference.html, written by scripts/bench.mjs) give the floor.
//      Median and p95 of each.
//   3. Delivery with 2,000 delivered inspections on the device against a new phone, runs
//      alternated between the two: each run leaves one more completed inspection waiting and
//      reloads at 4x CPU; timed from navigation start until the outbox holds its receipt (the
//      receiver's answer). Also the outbox's size in localStorage.
// Prints a table and one JSON line (also .bench/storage.json).
// Usage: node scripts/bench-storage.mjs BASE_URL      BENCH_RUNS (default 5) runs of each,
//        BENCH_ONLY=delivery for part 3 alone, BENCH_ONLY=taps for part 2 alone
import { chromium, devices } from "@playwright/test";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = path.join(ROOT, ".bench");
const template = JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "commercial-complex.json"), "utf8"));
const { args } = JSON.parse(fs.readFileSync(path.join(ROOT, "scripts", "chromium.json"), "utf8"));
const [base] = process.argv.slice(2);
if (!base) throw new Error("usage: node scripts/bench-storage.mjs BASE_URL");
// An inspector's device token on the receiver (scripts/bench-storage makes one): what uploads need.
const TOKEN = process.env.BENCH_TOKEN ?? "";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// BENCH_ONLY=delivery measures delivery alone (part 3).
const ONLY_DELIVERY = process.env.BENCH_ONLY === "delivery";
const ONLY_TAPS = process.env.BENCH_ONLY === "taps";
const RECORDS = 2000;
const LONG_ITEMS = 300;
const TAPS = 20;
const TAP_GAP_MS = 500; // lets each tap's autosave run before the next, as an inspector reading would
const CPU = 4;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x) => Math.round(x * 10) / 10;
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const stats = (values) => ({ n: values.length, median: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(Math.max(...values)) });

const PHONE = { ...devices["Pixel 7"], locale: "en-US", serviceWorkers: "allow" };

async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
}

// ---- 1. Home with a year of records

function completedInspection(n, now) {
  const answers = {};
  for (const section of template.sections) for (const item of section.items) answers[item.id] = { answer: "compliant" };
  return {
    id: randomUUID(),
    template: { id: template.id, version: template.version },
    site: { name: `Site ${n}`, address: `${n} Bench Road`, category: template.site_categories[0].id, enterprise: "Bench Co.",
      principal: "Zhao Li", principal_phone: "13800138000" },
    team: { department: "Bench Brigade", inspectors: "Wang Wei" },
    answers, created_at: now - 86_400_000 - n * 60_000, updated_at: now - n * 60_000, completed_at: now - n * 60_000,
  };
}

/** Runs in a blank page of the origin: the records as an earlier build kept them. */
function seedDelivered(records) {
  localStorage.setItem("safewalk.lang", "en");
  for (const inspection of records) {
    localStorage.setItem(`safewalk.inspection.${inspection.id}`, JSON.stringify({ format: 2, inspection }));
  }
  localStorage.setItem("safewalk.index", JSON.stringify({ format: 1, ids: records.map((r) => r.id) }));
  const delivered = records.map((r) => ({
    id: r.id, queued_at: r.completed_at, tries: 0,
    delivery: { delivered: { at: r.completed_at, receipt: { id: r.id, status: "stored", received_at: r.completed_at } } },
  }));
  localStorage.setItem("safewalk.outbox", JSON.stringify({ format: 1, value: { records: delivered } }));
}

/** Seeds the origin's storage once, before the app's first start, from a blank page the bench
 * serves itself. Not an init script: Playwright sends an init script's arguments with every
 * navigation, and the page parses them before anything else. With 2,000 records (2.5 MB of
 * JSON) that charged the year-old phone about 70 ms of every reload it timed. */
async function seedStorage(page, records) {
  const blank = new URL("/bench-seed", base).href;
  await page.route(blank, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>seed</title>" }));
  await page.goto(blank);
  await page.evaluate(seedDelivered, records);
  await page.unroute(blank);
}

/** Runs before the app: notes when Home and its first completed card first show. */
function probeHome() {
  const marks = {};
  window.__benchHome = marks;
  const look = () => {
    if (!marks.home && document.querySelector("a.button-big")) marks.home = performance.now();
    if (!marks.card && document.querySelector("[data-testid=inspection-card]")) marks.card = performance.now();
    return marks.home && marks.card;
  };
  const observer = new MutationObserver(() => look() && observer.disconnect());
  document.addEventListener("DOMContentLoaded", () => observer.observe(document.body, { childList: true, subtree: true }));
}

/** Waits until no record is left in localStorage (the first start moves them to IndexedDB);
 * the ms since `started`, or null for a build that keeps them there (10 s without a change). */
async function waitForMove(page, started) {
  const left = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("safewalk.inspection.")).length);
  let count = await left();
  let since = Date.now();
  while (count > 0 && Date.now() - since < 10_000) {
    await sleep(200);
    const now = await left();
    if (now !== count) since = Date.now();
    count = now;
  }
  return count === 0 ? Date.now() - started : null;
}

/** A phone started once: `init` runs before the app on every navigation; the year of records
 * (if any) seeded, then the app started, its service worker installed and the records moved
 * to IndexedDB (`move`: the ms it took, or null for a build that keeps them). */
async function startedPhone(browser, withRecords, init, arg) {
  const context = await browser.newContext(PHONE);
  const now = Date.now();
  const records = withRecords ? Array.from({ length: RECORDS }, (_, n) => completedInspection(n, now)) : [];
  await context.addInitScript(init, arg);
  const page = await context.newPage();
  await seedStorage(page, records);
  const started = Date.now();
  await page.goto(base);
  await page.waitForSelector("a.button-big", { timeout: 120_000 });
  await page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 120_000 });
  const move = withRecords ? await waitForMove(page, started) : null;
  return { context, page, move };
}

/** `run` on each phone in turn, RUNS times, so both see the same machine load (run one after
 * the other, the first phone measured paid for the browser warming up or the machine's load
 * of the moment); then each phone's `summary`. Closes the phones. */
async function alternated(phones, run, summary) {
  try {
    for (let n = 0; n < RUNS; n++) {
      for (const phone of phones) await run(phone, n);
    }
    const summaries = [];
    for (const phone of phones) summaries.push(await summary(phone));
    return summaries;
  } finally {
    for (const phone of phones) await phone.context.close();
  }
}

/** One phone for the Home runs, slowed to 4x CPU. */
async function homePhone(browser, withRecords) {
  const phone = await startedPhone(browser, withRecords, probeHome);
  await throttle(phone.context, phone.page);
  return { ...phone, withRecords, home: [], card: [] };
}

/** One run: reload; the ms from navigation start to Home shown and to its first card. */
async function homeRun(phone) {
  const { page, withRecords } = phone;
  await page.reload();
  const marks = await page.waitForFunction(
    (cards) => {
      const m = window.__benchHome;
      return m && m.home && (!cards || m.card) ? { ...m } : null;
    },
    withRecords,
    { timeout: 120_000, polling: 50 }
  );
  const m = await marks.jsonValue();
  phone.home.push(m.home);
  if (withRecords) phone.card.push(m.card);
  await sleep(500);
}

/** Home on a new phone and on one with a year of records, runs alternated. */
async function homeStart(browser) {
  const phones = [await homePhone(browser, false), await homePhone(browser, true)];
  return alternated(phones, homeRun, async (phone) => ({
    home: stats(phone.home),
    first_card: phone.withRecords ? stats(phone.card) : null,
    move_ms: phone.move,
    cards_built: await phone.page.locator("[data-testid=inspection-card]").count(),
  }));
}

// ---- 3. Delivery on a phone with a year of records

/** Runs before the app: the phone is signed in with the bench inspector's token. */
function seedToken(token) {
  try {
    if (!localStorage.getItem("safewalk.settings")) {
      localStorage.setItem("safewalk.settings", JSON.stringify({ format: 1, value: { endpoint: "", token, inspector_name: "Wang Wei", inspector_id: "" } }));
    }
  } catch {
    // about:blank
  }
}

/** One phone for the delivery runs: signed in, the service worker installed, its records (if
 * any) moved to IndexedDB, then started once more (a build that trims the outbox does so at
 * that start, once after an update) and slowed to 4x CPU. */
async function deliveryPhone(browser, withRecords) {
  const { context, page, move } = await startedPhone(browser, withRecords, seedToken, TOKEN);
  if (withRecords && move === null) throw new Error("the delivered records stayed in localStorage");
  const seededBytes = await outboxBytes(page);
  await page.reload();
  await page.waitForSelector("a.button-big", { timeout: 120_000 });
  await sleep(2000);
  await throttle(context, page);
  return { context, page, seededBytes, delivered: [] };
}

const outboxBytes = (page) => page.evaluate(() => (localStorage.getItem("safewalk.outbox") ?? "").length);

/** One run: one more completed inspection waits (the outbox queues it at start); the ms from
 * navigation start until the outbox holds its receipt (the receiver's answer). */
async function deliveryRun(phone, run) {
  const { page } = phone;
  const waiting = completedInspection(RECORDS + run, Date.now());
  await page.evaluate((inspection) => {
    localStorage.setItem(`safewalk.inspection.${inspection.id}`, JSON.stringify({ format: 2, inspection }));
  }, waiting);
  await page.reload();
  const handle = await page.waitForFunction(
    (id) => {
      const outbox = JSON.parse(localStorage.getItem("safewalk.outbox") ?? "null");
      const record = outbox?.value.records.find((r) => r.id === id);
      const state = record && Object.keys(typeof record.delivery === "string" ? { [record.delivery]: 1 } : record.delivery)[0];
      if (state && state !== "queued" && state !== "sending" && state !== "failed" && state !== "delivered") throw new Error(`not delivered: ${JSON.stringify(record.delivery)}`);
      return state === "delivered" ? performance.now() : null;
    },
    waiting.id,
    { timeout: 120_000, polling: 50 }
  );
  phone.delivered.push(await handle.jsonValue());
  await sleep(500);
}

/** Delivery on a new phone and on one with a year of records, runs alternated (so both see the
 * same machine load): median and p95 of each, and the outbox's size in localStorage. */
async function deliveryStart(browser) {
  const phones = [await deliveryPhone(browser, false), await deliveryPhone(browser, true)];
  return alternated(phones, deliveryRun, async (phone) => ({
    delivered: stats(phone.delivered),
    outbox_bytes_seeded: phone.seededBytes,
    outbox_bytes: await outboxBytes(phone.page),
  }));
}

// ---- 2. A long checklist

function longTemplate(items) {
  const copy = JSON.parse(JSON.stringify(template));
  const sections = [];
  let count = 0;
  for (let round = 0; count < items; round++) {
    for (const section of template.sections) {
      if (count >= items) break;
      const kept = section.items.slice(0, items - count).map((item) => ({ ...item, id: `${item.id}-r${round}` }));
      count += kept.length;
      sections.push({ ...section, id: `${section.id}-r${round}`, items: kept });
    }
  }
  return { ...copy, id: `bench-long-${items}`, version: "1", sections };
}

/** Runs before the app: keeps the checklist on the device and a draft of it, once. */
function seedDraft({ id, checklist }) {
  try {
    localStorage.setItem("safewalk.lang", "en");
    if (checklist) {
      localStorage.setItem("safewalk.library", JSON.stringify({ format: 1, value: { format: 1, rule_sets: [], templates: [checklist] } }));
    }
    const key = `safewalk.inspection.${id}`;
    if (localStorage.getItem(key) === null) {
      const inspection = { id, template: { id: checklist.id, version: checklist.version }, site: { name: "Bench site" }, team: {}, answers: {}, created_at: 1, updated_at: 1 };
      localStorage.setItem(key, JSON.stringify({ format: 2, inspection }));
      localStorage.setItem("safewalk.index", JSON.stringify({ format: 1, ids: [id] }));
    }
  } catch {
    // about:blank
  }
}

/**
 * In the page: brings an item's answer button to the middle of the screen, draws that (two
 * frames: an inspector scrolls before tapping, and the tap's frame must not also pay for
 * repainting the scrolled page), and arms a probe for the next click. The probe times from
 * the click's own time stamp (when the input arrived, so a busy page's input delay counts)
 * until the button shows pressed and until the second animation frame after it (the frame
 * that shows the tap drawn: all of its work, effects and layout included). Returns where
 * to click: the click is real input from outside, at whatever moment in the frame it lands,
 * as a finger's is (a click made inside a frame's callback always waits two whole frames).
 */
function armTap({ itemId, answerClass }) {
  const find = () => document.getElementById(`item-${itemId}`)?.querySelector(`button.${answerClass}`);
  const button = find();
  if (!button) throw new Error(`no ${answerClass} button in item ${itemId}`);
  button.scrollIntoView({ block: "center" });
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  window.__tap = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`item ${itemId} not shown answered`)), 10_000);
    const probe = (event) => {
      if (!button.contains(event.target)) return;
      window.removeEventListener("click", probe, true);
      const start = event.timeStamp;
      let shown = null;
      let frames = null;
      const settle = () => {
        if (shown !== null && frames !== null) {
          clearTimeout(timer);
          resolve({ shown, frame: frames });
        }
      };
      // Pressed in the page (not yet drawn): the attribute's change, seen as it is made.
      const pressed = () => find()?.getAttribute("aria-pressed") === "true";
      const observer = new MutationObserver(() => {
        if (shown === null && pressed()) {
          shown = performance.now() - start;
          observer.disconnect();
          settle();
        }
      });
      observer.observe(document.getElementById(`item-${itemId}`), { subtree: true, attributes: true, attributeFilter: ["aria-pressed"] });
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          frames = performance.now() - start;
          settle();
        })
      );
    };
    window.addEventListener("click", probe, true);
  });
  return frame().then(frame).then(() => {
    const box = button.getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  });
}

/** Taps each item once (every fourth "hazard found", which opens the note and grades the
 * inspection), a pause between taps as an inspector reading the next item would make. */
async function tapItems(page, items) {
  const step = Math.max(1, Math.floor(items.length / TAPS));
  const taps = [];
  const hazardTaps = [];
  for (let i = 0; i < TAPS; i++) {
    const itemId = items[Math.min(items.length - 1, i * step)];
    const answerClass = i % 4 === 3 ? "answer-hazard" : i % 2 ? "answer-na" : "answer-compliant";
    const { x, y } = await page.evaluate(armTap, { itemId, answerClass });
    await page.mouse.click(x, y);
    const timed = await page.evaluate(() => window.__tap);
    (answerClass === "answer-hazard" ? hazardTaps : taps).push(timed);
    await sleep(TAP_GAP_MS);
  }
  return {
    taps: stats(taps.map((t) => t.shown)),
    taps_to_second_frame: stats(taps.map((t) => t.frame)),
    hazard_taps: stats(hazardTaps.map((t) => t.shown)),
    hazard_taps_to_second_frame: stats(hazardTaps.map((t) => t.frame)),
  };
}

async function checklistTaps(browser, checklist) {
  const context = await browser.newContext(PHONE);
  try {
    const id = randomUUID();
    await context.addInitScript(seedDraft, { id, checklist });
    const page = await context.newPage();
    await page.goto(`${base}/#/i/${id}/checklist`);
    await page.waitForSelector("article.item button.answer-compliant", { timeout: 120_000 });
    await page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 120_000 });
    await page.reload();
    await page.waitForSelector("article.item button.answer-compliant", { timeout: 120_000 });
    await throttle(context, page);
    await sleep(1000);
    const items = checklist.sections.flatMap((s) => s.items.map((i) => i.id));
    const timed = await tapItems(page, items);
    await sleep(1500);
    const saves = await page.evaluate(() => performance.getEntriesByName("safewalk:save").map((e) => e.duration));
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), `safewalk.inspection.${id}`);
    const answered = Object.values(stored.inspection.answers).filter((a) => a.answer).length;
    return {
      items: items.length,
      ...timed,
      autosave: saves.length ? stats(saves) : null,
      answered_stored: answered,
    };
  } finally {
    await context.close();
  }
}

/** The same taps on the static page of the 22-item checklist that scripts/bench.mjs writes
 * (.bench/reference.html: no framework, no wasm, a few lines of script that press a button):
 * the floor for a tap on this machine, in this run. Null when bench.mjs has not written it. */
async function referenceTaps(browser) {
  const file = path.join(OUT_DIR, "reference.html");
  if (!fs.existsSync(file)) return null;
  const context = await browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    const url = new URL("/bench-reference.html", base).href;
    await page.route(url, (route) => route.fulfill({ contentType: "text/html", body: fs.readFileSync(file, "utf8") }));
    await page.goto(url);
    await throttle(context, page);
    await sleep(1000);
    const items = await page.evaluate(() => [...document.querySelectorAll("article.item")].map((a) => a.id.slice("item-".length)));
    return { items: items.length, ...(await tapItems(page, items)) };
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args });
try {
  const result = {};
  if (!ONLY_DELIVERY) {
    if (!ONLY_TAPS) [result.home_new_phone, result.home_2000_delivered] = await homeStart(browser);
    result.checklist_22 = await checklistTaps(browser, { ...template, id: template.id });
    result.checklist_300 = await checklistTaps(browser, longTemplate(LONG_ITEMS));
    result.reference_taps = await referenceTaps(browser);
  }
  if (!ONLY_TAPS) [result.delivery_new_phone, result.delivery_2000_delivered] = await deliveryStart(browser);

  if (!ONLY_DELIVERY) {
    if (!ONLY_TAPS) {
      const h0 = result.home_new_phone;
      const h = result.home_2000_delivered;
      console.log(`Home start, ${CPU}x CPU, ${RUNS} reloads (ms from navigation start, median / p95):`);
      console.log(`  new phone                     Home ${h0.home.median} / ${h0.home.p95}`);
      console.log(`  ${RECORDS} delivered inspections   Home ${h.home.median} / ${h.home.p95}, first card ${h.first_card.median} / ${h.first_card.p95}, ${h.cards_built} cards built; ${h.move_ms === null ? "kept in localStorage" : `first start moved them to IndexedDB in ${h.move_ms} ms`}`);
    }
    console.log(`Tap to answer shown / to the second frame after the click, and autosave, ${CPU}x CPU, ${TAPS} taps spread over the list (ms, median / p95):`);
    for (const c of [result.checklist_22, result.checklist_300]) {
      const save = c.autosave ? `${c.autosave.median} / ${c.autosave.p95} (${c.autosave.n} saves)` : "none recorded";
      const [t, f, h, hf] = [c.taps, c.taps_to_second_frame, c.hazard_taps, c.hazard_taps_to_second_frame];
      console.log(
        `  ${String(c.items).padStart(3)} items   tap ${t.median} / ${t.p95}, 2nd frame ${f.median} / ${f.p95}   ` +
          `hazard tap ${h.median} / ${h.p95}, 2nd frame ${hf.median} / ${hf.p95}   autosave ${save}   ${c.answered_stored} answers stored`
      );
    }
    const r = result.reference_taps;
    if (r) {
      const [f, hf] = [r.taps_to_second_frame, r.hazard_taps_to_second_frame];
      console.log(`  static page (${r.items} items, the floor)   2nd frame ${f.median} / ${f.p95}, hazard 2nd frame ${hf.median} / ${hf.p95}`);
      const ratio = (c) => Math.round((c.taps_to_second_frame.median / f.median) * 100) / 100;
      console.log(`  2nd frame, median against the static page: ${result.checklist_22.items} items ${ratio(result.checklist_22)}x, ${result.checklist_300.items} items ${ratio(result.checklist_300)}x`);
    } else {
      console.log("  (no static page to compare: scripts/bench.mjs writes .bench/reference.html; run scripts/bench)");
    }
  }
  if (!ONLY_TAPS) {
    console.log(`Delivery, ${CPU}x CPU, ${RUNS} reloads each with one more completed inspection waiting, runs alternated (ms from navigation start to its receipt, median / p95; the outbox in localStorage):`);
    for (const [name, d] of [["new phone", result.delivery_new_phone], [`${RECORDS} delivered inspections`, result.delivery_2000_delivered]]) {
      console.log(`  ${name.padEnd(29)} ${d.delivered.median} / ${d.delivered.p95}   outbox ${d.outbox_bytes_seeded} bytes once moved, ${d.outbox_bytes} after the runs`);
    }
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const json = JSON.stringify(result);
  fs.writeFileSync(path.join(OUT_DIR, "storage.json"), `${json}\n`);
  console.log(json);
} finally {
  await browser.close();
}
