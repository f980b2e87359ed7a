// Every screen, in every state that shows something different, in English and in Chinese:
// no WCAG 2.1 A/AA violation that axe-core can find.
import { App, dateFromToday, expect, MAJOR_RECTIFICATION, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import type { Lang } from "./support/strings";

const VARIANTS: { name: string; lang: Lang; locale: string; colorScheme: "light" | "dark" }[] = [
  { name: "English", lang: "en", locale: "en-US", colorScheme: "light" },
  { name: "Chinese", lang: "zh", locale: "zh-CN", colorScheme: "light" },
  // The dark theme (a basement at night) has its own colours to check.
  { name: "Chinese, dark theme", lang: "zh", locale: "zh-CN", colorScheme: "dark" },
];

for (const { name, lang, locale, colorScheme } of VARIANTS) {
  test.describe(`accessibility, ${name}`, () => {
    test.use({ locale, colorScheme });

    test("home (empty) and new inspection", async ({ page, server }) => {
      const app = new App(page, server.url, lang);
      await app.open();
      await expect(page.getByText(app.t.noDrafts)).toBeVisible();
      await expectAccessible(page, "home, empty");

      await page.getByRole("link", { name: app.t.newInspection }).click();
      await expect(page.getByRole("heading", { level: 1, name: app.t.pickSector })).toBeVisible();
      await expectAccessible(page, "new inspection");
    });

    test("settings, with an endpoint refused", async ({ page, server }) => {
      const app = new App(page, server.url, lang);
      await app.open("#/settings");
      await expect(page.locator("#settings-endpoint")).toBeVisible();
      await expectAccessible(page, "settings");

      await page.locator("#settings-endpoint").fill("http://example.com");
      await app.saveButton().click();
      await expect(page.getByTestId("settings-message")).not.toBeEmpty();
      await expectAccessible(page, "settings, endpoint refused");
    });

    test("details, checklist and review of a draft with problems", async ({ page, server }) => {
      const app = new App(page, server.url, lang);
      await app.open();
      await app.startInspection("commercial-complex");
      await expectAccessible(page, "details, empty");

      await app.fillDetails({ siteName: "Riverside Mall", principalPhone: "12ab" });
      await expect(page.getByText(app.t.phoneInvalid)).toBeVisible();
      await expectAccessible(page, "details, invalid phone");

      await app.goToChecklist();
      await app.answer("cc-mgmt-01", "compliant");
      await app.answer("cc-mgmt-02", "hazard");
      await expect(app.item("cc-mgmt-02").getByText(app.t.hazardNeedsNote)).toBeVisible();
      await app.answer("cc-mgmt-03", "not_applicable");
      await app.writeNote("cc-mgmt-03", "Managed by the landlord");
      await expectAccessible(page, "checklist, hazard without its description");

      await app.openReview();
      await expect(page.getByTestId("missing")).toBeVisible();
      await expectAccessible(page, "review, with missing items");
    });

    test("home with a draft, a completed inspection and an unreadable draft; completed review", async ({ page, server }) => {
      const app = new App(page, server.url, lang);
      await app.open();
      await app.completeWholeInspection("commercial-complex");
      await expectAccessible(page, "review, completed");

      await page.getByRole("link", { name: app.t.checklist }).click();
      await expect(page.getByText(app.t.readOnly)).toBeVisible();
      await expectAccessible(page, "checklist, completed (read-only)");

      await app.goHome();
      await app.startInspection("warehouse-logistics");
      await app.goHome();
      const key = await app.plantUnreadable('{"format":2,"inspection":{"id":');
      await app.reload();
      await expect(app.cards("drafts")).toHaveCount(1);
      await expect(app.cards("completed")).toHaveCount(1);
      await app.openRawText(key);
      await expectAccessible(page, "home with drafts, completed and unreadable");
    });

    test("hazard page, register and re-inspection", async ({ page, server }) => {
      test.setTimeout(120_000);
      const app = new App(page, server.url, lang);
      await app.open();
      const id = await app.startInspection("commercial-complex");
      await app.fillDetails(SAMPLE_DETAILS);
      await app.goToChecklist();

      // A major hazard with nothing filled in yet: every required field flagged.
      await app.findHazard("cc-sep-03", "LPG cylinders stored in shop 2-17");
      await expect(app.hazardLink("cc-sep-03")).toBeVisible();
      await expectAccessible(page, "checklist, with a graded hazard's link");
      await app.openHazard("cc-sep-03");
      await expect(app.rectificationField("supervisor")).toHaveAttribute("aria-invalid", "true");
      await expectAccessible(page, "hazard page, major, rectification missing");
      await app.chooseGrade("lower");
      await expect(page.getByText(app.t.lowerReasonNeeded)).toBeVisible();
      await expectAccessible(page, "hazard page, lowering without a reason");
      await app.chooseGrade("rule");
      await app.fillRectification(MAJOR_RECTIFICATION);
      await expectAccessible(page, "hazard page, planned rectification");
      await page.getByRole("link", { name: app.t.backToChecklist }).click();

      // One overdue, one fixed on the spot.
      await app.findHazard("cc-mgmt-01", "No fire-safety manager appointed in writing");
      await app.rectify("cc-mgmt-01", { ...SAMPLE_RECTIFICATION, deadline: dateFromToday(-3) });
      await app.findHazard("cc-fire-03", "E-bikes charging in the stairwell");
      await app.openHazard("cc-fire-03");
      await app.fillRectification({ onTheSpot: "Moved outside" });
      await expectAccessible(page, "hazard page, general, rectified on the spot");
      await page.getByRole("link", { name: app.t.backToChecklist }).click();
      await app.answerAll("commercial-complex", { "cc-sep-03": "hazard", "cc-mgmt-01": "hazard", "cc-fire-03": "hazard" });
      await app.openReview();
      await expect(page.getByTestId("responsibilities")).toBeVisible();
      await expectAccessible(page, "review with graded hazards, exclusions and responsibilities");
      await app.complete();

      await app.goHome();
      await expect(app.registerSummary()).toBeVisible();
      await expectAccessible(page, "home with the register summary (overdue)");
      await app.openRegister();
      await expect(app.registerEntries()).toHaveCount(2);
      await app.showClosedBox().check();
      await expect(app.registerEntries()).toHaveCount(3);
      await expectAccessible(page, "register, with an overdue hazard and closed ones shown");
      await app.registerEntries().first().getByRole("link", { name: app.t.open, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`#/i/${id}/hazard/`));
      await expectAccessible(page, "hazard page, completed (read-only)");

      await app.goHome();
      await app.openRegister();
      await app.reinspect(app.registerEntries().first());
      await expect(app.checks()).toHaveCount(2);
      await expectAccessible(page, "re-inspection checklist");
      await app.verify(app.checks().first(), "rectified", "Fixed");
      await app.verdictButton(app.checks().nth(1), "not_rectified").click();
      await expectAccessible(page, "re-inspection checklist, with verdicts");
      await page.getByRole("link", { name: app.t.review, exact: true }).click();
      await expect(page.getByTestId("missing")).toBeVisible();
      await expectAccessible(page, "re-inspection review, a note missing");
    });
  });
}
