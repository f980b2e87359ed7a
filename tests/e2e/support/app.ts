// What an inspector does with Safewalk, as small steps the specs put together, plus the
// `test` every spec uses: it hands each test its own static server(s), stopped afterwards.
import { test as base, expect, Locator, Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { distDir, StaticServer } from "./server";
import { Lang, TEXT, UiText } from "./strings";
import { items, Sector, template } from "./templates";

export { expect };

export const test = base.extend<{
  /** Starts a receiver serving `dir` (dist/ by default), with extra environment (e.g.
   * SAFEWALK_TOKENS); every one is stopped after the test. */
  serve: (dir?: string, env?: Record<string, string>) => Promise<StaticServer>;
  /** A server for dist/, for the test alone. */
  server: StaticServer;
}>({
  // eslint-disable-next-line no-empty-pattern
  serve: async ({}, use) => {
    const started: StaticServer[] = [];
    await use(async (dir = distDir, env = {}) => {
      const server = await StaticServer.start(dir, env);
      started.push(server);
      return server;
    });
    for (const server of started) await server.stop();
  },
  server: async ({ serve }, use) => {
    await use(await serve());
  },
});

export type AnswerKind = "compliant" | "hazard" | "not_applicable";

export const INSPECTION_PREFIX = "safewalk.inspection.";

export interface SiteDetails {
  siteName: string;
  address: string;
  /** The id of one of the template's site categories. */
  category: string;
  enterprise: string;
  principal: string;
  principalPhone: string;
  department: string;
  inspectors: string;
}

export const SAMPLE_DETAILS: SiteDetails = {
  siteName: "Riverside Mall",
  address: "1 River Road, Pudong",
  category: "shopping-mall",
  enterprise: "Riverside Commercial Co.",
  principal: "Zhao Li",
  principalPhone: "138 0013 8000",
  department: "District Fire Brigade",
  inspectors: "Wang Wei, Li Na",
};

/** The stored record of one inspection (format 2), as far as the tests look into it. */
export interface StoredInspection {
  id: string;
  template: { id: string; version: string };
  site: { name: string; address: string; category: string; enterprise: string; principal: string; principal_phone: string };
  team: { department: string; inspectors: string };
  answers: Record<string, { answer?: AnswerKind; note?: string }>;
  created_at: number;
  updated_at: number;
  completed_at?: number;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

export const OUTBOX_KEY = "safewalk.outbox";
export const SETTINGS_KEY = "safewalk.settings";

/** Where one record's delivery stands (core/src/outbox.rs, `Delivery`), with its variant under
 * `state`. The app stores it externally tagged (`"queued"`, `{"failed": {…}}`); `storedOutbox`
 * reads that into this shape. */
export type Delivery =
  | { state: "queued" }
  | { state: "sending"; since: number }
  | { state: "delivered"; at: number; receipt: { id: string; status: "stored" | "duplicate"; received_at: number } }
  | { state: "failed"; reason: string; next_try: number }
  | { state: "conflict"; message: string }
  | { state: "rejected"; status: number; message: string }
  | { state: "too_large" };

/** `"queued"` → `{state: "queued"}`; `{"failed": {reason, next_try}}` → `{state: "failed", reason, next_try}`. */
function untag(stored: string | Record<string, object>): Delivery {
  if (typeof stored === "string") return { state: stored } as Delivery;
  const [state, fields] = Object.entries(stored)[0];
  return { state, ...fields } as Delivery;
}

export interface OutboxRecord {
  id: string;
  queued_at: number;
  tries: number;
  delivery: Delivery;
}

/** The stored outbox (`safewalk.outbox`, a `{format: 1, value}` envelope). */
export interface StoredOutbox {
  records: OutboxRecord[];
  auth_paused?: string;
}

/** The settings screen's fields, by the name the tests use. */
export interface SettingsValues {
  endpoint: string;
  token: string;
  inspectorName: string;
  inspectorId: string;
}

/** Safewalk in one page, in one language. */
export class App {
  readonly t: UiText;

  constructor(readonly page: Page, readonly baseUrl: string, readonly lang: Lang = "en") {
    this.t = TEXT[lang];
  }

  // ---- the shell

  async open(hash = "#/"): Promise<void> {
    await this.page.goto(this.baseUrl + hash);
    await this.ready();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.ready();
  }

  /** The wasm app has mounted (the header is there). */
  async ready(): Promise<void> {
    await expect(this.page.getByRole("banner").getByRole("link", { name: this.t.appName, exact: true })).toBeVisible();
  }

  async waitForServiceWorker(): Promise<void> {
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  }

  saveState(): Locator {
    return this.page.getByRole("banner").getByRole("status");
  }

  async expectSaved(): Promise<void> {
    await expect(this.saveState()).toHaveText(this.t.saved);
  }

  async goHome(): Promise<void> {
    await this.page.getByRole("banner").getByRole("link", { name: this.t.appName, exact: true }).click();
    await expect(this.page.getByRole("link", { name: this.t.newInspection })).toBeVisible();
  }

  // ---- home

  /** The cards listed under the heading "Drafts" or "Completed". */
  cards(list: "drafts" | "completed"): Locator {
    const heading = list === "drafts" ? this.t.drafts : this.t.completed;
    return this.page.locator(`h2:text-is("${heading}") + ul`).getByTestId("inspection-card");
  }

  /** The entry of "Drafts that could not be opened" for one storage key. */
  unreadableEntry(key: string): Locator {
    return this.page.getByTestId("unreadable-draft").filter({ has: this.page.getByText(key, { exact: true }) });
  }

  /** Opens "Show raw text" of an unreadable entry; returns its (readonly) text box. */
  async openRawText(key: string): Promise<Locator> {
    const entry = this.unreadableEntry(key);
    const raw = entry.getByLabel(this.t.showRaw);
    if (!(await raw.isVisible())) await entry.locator("summary", { hasText: this.t.showRaw }).click();
    await expect(raw).toBeVisible();
    return raw;
  }

  // ---- new inspection and details

  /** Home → New inspection → the sector's checklist; returns the new draft's id. */
  async startInspection(sector: Sector = "commercial-complex"): Promise<string> {
    await this.page.getByRole("link", { name: this.t.newInspection }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: this.t.pickSector })).toBeVisible();
    await this.page.getByRole("button", { name: template(sector).sector[this.lang] }).click();
    const details = new RegExp(`#/i/(${UUID})/details$`);
    await expect(this.page).toHaveURL(details);
    await expect(this.field("siteName")).toBeVisible();
    return details.exec(this.page.url())![1];
  }

  field(name: keyof SiteDetails): Locator {
    return this.page.getByLabel(this.t[name]);
  }

  async fillDetails(details: Partial<SiteDetails> = SAMPLE_DETAILS, sector: Sector = "commercial-complex"): Promise<void> {
    for (const [name, value] of Object.entries(details) as [keyof SiteDetails, string][]) {
      if (name === "category") {
        const category = template(sector).site_categories.find((c) => c.id === value)!;
        await this.field("category").selectOption({ label: category.name[this.lang] });
      } else {
        await this.field(name).fill(value);
      }
    }
  }

  async goToChecklist(): Promise<void> {
    await this.page.getByRole("link", { name: this.t.toChecklist }).click();
    await expect(this.progress()).toBeVisible();
  }

  // ---- checklist

  item(itemId: string): Locator {
    return this.page.locator(`article#item-${itemId}`);
  }

  answerButton(itemId: string, kind: AnswerKind): Locator {
    const label = { compliant: this.t.compliant, hazard: this.t.hazard, not_applicable: this.t.notApplicable }[kind];
    // A chosen answer shows a check mark (CSS ::before), which Chromium puts in the name too.
    return this.item(itemId).getByRole("group").getByRole("button", { name: new RegExp(`^(✓ )?${label}$`) });
  }

  /** Taps an answer and checks it took. */
  async answer(itemId: string, kind: AnswerKind): Promise<void> {
    const button = this.answerButton(itemId, kind);
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
  }

  /** Answers every item of the checklist not already answered that way, in order. */
  async answerAll(sector: Sector, answers: Record<string, AnswerKind> = {}, otherwise: AnswerKind = "compliant"): Promise<void> {
    for (const { id } of items(sector)) {
      const button = this.answerButton(id, answers[id] ?? otherwise);
      if ((await button.getAttribute("aria-pressed")) !== "true") await this.answer(id, answers[id] ?? otherwise);
    }
  }

  /** "Next unanswered" must reveal and focus `expected`; then answers it. */
  async answerNextUnanswered(expected: string, kind: AnswerKind = "compliant"): Promise<void> {
    await this.page.getByRole("button", { name: this.t.nextUnanswered }).click();
    await expect(this.item(expected)).toBeFocused();
    await expect(this.item(expected)).toBeInViewport();
    await this.answer(expected, kind);
  }

  /** The note box of an item (opened with "+ Add note" unless a hazard already opened it). */
  async noteField(itemId: string): Promise<Locator> {
    const note = this.item(itemId).getByRole("textbox");
    if (!(await note.isVisible())) await this.item(itemId).getByRole("button", { name: this.t.addNote }).click();
    await expect(note).toBeVisible();
    return note;
  }

  async writeNote(itemId: string, text: string): Promise<void> {
    await (await this.noteField(itemId)).fill(text);
  }

  progress(): Locator {
    return this.page.getByTestId("progress-count");
  }

  // ---- review

  async openReview(): Promise<void> {
    await this.page.getByRole("navigation").getByRole("link", { name: this.t.review, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: this.t.review })).toBeVisible();
  }

  /** The Results list as { label: count }. */
  async counts(): Promise<Record<string, number>> {
    return this.page.getByTestId("counts").evaluate((dl) =>
      Object.fromEntries(
        Array.from(dl.querySelectorAll("div"), (row) => [row.querySelector("dt")!.textContent!.trim(), Number(row.querySelector("dd")!.textContent)])
      )
    );
  }

  async expectCounts(c: { compliant: number; hazard: number; notApplicable: number; unanswered: number }): Promise<void> {
    await expect
      .poll(() => this.counts())
      .toEqual({ [this.t.compliant]: c.compliant, [this.t.hazard]: c.hazard, [this.t.notApplicable]: c.notApplicable, [this.t.unanswered]: c.unanswered });
  }

  completeButton(): Locator {
    return this.page.getByRole("button", { name: this.t.complete });
  }

  async complete(): Promise<void> {
    await expect(this.completeButton()).toBeEnabled();
    await this.completeButton().click();
    await expect(this.page.getByRole("main").getByRole("status")).toContainText(this.t.readOnly);
  }

  /** The short path through a whole inspection, from Home to "completed"; returns its id. */
  async completeWholeInspection(sector: Sector = "commercial-complex", details: SiteDetails = SAMPLE_DETAILS): Promise<string> {
    const id = await this.startInspection(sector);
    await this.fillDetails(details, sector);
    await this.goToChecklist();
    await this.answerAll(sector);
    await this.openReview();
    await this.complete();
    return id;
  }

  // ---- delivery

  /** Home's "N not yet sent" with "Send now"; absent when everything is delivered. */
  outbox(): Locator {
    return this.page.getByTestId("outbox");
  }

  async expectUnsent(count: number): Promise<void> {
    if (count === 0) await expect(this.outbox()).toHaveCount(0);
    else await expect(this.outbox().locator(".outbox-count")).toHaveText(`${count} ${this.t.unsent}`);
  }

  async sendNow(): Promise<void> {
    await this.outbox().getByRole("button", { name: this.t.sendNow }).click();
  }

  /** Home's alert that the server refused the token and sending is paused. */
  authPaused(): Locator {
    return this.page.getByTestId("auth-paused");
  }

  /** Where a completed inspection's delivery stands, in words: on its Review page, or
   * within `scope` (e.g. its card on Home). */
  deliveryStatus(scope: Locator | Page = this.page): Locator {
    return scope.getByTestId("delivery-status");
  }

  /** The outbox as the app stored it on the device. */
  async storedOutbox(): Promise<StoredOutbox | null> {
    const raw = await this.storedRaw(OUTBOX_KEY);
    if (raw === null) return null;
    const envelope = JSON.parse(raw);
    expect(envelope.format).toBe(1);
    const outbox = envelope.value;
    for (const record of outbox.records) record.delivery = untag(record.delivery);
    return outbox as StoredOutbox;
  }

  async outboxRecord(id: string): Promise<OutboxRecord | undefined> {
    return (await this.storedOutbox())?.records.find((r) => r.id === id);
  }

  /** A time as the app shows it (browser::format_time). */
  async formatTime(millis: number): Promise<string> {
    const tag = this.lang === "zh" ? "zh-CN" : "en";
    return this.page.evaluate(
      ([ms, locale]) => new Date(ms).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }),
      [millis, tag] as const
    );
  }

  /** The status shows "Delivered: <time>", the time of the stored receipt; returns the record. */
  async expectDelivered(id: string, scope: Locator | Page = this.page): Promise<OutboxRecord> {
    const status = this.deliveryStatus(scope);
    await expect(status).toHaveText(new RegExp(`^${this.t.deliveryDelivered}: `), { timeout: 20_000 });
    const record = (await this.outboxRecord(id))!;
    expect(record.delivery.state).toBe("delivered");
    const at = (record.delivery as { at: number }).at;
    await expect(status).toHaveText(`${this.t.deliveryDelivered}: ${await this.formatTime(at)}`);
    await expect(status).toHaveClass(/delivery-ok/);
    return record;
  }

  /** The status says "Not sent yet, will retry (<reason>; tries: <tries>; next try <time>)",
   * with a reason matching `reason`; returns the stored record. */
  async expectRetrying(id: string, reason: RegExp, tries: number, scope: Locator | Page = this.page): Promise<OutboxRecord> {
    const status = this.deliveryStatus(scope);
    const prefix = escapeRegExp(`${this.t.deliveryFailed} (`);
    const suffix = escapeRegExp(`; ${this.t.tries}: ${tries}; ${this.t.nextTry} `);
    await expect(status).toHaveText(new RegExp(`^${prefix}.*${suffix}.+\\)$`));
    const record = (await this.outboxRecord(id))!;
    expect(record.tries).toBe(tries);
    expect(record.delivery.state).toBe("failed");
    const { reason: stored, next_try } = record.delivery as { reason: string; next_try: number };
    expect(stored).toMatch(reason);
    await expect(status).toHaveText(
      `${this.t.deliveryFailed} (${stored}; ${this.t.tries}: ${tries}; ${this.t.nextTry} ${await this.formatTime(next_try)})`
    );
    return record;
  }

  // ---- settings

  async openSettings(): Promise<void> {
    await this.page.getByRole("banner").getByRole("link", { name: this.t.settings, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: this.t.settings })).toBeVisible();
  }

  settingsField(name: keyof SettingsValues): Locator {
    return this.page.getByLabel(this.t[name], { exact: true });
  }

  /** The line under Save / Test connection that says how it went. */
  settingsMessage(): Locator {
    return this.page.getByTestId("settings-message");
  }

  async fillSettings(values: Partial<SettingsValues>): Promise<void> {
    for (const [name, value] of Object.entries(values) as [keyof SettingsValues, string][]) {
      await this.settingsField(name).fill(value);
    }
  }

  /** Fills the given fields, taps Save, and expects `message` (by default "Settings saved"). */
  async saveSettings(values: Partial<SettingsValues>, message: string = this.t.settingsSaved): Promise<void> {
    await this.fillSettings(values);
    await this.page.getByRole("button", { name: this.t.save, exact: true }).click();
    await expect(this.settingsMessage()).toHaveText(message);
    await expect(this.settingsMessage()).toHaveClass(message === this.t.settingsSaved ? "ok" : "field-error");
  }

  /** Taps "Test connection" with what the fields hold now. */
  async testConnection(): Promise<void> {
    await this.page.getByRole("button", { name: this.t.testConnection }).click();
  }

  // ---- the device's storage

  /** Writes `raw` under `key` as-is, behind the app's back (it reads storage when it starts). */
  async putRaw(key: string, raw: string): Promise<void> {
    await this.page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, raw] as const);
  }

  /** Puts a record the app cannot read under a fresh inspection key; returns the key. */
  async plantUnreadable(raw: string): Promise<string> {
    const key = INSPECTION_PREFIX + randomUUID();
    await this.putRaw(key, raw);
    return key;
  }

  async storedRaw(key: string): Promise<string | null> {
    return this.page.evaluate((k) => localStorage.getItem(k), key);
  }

  async stored(id: string): Promise<StoredInspection | null> {
    const raw = await this.storedRaw(INSPECTION_PREFIX + id);
    if (raw === null) return null;
    const envelope = JSON.parse(raw);
    expect(envelope.format).toBe(2);
    return envelope.inspection as StoredInspection;
  }

  /** Waits until the stored record of `id` passes `check` (every edit is written ≤ 300 ms later). */
  async expectStored(id: string, check: (stored: StoredInspection) => void): Promise<void> {
    await expect(async () => {
      const stored = await this.stored(id);
      expect(stored, `localStorage holds ${INSPECTION_PREFIX}${id}`).not.toBeNull();
      check(stored!);
    }).toPass({ timeout: 5_000 });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
