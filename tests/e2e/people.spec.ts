// Putting a phone into service without typing a secret (issue 13): the office adds an
// inspector and shows a one-time sign-in link (and its QR code); the phone opens it, is signed
// in as that inspector, delivers, and the office shows who delivered; the link is dead after.
import { App, expect, SAMPLE_DETAILS, SAMPLE_RECTIFICATION, SETTINGS_KEY, test } from "./support/app";
import { expectAccessible } from "./support/axe";
import { ADMIN, ADMIN_PASSWORD } from "./support/server";
import { EN, ZH } from "./support/strings";
import { Sector } from "./support/templates";

const SECTOR: Sector = "commercial-complex";

// A phone fresh out of the box: no token until the link gives it one.
test.use({ phoneInService: false });

test("the office adds an inspector and hands the phone a one-time link; the phone delivers as that inspector; the link fails a second time", async ({
  browser,
  page,
  server,
}) => {
  test.setTimeout(120_000);
  // The office, on its own computer (another browser context).
  const officeContext = await browser.newContext();
  const office = await officeContext.newPage();
  await server.signInToOffice(office);
  await office.goto(`${server.url}office/people`);
  const add = office.locator('form[action="/office/people"]');
  await add.getByLabel("姓名").fill("Wang Wei");
  await add.getByLabel("角色").selectOption("inspector");
  await add.getByLabel("部门").fill("Brigade 1");
  await add.getByLabel("执法证号").fill("31000012");
  await add.getByRole("button", { name: "添加" }).click();
  const row = office.getByRole("row").filter({ hasText: "Wang Wei" });
  await expect(row).toContainText("31000012");
  await row.getByRole("button", { name: "登录链接" }).click();
  await expect(office.locator(".qr svg")).toBeVisible();
  const link = (await office.getByTestId("sign-in-link").textContent())!;
  expect(link).toMatch(new RegExp(`^${server.url}#/join/swl_`));

  // The phone opens the link (as its camera would): signed in, the token saved, no typing.
  const app = new App(page, server.url);
  await page.goto(link);
  await app.ready();
  await expect(page.getByTestId("join-message")).toHaveText("This phone is signed in as Wang Wei. Completed inspections are sent to this server.");
  const saved = JSON.parse((await app.storedRaw(SETTINGS_KEY))!).value;
  expect(saved).toMatchObject({ endpoint: "", inspector_name: "Wang Wei" });
  expect(saved.token).toMatch(/^swt_/);
  // The used code leaves the URL, and a re-render (switching language) still shows the phone
  // signed in: the code is not traded a second time ("already used"), the token stays.
  expect(page.url()).toBe(`${server.url}#/join`);
  await page.getByRole("button", { name: EN.languageSwitch }).click();
  await expect(page.getByTestId("join-message")).toHaveText("此手机已登录为 Wang Wei。完成的检查将上报到此服务器。");
  await page.getByRole("button", { name: ZH.languageSwitch }).click();
  await expect(page.getByTestId("join-message")).toHaveText("This phone is signed in as Wang Wei. Completed inspections are sent to this server.");
  expect(JSON.parse((await app.storedRaw(SETTINGS_KEY))!).value.token).toBe(saved.token);
  await app.openSettings();
  await expect(page.getByTestId("signed-in-as")).toContainText("Signed in as Wang Wei (inspector)");

  // It delivers; the office shows who.
  await app.goHome();
  const id = await app.startInspection(SECTOR);
  await app.fillDetails({ ...SAMPLE_DETAILS, inspectors: "Somebody Else" });
  await app.goToChecklist();
  await app.findHazard("cc-sys-03", "Sprinkler valve on B2 closed and chained");
  await app.rectify("cc-sys-03", SAMPLE_RECTIFICATION);
  await app.answerAll(SECTOR, { "cc-sys-03": "hazard" });
  await app.openReview();
  await app.complete();
  await app.expectDelivered(id);
  await office.goto(`${server.url}office`);
  const delivered = office.getByRole("row").filter({ hasText: SAMPLE_DETAILS.siteName });
  await expect(delivered.locator(".submitter")).toHaveText("Wang Wei");
  await office.goto(`${server.url}office/${id}`);
  await expect(office.locator("p.submitter")).toHaveText("提交人: Wang Wei");

  // The link is dead now: opened again (on another phone), it says so and gives no token.
  const second = await browser.newContext();
  const other = await second.newPage();
  await other.goto(link);
  await expect(other.getByTestId("join-message")).toHaveText("This sign-in link was already used or has expired. Ask the office for a new one.");
  expect(await other.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY)).toBeNull();

  // Signing out forgets the token.
  await app.openSettings();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Signed out: the access token is forgotten.");
  expect(JSON.parse((await app.storedRaw(SETTINGS_KEY))!).value.token).toBe("");
  await expect(app.settingsField("token")).toHaveValue("");

  // The audit shows the office's actions and the phone's sign-in.
  await office.goto(`${server.url}office/audit`);
  for (const action of ["person-added", "sign-in-link-issued", "token-issued", "sign-in-link-refused"]) {
    await expect(office.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  }
  await second.close();
  await officeContext.close();
});

test("the office pages pass axe and fit a phone's width; a signed-in admin changes their password, and only the new one signs in", async ({
  browser,
  server,
}) => {
  const officeContext = await browser.newContext();
  const office = await officeContext.newPage();
  await server.signInToOffice(office);
  for (const path of ["office", "office/people", "office/audit", "office/password"]) {
    await office.goto(`${server.url}${path}`);
    await expectAccessible(office, path);
    const fits = await office.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect.soft(fits, `${path} is no wider than the screen (wide tables scroll in their own box)`).toBe(true);
  }

  await office.goto(`${server.url}office`);
  await office.getByRole("link", { name: "密码", exact: true }).click();
  await office.getByLabel("当前密码").fill("not the password at all");
  await office.getByLabel("新密码（至少10个字符）").fill("a brand new office password");
  await office.getByRole("button", { name: "修改密码" }).click();
  await expect(office.getByRole("alert")).toHaveText("当前密码错误。");
  await office.getByLabel("当前密码").fill(ADMIN_PASSWORD);
  await office.getByLabel("新密码（至少10个字符）").fill("a brand new office password");
  await office.getByRole("button", { name: "修改密码" }).click();
  await expect(office.getByRole("status")).toHaveText("密码已修改，其他会话已退出。");

  await office.getByRole("button", { name: "退出" }).click();
  await office.getByLabel("姓名").fill(ADMIN);
  await office.getByLabel("密码").fill(ADMIN_PASSWORD);
  await office.getByRole("button", { name: "登录" }).click();
  await expect(office.getByRole("alert")).toContainText("姓名或密码错误");
  await office.getByLabel("姓名").fill(ADMIN);
  await office.getByLabel("密码").fill("a brand new office password");
  await office.getByRole("button", { name: "登录" }).click();
  await office.waitForURL(`${server.url}office`);
  await officeContext.close();
});
