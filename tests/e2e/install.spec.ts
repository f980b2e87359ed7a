// Safewalk can be installed to the home screen: Chromium's own installability check passes,
// and the manifest says what a launcher needs. A persistent profile, because Chromium
// refuses to install from an incognito one (which every normal test context is).
import { chromium, devices } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, expect, test } from "./support/app";
import { chromiumArgs, chromiumPath } from "./support/browser";

test("Chromium finds nothing that stops installing the app", async ({ server }) => {
  const profile = mkdtempSync(path.join(tmpdir(), "safewalk-profile-"));
  const { defaultBrowserType: _, ...pixel } = devices["Pixel 7"];
  const context = await chromium.launchPersistentContext(profile, {
    ...pixel,
    locale: "en-US",
    executablePath: chromiumPath,
    args: chromiumArgs,
    serviceWorkers: "allow",
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const app = new App(page, server.url);
    await app.open();
    await app.waitForServiceWorker();

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("the manifest names the app, runs standalone and has 192, 512 and maskable icons that load", async ({ page, server, request }) => {
  const app = new App(page, server.url);
  await app.open();
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifestUrl = new URL(href!, server.url).href;
  const response = await request.get(manifestUrl);
  expect(response.ok()).toBe(true);
  const manifest = await response.json();

  expect(manifest).toMatchObject({
    name: "Safewalk 安全巡查",
    short_name: "Safewalk",
    start_url: "./",
    scope: "./",
    display: "standalone",
  });
  const icons: { src: string; sizes: string; type: string; purpose?: string }[] = manifest.icons;
  const find = (sizes: string, purpose: string) => icons.find((i) => i.sizes === sizes && (i.purpose ?? "any").split(" ").includes(purpose));
  for (const icon of [find("192x192", "any"), find("512x512", "any"), find("512x512", "maskable")]) {
    expect(icon, JSON.stringify(icons)).toBeDefined();
    const image = await request.get(new URL(icon!.src, manifestUrl).href);
    expect(image.ok(), icon!.src).toBe(true);
    expect(image.headers()["content-type"]).toBe("image/png");
    // The PNG's own width and height (IHDR) match what the manifest claims.
    const png = await image.body();
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(`${width}x${height}`, icon!.src).toBe(icon!.sizes);
  }
});
