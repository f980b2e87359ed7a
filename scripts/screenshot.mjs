// Takes the README's phone screenshots of a running build (scripts/run, or any URL given).
// Usage: node scripts/screenshot.mjs [url]   — writes docs/img/*.png
// Chinese text needs a CJK font on the machine (Debian: fonts-wqy-microhei).
import { chromium, devices } from "@playwright/test";
import fs from "node:fs";

const url = process.argv[2] ?? "http://127.0.0.1:8080/";
const args = JSON.parse(fs.readFileSync(new URL("./chromium.json", import.meta.url), "utf8")).args;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args });
try {
  const context = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole("link", { name: "新建检查" }).click();
  await page.getByRole("button", { name: /大型商业综合体/ }).click();
  await page.getByLabel("场所名称").fill("滨江购物中心");
  await page.getByLabel("地址").fill("滨江路 88 号");
  await page.getByRole("link", { name: "进入检查表" }).click();
  const items = page.locator("article.item");
  await items.nth(0).getByRole("button", { name: "符合" }).click();
  await items.nth(1).getByRole("button", { name: "发现隐患" }).click();
  await items.nth(1).getByRole("textbox").fill("3 号安全出口被货物堵塞");
  await items.nth(2).getByRole("button", { name: "不适用" }).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "docs/img/checklist-zh.png" });
  await page.getByRole("link", { name: "检查汇总" }).click();
  await page.screenshot({ path: "docs/img/review-zh.png" });
} finally {
  await browser.close();
}
