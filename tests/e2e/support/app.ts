// What an inspector does with Safewalk, as small steps the specs put together, plus the
// `test` every spec uses: it hands each test its own static server(s), stopped afterwards,
// and fails a test in which the browser refused anything under a Content-Security-Policy.
import { test as base, BrowserContext, Download, expect, Locator, Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { takeCspViolations, watchCsp } from "./csp";
import { distDir, StaticServer } from "./server";
import { Lang, TEXT, UiText } from "./strings";
import { items, Sector, Template, template } from "./templates";
import { summaries } from "./archive";

export { expect };

export const test = base.extend<{
  /** Starts a receiver serving `dir` (dist/ by default), with extra environment (e.g.
   * SAFEWALK_TOKENS); every one is stopped after the test. */
  serve: (dir?: string, env?: Record<string, string>) => Promise<StaticServer>;
  /** A server for dist/, for the test alone. */
  server: StaticServer;
  /** Whether the tests' phone holds the inspector's token for each server `serve` starts
   * (true); false: a phone fresh out of the box, Settings empty. */
  phoneInService: boolean;
  /** Content-Security-Policy violations a test causes on purpose (each line of the report is
   * matched); none by default: `test.use({ cspAllowed: [/…/] })`. */
  cspAllowed: RegExp[];
  /** Automatic: watches the test's browser context (and any profile it launches) and fails the
   * test at teardown if the browser refused a script, style, connection… under a CSP. */
  cspGuard: void;
}>({
  cspAllowed: [[], { option: true }],
  phoneInService: [true, { option: true }],
  cspGuard: [
    async ({ context, cspAllowed }, use) => {
      takeCspViolations(); // nothing left over from a test that did not finish its teardown
      await watchCsp(context);
      await use();
      const violations = takeCspViolations().filter((line) => !cspAllowed.some((allowed) => allowed.test(line)));
      expect(violations, "what the browser refused under the Content-Security-Policy during this test").toEqual([]);
    },
    { auto: true },
  ],
  serve: async ({ context, phoneInService }, use) => {
    const started: StaticServer[] = [];
    await use(async (dir = distDir, env = {}) => {
      const server = await StaticServer.start(dir, env);
      started.push(server);
      // The phone of these tests is in service: it holds the inspector's device token for
      // this receiver (as if typed into Settings), the endpoint left blank (this origin).
      if (phoneInService && !server.legacy) await context.addInitScript(holdInspectorToken, { origin: server.url.replace(/\/$/, ""), token: server.inspectorToken });
      return server;
    });
    for (const server of started) await server.stop();
  },
  server: async ({ serve }, use) => {
    await use(await serve());
  },
});

/** Runs in every page before the app: on the receiver's origin, Settings holds the
 * inspector's token unless something is stored there already. */
function holdInspectorToken({ origin, token }: { origin: string; token: string }): void {
  const key = "safewalk.settings";
  if (location.origin === origin && localStorage.getItem(key) === null) {
    localStorage.setItem(key, JSON.stringify({ format: 1, value: { endpoint: "", token, inspector_name: "", inspector_id: "" } }));
  }
}

/** What Settings holds on a phone in service (see `holdInspectorToken`). */
export function inService(server: StaticServer): object {
  return { format: 1, value: { endpoint: "", token: server.inspectorToken, inspector_name: "", inspector_id: "" } };
}

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
  /** The unified social credit code: optional, left out of SAMPLE_DETAILS. */
  uscc?: string;
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
  site: { name: string; address: string; category: string; enterprise: string; principal: string; principal_phone: string; uscc?: string };
  team: { department: string; inspectors: string };
  answers: Record<string, { answer?: AnswerKind; note?: string }>;
  /** Grade choice and rectification of the items answered "hazard" (core/src/hazard.rs). */
  hazards?: Record<string, StoredHazard>;
  exclusions?: string[];
  /** Present on a re-inspection (core/src/follow_up.rs). */
  follow_up?: {
    of: string;
    checks: { inspection: string; item: string; description: string; grade: Grade; deadline: string; verdict?: "rectified" | "not_rectified"; note: string }[];
  };
  /** Photos and signatures (core/src/attachment.rs); the pictures are in IndexedDB. */
  attachments?: StoredAttachment[];
  /** Where the inspection started, if recorded on the details. */
  position?: Position;
  created_at: number;
  updated_at: number;
  completed_at?: number;
}

