// A re-inspection that carries two hazards of one item (found on two earlier visits to the
// site): each carried hazard has its own photo strip, and so its own element ids. Once the
// strip's id came from the item alone: two strips with one id (axe "duplicate-id"), and a
// label pointing at the other check's input.
import { App, expect, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import { item } from "./support/templates";

const SECTOR = "commercial-complex";
const ITEM = "cc-mgmt-01";

test("two hazards of one item in a re-inspection: each photo input has its own id and label, axe clean", async ({ page, server }) => {
  test.setTimeout(120_000);
  const app = new App(page, server.url);
  await app.open();
  for (const description of ["No fire-safety manager appointed in writing", "Still no fire-safety manager appointed"]) {
    await app.completeWholeInspection(SECTOR, SAMPLE_DETAILS, [{ item: ITEM, description, rectification: SAMPLE_RECTIFICATION }]);
    await app.goHome();
  }
  await app.openRegister();
  const text = item(SECTOR, ITEM).text.en;
  await expect(app.registerEntry(text)).toHaveCount(2);
  await app.reinspect(app.registerEntry(text).first());
  await expect(app.check(text)).toHaveCount(2);

  // Every id on the screen once; each photo input's label is its own.
  const ids = await page.locator("[id]").evaluateAll((all) => all.map((e) => e.id));
  expect(ids.filter((id, n) => ids.indexOf(id) !== n), "ids used twice").toEqual([]);
  const inputs = await page.locator('[data-testid="photo-take"], [data-testid="photo-choose"]').evaluateAll((all) =>
    all.map((input) => ({ id: input.id, labelledBy: (input as HTMLInputElement).labels?.[0]?.htmlFor ?? "" }))
  );
  expect(inputs).toHaveLength(4);
  expect(new Set(inputs.map((i) => i.id)).size).toBe(4);
  for (const input of inputs) expect(input.labelledBy).toBe(input.id);
  const [first, second] = await app.check(text).all();
  expect(await first.getByTestId("photo-take").getAttribute("id")).not.toBe(await second.getByTestId("photo-take").getAttribute("id"));
  await expectAccessible(page, "a re-inspection with two hazards of one item");
});
