import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./support/browser";

// End-to-end tests against the release build in dist/ (scripts/build), on a phone-sized
// viewport, in Debian's Chromium. Each test starts its own static server (support/server.ts)
// so it can stop it, or serve a new build, in the middle of the test. The run refuses to
// start when dist/ or the receiver is older than its sources (support/fresh-build.ts), and
// a test fails on any Content-Security-Policy violation (support/csp.ts).
export default defineConfig({
  testDir: ".",
  globalSetup: "./support/fresh-build.ts",
  outputDir: "../../test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    ...devices["Pixel 7"],
    browserName: "chromium",
    locale: "en-US",
    serviceWorkers: "allow",
    // The receiver's Content-Security-Policy applies, as on a phone: the app must work under it.
    bypassCSP: false,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: "retain-on-failure",
  },
});
