// Completed inspections travel to the office exactly once (docs/protocol.md): offline they
// wait on the device; server errors, captive portals, dropped connections and time-outs are
// retried; a send cut off by a reload is sent again without a second copy; a refused token
// pauses sending until the settings change; a conflict, a too-large or refused record is kept
// and shown; one unreadable record does not hold back the rest; one upload at a time, oldest
// first. Every test checks both what the inspector sees and what the reference receiver stored.
import { Page, Request, Route } from "@playwright/test";
import { AddressInfo, createServer } from "node:net";
import { App, expect, Grade, INSPECTION_PREFIX, inService, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, SETTINGS_KEY, StoredInspection, test } from "./support/app";
import { distDir, StaticServer } from "./support/server";
import { Sector } from "./support/templates";

const SECTOR: Sector = "commercial-complex";
/** The upload, as the app sends it (the SW lets it through untouched). */
const UPLOAD = "**/inspections";

/** A completed inspection with a hazard, its note and its rectification, so the comparison
 * covers more than ticks. */
async function completeInspection(app: App, siteName = SAMPLE_DETAILS.siteName): Promise<string> {
  const id = await app.startInspection(SECTOR);
  await app.fillDetails({ ...SAMPLE_DETAILS, siteName });
  await app.goToChecklist();
  await app.findHazard("cc-sys-03", "Sprinkler valve on B2 closed and chained");
  await app.rectify("cc-sys-03", SAMPLE_RECTIFICATION);
  await app.answerAll(SECTOR, { "cc-sys-03": "hazard" });
  await app.openReview();
  await app.complete();
  return id;
}

/** What the app delivers (core/src/payload.rs, schema 2). */
interface Payload {
  schema: number;
  inspection: StoredInspection;
  grades?: Record<string, { grade: Grade; rule_grade: Grade; because: { zh: string; en: string } }>;
}

/** Everything the receiver stored: exactly one row, for `id`; returns its payload. */
async function expectStoredOnce(server: StaticServer, id: string): Promise<Payload> {
  const stored = await server.stored();
  expect(stored.total).toBe(1);
  expect(stored.items.map((i) => i.id)).toEqual([id]);
  return stored.items[0].payload;
}

/** The receiver holds exactly what the app has on the device. */
async function expectReceiverHoldsTheDevicesCopy(app: App, server: StaticServer, id: string): Promise<void> {
  const payload = await expectStoredOnce(server, id);
  const onDevice = (await app.stored(id))!;
  expect(payload.schema).toBe(2);
  expect(payload.inspection.site.name).toBe(onDevice.site.name);
  expect(payload.inspection.answers).toEqual(onDevice.answers);
  expect(payload.inspection).toEqual(onDevice);
  // Schema 2: every hazard's grade, with why, and nothing else.
  const hazards = Object.keys(onDevice.answers).filter((item) => onDevice.answers[item].answer === "hazard");
  expect(Object.keys(payload.grades ?? {}).sort()).toEqual(hazards.sort());
  for (const item of hazards) {
    expect(payload.grades![item]).toEqual({
      grade: expect.stringMatching(/^(general|major)$/),
      rule_grade: expect.stringMatching(/^(general|major)$/),
      because: { zh: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) },
    });
  }
}

/** The one completed card on Home. */
function card(app: App) {
  return app.cards("completed");
}

/** The completed card of one inspection on Home (it links to its review). */
function cardOf(app: App, id: string) {
  return app.cards("completed").and(app.page.locator(`[href="#/i/${id}/review"]`));
}

/** Uploads seen by page.route, answered in order by `answers`; later ones go to the receiver. */
async function scriptUploads(page: Page, answers: ((route: Route) => Promise<void>)[]): Promise<Request[]> {
  const seen: Request[] = [];
  await page.route(UPLOAD, async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    seen.push(route.request());
    const answer = answers.shift();
    await (answer ? answer(route) : route.continue());
  });
  return seen;
}

