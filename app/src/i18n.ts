/**
 * i18next setup: Simplified Chinese and English, every string from a resource (no literal UI text in
 * components). Namespaces are one JSON file per feature and language under `locales/<lng>/<ns>.json`, picked up
 * by `import.meta.glob`, plus `codes` (codes.ts): the labels of on-chain codes (lot states, categories, purposes,
 * roles, districts, CBV steps…) built from the same tables the scripts and the seed use (scripts/lib), so each
 * label has one source.
 */
import i18n from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import resourcesToBackend from "i18next-resources-to-backend";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = ["zh", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

// `common` (the shell's strings) is in the initial bundle; every other namespace (`codes`, `errors`, one per
// feature) is its own chunk, loaded when a component asks for it (react-i18next suspends until then).
const eager = import.meta.glob<{ default: Record<string, unknown> }>("./locales/*/common.json", { eager: true });
const lazyFiles = import.meta.glob<{ default: Record<string, unknown> }>(["./locales/*/*.json", "!./locales/*/common.json"]);

/** The initial resources: `common` in both languages. */
export function initialResources(): Record<Language, Record<string, Record<string, unknown>>> {
  const resources: Record<Language, Record<string, Record<string, unknown>>> = { zh: {}, en: {} };
  for (const [file, module] of Object.entries(eager)) {
    const match = /\/locales\/(zh|en)\/common\.json$/.exec(file);
    if (match !== null) resources[match[1] as Language].common = module.default;
  }
  return resources;
}

/** Load one namespace of one language (lazy chunk). */
export async function loadNamespace(lng: string, ns: string): Promise<Record<string, unknown>> {
  const loader = lazyFiles[`./locales/${lng}/${ns}.json`];
  if (loader === undefined) throw new Error(`no translations for ${lng}/${ns}`);
  return (await loader()).default;
}

void i18n
  .use(LanguageDetector)
  .use(
    resourcesToBackend(async (lng: string, ns: string) => {
      const language: Language = lng.startsWith("en") ? "en" : "zh";
      if (ns === "codes") return (await import("./codes.ts")).codesFor(language);
      return loadNamespace(language, ns);
    }),
  )
  .use(initReactI18next)
  .init({
    resources: initialResources(),
    partialBundledLanguages: true,
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: "languageOnly",
    fallbackLng: "zh",
    ns: ["common", "codes", "errors"],
    defaultNS: "common",
    interpolation: { escapeValue: false },
    detection: { order: ["querystring", "localStorage", "navigator"], lookupQuerystring: "lang", caches: ["localStorage"] },
    react: { useSuspense: true },
  });

i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng.startsWith("en") ? "en" : "zh-CN";
});

export default i18n;
