/**
 * The demo supply chain of the seed: the registered locations (GS1 GLNs) of every organisation that handles
 * shipments, the non-vaccine medical supplies (masks, antigen test kits), and the labels of the shipment states
 * the seed reports. The vaccines themselves are in `scripts/lib/vaccines.ts`; the CBV labels, rejection reasons
 * and scan verdicts in words are in `scripts/lib/steps.ts`.
 *
 * Dependency-free and erasable TypeScript only (no enums, namespaces or parameter properties), so that any tool
 * (Node's type stripping, Vite, tsx) can import it. GLNs and GTINs use illustrative GS1 China company prefixes
 * (69…), one per organisation, not the organisations' real ones; every key carries a valid GS1 check digit
 * (`scripts/seed.ts` checks them before registering anything). Location names are what goes on chain
 * (`registerLocation`, at most 64 bytes), in English; the Chinese names are off-chain labels.
 */
import type { PersonaKey } from "./personas.ts";

// ---------------------------------------------------------------------------------------------------------
// CBV codes the seed writes (the packed step word of IProvenanceRegistry)
// ---------------------------------------------------------------------------------------------------------

/** bizStep codes by CBV name (IProvenanceRegistry); `scripts/lib/steps.ts` has the labels and URIs. */
export const BizStep = {
  commissioning: 0,
  packing: 1,
  loading: 2,
  shipping: 3,
  departing: 4,
  transporting: 5,
  arriving: 6,
  receiving: 7,
  accepting: 8,
  inspecting: 9,
  storing: 10,
  picking: 11,
  unloading: 12,
  dispensing: 13,
  destroying: 14,
  sensor_reporting: 15,
  holding: 16,
} as const;
export type BizStepName = keyof typeof BizStep;

/** disposition codes by CBV name (IProvenanceRegistry). */
export const Disposition = {
  active: 0,
  in_transit: 1,
  in_progress: 2,
  non_conformant: 3,
  recalled: 4,
  damaged: 5,
  destroyed: 6,
  dispensed: 7,
  expired: 8,
  container_closed: 9,
  returned: 10,
  stolen: 11,
} as const;
export type DispositionName = keyof typeof Disposition;

/** Hand-over rejection reason codes (IProvenanceRegistry). */
export const RejectReason = {
  Damaged: 0,
  TemperatureExcursion: 1,
  WrongQuantity: 2,
  WrongProductOrDocuments: 3,
  NotExpected: 4,
  Other: 5,
} as const;
export type RejectReasonCode = (typeof RejectReason)[keyof typeof RejectReason];

/** Scan verdict codes (IProvenanceRegistry.checkScan). */
export const ScanVerdict = {
  Genuine: 0,
  UnknownIdentity: 1,
  AlreadyDelivered: 2,
  WrongLocation: 3,
} as const;
export type ScanVerdictCode = (typeof ScanVerdict)[keyof typeof ScanVerdict];

// ---------------------------------------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------------------------------------

/** What a location is used for in the demo. */
export type LocationUse =
  "production" | "storage" | "cold-storage" | "frozen-storage" | "dispatch" | "receiving" | "vehicle" | "hub";

/** One registered location. */
export interface SupplyLocation {
  readonly key: string;
  /** The organisation persona that registers it. */
  readonly owner: PersonaKey;
  /** GLN, 13 digits with a valid check digit. */
  readonly gln: string;
  /** English (on chain, ≤ 64 bytes) and Chinese (off chain) names. */
  readonly name: { readonly en: string; readonly zh: string };
  readonly use: LocationUse;
}

