/** i18n coverage: every namespace exists in both languages with the same keys and the same placeholders. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { CODE_TABLES, codesFor } from "../src/codes.ts";

const LOCALES = path.join(import.meta.dirname, "..", "src", "locales");

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix === "" ? k : `${prefix}.${k}`;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const namespaces = (lng: string): string[] =>
  readdirSync(path.join(LOCALES, lng))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();

const load = (lng: string, ns: string): Map<string, string> =>
  flatten(JSON.parse(readFileSync(path.join(LOCALES, lng, `${ns}.json`), "utf8")) as Tree);

describe("translations", () => {
  it("test_namespaces_sameInBothLanguages", () => {
    expect(namespaces("zh")).toEqual(namespaces("en"));
    expect(namespaces("en")).toContain("common");
    expect(namespaces("en")).toContain("errors");
  });

  for (const ns of namespaces("en")) {
    it(`test_${ns}_everyKeyInBothLanguagesWithTheSamePlaceholders`, () => {
      const en = load("en", ns);
      const zh = load("zh", ns);
      expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
      for (const [key, text] of en) {
        expect(text.trim(), `${ns}:${key} (en) is empty`).not.toBe("");
        expect((zh.get(key) ?? "").trim(), `${ns}:${key} (zh) is empty`).not.toBe("");
        expect(placeholders(zh.get(key) ?? ""), `${ns}:${key} placeholders`).toEqual(placeholders(text));
      }
    });
  }

  it("test_codes_everyCodeLabelledInBothLanguages", () => {
    const en = codesFor("en");
    const zh = codesFor("zh");
    for (const [table, rows] of Object.entries(CODE_TABLES)) {
      expect(Object.keys(zh[table]).sort()).toEqual(Object.keys(en[table]).sort());
      for (const code of Object.keys(rows)) {
        expect(en[table][code], `${table}.${code}`).toMatch(/\S/);
        expect(zh[table][code], `${table}.${code}`).toMatch(/\S/);
      }
    }
  });
});
