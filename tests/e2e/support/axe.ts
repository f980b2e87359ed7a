// axe-core over the page as it is, against WCAG 2.1 A and AA, with the violations printed so
// a failure reads as a to-do list rather than a JSON diff.
import AxeBuilder from "@axe-core/playwright";
import { expect, Page } from "@playwright/test";

type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

function describe(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(" ")}\n      ${n.html.slice(0, 200)}\n      ${n.failureSummary?.replace(/\n/g, "\n      ")}`)
        .join("\n");
      return `[${v.impact}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join("\n\n");
}

/** Checks the current screen; a soft assertion, so one test can walk several screens. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect.soft(describe(results.violations), `axe (WCAG 2.1 A/AA) violations on ${screen}`).toBe("");
}
