/**
 * The seeded personas of the local HealthTrace stack, keyed by Hardhat's default account index
 * (mnemonic "test test test test test test test test test test test junk", 20 accounts).
 *
 * Used by `scripts/seed.ts` (accreditation, roles, demo data) and, through `.dev/stack.json`, by
 * `scripts/dev.ts` and later tools (app, record vault, indexer). Organisation names and districts are
 * real Shanghai institutions and GB/T 2260 codes; citizens are pseudonymous labels only — no personal
 * data exists anywhere in this file or on chain.
 *
 * Dependency-free and erasable TypeScript only (no enums, namespaces or parameter properties), so that
 * any tool (Node's type stripping, Vite, tsx) can import it.
 */

/** Organisation kind codes (`IHealthTraceAuthority.accredit`). */
export const Kind = {
  Manufacturer: 0,
  Carrier: 1,
  Warehouse: 2,
  Clinic: 3,
  Hospital: 4,
  Lab: 5,
  ResearchInstitute: 6,
  Regulator: 7,
} as const;
export type KindCode = (typeof Kind)[keyof typeof Kind];

/** Kind code → English / Chinese label. */
export const KIND_LABELS: Readonly<Record<KindCode, { readonly en: string; readonly zh: string }>> = {
  0: { en: "manufacturer", zh: "生产企业" },
  1: { en: "carrier", zh: "承运商" },
  2: { en: "warehouse", zh: "仓储" },
  3: { en: "clinic", zh: "诊所/社区卫生服务中心" },
  4: { en: "hospital", zh: "医院" },
  5: { en: "lab", zh: "检验机构" },
  6: { en: "research institute", zh: "研究机构" },
  7: { en: "regulator", zh: "监管机构" },
};

/** Record category codes (`HealthData`). */
export const Category = {
  Vaccination: 0,
  LabResult: 1,
  Diagnosis: 2,
  Prescription: 3,
  Imaging: 4,
  HealthCodeStatus: 5,
} as const;
export type CategoryCode = (typeof Category)[keyof typeof Category];

/** Category code → English / Chinese label. */
export const CATEGORY_LABELS: Readonly<Record<CategoryCode, { readonly en: string; readonly zh: string }>> = {
  0: { en: "vaccination", zh: "疫苗接种" },
  1: { en: "lab result", zh: "检验结果" },
  2: { en: "diagnosis", zh: "诊断" },
  3: { en: "prescription", zh: "处方" },
  4: { en: "imaging", zh: "影像" },
  5: { en: "health-code status", zh: "健康码状态" },
};

/** Access purpose codes (`HealthData`). */
export const Purpose = {
  Treatment: 0,
  Research: 1,
  PublicHealthReporting: 2,
  InsuranceClaim: 3,
  Emergency: 4,
} as const;
export type PurposeCode = (typeof Purpose)[keyof typeof Purpose];

/** Purpose code → English / Chinese label. */
export const PURPOSE_LABELS: Readonly<Record<PurposeCode, { readonly en: string; readonly zh: string }>> = {
  0: { en: "treatment", zh: "诊疗" },
  1: { en: "research", zh: "科研" },
  2: { en: "public-health reporting", zh: "公共卫生报告" },
  3: { en: "insurance claim", zh: "保险理赔" },
  4: { en: "emergency", zh: "急救" },
};

