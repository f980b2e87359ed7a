import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./support/browser";

// End-to-end tests against the release build in dist/ (scripts/build), on a phone-sized
// viewport, in Debian's Chromium. Each test starts its own static server (support/server.ts)
// so it can stop it, or serve a new build, in the middle of the test.
export default defineConfig({
  testDir: ".",
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
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: "retain-on-failure",
  },
});
