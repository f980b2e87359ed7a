// The unified social credit code (统一社会信用代码) on the phone: optional, checked with core's
// parser as the inspector leaves the field, a mistyped one kept as typed but holding back
// completion, a good one shown as the office files it; delivered, it files the inspection
// under the site with that code on the office's register of sites.
import { App, expect, SAMPLE_DETAILS, test } from "./support/app";
import { Sector } from "./support/templates";

const SECTOR: Sector = "commercial-complex";
const SITE = "Wanda Plaza Wujiaochang";
/** A code as printed on a licence (the standard's example). */
const CODE = "91350100M000100Y43";
/** The same code with one character mistyped in the middle (0 → 1 at position 15). */
const TYPO = "91350100M000101Y43";

test("a mistyped credit code is caught on the phone; corrected, it files the inspection under its site at the office", async ({ context, page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection(SECTOR);
  await app.fillDetails({ ...SAMPLE_DETAILS, siteName: SITE });

  const code = app.field("uscc");
  const error = page.locator("#field-uscc-error");
  // Optional, and an input for a code: capitals from the keyboard, nothing corrected.
  await expect(code).not.toHaveAttribute("required", /.*/);
  await expect(page.locator("label[for=field-uscc]")).toHaveText(`${app.t.uscc} (${app.t.optional})`);
  await expect(code).toHaveAttribute("autocapitalize", "characters");
  await expect(code).toHaveAttribute("autocorrect", "off");
  await expect(code).toHaveAttribute("spellcheck", "false");

  // Half typed, nothing is said yet; left with a typo, core's check character catches it.
  await code.fill(TYPO.slice(0, 10));
  await expect(error).toHaveCount(0);
  await code.fill(TYPO);
  await code.blur();
  const wrong = "The check character should be Q, not 3: the code is mistyped. Compare every character with the business licence.";
  await expect(error).toHaveText(wrong);
  await expect(code).toHaveAttribute("aria-invalid", "true");
  await expect(code).toHaveAccessibleDescription(new RegExp(wrong.replace(/[.]/g, "\\.")));
  // Kept as typed, on the device too: nothing the inspector typed is dropped.
  await app.expectStored(id, (stored) => expect(stored.site.uscc).toBe(TYPO));
  await code.fill("91350100M000100Y4");
  await expect(error).toHaveText("A unified social credit code has 18 characters, not 17");

  // The review holds completion back and links to the field.
  await code.fill(TYPO);
  await app.goToChecklist();
  await app.answerAll(SECTOR);
  await app.openReview();
  const missing = page.getByTestId("missing").getByRole("link");
  await expect(missing).toHaveCount(1);
  await expect(missing).toHaveText(`${app.t.uscc} — ${wrong}`);
  await expect(page.getByText(app.t.completeBlocked)).toBeVisible();
  await missing.click();
  await expect(page).toHaveURL(new RegExp(`#/i/${id}/details$`));

  // Corrected, typed in lower case: the message goes as it is typed, and leaving the field
  // shows the code as the office files it.
  await expect(code).toHaveValue(TYPO);
  await expect(error).toHaveText(wrong);
  await code.fill(CODE.toLowerCase());
  await expect(error).toHaveCount(0);
  await expect(code).toHaveAttribute("aria-invalid", "false");
  await code.blur();
  await expect(code).toHaveValue(CODE);
  await app.expectStored(id, (stored) => expect(stored.site.uscc).toBe(CODE));

  await app.goToChecklist();
  await app.openReview();
  await app.complete();
  await app.expectDelivered(id);
  const stored = await server.stored();
  expect(stored.items.map((i) => i.id)).toEqual([id]);
  expect(stored.items[0].payload.inspection.site.uscc).toBe(CODE);

  // The office's register of sites lists the site with its code.
  const office = await context.newPage();
  await server.signInToOffice(office);
  await office.goto(`${server.url}office/sites`);
  const row = office.getByRole("row").filter({ hasText: SITE });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell", { name: CODE, exact: true })).toBeVisible();
  await office.close();
});

test("a full-width code is accepted and shown half-width; an empty field completes as before", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  const id = await app.startInspection(SECTOR);
  await app.fillDetails(SAMPLE_DETAILS);
  const code = app.field("uscc");
  // As typed on a Chinese keyboard in full-width mode.
  await code.fill("９１３５０１００Ｍ０００１００Ｙ４３");
  await code.blur();
  await expect(code).toHaveValue(CODE);
  await expect(page.locator("#field-uscc-error")).toHaveCount(0);
  // Cleared: no code is not a problem, and none is sent.
  await code.fill("  ");
  await code.blur();
  await expect(code).toHaveValue("");
  await app.goToChecklist();
  await app.answerAll(SECTOR);
  await app.openReview();
  await app.complete();
  await app.expectDelivered(id);
  const stored = await server.stored();
  expect(stored.items[0].payload.inspection.site).not.toHaveProperty("uscc");
});
