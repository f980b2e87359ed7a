// One draft open in two tabs (or the installed app and a browser tab): what either tab
// answers shows in the other, and no tab's write replaces answers it has not seen, even
// when both answer within the same write-behind.
import { App, expect, test } from "./support/app";
import { items } from "./support/templates";

const SECTOR = "commercial-complex";
const [ONE, TWO, THREE, FOUR] = items(SECTOR).map((item) => item.id);

test.beforeEach(async ({ context }) => {
  // One clock for both tabs, so the test can hold both write-behinds at once.
  await context.clock.install();
});

test("two tabs on one draft both answering keep every answer, before and after a reload", async ({ page, context, server }) => {
  const a = new App(page, server.url);
  await a.open();
  const id = await a.startInspection(SECTOR);
  await a.goToChecklist();
  const checklist = page.url();

  // Tab B is opened before A answers anything.
  const b = new App(await context.newPage(), server.url);
  await b.page.goto(checklist);
  await b.ready();
  await expect(b.progress()).toHaveText(`0/${items(SECTOR).length}`);

  // One after the other: each answer reaches the other tab.
  await a.answer(ONE, "compliant");
  await a.expectSaved();
  await expect(b.answerButton(ONE, "compliant")).toHaveAttribute("aria-pressed", "true");
  await b.answer(TWO, "hazard");
  await b.expectSaved();
  await expect(a.answerButton(TWO, "hazard")).toHaveAttribute("aria-pressed", "true");

  // At once: both answers are only in memory when the writes run.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
  await a.answer(THREE, "not_applicable");
  await b.answer(FOUR, "compliant");
  await expect(a.saveState()).toHaveText(a.t.saving);
  await expect(b.saveState()).toHaveText(b.t.saving);
  await page.clock.resume();
  await a.expectSaved();
  await b.expectSaved();

  await a.expectStored(id, (stored) => {
    expect(stored.answers[ONE]?.answer).toBe("compliant");
    expect(stored.answers[TWO]?.answer).toBe("hazard");
    expect(stored.answers[THREE]?.answer).toBe("not_applicable");
    expect(stored.answers[FOUR]?.answer).toBe("compliant");
  });
  for (const tab of [a, b]) {
    await expect(tab.progress()).toHaveText(`4/${items(SECTOR).length}`);
    await tab.reload();
    await expect(tab.progress()).toHaveText(`4/${items(SECTOR).length}`);
    for (const [item, kind] of [
      [ONE, "compliant"],
      [TWO, "hazard"],
      [THREE, "not_applicable"],
      [FOUR, "compliant"],
    ] as const) {
      await expect(tab.answerButton(item, kind)).toHaveAttribute("aria-pressed", "true");
    }
  }
});

test("a note typed in one tab and an answer given in the other on the same item are both kept", async ({ page, context, server }) => {
  const a = new App(page, server.url);
  await a.open();
  const id = await a.startInspection(SECTOR);
  await a.goToChecklist();
  const b = new App(await context.newPage(), server.url);
  await b.page.goto(page.url());
  await b.ready();

  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
  await a.writeNote(ONE, "Sprinkler valve chained open");
  await b.answer(ONE, "compliant");
  await page.clock.resume();
  await a.expectSaved();
  await b.expectSaved();
  await a.expectStored(id, (stored) => {
    expect(stored.answers[ONE]?.answer).toBe("compliant");
    expect(stored.answers[ONE]?.note).toBe("Sprinkler valve chained open");
  });
  await a.reload();
  await expect(a.answerButton(ONE, "compliant")).toHaveAttribute("aria-pressed", "true");
  await expect(a.item(ONE).getByRole("textbox")).toHaveValue("Sprinkler valve chained open");
});
