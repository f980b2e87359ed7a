// Content-Security-Policy violations, collected from every page of a browser context: the
// receiver sends a CSP with the app (script hashes from the build) and with the office pages,
// and the app must work under it in every test. `test` (support/app.ts) watches the test's
// own context and fails the test at teardown if anything was refused; launchProfile
// (support/profile.ts) watches the persistent contexts it launches the same way.
import type { BrowserContext, ConsoleMessage } from "@playwright/test";

/** What the browser refused, one line each, with where it happened. */
export interface CspWatch {
  readonly violations: string[];
}

/** The watches of the running test (the test's context, and any profile it launched). */
const active: CspWatch[] = [];

/** Chromium's console wording for a violation ("Refused to execute inline script because it
 * violates the following Content Security Policy directive: …", also "[Report Only] …"). */
function isCspMessage(text: string): boolean {
  return /Content[ -]Security[ -]Policy/i.test(text) || /^(\[Report Only\] )?Refused to .* because it violates/.test(text);
}

/** In every document, before its own scripts: reports each `securitypolicyviolation` event. */
function listenInPage(): void {
  document.addEventListener("securitypolicyviolation", (event) => {
    const report = (window as unknown as { __safewalkCspViolation?: (v: object) => void }).__safewalkCspViolation;
    report?.({
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
      disposition: event.disposition,
      document: event.documentURI,
    });
  });
}

/** Starts collecting violations in `context` (its present and future pages and workers). */
export async function watchCsp(context: BrowserContext): Promise<CspWatch> {
  const watch: CspWatch = { violations: [] };
  const note = (line: string) => {
    if (!watch.violations.includes(line)) watch.violations.push(line);
  };
  // Chromium logs a violation to the console of the document (Playwright passes on those log
  // entries); a service worker's console calls come here too, its own log entries do not.
  context.on("console", (message: ConsoleMessage) => {
    if (!isCspMessage(message.text())) return;
    const where = message.worker()?.url() ?? message.page()?.url() ?? "?";
    note(`console (${where}): ${message.text()}`);
  });
  await context.exposeBinding("__safewalkCspViolation", (_source, v: Record<string, unknown>) =>
    note(
      `securitypolicyviolation (${v.disposition}) in ${v.document}: ${v.directive} refused ${v.blocked || "(inline)"}` +
        `${v.source ? ` at ${v.source}:${v.line}` : ""}${v.sample ? ` ("${v.sample}")` : ""}`
    )
  );
  await context.addInitScript(listenInPage);
  active.push(watch);
  return watch;
}

/** Every violation the running test's watches collected; forgets them (the test is over). */
export function takeCspViolations(): string[] {
  const all = active.flatMap((watch) => watch.violations);
  active.length = 0;
  return all;
}
