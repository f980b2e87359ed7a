// Home and the register stay fast with a year of records: a page of cards at a time, with
// "show more", and the whole count told without building every card.
import { App, expect, SAMPLE_RECTIFICATION, test } from "./support/app";
import { deliveredAndMoved, inLocalStorage, seedDeliveredCopies } from "./support/archive";

const COPIES = 120; // + the one delivered for real: 121 records, 121 hazards
const PAGE = 50;

test("Home and the register show a page of a year of records at a time, with show more", async ({ page, server }) => {
  test.setTimeout(120_000);
  const app = new App(page, server.url);
  const first = await deliveredAndMoved(app, [{ item: "cc-evac-03", description: "Exit chained", rectification: SAMPLE_RECTIFICATION }]);
  await seedDeliveredCopies(page, first, COPIES);
  await app.reload();
  await expect.poll(() => inLocalStorage(page), { timeout: 30_000 }).toEqual([]);
  const total = COPIES + 1;

  const more = page.getByRole("button", { name: /^Show more/ });
  await expect(app.cards("completed")).toHaveCount(PAGE);
  await expect(more).toHaveText(`Show more (${PAGE} of ${total} shown)`);
  await more.click();
  await expect(app.cards("completed")).toHaveCount(2 * PAGE);
  await more.click();
  await expect(app.cards("completed")).toHaveCount(total);
  await expect(more).toHaveCount(0);

  await expect(app.registerSummary()).toContainText(`${app.t.openHazards}: ${total} `);
  await app.openRegister();
  await expect(app.registerEntries()).toHaveCount(PAGE);
  await expect(more).toHaveText(`Show more (${PAGE} of ${total} shown)`);
  await more.click();
  await expect(app.registerEntries()).toHaveCount(2 * PAGE);
});
