// Copies of the release build, and "new builds" made from them, for the update tests.
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { distDir, repoRoot } from "./server";

/** The content version scripts/sw-precache wrote into DIR/sw.js. */
export function swVersion(dir: string): string {
  const match = /const VERSION = "([0-9a-f]{16})";/.exec(readFileSync(path.join(dir, "sw.js"), "utf8"));
  if (!match) throw new Error(`no version in ${dir}/sw.js`);
  return match[1];
}

/** A copy of dist/ at `dir`. */
export function copyBuild(dir: string, from = distDir): string {
  cpSync(from, dir, { recursive: true });
  return dir;
}

/**
 * A new build at `dir`: `from` with `marker` added to index.html as an HTML comment, and
 * sw.js rewritten by scripts/sw-precache, so it carries a new version.
 */
export function newBuild(from: string, dir: string, marker: string): string {
  copyBuild(dir, from);
  const index = path.join(dir, "index.html");
  writeFileSync(index, readFileSync(index, "utf8").replace("</body>", `<!-- ${marker} -->\n</body>`));
  execFileSync("sh", [path.join(repoRoot, "scripts", "sw-precache"), dir], { stdio: "pipe" });
  return dir;
}
