// The office's register of sites, tasks and random draws, in a browser as a supervisor works
// them (issue 14): sites imported from CSV, one found by its credit code, a task assigned from
// its page, a draw made, published and replayed from its record; every page passes axe and
// fits the width of the screen it is read on.
import { expect, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import { INSPECTOR } from "./support/server";

// A valid unified social credit code (its check character agrees), and two sites without one.
const WANDA_CODE = "91350100M000100Y43";
const SITES_CSV = [
  "name,address,uscc,district,department,sectors,category,position",
  `上海万达广场（五角场店）,邯郸路600号,${WANDA_CODE},杨浦,,commercial-complex,,`,
  "百联又一城,淞沪路8号,,杨浦,,commercial-complex,,",
  "华联超市,长宁路1号,,长宁,,commercial-complex,,",
].join("\n");

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

test("a supervisor imports sites, finds one by its code, assigns it a task and publishes a reproducible random draw", async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const office = await context.newPage();
  await server.signInToOffice(office);
  const checkPage = async (name: string) => {
    await expectAccessible(office, name);
    const fits = await office.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect.soft(fits, `${name} is no wider than the screen`).toBe(true);
  };

  await office.getByRole("link", { name: "场所", exact: true }).click();
  await office.getByRole("link", { name: "导入 CSV" }).click();
  await checkPage("sites import");
  // A line with a wrong check character: nothing is imported, and the line is named.
  await office.getByLabel("CSV 文本").fill(`${SITES_CSV}\n坏代码商场,某路1号,91350100M000100Y44,杨浦,,commercial-complex,,`);
  await office.getByRole("button", { name: "导入" }).click();
  await expect(office.getByRole("heading", { name: /未导入/ })).toBeVisible();
  await expect(office.getByRole("listitem").filter({ hasText: "第5行" })).toBeVisible();
  await office.getByLabel("CSV 文本").fill(SITES_CSV);
  await office.getByRole("button", { name: "导入" }).click();

  await office.goto(`${server.url}office/sites`);
  await expect(office.getByText("3 个场所")).toBeVisible();
  await checkPage("sites");
  await office.getByLabel("名称、代码或地址").fill(WANDA_CODE.toLowerCase());
  await office.getByRole("button", { name: "查找" }).click();
  await expect(office.getByText("1 个场所")).toBeVisible();
  await office.getByRole("link", { name: "上海万达广场（五角场店）" }).click();
  await checkPage("a site");

  await office.getByRole("link", { name: "派发任务" }).click();
  await checkPage("assign a task");
  await office.getByRole("checkbox", { name: INSPECTOR }).check();
  await office.getByLabel("期限").fill(tomorrow());
  await office.getByRole("button", { name: "派发" }).click();
  await expect(office.getByRole("heading", { name: /^任务 \d{4}-0001$/ })).toBeVisible();
  await expect(office.getByRole("main").or(office.locator("body"))).toContainText("上海万达广场（五角场店）");
  await checkPage("a task");

  await office.getByRole("link", { name: "任务", exact: true }).click();
  await expect(office.getByRole("row").filter({ hasText: "上海万达广场（五角场店）" })).toHaveCount(1);
  await checkPage("tasks");

  await office.goto(`${server.url}office/draws`);
  await checkPage("draws");
  await office.getByLabel("辖区").selectOption("杨浦");
  await office.getByLabel("抽取场所数").fill("2");
  await office.getByLabel("每个场所检查人员数").fill("1");
  await office.getByLabel("检查表").selectOption("commercial-complex");
  await office.getByLabel("期限").fill(tomorrow());
  await office.getByLabel("随机种子（可留空）").fill("20261203");
  await office.getByRole("button", { name: "抽取并派发" }).click();
  await expect(office.locator('[data-replay="same"]')).toBeVisible();
  // Only the district's two sites could be drawn; each is paired with the one inspector.
  await expect(office.locator("body")).toContainText("百联又一城");
  await expect(office.locator("body")).not.toContainText("华联超市");
  await checkPage("a draw");

  await office.getByRole("link", { name: "隐患", exact: true }).click();
  await checkPage("hazards");
  await context.close();
});
