/**
 * The `codes` i18next namespace: labels of on-chain codes (lot states, record categories, purposes, roles,
 * organisation kinds, districts, GS1 CBV steps and dispositions…) taken from the tables the scripts, the seed
 * and the tests use (scripts/lib), so each label has exactly one source. Loaded on demand.
 */
import { DIGITAL_LINK_ERROR_LABELS } from "../../scripts/lib/digital-link.ts";
import { CATEGORY_LABELS, DISTRICT_NAMES, KIND_LABELS, PURPOSE_LABELS } from "../../scripts/lib/personas.ts";
import { BIZ_STEPS, DISPOSITIONS, REJECT_REASONS, SCAN_VERDICTS } from "../../scripts/lib/steps.ts";
import { SHIPMENT_STATE_LABELS } from "../../scripts/lib/supplies.ts";
import { LOT_REASON_LABELS, LOT_STATE_LABELS, SHANGHAI_DISTRICTS, VOID_REASON_LABELS } from "../../scripts/lib/vaccines.ts";

type Bilingual = { readonly en: string; readonly zh: string };
type Table = Readonly<Record<string | number, Bilingual>>;

const ROLE_LABELS: Table = {
  DEFAULT_ADMIN_ROLE: { en: "governance admin", zh: "治理管理员" },
  REGULATOR_ROLE: { en: "regulator", zh: "监管" },
  MANUFACTURER_ROLE: { en: "manufacturer", zh: "生产" },
  CARRIER_ROLE: { en: "carrier", zh: "承运" },
  WAREHOUSE_ROLE: { en: "warehouse", zh: "仓储" },
  CLINIC_ROLE: { en: "vaccination clinic", zh: "接种门诊" },
  RECORD_ISSUER_ROLE: { en: "record issuer", zh: "病历出具" },
  LOT_ATTESTER_ROLE: { en: "lot attester", zh: "批签发" },
  GATEKEEPER_ROLE: { en: "record vault gatekeeper", zh: "数据保管网关" },
};

const byCode = (terms: readonly { code: number; en: string; zh: string }[]): Table =>
  Object.fromEntries(terms.map((t) => [t.code, { en: t.en, zh: t.zh }]));

/** The code tables, by `codes` key. */
export const CODE_TABLES: Readonly<Record<string, Table>> = {
  category: CATEGORY_LABELS,
  purpose: PURPOSE_LABELS,
  kind: KIND_LABELS,
  district: { ...SHANGHAI_DISTRICTS, ...DISTRICT_NAMES },
  role: ROLE_LABELS,
  lotState: LOT_STATE_LABELS,
  lotReason: LOT_REASON_LABELS,
  voidReason: VOID_REASON_LABELS,
  bizStep: byCode(BIZ_STEPS),
  disposition: byCode(DISPOSITIONS),
  rejectReason: byCode(REJECT_REASONS),
  scanVerdict: byCode(SCAN_VERDICTS),
  shipmentState: SHIPMENT_STATE_LABELS,
  digitalLink: DIGITAL_LINK_ERROR_LABELS,
};

export function codesFor(lng: "en" | "zh"): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(CODE_TABLES).map(([table, rows]) => [
      table,
      Object.fromEntries(Object.entries(rows).map(([code, label]) => [code, label[lng]])),
    ]),
  );
}

