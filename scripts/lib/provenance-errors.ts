/**
 * Every custom error of `ProvenanceRegistry` as a sentence a person can act on, in English and Simplified Chinese.
 *
 * Dependency-free and erasable TypeScript only, so the supplier CLI, the React app and tests share it. Callers
 * decode the revert data with the contract ABI (ethers `Interface.parseError`, viem `decodeErrorResult`) and pass
 * the error name and its positional arguments here.
 */
import { ROLE_IDS } from "./personas.ts";
import { formatCelsius, unpackStep } from "./steps.ts";

/** A refusal in words. */
export interface ErrorSentence {
  readonly en: string;
  readonly zh: string;
}

const text = (v: unknown): string => (typeof v === "bigint" || typeof v === "number" ? v.toString() : String(v));

const roleName = (roleId: unknown): string => {
  const id = text(roleId).toLowerCase();
  const found = Object.entries(ROLE_IDS).find(([, v]) => v.toLowerCase() === id);
  return found === undefined ? id : found[0];
};

const glnText = (v: unknown): string => text(v).padStart(13, "0");

const shortId = (v: unknown): string => {
  const s = text(v);
  return /^0x[0-9a-fA-F]{64}$/.test(s) ? `${s.slice(0, 10)}…${s.slice(-6)}` : s;
};

const centi = (v: unknown): string => {
  const n = Number(v);
  return Number.isInteger(n) ? formatCelsius(n) : text(v);
};

