// Playwright's globalSetup: refuses to run the suite against a build older than its sources.
// The specs test dist/ (scripts/build) served by target/server/safewalk-server (cargo build
// --profile server -p safewalk-server); run alone, `playwright test` would otherwise test
// whatever was built last. scripts/test builds both first, so it always passes here.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { distDir, receiverBinary, repoRoot } from "./server";

export interface Built {
  /** What is checked, as the message names it. */
  what: string;
  /** The file whose modification time stands for the build. */
  output: string;
  /** Files and folders (searched whole) the build is made from, relative to the repo root. */
  inputs: string[];
  /** Cargo's dep-info for the output (`<binary>.d`): when present, only the files of `inputs`'
   * folders it lists count. Cargo relinks only when one of those changed, so a file it does not
   * compile (a `#[cfg(test)]` fixture in core/src) must not make the build look stale. */
  depInfo?: string;
  rebuild: string;
}

const BUILDS: Built[] = [
  {
    what: "the app build dist/",
    output: path.join(distDir, "index.html"),
    inputs: [
      "src",
      "core/src",
      "style",
      "public",
      "templates",
      "index.html",
      "Cargo.toml",
      "Cargo.lock",
      // build.rs writes the message tables (src/i18n/messages.toml) into the app.
      "build.rs",
      // trunk's settings and its post-build hook (templates.json, compression, sw.js) make dist/ too.
      "Trunk.toml",
      "scripts/post-build",
      "scripts/sw-precache",
    ],
    rebuild: "scripts/build",
  },
  {
    what: "the receiver target/server/safewalk-server",
    output: receiverBinary,
    inputs: ["server/src", "core/src", "server/Cargo.toml"],
    depInfo: `${receiverBinary}.d`,
    rebuild: "cargo build --profile server -p safewalk-server",
  },
];

interface Source {
  file: string;
  mtimeMs: number;
}

/** The most recently modified file under `rel` (a file or a folder) that `counts`, if any. */
function newest(rel: string, counts: (file: string) => boolean = () => true): Source | undefined {
  const full = path.join(repoRoot, rel);
  if (!existsSync(full)) return undefined;
  const stat = statSync(full);
  if (stat.isFile()) return counts(full) ? { file: rel, mtimeMs: stat.mtimeMs } : undefined;
  let best: Source | undefined;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    // Editors' and tools' hidden files (swap files, .DS_Store) are not sources.
    if (entry.name.startsWith(".")) continue;
    const found = newest(path.join(rel, entry.name), counts);
    if (found && (!best || found.mtimeMs > best.mtimeMs)) best = found;
  }
  return best;
}

/** The files a Makefile-style dep-info names as prerequisites ("out: a.rs b.rs", spaces escaped). */
function depInfoFiles(file: string): Set<string> | undefined {
  if (!existsSync(file)) return undefined;
  const files = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const colon = line.search(/:(\s|$)/);
    if (colon < 0) continue;
    for (const name of line.slice(colon + 1).trim().split(/(?<!\\) /)) {
      if (name) files.add(path.resolve(repoRoot, name.replace(/\\ /g, " ")));
    }
  }
  return files;
}

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");

/** Why each build cannot be tested as it is (missing, or older than a source); empty when fresh. */
export function staleBuilds(builds: Built[] = BUILDS): string[] {
  const problems: string[] = [];
  for (const build of builds) {
    const shown = path.relative(repoRoot, build.output);
    if (!existsSync(build.output)) {
      problems.push(`${build.what} is missing (${shown}): run ${build.rebuild}`);
      continue;
    }
    const built = statSync(build.output).mtimeMs;
    const compiled = build.depInfo ? depInfoFiles(build.depInfo) : undefined;
    // Folders are narrowed to what cargo compiled; single files (manifests) always count.
    const sources = build.inputs
      .map((input) => (compiled && !input.endsWith(".toml") ? newest(input, (file) => compiled.has(file)) : newest(input)))
      .filter((n): n is Source => n !== undefined);
    const source = sources.reduce<Source | undefined>((a, b) => (!a || b.mtimeMs > a.mtimeMs ? b : a), undefined);
    if (source && source.mtimeMs > built) {
      const manifest = source.file.endsWith(".toml")
        ? ` (if cargo finds nothing to rebuild, the change did not affect the build: touch ${shown})`
        : "";
      problems.push(
        `${build.what} is stale: ${source.file} (changed ${when(source.mtimeMs)}) is newer than ${shown} (built ${when(built)}): run ${build.rebuild}${manifest}`
      );
    }
  }
  return problems;
}

export default function globalSetup(): void {
  const problems = staleBuilds();
  if (problems.length) {
    throw new Error(
      `Refusing to run the end-to-end tests against an out-of-date build:\n  - ${problems.join("\n  - ")}\n` +
        "(scripts/test builds both and then runs the suite.)"
    );
  }
}
