// A whole inspection, the way an inspector walks it: new → details → checklist → review →
// complete, then the completed record is read-only.
import { App, expect, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, test } from "./support/app";
import { items } from "./support/templates";

const SECTOR = "commercial-complex";
const ITEMS = items(SECTOR);
const text = (id: string) => ITEMS.find((i) => i.id === id)!.text.en;

test("a whole inspection: details, every item answered, review, complete, read-only", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  await expect(page.getByText(app.t.noDrafts)).toBeVisible();

  const id = await app.startInspection(SECTOR);
  await app.fillDetails(SAMPLE_DETAILS);
  await app.expectStored(id, (s) => {
    expect(s.site).toMatchObject({ name: "Riverside Mall", category: "shopping-mall", principal_phone: "138 0013 8000" });
    expect(s.team).toEqual({ department: "District Fire Brigade", inspectors: "Wang Wei, Li Na" });
  });

  await app.goToChecklist();
  await expect(app.progress()).toHaveText(`0/${ITEMS.length}`);

  // "Jump to section" takes the inspector to the kitchens at the far end, and back.
  await page.getByLabel(app.t.jumpToSection).selectOption({ label: "Restaurants and kitchens" });
  await expect(page.getByRole("heading", { level: 2, name: "Restaurants and kitchens" })).toBeInViewport();
  await page.getByLabel(app.t.jumpToSection).selectOption({ label: "Fire-safety management" });
  await expect(page.getByRole("heading", { level: 2, name: "Fire-safety management" })).toBeInViewport();

  // The first three by "Next unanswered", as an inspector walking the site would.
  for (const item of ITEMS.slice(0, 3)) await app.answerNextUnanswered(item.id);
  await expect(app.progress()).toHaveText(`3/${ITEMS.length}`);

  await app.answer("cc-evac-02", "not_applicable");

  // A hazard asks for its description, and says so until it has one.
  await app.answer("cc-sys-03", "hazard");
  const hazardNote = app.item("cc-sys-03").getByLabel(app.t.hazardNoteLabel);
  await expect(hazardNote).toBeVisible();
  await expect(hazardNote).toHaveAttribute("aria-invalid", "true");
  await expect(app.item("cc-sys-03").getByText(app.t.hazardNeedsNote)).toBeVisible();
  await hazardNote.fill("Sprinkler valve on B2 closed and chained");
  await expect(app.item("cc-sys-03").getByText(app.t.hazardNeedsNote)).toBeHidden();
  await expect(hazardNote).toHaveAttribute("aria-invalid", "false");
  // One hazard on a fire shutter is a general one; its rectification is on its own page.
  await expect(app.hazardLink("cc-sys-03")).toHaveText(`${app.t.gradeGeneral} ${app.t.hazardTitle} ›`);
  await app.rectify("cc-sys-03", SAMPLE_RECTIFICATION);

  // A note on a compliant item too.
  await app.answer("cc-mgmt-05", "compliant");
  await app.writeNote("cc-mgmt-05", "Drill records kept at the control room");

  // "Next unanswered" for one more: after cc-mgmt-01..03 and 05, that is cc-mgmt-04.
  await app.answerNextUnanswered("cc-mgmt-04");

  await app.answerAll(SECTOR, { "cc-evac-02": "not_applicable", "cc-sys-03": "hazard" });
  await expect(app.progress()).toHaveText(`${ITEMS.length}/${ITEMS.length}`);
  await expect(page.getByRole("button", { name: app.t.allAnswered })).toBeDisabled();
  await app.expectStored(id, (s) => {
    expect(Object.values(s.answers).filter((a) => a.answer).length).toBe(ITEMS.length);
    expect(s.answers["cc-evac-02"].answer).toBe("not_applicable");
    expect(s.answers["cc-sys-03"]).toEqual({ answer: "hazard", note: "Sprinkler valve on B2 closed and chained" });
    expect(s.answers["cc-mgmt-05"]).toEqual({ answer: "compliant", note: "Drill records kept at the control room" });
    expect(s.hazards).toEqual({
      "cc-sys-03": {
        grading: "rule",
        rectification: {
          on_the_spot: false,
          on_the_spot_note: "",
          measures: SAMPLE_RECTIFICATION.measures,
          unit: SAMPLE_RECTIFICATION.unit,
          person: SAMPLE_RECTIFICATION.person,
          role: SAMPLE_RECTIFICATION.role,
          phone: SAMPLE_RECTIFICATION.phone,
          funds: "",
          deadline: SAMPLE_RECTIFICATION.deadline,
          contingency_plan: "",
          supervisor: "",
        },
      },
    });
  });

  await app.openReview();
  await app.expectCounts({ compliant: ITEMS.length - 2, hazard: 1, notApplicable: 1, unanswered: 0 });
  const hazards = page.getByTestId("hazards").getByRole("listitem");
  await expect(hazards).toHaveCount(1);
  await expect(hazards.locator(".badge")).toHaveText(app.t.gradeGeneral);
  await expect(hazards.getByRole("link")).toHaveText(text("cc-sys-03"));
  await expect(hazards.getByRole("link")).toHaveAttribute("href", `#/i/${id}/hazard/cc-sys-03`);
  await expect(hazards).toContainText("Sprinkler valve on B2 closed and chained");
  // Who answers for what: the site's principal, the inspectors, and who fixes the hazard by when.
  await expect(page.getByTestId("responsibilities")).toHaveText(
    `${app.t.principalLabel}Riverside Commercial Co. · Zhao Li · 138 0013 8000${app.t.inspectedBy}District Fire Brigade · Wang Wei, Li Na`
  );
  const r = SAMPLE_RECTIFICATION;
  await expect(page.locator(".responsibility-list li")).toHaveText(
    `${app.t.gradeGeneral} ${text("cc-sys-03")}${r.unit} · ${r.person} ${r.role} ${r.phone} · ${app.t.rectDeadline}: ${r.deadline}`
  );
  await expect(page.getByText(app.t.nothingMissing)).toBeVisible();
  await expect(page.getByTestId("missing")).toHaveCount(0);

  await app.complete();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(new RegExp(`^${app.t.completedOn}: .+\\. ${app.t.readOnly}$`));
  await expect(app.completeButton()).toHaveCount(0);
  await app.expectStored(id, (s) => expect(s.completed_at).toEqual(expect.any(Number)));

  // Home: under Completed, not under Drafts.
  await app.goHome();
  await expect(app.cards("drafts")).toHaveCount(0);
  await expect(page.getByText(app.t.noDrafts)).toBeVisible();
  const card = app.cards("completed");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("Riverside Mall");
  await expect(card).toContainText("Large commercial complex");
  await expect(card).toContainText(`${ITEMS.length}/${ITEMS.length} ${app.t.answered}`);
  await expect(card).toContainText(`${app.t.completedOn}: `);

  // Opening it shows the review, completed; the checklist and details are read-only.
  await card.click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/review$`));
  await expect(page.getByRole("main").getByRole("status")).toContainText(app.t.readOnly);
  await page.getByRole("link", { name: app.t.checklist }).click();
  await expect(page.getByText(app.t.readOnly)).toBeVisible();
  const answerButtons = page.locator("article").getByRole("group").getByRole("button");
  await expect(answerButtons).toHaveCount(ITEMS.length * 3);
  for (const button of await answerButtons.all()) await expect(button).toBeDisabled();
  await expect(app.item("cc-sys-03").getByRole("textbox")).not.toBeEditable();
  await expect(app.item("cc-evac-01").getByRole("button", { name: app.t.addNote })).toBeDisabled();
  // The hazard's grade and rectification are part of the record: read-only too.
  await app.openHazard("cc-sys-03");
  await expect(app.rectificationField("measures")).toHaveValue(r.measures);
  await expect(app.rectificationField("measures")).not.toBeEditable();
  await expect(app.rectificationField("deadline")).not.toBeEditable();
  await expect(app.gradeChoice("rule")).toBeDisabled();
  await expect(app.gradeChoice("raise")).toBeDisabled();
  await expect(app.onTheSpotBox()).toBeDisabled();
  await page.getByRole("link", { name: app.t.backToChecklist }).click();

  await page.getByRole("link", { name: app.t.editDetails }).click();
  await expect(app.field("siteName")).toHaveValue("Riverside Mall");
  for (const name of ["siteName", "address", "enterprise", "principal", "principalPhone", "department", "inspectors"] as const) {
    await expect(app.field(name)).not.toBeEditable();
  }
  await expect(app.field("category")).toBeDisabled();
});

test("Review lists what is missing, each a link to where it is fixed; complete waits for it", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection(SECTOR);
  const { principalPhone: _skipped, ...withoutPhone } = SAMPLE_DETAILS;
  await app.fillDetails(withoutPhone);
  await app.goToChecklist();
  await app.answer("cc-mgmt-01", "compliant");
  await app.answer("cc-mgmt-02", "hazard"); // no description yet

  // Tapping the chosen answer again clears it.
  await app.answer("cc-mgmt-03", "compliant");
  await expect(app.progress()).toHaveText(`3/${ITEMS.length}`);
  await app.answerButton("cc-mgmt-03", "compliant").click();
  await expect(app.answerButton("cc-mgmt-03", "compliant")).toHaveAttribute("aria-pressed", "false");
  await expect(app.progress()).toHaveText(`2/${ITEMS.length}`);

  await app.openReview();
  await app.expectCounts({ compliant: 1, hazard: 1, notApplicable: 0, unanswered: ITEMS.length - 2 });
  const missing = page.getByTestId("missing").getByRole("link");
  // The phone, the hazard's description and the six required fields of its rectification,
  // and every unanswered item.
  const rectificationFields = [app.t.rectMeasures, app.t.rectUnit, app.t.rectPerson, app.t.rectRole, app.t.rectPhone, app.t.rectDeadline];
  await expect(missing).toHaveCount(1 + 1 + 6 + (ITEMS.length - 2));
  await expect(missing.first()).toHaveText(`${app.t.principalPhone} (${app.t.required})`);
  await expect(missing.first()).toHaveAttribute("href", `#/i/${id}/details`);
  await expect(missing.nth(1)).toHaveText(`${text("cc-mgmt-02")} — ${app.t.hazardNeedsNote}`);
  for (const [n, field] of rectificationFields.entries()) {
    await expect(missing.nth(2 + n)).toHaveText(`${text("cc-mgmt-02")} — ${field} (${app.t.required})`);
    await expect(missing.nth(2 + n)).toHaveAttribute("href", `#/i/${id}/hazard/cc-mgmt-02`);
  }
  await expect(missing.nth(8)).toHaveText(`${text("cc-mgmt-03")} — ${app.t.unanswered}`);
  await expect(app.completeButton()).toBeDisabled();
  await expect(page.getByText(app.t.completeBlocked)).toBeVisible();

  // An unanswered item deep in the list: the link lands on it.
  await page.getByTestId("missing").getByRole("link", { name: `${text("cc-fire-02")} — ${app.t.unanswered}` }).click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/checklist/cc-fire-02$`));
  await expect(app.item("cc-fire-02")).toBeInViewport();
  await expect(app.item("cc-fire-02")).toBeFocused();
  await app.answer("cc-fire-02", "compliant");

  // The hazard without a description: the link lands on it, and it is described there.
  await app.openReview();
  await expect(missing).toHaveCount(6 + ITEMS.length - 1);
  await page.getByTestId("missing").getByRole("link", { name: `${text("cc-mgmt-02")} — ${app.t.hazardNeedsNote}` }).click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/checklist/cc-mgmt-02$`));
  await expect(app.item("cc-mgmt-02")).toBeInViewport();
  await app.item("cc-mgmt-02").getByLabel(app.t.hazardNoteLabel).fill("Fire-safety manager not appointed in writing");

  // Its rectification: the link lands on the hazard page, where each missing field says so.
  await app.openReview();
  await expect(missing).toHaveCount(6 + ITEMS.length - 2);
  await page.getByTestId("missing").getByRole("link", { name: `${text("cc-mgmt-02")} — ${app.t.rectMeasures} (${app.t.required})` }).click();
  await app.expectHazardPage("cc-mgmt-02");
  await expect(app.rectificationField("measures")).toHaveAttribute("aria-invalid", "true");
  await expect(app.rectificationField("funds")).toHaveAttribute("aria-invalid", "false");
  await expect(page.getByText(app.t.requiredMissing)).toHaveCount(6);
  // A responsible person's phone that is not one is flagged there and in the review.
  await app.fillRectification({ ...SAMPLE_RECTIFICATION, phone: "ask at the front desk" });
  await expect(page.getByText(app.t.requiredMissing)).toHaveCount(0);
  await expect(app.rectificationField("phone")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(app.t.phoneInvalid)).toBeVisible();
  await app.openReviewFromHazard();
  await expect(missing).toHaveCount(1 + ITEMS.length - 2);
  await page.getByTestId("missing").getByRole("link", { name: `${text("cc-mgmt-02")} — ${app.t.phoneInvalid}` }).click();
  await app.expectHazardPage("cc-mgmt-02");
  await app.rectificationField("phone").fill(SAMPLE_RECTIFICATION.phone);
  await expect(app.rectificationField("phone")).toHaveAttribute("aria-invalid", "false");
  await page.getByRole("link", { name: app.t.backToChecklist }).click();

  // The missing field: the link goes to the details.
  await app.openReview();
  await page.getByTestId("missing").getByRole("link", { name: `${app.t.principalPhone} (${app.t.required})` }).click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/details$`));
  await app.field("principalPhone").fill("021-6888 1234");

  await app.goToChecklist();
  await app.answerAll(SECTOR, { "cc-mgmt-02": "hazard" });
  await app.openReview();
  await expect(page.getByTestId("missing")).toHaveCount(0);
  await expect(page.getByText(app.t.nothingMissing)).toBeVisible();
  await expect(app.completeButton()).toBeEnabled();
});

test("an invalid phone number is flagged on the field and in the review", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  await app.startInspection(SECTOR);
  const phone = app.field("principalPhone");
  await expect(phone).toHaveAttribute("type", "tel");

  await phone.fill("call the front desk");
  await expect(page.getByText(app.t.phoneInvalid)).toBeVisible();
  await expect(phone).toHaveAttribute("aria-invalid", "true");

  await app.goToChecklist();
  await app.openReview();
  await expect(page.getByTestId("missing").getByRole("link", { name: app.t.phoneInvalid })).toBeVisible();
  await page.getByTestId("missing").getByRole("link", { name: app.t.phoneInvalid }).click();

  await expect(phone).toHaveValue("call the front desk");
  await phone.fill("+86 (21) 6888-1234");
  await expect(page.getByText(app.t.phoneInvalid)).toBeHidden();
  await expect(phone).toHaveAttribute("aria-invalid", "false");
});
