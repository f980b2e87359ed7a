// Every screen, in every state that shows something different, in English and in Chinese:
// no WCAG 2.1 A/AA violation that axe-core can find.
import { App, dateFromToday, expect, MAJOR_RECTIFICATION, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import { jpegFile } from "./support/images";
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

      await app.fillDetails({ siteName: "Riverside Mall", principalPhone: "12ab", uscc: "91350100M000101Y43" });
      await app.field("uscc").blur();
      await expect(page.getByText(app.t.phoneInvalid)).toBeVisible();
      await expect(page.locator("#field-uscc-error")).toBeVisible();
      await expectAccessible(page, "details, invalid phone and credit code");

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

    test("evidence: details with a position, an item with photos, the hazard page, the review with the signature form and with signatures, the report", async ({
      context,
      page,
      server,
    }) => {
      test.setTimeout(120_000);
      // An imprecise fix: the warnings show too.
      await context.grantPermissions(["geolocation"], { origin: new URL(server.url).origin });
      await context.setGeolocation({ latitude: 31.2305, longitude: 121.4739, accuracy: 90 });
      const app = new App(page, server.url, lang);
      await app.open();
      const id = await app.startInspection("commercial-complex");
      await app.fillDetails(SAMPLE_DETAILS);
      await app.recordLocationButton().click();
      await expect(page.getByTestId("position-warning")).toBeVisible();
      await expectAccessible(page, "details, with an imprecise position recorded");

      await app.goToChecklist();
      await app.findHazard("cc-sys-03", "Pallets under the fire shutter of unit B2-14");
      const strip = app.photoStrip(app.item("cc-sys-03"));
      await app.addPhoto(strip, await jpegFile(page, { width: 1600, height: 1200, seed: 1 }));
      await app.addPhoto(strip, await jpegFile(page, { width: 1200, height: 1600, seed: 2 }), "choose");
      await expect(strip.getByTestId("photo-location")).toHaveText(app.t.accuracyPoor);
      await app.expectPicturesShown(app.photos(strip).getByRole("img"));
      await expectAccessible(page, "checklist, an item with photos (imprecise position)");
      await app.photos(strip).first().getByTestId("photo-delete").click();
      await expect(app.photos(strip).first().getByTestId("photo-delete-yes")).toBeVisible();
      await expectAccessible(page, "checklist, a photo's delete confirmation");
      await app.photos(strip).first().getByTestId("photo-delete-no").click();

      await app.openHazard("cc-sys-03");
      await app.fillRectification(SAMPLE_RECTIFICATION);
      await expect(app.photos()).toHaveCount(2);
      await expectAccessible(page, "hazard page, with photos");
      await page.getByRole("link", { name: app.t.backToChecklist }).click();
      await app.answerAll("commercial-complex", { "cc-sys-03": "hazard" });

      await app.openReview();
      await expect(app.signatureForm()).toBeVisible();
      await expectAccessible(page, "review, with the signature form");
      await app.signatureForm().getByTestId("sign").click();
      await expect(app.signatureForm().getByTestId("signature-error")).toHaveText(app.t.signatureNeedsName);
      await expectAccessible(page, "review, signing without a name");
      await app.sign("Wang Wei", "inspector");
      await app.sign("Zhao Li", "site_representative");
      await expect(page.getByTestId("signed-locked")).toBeVisible();
      await expectAccessible(page, "review, signed (locked), with signatures");
      await app.complete();
      await expectAccessible(page, "review, completed, with signatures");

      await app.openReport(id);
      await app.expectPicturesShown(page.getByTestId("report-photo").getByRole("img"));
      await app.expectPicturesShown(app.signatures().getByRole("img"));
      await expectAccessible(page, "report");
    });

    test("details with location refused; settings with storage and the data section's messages", async ({ context, page, server }) => {
      await context.clearPermissions();
      const app = new App(page, server.url, lang);
      await app.open();
      await app.startInspection("commercial-complex");
      await app.recordLocationButton().click();
      await expect(page.getByTestId("location-problem")).toHaveText(app.t.locationDenied);
      await expectAccessible(page, "details, location refused");

      await app.openSettings();
      await expect(page.getByTestId("storage-usage")).not.toBeEmpty();
      await expectAccessible(page, "settings, with storage and data");
      const download = await app.downloadFrom("backup-unsent");
      await download.path();
      await expect(app.dataMessage()).toHaveClass(/banner-success/);
      await expectAccessible(page, "settings, backed up");
      await app.page.getByTestId("restore-file").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": 1}') });
      await expect(app.dataMessage()).toHaveAttribute("role", "alert");
      await expectAccessible(page, "settings, restore refused");
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
