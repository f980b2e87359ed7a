// Safewalk can be installed to the home screen: Chromium's own installability check passes,
// and the manifest says what a launcher needs. A persistent profile, because Chromium
// refuses to install from an incognito one (which every normal test context is), hence
// a real profile.
import { App, expect, test } from "./support/app";
import { launchProfile } from "./support/profile";

test("Chromium finds nothing that stops installing the app", async ({ server }) => {
  const profile = await launchProfile();
  try {
    const page = profile.context.pages()[0] ?? (await profile.context.newPage());
    const app = new App(page, server.url);
    await app.open();
    await app.waitForServiceWorker();

    const cdp = await profile.context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
  } finally {
    await profile.close();
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
