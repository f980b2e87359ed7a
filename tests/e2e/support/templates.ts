// The built-in checklists (templates/*.json, format 2) and grading rule sets
// (templates/rules/*.json), read the way the build bundles them, so the tests know every
// item id, text and grading field without copying the checklists.
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./server";
import type { Lang } from "./strings";

export type Text = Record<Lang, string>;

export interface Item {
  id: string;
  text: Text;
  basis: string;
  /** A direct major-hazard item: the criterion that makes any hazard on it major. */
  major?: string;
  /** What the item counts towards in the composite rule: the standard's element clause
   * ("7.3.6") for a format 2 rule set, an element group for a format 1 one. */
  element?: string;
}

export interface Section {
  id: string;
  title: Text;
  items: Item[];
}

export interface SiteCategory {
  id: string;
  name: Text;
  /** The rule set's site class; present exactly when the template has a rule set. */
  site_class?: string;
}

export interface Template {
  format: 1 | 2;
  id: string;
  version: string;
  sector: Text;
  title: Text;
  rule_set?: string;
  site_categories: SiteCategory[];
  sections: Section[];
}

export interface RuleSet {
  format: 1 | 2;
  id: string;
  standard: string;
  name: Text;
  /** Format 2: said after every grade by the rule set. */
  edition_note?: Text;
  /** Format 2: the procedure that settles a major hazard; present: majors are suspected until determined. */
  collective_determination?: string;
  site_classes: { id: string; name: Text }[];
  /** Format 1 only. */
  groups?: { id: string; name: Text }[];
  /** Format 2: the standard's numbered elements. */
  elements?: { id: string; name: Text; verified: boolean }[];
  thresholds: { site_classes: string[]; groups?: string[]; elements?: string[]; chapter?: string; at_least: number }[];
  exclusions: { id: string; name: Text }[];
}

/** Every sector of the directive, one built-in template each (docs/templates.md). */
export const SECTORS = [
  "commercial-complex",
  "high-rise-building",
  "crowded-places",
  "warehouse-logistics",
  "hazardous-chemicals",
  "construction-site",
  "self-built-house",
  "industry-trade",
  "mine",
  "tailings-pond",
  "road-water-transport",
  "fireworks",
  "gas-network",
  "forest-fire",
] as const;

export type Sector = (typeof SECTORS)[number];

/** The text of templates/<sector>.json, as the build bundles it. */
export function templateText(sector: Sector): string {
  return readFileSync(path.join(repoRoot, "templates", `${sector}.json`), "utf8");
}

export function template(sector: Sector): Template {
  return JSON.parse(templateText(sector)) as Template;
}

/** A kept edition, templates/editions/<sector>@<version>.json: what a draft started with it reads. */
export function edition(sector: Sector, version: string): Template {
  return JSON.parse(readFileSync(path.join(repoRoot, "templates", "editions", `${sector}@${version}.json`), "utf8")) as Template;
}

export function ruleSet(id: string): RuleSet {
  return JSON.parse(readFileSync(path.join(repoRoot, "templates", "rules", `${id}.json`), "utf8")) as RuleSet;
}

/** Every item of a checklist, in checklist order. */
export function items(sector: Sector): Item[] {
  return template(sector).sections.flatMap((s) => s.items);
}

export function item(sector: Sector, id: string): Item {
  const found = items(sector).find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id} in templates/${sector}.json`);
  return found;
}

/** The direct major-hazard items of a checklist, in checklist order. */
export function majorItems(sector: Sector): Item[] {
  return items(sector).filter((i) => i.major !== undefined);
}

/** The items that count towards one of `groups` (elements, for a format 2 rule set) in the
 * composite rule, in checklist order. */
export function elementItems(sector: Sector, groups: string[]): Item[] {
  return items(sector).filter((i) => i.element !== undefined && groups.includes(i.element));
}