export interface Position {
  lat: number;
  lon: number;
  accuracy_m: number;
}

export type SignerRole = "inspector" | "site_representative";

/** One photo or signature as the inspection record lists it. */
export interface StoredAttachment {
  id: string;
  kind: "photo" | "signature";
  item?: string;
  sha256: string;
  content_type: "image/jpeg" | "image/png";
  bytes: number;
  width: number;
  height: number;
  taken_at: number;
  position?: Position;
  signer?: { name: string; role: SignerRole };
}

export type Grade = "general" | "major";
/** A grade with where it stands with the collective determination (GB 35181-2017 chapter 4):
 * a major fire hazard is "suspected" until it is determined. */
export type Shown = Grade | "suspected" | "determined_major" | "determined_not_major";

export interface StoredHazard {
  /** Externally tagged: "rule", "raised" or {"lowered": {"reason": …}}. */
  grading: "rule" | "raised" | { lowered: { reason: string } };
  rectification: {
    on_the_spot: boolean;
    on_the_spot_note: string;
    measures: string;
    unit: string;
    person: string;
    role: string;
    phone: string;
    funds: string;
    deadline: string;
    contingency_plan: string;
    supervisor: string;
  };
}

/** The rectification form's fields (src/pages/hazard.rs), by the name the tests use. */
export type RectificationField =
  | "onTheSpotNote"
  | "measures"
  | "unit"
  | "person"
  | "role"
  | "phone"
  | "funds"
  | "deadline"
  | "contingency"
  | "supervisor";

/** "The five implementations": measures, who (unit, person, role, phone), funds and a deadline;
 * a major hazard also needs the contingency plan and the supervising official. */
export interface PlannedRectification {
  measures: string;
  unit: string;
  person: string;
  role: string;
  phone: string;
  funds?: string;
  /** YYYY-MM-DD, as a date input takes it. */
  deadline: string;
  contingency?: string;
  supervisor?: string;
}

/** Fixed during the visit: a note of how, and nothing else. */
export interface OnTheSpot {
  onTheSpot: string;
}

export type Rectification = PlannedRectification | OnTheSpot;

/** The date `days` from today (negative: in the past), YYYY-MM-DD in local time, as the app's
 * `browser::today` compares deadlines. */