/** The closed role set of `Roles.sol`, in bit order. */
export const ROLE_NAMES = [
  "REGULATOR_ROLE",
  "MANUFACTURER_ROLE",
  "CARRIER_ROLE",
  "WAREHOUSE_ROLE",
  "CLINIC_ROLE",
  "RECORD_ISSUER_ROLE",
  "LOT_ATTESTER_ROLE",
  "GATEKEEPER_ROLE",
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** The default admin of the authority (OpenZeppelin AccessControlDefaultAdminRules): bytes32(0). */
export const DEFAULT_ADMIN_ROLE = "DEFAULT_ADMIN_ROLE";
export type AnyRoleName = RoleName | typeof DEFAULT_ADMIN_ROLE;

/**
 * Role identifiers: keccak256 of the role name (bytes32(0) for the default admin). Precomputed so this
 * module has no dependency; `scripts/seed.ts` checks them against `ethers.id` and the deployed contract.
 */
export const ROLE_IDS: Readonly<Record<AnyRoleName, string>> = {
  DEFAULT_ADMIN_ROLE: "0x0000000000000000000000000000000000000000000000000000000000000000",
  REGULATOR_ROLE: "0x20b5f7ac978e5d6199de06401411960dfa81d2f762655f6206bdc61d46fc19e6",
  MANUFACTURER_ROLE: "0xeefb95e842a3287179d933b4460be539a1d5af11aa8b325bb45c5c8dc92de4ed",
  CARRIER_ROLE: "0xeb998ffefd22a823ed46d63e27357a1eefa908b6ba6804ac328694f77956b469",
  WAREHOUSE_ROLE: "0x86e5d4f80d7f8b1b61ae652dd7f1b1f5e3852b51f11f567750f78326759b3afd",
  CLINIC_ROLE: "0x1976159518e32c975351d3eb18509d62ab7629098636e52c6ce63466e939167f",
  RECORD_ISSUER_ROLE: "0x481fc26c08043f074a66c097ec6689cc886983a95a142e66baac7c4155ed3fbd",
  LOT_ATTESTER_ROLE: "0xf4d9150d808b802163b1be4f222960a3c2dc2b70bc450118c5e2d3a05ce91024",
  GATEKEEPER_ROLE: "0x3c63e605be3290ab6b04cfc46c6e1516e626d43236b034f09d7ede1d017beb0c",
};

/** GB/T 2260 administrative division codes used by the personas (Shanghai). */
export const District = {
  Shanghai: 310000,
  Huangpu: 310101,
  Xuhui: 310104,
  Yangpu: 310110,
  Minhang: 310112,
  Baoshan: 310113,
  Pudong: 310115,
  Songjiang: 310117,
} as const;
export type DistrictCode = (typeof District)[keyof typeof District];

/** District code → English / Chinese name. */
export const DISTRICT_NAMES: Readonly<Record<DistrictCode, { readonly en: string; readonly zh: string }>> = {
  310000: { en: "Shanghai (municipality)", zh: "上海市" },
  310101: { en: "Huangpu", zh: "黄浦区" },
  310104: { en: "Xuhui", zh: "徐汇区" },
  310110: { en: "Yangpu", zh: "杨浦区" },
  310112: { en: "Minhang", zh: "闵行区" },
  310113: { en: "Baoshan", zh: "宝山区" },
  310115: { en: "Pudong New Area", zh: "浦东新区" },
  310117: { en: "Songjiang", zh: "松江区" },
};

/** What a persona is: the governance wallet, an accredited organisation, or a citizen's wallet. */
export type PersonaType = "governance" | "organisation" | "citizen";

/** One seeded persona. */
export interface Persona {
  /** Hardhat default account index. */
  readonly index: number;
  /** Stable key used by scripts and tools. */
  readonly key: string;
  readonly type: PersonaType;
  /** Name in English and Simplified Chinese (organisations: the accredited names, ≤ 64 bytes each). */
  readonly name: { readonly en: string; readonly zh: string };
  /** Organisation kind code; null for the governance wallet and citizens. */
  readonly kind: KindCode | null;
  /** GB/T 2260 district (for citizens: an off-chain label only, never written to the chain). */
  readonly district: DistrictCode;
  /** Roles held on the authority. */
  readonly roles: readonly AnyRoleName[];
  /** One line on what the persona does in the demo. */
  readonly note: string;
}

/** All personas, by account index. */
export const PERSONAS = [
  {
    index: 0,
    key: "admin",
    type: "governance",
    name: { en: "Health Commission governance wallet", zh: "市卫健委治理钱包" },
    kind: null,
    district: 310000,
    roles: ["DEFAULT_ADMIN_ROLE"],
    note: "deployer; default admin of the authority (two-step handover with a delay)",
  },
  {
    index: 1,
    key: "regulator",
    type: "organisation",
    name: { en: "Shanghai Municipal Health Commission", zh: "上海市卫生健康委员会" },
    kind: 7,
    district: 310000,
    roles: ["REGULATOR_ROLE", "LOT_ATTESTER_ROLE"],
    note: "accredits organisations and hands out roles; releases and recalls lots",
  },
  {
    index: 2,
    key: "manufacturerA",
    type: "organisation",
    name: { en: "Shanghai Institute of Biological Products", zh: "上海生物制品研究所" },
    kind: 0,
    district: 310115,
    roles: ["MANUFACTURER_ROLE"],
    note: "vaccine manufacturer (Sinopharm CNBG)",
  },
  {
    index: 3,
    key: "manufacturerB",
    type: "organisation",
    name: { en: "Shanghai Fosun Pharmaceutical (Group)", zh: "上海复星医药（集团）" },
    kind: 0,
    district: 310104,
    roles: ["MANUFACTURER_ROLE"],
    note: "vaccine manufacturer / marketing-authorisation holder",
  },
  {
    index: 4,
    key: "lab",
    type: "organisation",
    name: { en: "Shanghai Institute for Food and Drug Control", zh: "上海市食品药品检验研究院" },
    kind: 5,
    district: 310115,
    roles: ["LOT_ATTESTER_ROLE", "RECORD_ISSUER_ROLE"],
    note: "independent lot testing; issues laboratory results",
  },
  {
    index: 5,
    key: "carrier",
    type: "organisation",
    name: { en: "Shanghai Pharma Logistics", zh: "上药物流" },
    kind: 1,
    district: 310112,
    roles: ["CARRIER_ROLE"],
    note: "cold-chain carrier",
  },
  {
    index: 6,
    key: "warehouse",
    type: "organisation",
    name: { en: "Baoshan Medical Supplies Warehouse", zh: "宝山区医疗物资仓库" },
    kind: 2,
    district: 310113,
    roles: ["WAREHOUSE_ROLE"],
    note: "medical-supply and vaccine warehouse",
  },
  {
    index: 7,
    key: "ruijin",
    type: "organisation",
    name: { en: "Ruijin Hospital", zh: "瑞金医院" },
    kind: 4,
    district: 310101,
    roles: ["RECORD_ISSUER_ROLE", "CLINIC_ROLE"],
    note: "hospital: files records, administers doses, reads with consent",
  },
  {
    index: 8,
    key: "zhongshan",
    type: "organisation",
    name: { en: "Zhongshan Hospital, Fudan University", zh: "复旦大学附属中山医院" },
    kind: 4,
    district: 310104,
    roles: ["RECORD_ISSUER_ROLE", "CLINIC_ROLE"],
    note: "hospital: files records, administers doses, reads with consent",
  },
  {
    index: 9,
    key: "research",
    type: "organisation",
    name: { en: "Fudan University School of Public Health", zh: "复旦大学公共卫生学院" },
    kind: 6,
    district: 310104,
    roles: [],
    note: "research institute: reads only under research grants",
  },
  {
    index: 10,
    key: "vault",
    type: "organisation",
    name: { en: "Shanghai Health Big Data Center", zh: "上海市健康大数据中心" },
    kind: 7,
    district: 310000,
    roles: ["GATEKEEPER_ROLE"],
    note: "the record vault: serves records to grant holders and logs every read",
  },
  {
    index: 11,
    key: "citizenA",
    type: "citizen",
    name: { en: "Citizen A · Pudong", zh: "居民甲 · 浦东" },
    kind: null,
    district: 310115,
    roles: [],
    note: "pseudonymous citizen wallet",
  },
  {
    index: 12,
    key: "citizenB",
    type: "citizen",
    name: { en: "Citizen B · Huangpu", zh: "居民乙 · 黄浦" },
    kind: null,
    district: 310101,
    roles: [],
    note: "pseudonymous citizen wallet",
  },
  {
    index: 13,
    key: "citizenC",
    type: "citizen",
    name: { en: "Citizen C · Xuhui", zh: "居民丙 · 徐汇" },
    kind: null,
    district: 310104,
    roles: [],
    note: "pseudonymous citizen wallet",
  },
  {
    index: 14,
    key: "citizenD",
    type: "citizen",
    name: { en: "Citizen D · Minhang", zh: "居民丁 · 闵行" },
    kind: null,
    district: 310112,
    roles: [],
    note: "pseudonymous citizen wallet",
  },
  {
    index: 15,
    key: "citizenE",
    type: "citizen",
    name: { en: "Citizen E · Yangpu", zh: "居民戊 · 杨浦" },
    kind: null,
    district: 310110,
    roles: [],
    note: "pseudonymous citizen wallet",
  },
  {
    index: 16,
    key: "huamuChc",
    type: "organisation",
    name: { en: "Huamu Community Health Service Center", zh: "浦东新区花木社区卫生服务中心" },
    kind: 3,
    district: 310115,
    roles: ["CLINIC_ROLE", "RECORD_ISSUER_ROLE"],
    note: "community clinic: vaccination point, files vaccination and health-code records",
  },
  {
    index: 17,
    key: "wujiaochangChc",
    type: "organisation",
    name: { en: "Wujiaochang Community Health Service Center", zh: "杨浦区五角场街道社区卫生服务中心" },
    kind: 3,
    district: 310110,
    roles: ["CLINIC_ROLE", "RECORD_ISSUER_ROLE"],
    note: "community clinic: vaccination point, files vaccination and health-code records",
  },
  {
    index: 18,
    key: "gumeiChc",
    type: "organisation",
    name: { en: "Gumei Community Health Service Center", zh: "闵行区古美社区卫生服务中心" },
    kind: 3,
    district: 310112,
    roles: ["CLINIC_ROLE", "RECORD_ISSUER_ROLE"],
    note: "community clinic: vaccination point, files vaccination records",
  },
  {
    index: 19,
    key: "manufacturerC",
    type: "organisation",
    name: { en: "Shanghai Dasheng Health Products Manufacture", zh: "上海大胜卫生用品制造有限公司" },
    kind: 0,
    district: 310117,
    roles: ["MANUFACTURER_ROLE"],
    note: "medical-mask manufacturer: ships masks through the supply chain",
  },
] as const satisfies readonly Persona[];

export type PersonaKey = (typeof PERSONAS)[number]["key"];

/** Number of accounts of Hardhat's default dev mnemonic. */
export const DEV_ACCOUNT_COUNT = 20;

/** Hardhat's well-known dev mnemonic. PUBLIC test keys: never use on a real network. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** HD path of dev account `i`: `${DEV_HD_PATH_PREFIX}/${i}`. */
export const DEV_HD_PATH_PREFIX = "m/44'/60'/0'/0";

/** The persona with `key`. */
export function persona(key: PersonaKey): Persona {
  const found = PERSONAS.find((p) => p.key === key);
  if (found === undefined) throw new Error(`unknown persona "${key}"`);
  return found;
}

/** The persona at account `index`, if any. */
export function personaAt(index: number): Persona | undefined {
  return PERSONAS.find((p) => p.index === index);
}

/** The accredited organisations (the regulator is accredited by the deployment itself). */
export function organisations(): Persona[] {
  return PERSONAS.filter((p) => p.type === "organisation");
}

/** The citizens. */
export function citizens(): Persona[] {
  return PERSONAS.filter((p) => p.type === "citizen");
}

/** "English / 中文" label of a persona. */
export function label(p: Persona): string {
  return `${p.name.en} / ${p.name.zh}`;
}

/** The roles of a persona that `grantRole` hands out (all but the default admin). */
export function grantableRoles(p: Persona): RoleName[] {
  return p.roles.filter((r): r is RoleName => r !== DEFAULT_ADMIN_ROLE);
}