/** A port on this machine where nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A promise with its resolve, to hold an upload until the test lets it go. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

test("completed offline, it waits on the device and is delivered once back online", async ({ context, page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  await app.waitForServiceWorker();
  await server.stop();
  await context.setOffline(true);

  const id = await completeInspection(app, "Harbour Point Offline Mall");
  await expect(app.deliveryStatus()).toHaveText(new RegExp(`^${app.t.deliveryFailed} \\(network error: `));
  await app.goHome();
  await app.expectUnsent(1);
  await expect(card(app)).toContainText("Harbour Point Offline Mall");
  await expect(app.deliveryStatus(card(app))).toHaveText(new RegExp(`^${app.t.deliveryFailed} \\(network error: .*; ${app.t.tries}: \\d+; `));

  // The office is back first, then the signal: the receiver has nothing yet.
  await server.serve(distDir);
  expect((await server.stored()).total).toBe(0);
  await context.setOffline(false);

  const record = await app.expectDelivered(id, card(app));
  await app.expectUnsent(0);
  expect(record.delivery).toMatchObject({ receipt: { id, status: "stored" } });
  await card(app).click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/review$`));
  await app.expectDelivered(id);
  await expectReceiverHoldsTheDevicesCopy(app, server, id);
  // One fire-shutter hazard in a shopping mall is general by every rule, and says so.
  const { grades, inspection } = await expectStoredOnce(server, id);
  expect(grades!["cc-sys-03"]).toMatchObject({ grade: "general", rule_grade: "general" });
  expect(grades!["cc-sys-03"].because.en).toMatch(/^general: no major-hazard rule applies \(checked: .*GB 35181-2017/);
  expect(inspection.hazards!["cc-sys-03"]).toEqual({
    grading: "rule",
    rectification: expect.objectContaining({ on_the_spot: false, measures: SAMPLE_RECTIFICATION.measures, deadline: SAMPLE_RECTIFICATION.deadline }),
  });
  // The empty endpoint means "the server this app came from"; the phone holds only its token.
  expect(JSON.parse((await app.storedRaw(SETTINGS_KEY))!)).toEqual(inService(server));
});

test("a server error, a captive portal page, a dropped connection and a time-out are retried until a receipt", async ({ page, server }) => {
  // The app's clock is held from the first try on: no back-off timer fires, so each try is
  // the one "Send now" asks for, and each failure stays on screen until the next.
  await page.clock.install();
  const hung = gate();
  const uploads = await scriptUploads(page, [
    (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: "database is locked" }) }),
    (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html",
        body: "<!doctype html><title>Free WiFi</title><form action=/login><input name=phone><button>Log in</button></form>",
      }),
    (route) => route.abort("connectionreset"),
    // No answer at all: the app gives up after its time-out (20 s on the app's clock).
    (route) => hung.promise.then(() => route.abort().catch(() => {})),
  ]);
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection(SECTOR);
  await app.fillDetails(SAMPLE_DETAILS);
  await app.goToChecklist();
  await app.answerAll(SECTOR);
  await app.openReview();
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
  await app.complete();

  await app.expectRetrying(id, /^500: database is locked$/, 1);
  await app.goHome();
  await app.expectUnsent(1);
  await app.expectRetrying(id, /^500: database is locked$/, 1, card(app));

  await app.sendNow();
  await app.expectRetrying(id, /^answered 200 with text\/html.*captive portal/, 2, card(app));
  await app.expectUnsent(1);

  await app.sendNow();
  await app.expectRetrying(id, /^network error: /, 3, card(app));
  await app.expectUnsent(1);

  await app.sendNow();
  await expect(app.deliveryStatus(card(app))).toHaveText(app.t.deliverySending);
  await page.clock.fastForward(20_000);
  await app.expectRetrying(id, /^timed out$/, 4, card(app));
  hung.open();
  await app.expectUnsent(1);
  expect((await server.stored()).total).toBe(0);

  await app.sendNow();
  await app.expectDelivered(id, card(app));
  await app.expectUnsent(0);
  expect(uploads).toHaveLength(5);
  for (const upload of uploads) expect(upload.headers()["idempotency-key"]).toBe(id);
  await expectReceiverHoldsTheDevicesCopy(app, server, id);
});

for (const firstArrives of [true, false]) {
  const what = firstArrives ? "the cut-off send had arrived: the resend gets a duplicate receipt" : "the cut-off send never arrived: the resend stores it";
  test(`a reload while sending sends again, stored once (${what})`, async ({ page, server }) => {
    const held = gate();
    const reloaded = gate();
    const uploads = await scriptUploads(page, [
      async (route) => {
        // The first upload reaches the receiver (or not); its answer is held past a reload.
        const response = firstArrives ? await route.fetch() : undefined;
        held.open();
        await reloaded.promise;
        await (response ? route.fulfill({ response }) : route.abort()).catch(() => {});
      },
    ]);
    const app = new App(page, server.url);
    await app.open();
    const id = await completeInspection(app);
    await held.promise;
    await expect(app.deliveryStatus()).toHaveText(app.t.deliverySending);
    expect((await app.outboxRecord(id))!.delivery.state).toBe("sending");
    expect((await server.stored()).total).toBe(firstArrives ? 1 : 0);

    await app.reload();
    reloaded.open();
    await expect(page).toHaveURL(new RegExp(`#/i/${id}/review$`));
    const record = await app.expectDelivered(id);
    expect(uploads).toHaveLength(2);
    const receipt = (record.delivery as { receipt: { status: string; received_at: number } }).receipt;
    expect(receipt.status).toBe(firstArrives ? "duplicate" : "stored");
    await expectReceiverHoldsTheDevicesCopy(app, server, id);
    expect((await server.stored()).items[0]).toMatchObject({ received_at: receipt.received_at });
    await app.goHome();
    await app.expectUnsent(0);
    await app.expectDelivered(id, card(app));
  });
}

test("a refused token pauses sending until the settings hold the right one", async ({ page, serve }) => {
  const server = await serve(distDir, { SAFEWALK_TOKENS: "s3cret" });
  const app = new App(page, server.url);
  await app.open();
  const id = await completeInspection(app);
  await app.goHome();
  await expect(app.authPaused()).toBeVisible();
  await expect(app.authPaused()).toHaveText(`${app.t.authPaused}missing or unknown bearer token ${app.t.settings}`);
  await app.expectUnsent(1);
  await expect(app.deliveryStatus(card(app))).toHaveText(app.t.deliveryQueued);
  expect((await app.storedOutbox())!.auth_paused).toBe("missing or unknown bearer token");
  expect((await server.stored()).total).toBe(0);

  await app.openSettings();
  // The own origin answers, but test connection also says the (missing) token is refused.
  await app.testConnection();
  await expect(app.settingsMessage()).toHaveText(`${app.t.connectionFailed}${app.t.tokenRefused}`);

  // http to another machine is refused and nothing is saved.
  await app.saveSettings({ endpoint: "http://example.com", token: "s3cret" }, app.t.endpointInsecure);
  expect(await app.storedRaw(SETTINGS_KEY)).toBeNull();
  expect((await app.storedOutbox())!.auth_paused).toBe("missing or unknown bearer token");

  // A wrong token: saved, tried once more, refused again, paused again.
  await app.saveSettings({ endpoint: "", token: "wrong" });
  await expect.poll(async () => (await app.outboxRecord(id))!.tries).toBe(2);
  await app.goHome();
  await expect(app.authPaused()).toBeVisible();
  await app.expectUnsent(1);
  expect((await server.stored()).total).toBe(0);

  // The right endpoint, tested, and the right token: delivered.
  await app.authPaused().getByRole("link", { name: app.t.settings }).click();
  await app.fillSettings({ endpoint: server.url, token: "s3cret" });
  await app.testConnection();
  await expect(app.settingsMessage()).toHaveText(app.t.connectionOk);
  await app.saveSettings({});
  await app.goHome();
  await app.expectDelivered(id, card(app));
  await expect(app.authPaused()).toHaveCount(0);
  await app.expectUnsent(0);
  expect(JSON.parse((await app.storedRaw(SETTINGS_KEY))!).value).toMatchObject({ endpoint: server.url.replace(/\/$/, ""), token: "s3cret" });
  await expectReceiverHoldsTheDevicesCopy(app, server, id);
});

test("different content already stored under the id is a conflict, kept on the device and shown", async ({ page, server }) => {
  const release = gate();
  const uploads = await scriptUploads(page, [
    async (route) => {
      await release.promise;
      await route.continue();
    },
  ]);
  const app = new App(page, server.url);
  await app.open();
  const id = await completeInspection(app);
  await expect(app.deliveryStatus()).toHaveText(app.t.deliverySending);

  // Meanwhile another copy, edited in the office, reaches the receiver under the same id.
  const onDevice = (await app.stored(id))!;
  const rawOnDevice = await app.storedRaw(INSPECTION_PREFIX + id);
  const edited = { schema: 1, inspection: { ...onDevice, site: { ...onDevice.site, name: "Riverside Mall (edited in the office)" } } };
  const direct = await fetch(`${server.url}inspections`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": id, ...server.readerHeaders },
    body: JSON.stringify(edited),
  });
  expect(direct.status).toBe(201);

  release.open();
  const conflict = `${app.t.deliveryConflict} (inspection ${id} is already stored with different content)`;
  await expect(app.deliveryStatus()).toHaveText(conflict);
  await expect(app.deliveryStatus()).toHaveClass(/delivery-problem/);
  expect((await app.outboxRecord(id))!.delivery).toEqual({ state: "conflict", message: `inspection ${id} is already stored with different content` });
  expect(await app.storedRaw(INSPECTION_PREFIX + id)).toBe(rawOnDevice);

  await app.goHome();
  await expect(app.deliveryStatus(card(app))).toHaveText(conflict);
  await app.expectUnsent(1);
  // "Send now" does not send a conflict again.
  await app.sendNow();
  expect((await app.outboxRecord(id))!.delivery.state).toBe("conflict");
  await expect(app.deliveryStatus(card(app))).toHaveText(conflict);
  expect(uploads).toHaveLength(1);

  const payload = await expectStoredOnce(server, id);
  expect(payload.inspection.site.name).toBe("Riverside Mall (edited in the office)");
  expect(payload.inspection.answers).toEqual(onDevice.answers);
  // Still on the device after a reload.
  await app.reload();
  expect(await app.storedRaw(INSPECTION_PREFIX + id)).toBe(rawOnDevice);
  await expect(app.deliveryStatus(card(app))).toHaveText(conflict);
});

test.describe("a phone not yet in service", () => {
  test.use({ phoneInService: false });

  test("settings: a wrong endpoint says what is wrong; saved settings survive a reload", async ({ page, server }) => {
    const app = new App(page, server.url);
    await app.open();
    await app.openSettings();
    for (const name of ["endpoint", "token", "inspectorName", "inspectorId"] as const) await expect(app.settingsField(name)).toHaveValue("");
    await expect(page.getByText(app.t.endpointHint)).toBeVisible();
    await expect(app.settingsField("token")).toHaveAttribute("type", "password");

    for (const [endpoint, message] of [
      ["office.example.cn", app.t.endpointNotUrl],
      ["ftp://office.example.cn", app.t.endpointScheme],
      ["https://office.example.cn/?site=1", app.t.endpointQuery],
      ["http://192.168.1.5:8080", app.t.endpointInsecure],
    ]) {
      await app.saveSettings({ endpoint }, message);
    }
    expect(await app.storedRaw(SETTINGS_KEY)).toBeNull();

    // Test connection: nothing listening there, then the app's own origin (empty endpoint).
    await app.fillSettings({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    await app.testConnection();
    await expect(app.settingsMessage()).toHaveText(new RegExp(`^${app.t.connectionFailed}network error: `));
    await expect(app.settingsMessage()).toHaveClass("field-error");
    // The own origin answers, but a phone not in service has no token it takes; with the
    // inspector's device token it does.
    await app.fillSettings({ endpoint: "" });
    await app.testConnection();
    await expect(app.settingsMessage()).toHaveText(`${app.t.connectionFailed}${app.t.tokenRefused}`);
    await app.fillSettings({ token: server.inspectorToken });
    await app.testConnection();
    await expect(app.settingsMessage()).toHaveText(app.t.connectionOk);

    const saved = { endpoint: "https://office.example.cn/safewalk/", token: "tok-42", inspectorName: "Wang Wei", inspectorId: "SH-0417" };
    await app.saveSettings(saved);
    expect(JSON.parse((await app.storedRaw(SETTINGS_KEY))!)).toEqual({
      format: 1,
      value: { endpoint: "https://office.example.cn/safewalk", token: "tok-42", inspector_name: "Wang Wei", inspector_id: "SH-0417" },
    });

    await app.reload();
    await expect(page.getByRole("heading", { level: 1, name: app.t.settings })).toBeVisible();
    await expect(app.settingsField("endpoint")).toHaveValue("https://office.example.cn/safewalk");
    await expect(app.settingsField("token")).toHaveValue("tok-42");
    await expect(app.settingsField("inspectorName")).toHaveValue("Wang Wei");
    await expect(app.settingsField("inspectorId")).toHaveValue("SH-0417");

    // A refused change is not saved: the reload shows the last saved settings.
    await app.saveSettings({ endpoint: "http://office.example.cn", inspectorName: "Li Na" }, app.t.endpointInsecure);
    await app.reload();
    await expect(app.settingsField("endpoint")).toHaveValue("https://office.example.cn/safewalk");
    await expect(app.settingsField("inspectorName")).toHaveValue("Wang Wei");

    // Back to empty: the app's own server again.
    await app.saveSettings({ endpoint: "" });
    await app.reload();
    await expect(app.settingsField("endpoint")).toHaveValue("");
    await expect(app.settingsField("token")).toHaveValue("tok-42");
  });
});

test("too large for the receiver, or refused with a reason: kept on the device, shown, not retried", async ({ page, serve }) => {
  // A receiver whose body limit is below any inspection answers 413 itself.
  const server = await serve(distDir, { SAFEWALK_BODY_LIMIT: "512" });
  const app = new App(page, server.url);
  await app.open();
  const large = await completeInspection(app, "Large Mall");
  await expect(app.deliveryStatus()).toHaveText(app.t.deliveryTooLarge);
  await expect(app.deliveryStatus()).toHaveClass(/delivery-problem/);
  expect((await app.outboxRecord(large))!.delivery).toEqual({ state: "too_large" });

  // A receiver (or proxy) refusing a field, with its message.
  const uploads = await scriptUploads(page, [
    (route) => route.fulfill({ status: 422, contentType: "application/json", body: JSON.stringify({ error: "inspection.site.name: too long" }) }),
  ]);
  await app.goHome();
  const refused = await completeInspection(app, "Refused Mall");
  await expect(app.deliveryStatus()).toHaveText(`${app.t.deliveryRejected}422 inspection.site.name: too long`);
  await expect(app.deliveryStatus()).toHaveClass(/delivery-problem/);

  await app.goHome();
  await app.expectUnsent(2);
  await app.sendNow();
  expect((await app.outboxRecord(large))!.delivery.state).toBe("too_large");
  expect((await app.outboxRecord(refused))!.delivery.state).toBe("rejected");
  expect(uploads).toHaveLength(1);
  await expect(app.deliveryStatus(cardOf(app, large))).toHaveText(app.t.deliveryTooLarge);
  await expect(app.deliveryStatus(cardOf(app, refused))).toHaveText(
    `${app.t.deliveryRejected}422 inspection.site.name: too long`
  );
  for (const id of [large, refused]) expect(await app.stored(id)).toMatchObject({ id, completed_at: expect.any(Number) });
  expect((await server.stored()).total).toBe(0);
});

test("a completed inspection whose record became unreadable does not hold back the ones after it", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  // No connection while both are completed: both wait in the outbox, the damaged one first.
  await page.route(UPLOAD, (route) => route.abort("internetdisconnected"));
  const damaged = await completeInspection(app, "First Mall");
  await app.goHome();
  const healthy = await completeInspection(app, "Second Mall");
  await app.goHome();
  await app.expectUnsent(2);

  // The first one's record is damaged on the device (kept, listed as unreadable). Reload while
  // uploads still fail: the page that still holds it in memory must not get a chance to send it.
  await app.putRaw(INSPECTION_PREFIX + damaged, '{"format":2,"inspection":{"id":');
  await app.reload();
  await expect(app.unreadableEntry(INSPECTION_PREFIX + damaged)).toBeVisible();
  await expect(app.cards("completed")).toHaveCount(1);
  // Back online.
  await page.unroute(UPLOAD);
  await app.sendNow();

  await app.expectDelivered(healthy, app.cards("completed"));
  // The damaged one is not dropped: still in the outbox, still counted, its raw text kept.
  await app.expectUnsent(1);
  // The runner cannot build its payload, so it is set aside as refused, with why, and not retried.
  expect((await app.outboxRecord(damaged))!.delivery).toEqual({ state: "rejected", status: 0, message: "the inspection cannot be read on this device" });
  expect(await app.storedRaw(INSPECTION_PREFIX + damaged)).toBe('{"format":2,"inspection":{"id":');
  await expectStoredOnce(server, healthy);
});

test("several waiting inspections are sent one at a time, oldest first, each stored once", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  await page.route(UPLOAD, (route) => route.abort("internetdisconnected"));
  const ids: string[] = [];
  for (const site of ["Mall One", "Mall Two", "Mall Three"]) {
    ids.push(await completeInspection(app, site));
    await app.goHome();
  }
  await app.expectUnsent(3);
  await page.unroute(UPLOAD);

  // Each upload goes to the receiver; how many are under way at once is counted.
  let inFlight = 0;
  let most = 0;
  const order: string[] = [];
  await page.route(UPLOAD, async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    most = Math.max(most, ++inFlight);
    order.push(route.request().headers()["idempotency-key"]);
    const response = await route.fetch();
    inFlight--;
    await route.fulfill({ response });
  });
  await app.sendNow();
  for (const id of ids) await app.expectDelivered(id, cardOf(app, id));
  await app.expectUnsent(0);
  expect(order).toEqual(ids);
  expect(most).toBe(1);
  const stored = await server.stored();
  expect(stored.total).toBe(3);
  expect(stored.items.map((i) => i.id).sort()).toEqual([...ids].sort());
});
