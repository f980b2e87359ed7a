// Playwright's globalSetup: refuses to run the suite against a build older than its sources.
// The specs test dist/ (scripts/build) served by target/server/safewalk-server (cargo build
// --profile server -p safewalk-server); run alone, `playwright test` would otherwise test
// whatever was built last. scripts/test builds both first, so it always passes here.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { distDir, receiverBinary, repoRoot } from "./server";

interface Built {
  /** What is checked, as the message names it. */
  what: string;
  /** The file whose modification time stands for the build. */
  output: string;
  /** Files and folders (searched whole) the build is made from, relative to the repo root. */
  inputs: string[];
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
    rebuild: "cargo build --profile server -p safewalk-server",
  },
];

/** The most recently modified file under `rel` (a file or a folder), if any. */
function newest(rel: string): { file: string; mtimeMs: number } | undefined {
  const full = path.join(repoRoot, rel);
  if (!existsSync(full)) return undefined;
  const stat = statSync(full);
  if (stat.isFile()) return { file: rel, mtimeMs: stat.mtimeMs };
  let best: { file: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    // Editors' and tools' hidden files (swap files, .DS_Store) are not sources.
    if (entry.name.startsWith(".")) continue;
    const found = newest(path.join(rel, entry.name));
    if (found && (!best || found.mtimeMs > best.mtimeMs)) best = found;
  }
  return best;
}

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");

/** Why each build cannot be tested as it is (missing, or older than a source); empty when fresh. */
export function staleBuilds(): string[] {
  const problems: string[] = [];
  for (const build of BUILDS) {
    const shown = path.relative(repoRoot, build.output);
    if (!existsSync(build.output)) {
      problems.push(`${build.what} is missing (${shown}): run ${build.rebuild}`);
      continue;
    }
    const built = statSync(build.output).mtimeMs;
    const sources = build.inputs.map(newest).filter((n): n is { file: string; mtimeMs: number } => n !== undefined);
    const source = sources.reduce<{ file: string; mtimeMs: number } | undefined>((a, b) => (!a || b.mtimeMs > a.mtimeMs ? b : a), undefined);
    if (source && source.mtimeMs > built) {
      problems.push(
        `${build.what} is stale: ${source.file} (changed ${when(source.mtimeMs)}) is newer than ${shown} (built ${when(built)}): run ${build.rebuild}`
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
