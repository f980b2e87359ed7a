// Debian's Chromium, with the flags this closed network needs (scripts/chromium.json).
import chromium from "../../../scripts/chromium.json";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumArgs: string[] = chromium.args;
