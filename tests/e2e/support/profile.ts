// A browser with a real (non-incognito) profile on disk, as on an inspector's phone, with
// the same phone emulation and Chromium as the config. For what a normal test context cannot
// show: installability (refused in incognito) and browser settings such as blocked storage.
import { BrowserContext, chromium, devices } from "@playwright/test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromiumArgs, chromiumPath } from "./browser";
import { watchCsp } from "./csp";

export interface Profile {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium on a fresh profile; `preferences` go into the profile's Preferences file. */
export async function launchProfile(preferences?: object): Promise<Profile> {
  const dir = mkdtempSync(path.join(tmpdir(), "safewalk-profile-"));
  if (preferences) {
    mkdirSync(path.join(dir, "Default"));
    writeFileSync(path.join(dir, "Default", "Preferences"), JSON.stringify(preferences));
  }
  const { defaultBrowserType: _, ...phone } = devices["Pixel 7"];
  const context = await chromium.launchPersistentContext(dir, {
    ...phone,
    locale: "en-US",
    executablePath: chromiumPath,
    args: chromiumArgs,
    serviceWorkers: "allow",
  });
  // Its CSP violations fail the test too (the `test` fixture reads them at teardown).
  await watchCsp(context);
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium's "Don't allow sites to save data on your device": localStorage throws. */
export const BLOCK_SITE_DATA = { profile: { default_content_setting_values: { cookies: 2 } } };