/** Why a step word the contract refused is malformed, in English (the block-time check is the usual culprit). */
function stepWordProblem(word: unknown): { en: string; zh: string } {
  try {
    const step = unpackStep(text(word));
    const when = new Date(step.eventTime * 1000).toISOString();
    return {
      en: `its event time ${when} is after the chain's current time (or the word is otherwise refused)`,
      zh: `其事件时间 ${when} 晚于链上当前时间（或步骤字段其他内容无效）`,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { en: reason, zh: `步骤编码无效：${reason}` };
  }
}

type Describer = (args: readonly unknown[]) => ErrorSentence;

/** Error name → sentence builder (arguments in ABI order). */
export const PROVENANCE_ERROR_SENTENCES: Readonly<Record<string, Describer>> = {
  ProvenanceRegistryUnauthorized: ([account, role]) => ({
    en: `${text(account)} does not hold ${roleName(role)}, which this action needs (a shipment can only be created by an accredited manufacturer).`,
    zh: `${text(account)} 没有此操作所需的角色 ${roleName(role)}（只有经认证的生产企业才能创建货运）。`,
  }),
  ProvenanceRegistryNotActive: ([account]) => ({
    en: `${text(account)} is not an accredited, active organisation (never accredited, suspended or revoked), so it cannot record anything.`,
    zh: `${text(account)} 不是已认证且有效的机构（未认证、已暂停或已撤销），不能登记任何内容。`,
  }),
  ProvenanceRegistryInvalidGln: ([gln]) => ({
    en: `GLN ${text(gln)} is not valid: a GLN has 1 to 13 digits and is not zero.`,
    zh: `GLN ${text(gln)} 无效：GLN 为 1 至 13 位数字且不能为零。`,
  }),
  ProvenanceRegistryInvalidName: ([length]) => ({
    en: `The location name has ${text(length)} bytes; it must have 1 to 64.`,
    zh: `地点名称为 ${text(length)} 字节，必须为 1 至 64 字节。`,
  }),
  ProvenanceRegistryLocationExists: ([gln, owner]) => ({
    en: `Location ${glnText(gln)} is already registered, to ${text(owner)}.`,
    zh: `地点 ${glnText(gln)} 已被 ${text(owner)} 登记。`,
  }),
  ProvenanceRegistryNotLocationOwner: ([gln, account]) => ({
    en: `Location ${glnText(gln)} is not registered to ${text(account)}: register it first or use one of your own locations.`,
    zh: `地点 ${glnText(gln)} 未登记在 ${text(account)} 名下：请先登记该地点，或使用本机构自己的地点。`,
  }),
  ProvenanceRegistryInvalidGtin: ([gtin]) => ({
    en: `GTIN ${text(gtin).padStart(14, "0")} is not a valid GTIN-14 (too long, zero, or a wrong check digit).`,
    zh: `GTIN ${text(gtin).padStart(14, "0")} 不是有效的 GTIN-14（过长、为零或校验位错误）。`,
  }),
  ProvenanceRegistryInvalidIdentifier: ([length]) => ({
    en: `A lot number or serial has ${text(length)} bytes; each must have 1 to 20.`,
    zh: `批号或序列号为 ${text(length)} 字节，每项必须为 1 至 20 字节。`,
  }),
  ProvenanceRegistryInvalidQuantity: () => ({
    en: "The quantity must be at least 1.",
    zh: "数量至少为 1。",
  }),
  ProvenanceRegistryInvalidTemperatureRange: ([min, max]) => ({
    en: `The cold-chain range ${centi(min)} to ${centi(max)} is empty: the minimum must be below the maximum.`,
    zh: `冷链温度范围 ${centi(min)} 至 ${centi(max)} 无效：下限必须低于上限。`,
  }),
  ProvenanceRegistryUnknownVaccineLot: ([lotId]) => ({
    en: `Vaccine lot ${text(lotId)} does not exist in the vaccine registry.`,
    zh: `疫苗登记中不存在批次 ${text(lotId)}。`,
  }),
  ProvenanceRegistryNotLotManufacturer: ([lotId, account]) => ({
    en: `Vaccine lot ${text(lotId)} was registered by another manufacturer, not by ${text(account)}.`,
    zh: `疫苗批次 ${text(lotId)} 由其他生产企业登记，不属于 ${text(account)}。`,
  }),
  ProvenanceRegistryShipmentExists: ([shipmentId]) => ({
    en: `A shipment with this GTIN, lot and serial already exists (id ${shortId(shipmentId)}): use a new serial.`,
    zh: `具有相同 GTIN、批号和序列号的货运已存在（ID ${shortId(shipmentId)}）：请使用新的序列号。`,
  }),
  ProvenanceRegistryUnknownShipment: ([shipmentId]) => ({
    en: `No shipment has the id ${text(shipmentId)}.`,
    zh: `不存在 ID 为 ${text(shipmentId)} 的货运。`,
  }),
  ProvenanceRegistryNotHolder: ([shipmentId, account]) => ({
    en: `${text(account)} does not hold shipment ${shortId(shipmentId)}: only its current holder may do this.`,
    zh: `${text(account)} 不是货运 ${shortId(shipmentId)} 的当前持有方：只有当前持有方可以执行此操作。`,
  }),
  ProvenanceRegistryInvalidStep: ([shipmentId, step]) => {
    const why = stepWordProblem(step);
    return {
      en: `The custody step for shipment ${shortId(shipmentId)} was refused: ${why.en}.`,
      zh: `货运 ${shortId(shipmentId)} 的保管步骤被拒绝：${why.zh}。`,
    };
  },
  ProvenanceRegistryInvalidBatchSize: ([size]) => ({
    en: `A batch must have 1 to 500 steps; this one has ${text(size)}.`,
    zh: `批量登记必须包含 1 至 500 个步骤，本次为 ${text(size)} 个。`,
  }),
  ProvenanceRegistryShipmentDelivered: ([shipmentId]) => ({
    en: `Shipment ${shortId(shipmentId)} has been delivered to its final holder: custody never moves again.`,
    zh: `货运 ${shortId(shipmentId)} 已交付给最终持有方：保管权不能再转移。`,
  }),
  ProvenanceRegistryInvalidReceiver: ([receiver]) => ({
    en: `${text(receiver)} cannot receive the shipment: it is the holder itself, or not an accredited, active organisation.`,
    zh: `${text(receiver)} 不能接收该货运：它就是当前持有方，或不是已认证且有效的机构。`,
  }),
  ProvenanceRegistryNotPendingReceiver: ([shipmentId, account]) => ({
    en: `No hand-over of shipment ${shortId(shipmentId)} is pending to ${text(account)}.`,
    zh: `没有待 ${text(account)} 接收的货运 ${shortId(shipmentId)} 交接。`,
  }),
  ProvenanceRegistryInvalidReason: ([reason]) => ({
    en: `Rejection reason ${text(reason)} is not one of the documented reasons (0 to 5).`,
    zh: `拒收原因 ${text(reason)} 不在规定范围内（0 至 5）。`,
  }),
  ProvenanceRegistryScanNotSuspect: ([shipmentId, gln]) => ({
    en: `The scan of shipment ${shortId(shipmentId)} at location ${glnText(gln)} is genuine: there is nothing to report.`,
    zh: `货运 ${shortId(shipmentId)} 在地点 ${glnText(gln)} 的扫描结果为真实：无需举报。`,
  }),
  // The two errors of OpenZeppelin `Multicall` (through `Address.functionDelegateCall`).
  FailedCall: () => ({
    en: "One call of the batch failed without giving a reason (for example a function the registry does not have), so nothing in the batch was recorded.",
    zh: "批量交易中有一项调用失败且未说明原因（例如调用了登记合约没有的函数），整批均未记录。",
  }),
  AddressEmptyCode: ([target]) => ({
    en: `There is no contract at ${text(target)} on this network: check the network and the registry address.`,
    zh: `此网络上地址 ${text(target)} 没有合约：请检查网络和登记合约地址。`,
  }),
};

/** The sentence of a decoded ProvenanceRegistry error, or null for an error name it does not know. */
export function describeProvenanceError(name: string, args: readonly unknown[]): ErrorSentence | null {
  const describe = PROVENANCE_ERROR_SENTENCES[name];
  return describe === undefined ? null : describe(args);
}