/** Every location the seed registers, in registration order (by organisation). */
export const SUPPLY_LOCATIONS = [
  // Shanghai Institute of Biological Products (company prefix 6923450)
  {
    key: "sibpLine",
    owner: "manufacturerA",
    gln: "6923450000106",
    name: { en: "Pudong plant, packaging line 2", zh: "浦东生产基地 2号包装线" },
    use: "production",
  },
  {
    key: "sibpColdStore",
    owner: "manufacturerA",
    gln: "6923450000205",
    name: { en: "Pudong plant, finished-goods cold store (2-8 °C)", zh: "浦东生产基地 成品冷库（2–8 °C）" },
    use: "cold-storage",
  },
  {
    key: "sibpDispatch",
    owner: "manufacturerA",
    gln: "6923450000304",
    name: { en: "Pudong plant, dispatch bay", zh: "浦东生产基地 发货区" },
    use: "dispatch",
  },
  // Shanghai Fosun Pharmaceutical (company prefix 6938120)
  {
    key: "fosunLine",
    owner: "manufacturerB",
    gln: "6938120000102",
    name: { en: "Caohejing site, fill-finish packaging line", zh: "漕河泾基地 灌装包装线" },
    use: "production",
  },
  {
    key: "fosunFreezer",
    owner: "manufacturerB",
    gln: "6938120000201",
    name: { en: "Caohejing site, frozen store (-20 °C)", zh: "漕河泾基地 冷冻库（−20 °C）" },
    use: "frozen-storage",
  },
  {
    key: "fosunDxStore",
    owner: "manufacturerB",
    gln: "6938120000300",
    name: { en: "Caohejing site, diagnostics store (2-30 °C)", zh: "漕河泾基地 诊断试剂库（2–30 °C）" },
    use: "storage",
  },
  {
    key: "fosunDispatch",
    owner: "manufacturerB",
    gln: "6938120000409",
    name: { en: "Caohejing site, dispatch bay", zh: "漕河泾基地 发货区" },
    use: "dispatch",
  },
  // Shanghai Dasheng Health Products Manufacture (company prefix 6921973)
  {
    key: "dashengHall",
    owner: "manufacturerC",
    gln: "6921973000108",
    name: { en: "Songjiang plant, mask production hall 1", zh: "松江工厂 口罩1号车间" },
    use: "production",
  },
  {
    key: "dashengStore",
    owner: "manufacturerC",
    gln: "6921973000207",
    name: { en: "Songjiang plant, finished-goods store", zh: "松江工厂 成品库" },
    use: "storage",
  },
  {
    key: "dashengDispatch",
    owner: "manufacturerC",
    gln: "6921973000306",
    name: { en: "Songjiang plant, dispatch bay", zh: "松江工厂 发货区" },
    use: "dispatch",
  },
  // Shanghai Pharma Logistics (company prefix 6944012): a hub and its vehicles
  {
    key: "carrierHub",
    owner: "carrier",
    gln: "6944012000105",
    name: { en: "Minhang hub, cross-dock", zh: "闵行物流中心 越库区" },
    use: "hub",
  },
  {
    key: "carrierHubCold",
    owner: "carrier",
    gln: "6944012000204",
    name: { en: "Minhang hub, cold room (2-8 °C)", zh: "闵行物流中心 冷藏间（2–8 °C）" },
    use: "cold-storage",
  },
  {
    key: "reeferTruck",
    owner: "carrier",
    gln: "6944012000303",
    name: { en: "Reefer truck R07 (2-8 °C)", zh: "冷藏车 R07（2–8 °C）" },
    use: "vehicle",
  },
  {
    key: "freezerTruck",
    owner: "carrier",
    gln: "6944012000402",
    name: { en: "Freezer truck F03 (-25 to -15 °C)", zh: "冷冻车 F03（−25～−15 °C）" },
    use: "vehicle",
  },
  {
    key: "boxVan",
    owner: "carrier",
    gln: "6944012000501",
    name: { en: "Box van V12 (ambient)", zh: "厢式货车 V12（常温）" },
    use: "vehicle",
  },
  // Baoshan Medical Supplies Warehouse (company prefix 6955310)
  {
    key: "whDock",
    owner: "warehouse",
    gln: "6955310000100",
    name: { en: "Baoshan DC, receiving dock 3", zh: "宝山配送中心 3号收货月台" },
    use: "receiving",
  },
  {
    key: "whColdRoom",
    owner: "warehouse",
    gln: "6955310000209",
    name: { en: "Baoshan DC, vaccine cold room (2-8 °C)", zh: "宝山配送中心 疫苗冷藏库（2–8 °C）" },
    use: "cold-storage",
  },
  {
    key: "whFreezer",
    owner: "warehouse",
    gln: "6955310000308",
    name: { en: "Baoshan DC, freezer room (-20 °C)", zh: "宝山配送中心 冷冻库（−20 °C）" },
    use: "frozen-storage",
  },
  {
    key: "whStore",
    owner: "warehouse",
    gln: "6955310000407",
    name: { en: "Baoshan DC, medical-supplies store", zh: "宝山配送中心 医疗物资库" },
    use: "storage",
  },
  {
    key: "whDispatch",
    owner: "warehouse",
    gln: "6955310000506",
    name: { en: "Baoshan DC, dispatch bay", zh: "宝山配送中心 发货区" },
    use: "dispatch",
  },
  {
    key: "whVan",
    owner: "warehouse",
    gln: "6955310000605",
    name: { en: "Baoshan DC, cold-chain delivery van B05", zh: "宝山配送中心 冷链配送车 B05" },
    use: "vehicle",
  },
  // Hospitals and community health service centres: goods-in, vaccine fridge and freezer, supplies store
  {
    key: "ruijinGoodsIn",
    owner: "ruijin",
    gln: "6970101000107",
    name: { en: "Ruijin Hospital, pharmacy goods-in", zh: "瑞金医院 药剂科收货处" },
    use: "receiving",
  },
  {
    key: "ruijinFridge",
    owner: "ruijin",
    gln: "6970101000206",
    name: { en: "Ruijin Hospital, vaccination clinic fridge (2-8 °C)", zh: "瑞金医院 接种门诊冷藏柜（2–8 °C）" },
    use: "cold-storage",
  },
  {
    key: "ruijinFreezer",
    owner: "ruijin",
    gln: "6970101000305",
    name: { en: "Ruijin Hospital, vaccine freezer (-20 °C)", zh: "瑞金医院 疫苗冷冻柜（−20 °C）" },
    use: "frozen-storage",
  },
  {
    key: "ruijinStore",
    owner: "ruijin",
    gln: "6970101000404",
    name: { en: "Ruijin Hospital, medical-supplies store", zh: "瑞金医院 医疗物资库" },
    use: "storage",
  },
  {
    key: "zhongshanGoodsIn",
    owner: "zhongshan",
    gln: "6970104000104",
    name: { en: "Zhongshan Hospital, pharmacy goods-in", zh: "中山医院 药剂科收货处" },
    use: "receiving",
  },
  {
    key: "zhongshanFridge",
    owner: "zhongshan",
    gln: "6970104000203",
    name: { en: "Zhongshan Hospital, vaccination clinic fridge (2-8 °C)", zh: "中山医院 接种门诊冷藏柜（2–8 °C）" },
    use: "cold-storage",
  },
  {
    key: "zhongshanFreezer",
    owner: "zhongshan",
    gln: "6970104000302",
    name: { en: "Zhongshan Hospital, vaccine freezer (-20 °C)", zh: "中山医院 疫苗冷冻柜（−20 °C）" },
    use: "frozen-storage",
  },
  {
    key: "zhongshanStore",
    owner: "zhongshan",
    gln: "6970104000401",
    name: { en: "Zhongshan Hospital, medical-supplies store", zh: "中山医院 医疗物资库" },
    use: "storage",
  },
  {
    key: "huamuGoodsIn",
    owner: "huamuChc",
    gln: "6970115000100",
    name: { en: "Huamu CHC, goods-in", zh: "花木社区卫生服务中心 收货处" },
    use: "receiving",
  },
  {
    key: "huamuFridge",
    owner: "huamuChc",
    gln: "6970115000209",
    name: { en: "Huamu CHC, vaccination room fridge (2-8 °C)", zh: "花木社区卫生服务中心 接种室冷藏柜（2–8 °C）" },
    use: "cold-storage",
  },
  {
    key: "huamuFreezer",
    owner: "huamuChc",
    gln: "6970115000308",
    name: { en: "Huamu CHC, vaccine freezer (-20 °C)", zh: "花木社区卫生服务中心 疫苗冷冻柜（−20 °C）" },
    use: "frozen-storage",
  },
  {
    key: "huamuStore",
    owner: "huamuChc",
    gln: "6970115000407",
    name: { en: "Huamu CHC, supplies store", zh: "花木社区卫生服务中心 物资库" },
    use: "storage",
  },
  {
    key: "wujiaochangGoodsIn",
    owner: "wujiaochangChc",
    gln: "6970110000105",
    name: { en: "Wujiaochang CHC, goods-in", zh: "五角场社区卫生服务中心 收货处" },
    use: "receiving",
  },
  {
    key: "wujiaochangFridge",
    owner: "wujiaochangChc",
    gln: "6970110000204",
    name: {
      en: "Wujiaochang CHC, vaccination room fridge (2-8 °C)",
      zh: "五角场社区卫生服务中心 接种室冷藏柜（2–8 °C）",
    },
    use: "cold-storage",
  },
  {
    key: "wujiaochangFreezer",
    owner: "wujiaochangChc",
    gln: "6970110000303",
    name: { en: "Wujiaochang CHC, vaccine freezer (-20 °C)", zh: "五角场社区卫生服务中心 疫苗冷冻柜（−20 °C）" },
    use: "frozen-storage",
  },
  {
    key: "wujiaochangStore",
    owner: "wujiaochangChc",
    gln: "6970110000402",
    name: { en: "Wujiaochang CHC, supplies store", zh: "五角场社区卫生服务中心 物资库" },
    use: "storage",
  },
  {
    key: "gumeiGoodsIn",
    owner: "gumeiChc",
    gln: "6970112000103",
    name: { en: "Gumei CHC, goods-in", zh: "古美社区卫生服务中心 收货处" },
    use: "receiving",
  },
  {
    key: "gumeiFridge",
    owner: "gumeiChc",
    gln: "6970112000202",
    name: { en: "Gumei CHC, vaccination room fridge (2-8 °C)", zh: "古美社区卫生服务中心 接种室冷藏柜（2–8 °C）" },
    use: "cold-storage",
  },
  {
    key: "gumeiFreezer",
    owner: "gumeiChc",
    gln: "6970112000301",
    name: { en: "Gumei CHC, vaccine freezer (-20 °C)", zh: "古美社区卫生服务中心 疫苗冷冻柜（−20 °C）" },
    use: "frozen-storage",
  },
  {
    key: "gumeiStore",
    owner: "gumeiChc",
    gln: "6970112000400",
    name: { en: "Gumei CHC, supplies store", zh: "古美社区卫生服务中心 物资库" },
    use: "storage",
  },
] as const satisfies readonly SupplyLocation[];