export function dateFromToday(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A planned rectification of a general hazard, due in three months. */
export const SAMPLE_RECTIFICATION: PlannedRectification = {
  measures: "Clear the obstruction and restore the equipment to working order",
  unit: "Riverside Commercial Co., property management",
  person: "Chen Gang",
  role: "Facilities manager",
  phone: "139 0021 5566",
  deadline: dateFromToday(90),
};

/** A planned rectification of a major hazard: the contingency plan and supervisor too. */
export const MAJOR_RECTIFICATION: PlannedRectification = {
  ...SAMPLE_RECTIFICATION,
  funds: "CNY 120,000",
  contingency: "Fire watch on every floor during opening hours until fixed; area cordoned off",
  supervisor: "Deputy Director Huang, District Emergency Management Bureau",
};

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

export const OUTBOX_KEY = "safewalk.outbox";
/** The checklist editions the device keeps: those its drafts use, and imported ones. */
export const LIBRARY_KEY = "safewalk.library";
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
  /** The record's receipt while some attachments are not acknowledged yet. */
  record_receipt?: { id: string; status: "stored" | "duplicate"; received_at: number };
  /** Each attachment's upload, in upload order. */
  attachments?: { id: string; acked: boolean }[];
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

  /** Home → New inspection. */
  async openNewInspection(): Promise<void> {
    await this.page.getByRole("link", { name: this.t.newInspection }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: this.t.pickSector })).toBeVisible();
  }

  /** On New inspection: the button that starts a draft with the newest edition of a checklist
   * (its sector, title and item count). */
  checklistChoice(checklist: Sector | Template): Locator {
    const t = typeof checklist === "string" ? template(checklist) : checklist;
    const exactly = (text: string) => new RegExp(`^${escapeRegExp(text)}$`);
    return this.page
      .getByRole("button")
      .filter({ has: this.page.locator(".card-title", { hasText: exactly(t.sector[this.lang]) }) })
      .filter({ has: this.page.locator(".card-sector", { hasText: exactly(t.title[this.lang]) }) });
  }

  /** Home → New inspection → the sector's checklist (a built-in one, or one given whole,
   * e.g. imported); returns the new draft's id. */
  async startInspection(sector: Sector | Template = "commercial-complex"): Promise<string> {
    await this.openNewInspection();
    await this.checklistChoice(sector).click();
    const details = new RegExp(`#/i/(${UUID})/details$`);
    await expect(this.page).toHaveURL(details);
    await expect(this.field("siteName")).toBeVisible();
    return details.exec(this.page.url())![1];
  }

  field(name: keyof SiteDetails): Locator {
    return this.page.getByLabel(this.t[name]);
  }

  async fillDetails(details: Partial<SiteDetails> = SAMPLE_DETAILS, sector: Sector | Template = "commercial-complex"): Promise<void> {
    const t = typeof sector === "string" ? template(sector) : sector;
    for (const [name, value] of Object.entries(details) as [keyof SiteDetails, string][]) {
      if (name === "category") {
        const category = t.site_categories.find((c) => c.id === value)!;
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

  /** Answers "Hazard found" and describes it. */
  async findHazard(itemId: string, description: string): Promise<void> {
    await this.answer(itemId, "hazard");
    await this.item(itemId).getByLabel(this.t.hazardNoteLabel).fill(description);
  }

  // ---- one hazard: grade and rectification

  /** An item card's "<grade> Hazard and rectification ›" link, there once it is a hazard. */
  hazardLink(itemId: string): Locator {
    return this.item(itemId).getByTestId("hazard-link");
  }

  /** Opens the hazard page from the item card's link; returns the inspection id. */
  async openHazard(itemId: string): Promise<string> {
    await expect(this.hazardLink(itemId)).toHaveText(new RegExp(`${escapeRegExp(this.t.hazardTitle)} ›$`));
    await this.hazardLink(itemId).click();
    return this.expectHazardPage(itemId);
  }

  /** The hazard page of `itemId` is showing; returns the inspection id. */
  async expectHazardPage(itemId: string): Promise<string> {
    const url = new RegExp(`#/i/(${UUID})/hazard/${escapeRegExp(itemId)}$`);
    await expect(this.page).toHaveURL(url);
    await expect(this.page.getByRole("heading", { level: 1, name: this.t.hazardTitle })).toBeVisible();
    return url.exec(this.page.url())![1];
  }

  /** The hazard page's grade badge. */
  gradeBadge(): Locator {
    return this.page.getByTestId("grade");
  }

  /** The hazard page's explanation of the grade the rules determine. */
  gradeExplanation(): Locator {
    return this.page.getByTestId("grade-explanation");
  }

  /** The badge's word. */
  gradeName(grade: Shown): string {
    return { major: this.t.gradeMajor, general: this.t.gradeGeneral, suspected: this.t.gradeSuspected, determined_major: this.t.gradeMajor, determined_not_major: this.t.gradeGeneral }[grade];
  }

  /** The badge's word and the note on the collective determination after it, as shown. */
  gradeShown(grade: Shown): string {
    const note = { major: "", general: "", suspected: this.t.awaitingDetermination, determined_major: this.t.determinedMajor, determined_not_major: this.t.determinedNotMajor }[grade];
    return note ? `${this.gradeName(grade)} · ${note}` : this.gradeName(grade);
  }

  async expectGrade(grade: Shown): Promise<void> {
    await expect(this.gradeBadge()).toHaveText(this.gradeShown(grade));
  }

  // ---- the collective determination (Review)

  determinationSection(): Locator {
    return this.page.getByTestId("determination");
  }

  /** Records a collective determination on the Review screen: the date, each participant
   * added one by one, a conclusion on each hazard (by its text), the reason. */
  async recordDetermination(d: {
    date: string;
    participants: { name: string; role: string }[];
    conclusions: Record<string, "major" | "not_major">;
    reason: string;
  }): Promise<void> {
    const section = this.determinationSection();
    await section.getByRole("button", { name: this.t.recordDetermination }).click();
    await section.getByLabel(this.t.determinationDate).fill(d.date);
    for (const [n, person] of d.participants.entries()) {
      await section.getByRole("button", { name: this.t.addParticipant }).click();
      const row = section.getByTestId("participant").nth(n);
      await row.getByLabel(this.t.personName).fill(person.name);
      await row.getByLabel(this.t.personRole).fill(person.role);
    }
    for (const [text, conclusion] of Object.entries(d.conclusions)) {
      const group = section.getByRole("group", { name: text, exact: true });
      await group.getByRole("radio", { name: conclusion === "major" ? this.t.conclusionMajor : this.t.conclusionNotMajor, exact: true }).check();
    }
    await section.getByLabel(this.t.determinationReason).fill(d.reason);
    await this.expectSaved();
  }

  gradeChoice(choice: "rule" | "raise" | "lower"): Locator {
    const name = { rule: this.t.gradeByRule, raise: this.t.gradeRaise, lower: this.t.gradeLower }[choice];
    return this.page.getByRole("radio", { name, exact: true });
  }

  /** Picks a grade decision; lowering fills the reason when one is given. */
  async chooseGrade(choice: "rule" | "raise" | "lower", reason?: string): Promise<void> {
    await this.gradeChoice(choice).check();
    await expect(this.gradeChoice(choice)).toBeChecked();
    if (reason !== undefined) await this.lowerReason().fill(reason);
  }

  lowerReason(): Locator {
    return this.page.getByLabel(new RegExp(`^${escapeRegExp(this.t.lowerReason)} \\(${escapeRegExp(this.t.required)}\\)$`));
  }

  /** A rectification field by its label, "(required)" or "(optional)" after it. */
  rectificationField(field: RectificationField): Locator {
    const label = {
      onTheSpotNote: this.t.rectOnTheSpotNote,
      measures: this.t.rectMeasures,
      unit: this.t.rectUnit,
      person: this.t.rectPerson,
      role: this.t.rectRole,
      phone: this.t.rectPhone,
      funds: this.t.rectFunds,
      deadline: this.t.rectDeadline,
      contingency: this.t.rectContingency,
      supervisor: this.t.rectSupervisor,
    }[field];
    const marks = `${escapeRegExp(this.t.required)}|${escapeRegExp(this.t.optional)}`;
    return this.page.getByLabel(new RegExp(`^${escapeRegExp(label)} \\((${marks})\\)$`));
  }

  onTheSpotBox(): Locator {
    return this.page.getByRole("checkbox", { name: this.t.onTheSpot, exact: true });
  }

  /** Fills the rectification on the hazard page: on the spot with its note, or planned. */
  async fillRectification(rectification: Rectification): Promise<void> {
    if ("onTheSpot" in rectification) {
      await this.onTheSpotBox().check();
      await this.rectificationField("onTheSpotNote").fill(rectification.onTheSpot);
      return;
    }
    if (await this.onTheSpotBox().isChecked()) await this.onTheSpotBox().uncheck();
    for (const [field, value] of Object.entries(rectification) as [RectificationField, string | undefined][]) {
      if (value !== undefined) await this.rectificationField(field).fill(value);
    }
  }

  /** From the checklist: the item's hazard page, a grade decision if given, the
   * rectification, and back to the checklist at that item. */
  async rectify(
    itemId: string,
    rectification: Rectification,
    grade?: { choice: "rule" | "raise" | "lower"; reason?: string }
  ): Promise<void> {
    const id = await this.openHazard(itemId);
    if (grade) await this.chooseGrade(grade.choice, grade.reason);
    await this.fillRectification(rectification);
    await this.page.getByRole("link", { name: this.t.backToChecklist }).click();
    await expect(this.page).toHaveURL(new RegExp(`#/i/${id}/checklist/${escapeRegExp(itemId)}$`));
    await expect(this.item(itemId)).toBeVisible();
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
    // The read-only banner, not a lazily loaded section's "Opening…" status beside it.
    await expect(this.page.getByRole("main").getByRole("status").filter({ hasText: this.t.readOnly })).toBeVisible();
  }

  /** The short path through a whole inspection, from Home to "completed"; returns its id.
   * Each of `hazards` is found with its description and rectified; the rest is compliant. */
  async completeWholeInspection(
    sector: Sector = "commercial-complex",
    details: SiteDetails = SAMPLE_DETAILS,
    hazards: { item: string; description: string; rectification: Rectification }[] = []
  ): Promise<string> {
    const id = await this.startInspection(sector);
    await this.fillDetails(details, sector);
    await this.goToChecklist();
    for (const hazard of hazards) {
      await this.findHazard(hazard.item, hazard.description);
      await this.rectify(hazard.item, hazard.rectification);
    }
    await this.answerAll(sector, Object.fromEntries(hazards.map((h) => [h.item, "hazard" as const])));
    await this.openReview();
    await this.complete();
    return id;
  }

  /** From the hazard page: "Back to the checklist", then the review. */
  async openReviewFromHazard(): Promise<void> {
    await this.page.getByRole("link", { name: this.t.backToChecklist }).click();
    await expect(this.progress()).toBeVisible();
    await this.openReview();
  }

  // ---- the hazard register and re-inspection

  /** Home's "Hazard register" card: open, major and overdue counts; absent until a hazard is registered. */
  registerSummary(): Locator {
    return this.page.getByTestId("register-summary");
  }

  async expectRegisterSummary(c: { open: number; major: number; overdue: number }): Promise<void> {
    await expect(this.registerSummary()).toHaveText(
      `${this.t.registerLink}${this.t.openHazards}: ${c.open} · ${this.t.majorOpen}: ${c.major} · ${this.t.overdue}: ${c.overdue}`
    );
  }

  /** Home → the register, by its summary card. */
  async openRegister(): Promise<void> {
    await this.registerSummary().click();
    await expect(this.page).toHaveURL(/#\/register$/);
    await expect(this.page.getByRole("heading", { level: 1, name: this.t.registerTitle })).toBeVisible();
  }

  /** The register's entries, as filtered. */
  registerEntries(): Locator {
    return this.page.getByTestId("register-entry");
  }

  /** The register entry of one item's hazard (by the item's text, and the site's name if given). */
  registerEntry(itemText: string, siteName?: string): Locator {
    const entry = this.registerEntries().filter({ has: this.page.locator(".item-text", { hasText: itemText }) });
    return siteName === undefined ? entry : entry.filter({ has: this.page.getByText(siteName, { exact: true }) });
  }

  /** An entry's status line: "Open", "Open · Overdue", "Rectified on the spot", "Verified and closed <time>". */
  hazardStatus(entry: Locator): Locator {
    return entry.getByTestId("hazard-status");
  }

  showClosedBox(): Locator {
    return this.page.getByRole("checkbox", { name: this.t.showClosed, exact: true });
  }

  /** Starts a re-inspection from a register entry; returns the follow-up's id. */
  async reinspect(entry: Locator): Promise<string> {
    await entry.getByRole("button", { name: this.t.reinspectSite }).click();
    const checklist = new RegExp(`#/i/(${UUID})/checklist$`);
    await expect(this.page).toHaveURL(checklist);
    await expect(this.page.getByRole("heading", { level: 1, name: this.t.followUpTitle })).toBeVisible();
    return checklist.exec(this.page.url())![1];
  }

  /** The follow-up checklist's carried hazards. */
  checks(): Locator {
    return this.page.getByTestId("check");
  }

  /** The carried hazard of one item (by its text). */
  check(itemText: string): Locator {
    return this.checks().filter({ has: this.page.locator(".item-text", { hasText: itemText }) });
  }

  verdictButton(check: Locator, verdict: "rectified" | "not_rectified"): Locator {
    const name = verdict === "rectified" ? this.t.verdictRectified : this.t.verdictNotRectified;
    return check.getByRole("group", { name: this.t.verdict }).getByRole("button", { name, exact: true });
  }

  /** Gives a carried hazard its verdict and the note of what was found. */
  async verify(check: Locator, verdict: "rectified" | "not_rectified", note: string): Promise<void> {
    await this.verdictButton(check, verdict).click();
    await expect(this.verdictButton(check, verdict)).toHaveAttribute("aria-pressed", "true");
    await check.getByLabel(this.t.verdictNote).fill(note);
  }

  // ---- checklist import (on New inspection)

  /** Imports a checklist file through "Import from a file". */
  async importFile(name: string, content: string): Promise<void> {
    await this.page.getByLabel(this.t.importFile).setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(content) });
  }

  async fetchFromReceiver(): Promise<void> {
    await this.page.getByRole("button", { name: this.t.importServer, exact: true }).click();
  }

  /** What the last import read: "Checklists read: N", and the refused entries if any. */
  importReport(): Locator {
    return this.page.getByRole("status").filter({ hasText: this.t.importDone });
  }

  /** Expects the import to have read `read` checklists and refused exactly `refused`. */
  async expectImported(read: number, refused: string[] = []): Promise<void> {
    const report = this.importReport();
    await expect(report.locator("p").first()).toHaveText(`${this.t.importDone} ${read}`);
    await expect(report).toHaveClass(refused.length === 0 ? /banner-success/ : /banner-warning/);
    if (refused.length === 0) {
      await expect(report.getByText(this.t.importRefused)).toHaveCount(0);
    } else {
      await expect(report.getByText(this.t.importRefused)).toBeVisible();
      await expect(report.getByRole("listitem")).toHaveText(refused);
    }
  }

  /** The library the device keeps (`safewalk.library`): which editions, as `id@version`. */
  async keptEditions(): Promise<string[]> {
    const raw = await this.storedRaw(LIBRARY_KEY);
    if (raw === null) return [];
    const envelope = JSON.parse(raw);
    expect(envelope.format).toBe(1);
    return (envelope.value.templates as Template[]).map((t) => `${t.id}@${t.version}`).sort();
  }

  // ---- updates

  /** Waits for "A new version is ready", taps "Update now" and waits for the reload under it. */
  async acceptUpdate(): Promise<void> {
    const banner = this.page.getByTestId("update-banner");
    await expect(banner).toBeVisible({ timeout: 30_000 });
    const reloaded = this.page.waitForEvent("load", { timeout: 15_000 });
    await banner.getByRole("button", { name: this.t.updateNow }).click();
    await reloaded;
    await this.ready();
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

  /** Today on the page's calendar (its time zone, which a test may set), YYYY-MM-DD, as the
   * app's `browser::today` reads it, e.g. for the dated names of exported files. */
  async today(): Promise<string> {
    return this.page.evaluate(() => {
      const date = new Date();
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    });
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
    const record = await this.outboxRecord(id);
    // A start after its move to the archive forgets its receipt; its summary keeps the time.
    const at = record ? (record.delivery as { at: number }).at : (await summaries(this.page))[id]?.delivered_at;
    if (record) expect(record.delivery.state).toBe("delivered");
    else expect(at, "forgotten by the outbox only once archived with its delivery time").toBeGreaterThan(0);
    await expect(status).toHaveText(`${this.t.deliveryDelivered}: ${await this.formatTime(at)}`);
    await expect(status).toHaveClass(/delivery-ok/);
    return record!;
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

  /** The settings' Save button (the Data section has a primary button of its own). */
  saveButton(): Locator {
    return this.page.getByRole("button", { name: this.t.save, exact: true });
  }

  /** Fills the given fields, taps Save, and expects `message` (by default "Settings saved"). */
  async saveSettings(values: Partial<SettingsValues>, message: string = this.t.settingsSaved): Promise<void> {
    await this.fillSettings(values);
    await this.saveButton().click();
    await expect(this.settingsMessage()).toHaveText(message);
    await expect(this.settingsMessage()).toHaveClass(message === this.t.settingsSaved ? "ok" : "field-error");
  }

  /** Taps "Test connection" with what the fields hold now. */
  async testConnection(): Promise<void> {
    await this.page.getByRole("button", { name: this.t.testConnection }).click();
  }

  // ---- evidence: photos, location, signatures

  /** The photo strip in `scope`: an item's card (there once the item is answered), or the hazard page. */
  photoStrip(scope: Locator | Page = this.page): Locator {
    return scope.getByTestId("photo-strip");
  }

  /** The thumbnails in `scope`. */
  photos(scope: Locator | Page = this.page): Locator {
    return scope.getByTestId("photo");
  }

  /** A thumbnail's alt text: "Photo: <item text, 48 characters at most> (<time>)". */
  async photoAlt(itemText: string, takenAt: number): Promise<string> {
    const label = [...itemText].length > 48 ? `${[...itemText].slice(0, 47).join("")}…` : itemText;
    return `${this.t.photoOf}: ${label} (${await this.formatTime(takenAt)})`;
  }

  /** Hands `file` to the strip's "Take photo" (or "Choose photo") input and waits for the
   * new thumbnail and "Photo saved.". */
  async addPhoto(strip: Locator, file: { name: string; mimeType: string; buffer: Buffer }, via: "take" | "choose" = "take"): Promise<void> {
    const before = await this.photos(strip).count();
    await strip.getByTestId(`photo-${via}`).setInputFiles(file);
    await this.expectPhotoSaved(strip, before + 1);
  }

  /** The strip shows `count` thumbnails and says "Photo saved.". */
  async expectPhotoSaved(strip: Locator, count: number): Promise<void> {
    await expect(this.photos(strip)).toHaveCount(count, { timeout: 60_000 });
    await expect(strip.getByTestId("photo-status")).toHaveText(this.t.photoSaved);
    await expect(strip.getByTestId("photo-error")).toBeEmpty();
  }

  /** Each thumbnail's picture has loaded from the device (an object URL of the stored Blob). */
  async expectPicturesShown(images: Locator): Promise<void> {
    for (const image of await images.all()) {
      await expect(image).toHaveAttribute("src", /^blob:/);
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    }
  }

  /** The attachments the stored record lists (kind `photo` or `signature`, or all). */
  async storedAttachments(id: string, kind?: StoredAttachment["kind"]): Promise<StoredAttachment[]> {
    const all = (await this.stored(id))?.attachments ?? [];
    return kind ? all.filter((a) => a.kind === kind) : all;
  }

  /** Details: "Record location". */
  recordLocationButton(): Locator {
    return this.page.getByTestId("record-location");
  }

  /** Details: the recorded position, "lat, lon (±N m)", or "No location recorded.". */
  position(): Locator {
    return this.page.getByTestId("position");
  }

  /** The signatures listed (Review, report). */
  signatures(): Locator {
    return this.page.getByTestId("signature");
  }

  signatureForm(): Locator {
    return this.page.getByTestId("signature-form");
  }

  signerRole(role: SignerRole): Locator {
    const name = role === "inspector" ? this.t.roleInspector : this.t.roleSiteRep;
    return this.signatureForm().getByRole("radio", { name, exact: true });
  }

  /** Signs on the pad with the mouse (pointer events, as a finger would): a few strokes. */
  async drawSignature(): Promise<void> {
    const pad = this.page.getByTestId("signature-pad");
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    const at = (x: number, y: number): [number, number] => [box.x + box.width * x, box.y + box.height * y];
    const strokes: [number, number][][] = [
      [[0.1, 0.7], [0.2, 0.3], [0.3, 0.7], [0.4, 0.3], [0.5, 0.7]],
      [[0.55, 0.5], [0.7, 0.4], [0.85, 0.6], [0.9, 0.4]],
    ];
    for (const stroke of strokes) {
      await this.page.mouse.move(...at(...stroke[0]));
      await this.page.mouse.down();
      for (const point of stroke.slice(1)) await this.page.mouse.move(...at(...point), { steps: 4 });
      await this.page.mouse.up();
    }
  }

  /** On the review: name, role, a drawn signature, "Sign"; waits until it is listed. */
  async sign(name: string, role: SignerRole): Promise<void> {
    const form = this.signatureForm();
    const before = await this.signatures().count();
    await form.getByTestId("signer-name").fill(name);
    await this.signerRole(role).check();
    await this.drawSignature();
    await form.getByTestId("sign").click();
    await expect(this.signatures()).toHaveCount(before + 1);
    await expect(form.getByTestId("signature-status")).toHaveText(this.t.signatureSaved);
    await expect(form.getByTestId("signature-error")).toBeEmpty();
  }

  // ---- the report

  /** From a completed review: "Inspection report". */
  async openReport(id: string): Promise<void> {
    await this.page.getByRole("link", { name: this.t.report, exact: true }).click();
    await expect(this.page).toHaveURL(new RegExp(`#/i/${id}/report$`));
    await expect(this.page.getByTestId("report")).toBeVisible();
  }

  // ---- Settings: storage and data

  /** The Data section's line(s) saying how the last export, backup or restore went. */
  dataMessage(): Locator {
    return this.page.getByTestId("data-message");
  }

  /** Taps one of the Data section's buttons and returns the file it downloads. */
  async downloadFrom(testId: "export-json" | "export-csv" | "backup-unsent"): Promise<Download> {
    const download = this.page.waitForEvent("download");
    await this.page.getByTestId(testId).click();
    return download;
  }

  /** "Restore from a backup" with the file at `path`. */
  async restoreFrom(path: string): Promise<void> {
    await this.page.getByTestId("restore-file").setInputFiles(path);
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

  /** The text of a delivered inspection moved out of localStorage into the archive
   * (IndexedDB `safewalk-records`, store `inspections`, keyed by id); null when not there. */
  async archivedRaw(id: string): Promise<string | null> {
    return this.page.evaluate(
      (key) =>
        new Promise<string | null>((resolve, reject) => {
          const open = indexedDB.open("safewalk-records");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains("inspections")) {
              db.close();
              resolve(null);
              return;
            }
            const request = db.transaction("inspections").objectStore("inspections").get(key);
            request.onsuccess = () => {
              db.close();
              resolve(typeof request.result === "string" ? request.result : null);
            };
            request.onerror = () => reject(request.error);
          };
        }),
      id
    );
  }

  /** The device's copy of an inspection: in localStorage, or (delivered) in the archive. */
  async stored(id: string): Promise<StoredInspection | null> {
    const raw = (await this.storedRaw(INSPECTION_PREFIX + id)) ?? (await this.archivedRaw(id));
    if (raw === null) return null;
    const envelope = JSON.parse(raw);
    expect(envelope.format).toBe(3);
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

/** The network gone (no receiver, the browser offline) and the app opened again in a new
 * page: what a phone out of reach starts from, its service worker alone. */
export async function reopenOffline(page: Page, context: BrowserContext, server: StaticServer): Promise<App> {
  await server.stop();
  await context.setOffline(true);
  await page.close();
  const app = new App(await context.newPage(), server.url);
  await app.open();
  expect(await app.page.evaluate(() => navigator.onLine)).toBe(false);
  return app;
}
