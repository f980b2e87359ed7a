// The built-in checklists (templates/*.json), read the way the app reads them, so the tests
// know every item id and text without copying the checklists.
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./server";
import type { Lang } from "./strings";

type Text = Record<Lang, string>;

export interface Item {
  id: string;
  text: Text;
}

export interface Section {
  id: string;
  title: Text;
  items: Item[];
}

export interface Template {
  id: string;
  version: string;
  sector: Text;
  title: Text;
  site_categories: { id: string; name: Text }[];
  sections: Section[];
}

export type Sector = "commercial-complex" | "hazardous-chemicals" | "warehouse-logistics";

export function template(sector: Sector): Template {
  return JSON.parse(readFileSync(path.join(repoRoot, "templates", `${sector}.json`), "utf8")) as Template;
}

/** Every item of a checklist, in checklist order. */
export function items(sector: Sector): Item[] {
  return template(sector).sections.flatMap((s) => s.items);
}