export type LocationKey = (typeof SUPPLY_LOCATIONS)[number]["key"];

/** The location with `key`. */
export function supplyLocation(key: LocationKey): SupplyLocation {
  const found = SUPPLY_LOCATIONS.find((l) => l.key === key);
  if (found === undefined) throw new Error(`unknown location "${key}"`);
  return found;
}

/** The sites of an organisation that receives and stores deliveries (a hospital or community health centre). */
export interface ReceivingSite {
  readonly goodsIn: LocationKey;
  readonly fridge: LocationKey;
  readonly freezer: LocationKey;
  readonly store: LocationKey;
}

/** The receiving sites of the hospitals and community health centres, by persona. */
export const RECEIVING_SITES = {
  ruijin: { goodsIn: "ruijinGoodsIn", fridge: "ruijinFridge", freezer: "ruijinFreezer", store: "ruijinStore" },
  zhongshan: {
    goodsIn: "zhongshanGoodsIn",
    fridge: "zhongshanFridge",
    freezer: "zhongshanFreezer",
    store: "zhongshanStore",
  },
  huamuChc: { goodsIn: "huamuGoodsIn", fridge: "huamuFridge", freezer: "huamuFreezer", store: "huamuStore" },
  wujiaochangChc: {
    goodsIn: "wujiaochangGoodsIn",
    fridge: "wujiaochangFridge",
    freezer: "wujiaochangFreezer",
    store: "wujiaochangStore",
  },
  gumeiChc: { goodsIn: "gumeiGoodsIn", fridge: "gumeiFridge", freezer: "gumeiFreezer", store: "gumeiStore" },
} as const satisfies Readonly<Record<string, ReceivingSite>>;
export type ReceivingSiteKey = keyof typeof RECEIVING_SITES;

