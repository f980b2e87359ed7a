// The app as the receiver serves it to a phone: compressed, cached by name, and under a
// Content-Security-Policy that allows no inline code but the build's own (by hash). Every
// other spec also fails on any CSP violation (support/csp.ts); these check what the policy
// and the transfer are.
import { App, expect, test } from "./support/app";

test("the first visit downloads the app brotli-compressed, hashed files cached for good, under a CSP without 'unsafe-inline'", async ({ page, server }) => {
  const responses = new Map<string, { status: number; headers: Record<string, string> }>();
  page.on("response", async (response) => {
    responses.set(new URL(response.url()).pathname, { status: response.status(), headers: await response.allHeaders() });
  });
  const app = new App(page, server.url);
  await app.open();
  await app.waitForServiceWorker();

  const shell = responses.get("/");
  expect(shell?.status).toBe(200);
  const policy = shell?.headers["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]{44}')+;/);
  expect(policy).not.toContain("unsafe-inline");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(shell?.headers["cache-control"]).toBe("no-cache");
  expect(shell?.headers["content-encoding"]).toBe("br");

  const wasm = [...responses].find(([path]) => path.endsWith("_bg.wasm"));
  expect(wasm, "the wasm was downloaded").toBeDefined();
  expect(wasm![1].headers["content-encoding"]).toBe("br");
  expect(wasm![1].headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  const script = [...responses].find(([path]) => /\/safewalk-[0-9a-f]+\.js$/.test(path));
  expect(script![1].headers["content-encoding"]).toBe("br");
  expect(script![1].headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(responses.get("/templates.json")?.headers["cache-control"]).toBe("no-cache");
});

test("the panic banner's Reload button reloads the app under the CSP (no inline handler)", async ({ page, server }) => {
  const app = new App(page, server.url);
  await app.open();
  // What the panic hook does when the wasm app stops: reveal the static banner.
  await page.evaluate(() => {
    (window as unknown as { beforeReload: boolean }).beforeReload = true;
    document.getElementById("panic-banner")?.removeAttribute("hidden");
  });
  const reload = page.getByRole("button", { name: "重新加载 · Reload" });
  await expect(reload).toBeVisible();
  await Promise.all([page.waitForEvent("load"), reload.click()]);
  expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
  await expect(page.locator("#panic-banner")).toBeHidden();
});
