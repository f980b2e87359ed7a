// Copies of the release build, and "new builds" made from them, for the update tests.
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { distDir, repoRoot } from "./server";
import type { Template } from "./templates";

/** The content version scripts/sw-precache wrote into DIR/sw.js. */
export function swVersion(dir: string): string {
  const match = /const VERSION = "([0-9a-f]{16})";/.exec(readFileSync(path.join(dir, "sw.js"), "utf8"));
  if (!match) throw new Error(`no version in ${dir}/sw.js`);
  return match[1];
}

/**
 * The brotli and gzip copies the receiver sends (scripts/precompress) of the files a new
 * build changed, and of its new sw.js: stale copies would serve the old build.
 */
function recompress(dir: string, changed: string): void {
  execFileSync("sh", [path.join(repoRoot, "scripts", "precompress"), dir, changed, "sw.js"], { stdio: "pipe" });
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
  recompress(dir, "index.html");
  return dir;
}

/** The checklist library a build serves (DIR/templates.json). */
export interface BuiltLibrary {
  format: number;
  rule_sets: unknown[];
  templates: Template[];
}

/**
 * A new build at `dir`: `from` with its checklist library (templates.json) changed by `edit`,
 * and sw.js rewritten by scripts/sw-precache, so it carries a new version (a deploy whose
 * only change is the catalogue).
 */
export function newCatalogueBuild(from: string, dir: string, edit: (library: BuiltLibrary) => void): string {
  copyBuild(dir, from);
  const file = path.join(dir, "templates.json");
  const library = JSON.parse(readFileSync(file, "utf8")) as BuiltLibrary;
  edit(library);
  writeFileSync(file, JSON.stringify(library));
  execFileSync("sh", [path.join(repoRoot, "scripts", "sw-precache"), dir], { stdio: "pipe" });
  recompress(dir, "templates.json");
  return dir;
}