// ---------------------------------------------------------------------------------------------------------
// Medical supplies other than vaccines
// ---------------------------------------------------------------------------------------------------------

/** A non-vaccine product shipped through the supply chain (off-chain catalogue data). */
export interface SupplyProduct {
  readonly key: string;
  readonly name: { readonly en: string; readonly zh: string };
  /** Short product-group label for summaries. */
  readonly group: { readonly en: string; readonly zh: string };
  /** GTIN-14 of the shipped trade item (case), 14 digits. */
  readonly gtin: string;
  readonly manufacturer: PersonaKey;
  /** Prefix of its lot numbers (followed by the production date). */
  readonly lotPrefix: string;
  /** Storage range in °C, or null when no cold chain applies. */
  readonly storageC: { readonly min: number; readonly max: number } | null;
  /** What one unit of a shipment's quantity is. */
  readonly unit: { readonly en: string; readonly zh: string };
  /** Where the manufacturer keeps finished goods before dispatch. */
  readonly store: LocationKey;
  readonly productionLine: LocationKey;
  readonly dispatch: LocationKey;
}

export const SUPPLY_PRODUCTS = {
  medicalMask: {
    key: "medicalMask",
    name: { en: "Single-use medical face mask (YY/T 0969), box of 50", zh: "一次性使用医用口罩（YY/T 0969），50只/盒" },
    group: { en: "masks", zh: "口罩" },
    gtin: "06921973001013",
    manufacturer: "manufacturerC",
    lotPrefix: "DS",
    storageC: null,
    unit: { en: "boxes", zh: "盒" },
    store: "dashengStore",
    productionLine: "dashengHall",
    dispatch: "dashengDispatch",
  },
  antigenTest: {
    key: "antigenTest",
    name: {
      en: "SARS-CoV-2 antigen rapid test (colloidal gold), box of 25",
      zh: "新型冠状病毒抗原检测试剂盒（胶体金法），25人份/盒",
    },
    group: { en: "antigen test kits", zh: "抗原检测试剂" },
    gtin: "06938120300011",
    manufacturer: "manufacturerB",
    lotPrefix: "FDX",
    storageC: { min: 2, max: 30 },
    unit: { en: "boxes", zh: "盒" },
    store: "fosunDxStore",
    productionLine: "fosunLine",
    dispatch: "fosunDispatch",
  },
} as const satisfies Readonly<Record<string, SupplyProduct>>;
export type SupplyProductKey = keyof typeof SUPPLY_PRODUCTS;

// ---------------------------------------------------------------------------------------------------------
// Shipment states (derived from `shipmentOf`, for summaries and views)
// ---------------------------------------------------------------------------------------------------------

/** Where a shipment stands, as the seed and the app summarise `shipmentOf`. */
export type ShipmentState =
  "at origin" | "in transit" | "in storage" | "awaiting acceptance" | "delivered" | "returned";

export const SHIPMENT_STATE_LABELS: Readonly<Record<ShipmentState, { readonly en: string; readonly zh: string }>> = {
  "at origin": { en: "at origin", zh: "待发运" },
  "in transit": { en: "in transit", zh: "在途" },
  "in storage": { en: "in storage (warehouse)", zh: "在库（仓储）" },
  "awaiting acceptance": { en: "awaiting acceptance", zh: "待签收" },
  delivered: { en: "delivered", zh: "已交付" },
  returned: { en: "returned to the manufacturer", zh: "已退回生产企业" },
};
