/** Small display helpers shared by the regulator page and the public lot page. */
import { LotState, VACCINE_PRODUCTS } from "../../../../scripts/lib/vaccines.ts";

/** Whether the UI language is English (everything else is shown in Simplified Chinese). */
export const isEnglish = (language: string): boolean => language.startsWith("en");

/** The demo catalogue's name of a product GTIN in the UI language, or null when the GTIN is not in it. */
export function productName(gtin: string, language: string): string | null {
  const product = Object.values(VACCINE_PRODUCTS).find((p) => p.gtin === gtin);
  if (product === undefined) return null;
  return isEnglish(language) ? product.name.en : product.name.zh;
}

/** Badge colour of a lot state. */
export function stateBadgeClass(state: number): string {
  switch (state) {
    case LotState.Active:
      return "badge ok";
    case LotState.Recalled:
    case LotState.NonConformant:
      return "badge err";
    case LotState.Expired:
    case LotState.PendingRelease:
      return "badge warn";
    default:
      return "badge";
  }
}

/** Display name of an organisation in the UI language (the directory's EN / ZH names). */
export function orgName(o: { readonly name: string; readonly localName: string }, language: string): string {
  return isEnglish(language) ? o.name : o.localName;
}
