// The app speaks the phone's language (Chinese when it prefers Chinese, else English), and
// the header switch overrides that for good.
import { App, expect, test } from "./support/app";
import { EN, ZH } from "./support/strings";
import { template } from "./support/templates";

test.describe("a phone that prefers Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("shows Chinese; the switch changes to English and that survives a reload", async ({ page, server }) => {
    const zh = new App(page, server.url, "zh");
    await zh.open();
    await expect(page.getByRole("link", { name: ZH.newInspection })).toBeVisible();
    await expect(page.getByRole("heading", { name: ZH.drafts })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

    await page.getByRole("button", { name: ZH.languageSwitch }).click();
    const en = new App(page, server.url, "en");
    await en.ready();
    await expect(page.getByRole("link", { name: EN.newInspection })).toBeVisible();
    await expect(page.getByRole("link", { name: ZH.newInspection })).toHaveCount(0);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("button", { name: EN.languageSwitch })).toBeVisible();
    expect(await en.storedRaw("safewalk.lang")).toBe("en");

    await en.reload();
    await expect(page.getByRole("link", { name: EN.newInspection })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });
});

test.describe("a phone that prefers English", () => {
  test.use({ locale: "en-US" });

  test("shows English; switching in the middle of a checklist keeps the work and translates it", async ({ page, server }) => {
    const en = new App(page, server.url, "en");
    await en.open();
    await expect(page.getByRole("link", { name: EN.newInspection })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");

    await en.startInspection("commercial-complex");
    await en.fillDetails({ siteName: "Riverside Mall" });
    await en.goToChecklist();
    await en.answer("cc-mgmt-01", "hazard");
    await en.writeNote("cc-mgmt-01", "No written appointment");
    const first = template("commercial-complex").sections[0];

    await page.getByRole("button", { name: EN.languageSwitch }).click();
    const zh = new App(page, server.url, "zh");
    await zh.ready();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 2, name: first.title.zh })).toBeVisible();
    await expect(zh.item("cc-mgmt-01")).toContainText(first.items[0].text.zh);
    await expect(zh.answerButton("cc-mgmt-01", "hazard")).toHaveAttribute("aria-pressed", "true");
    await expect(zh.item("cc-mgmt-01").getByLabel(ZH.hazardNoteLabel)).toHaveValue("No written appointment");
    await expect(page.getByRole("link", { name: ZH.review, exact: true })).toBeVisible();

    await zh.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(zh.item("cc-mgmt-01")).toContainText(first.items[0].text.zh);
    expect(await zh.storedRaw("safewalk.lang")).toBe("zh");
  });
});
