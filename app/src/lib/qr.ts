/**
 * What a scanned (or typed) code is, checked before anything is sent:
 *
 * - a shipment label: a GS1 Digital Link `…/01/{GTIN}/10/{lot}/21/{serial}[?chain=…&registry=…]`, on the GS1
 *   resolver or on this app's own host (labels printed by the app open its shipment page on a phone);
 * - a vaccine lot: `…/01/{GTIN}/10/{lot}`;
 * - a wallet: an EIP-681 `ethereum:0x…[@chainId]` URI or a bare checksummed / lower-case address;
 * - a proof of vaccination: `…/verify?proof=…` (see encodeProof).
 *
 * Anything else is refused with a reason code (`QrProblem`) that the UI translates.
 */
import { type Address, getAddress, type Hex, isAddress, isHex } from "viem";

import { DigitalLinkError, type LabelPayload, normalizeGtin, parseDigitalLink } from "../../../scripts/lib/digital-link.ts";

export type QrProblem =
  | "empty"
  | "tooLong"
  | "unrecognised"
  | "badDigitalLink"
  | "wrongChain"
  | "badAddress"
  | "badProof";

export class QrError extends Error {
  readonly problem: QrProblem;
  /** The Digital Link library's own reason code, when that is what refused it. */
  readonly detail: string | undefined;
  constructor(problem: QrProblem, message: string, detail?: string) {
    super(message);
    this.name = "QrError";
    this.problem = problem;
    this.detail = detail;
  }
}

/** A proof of vaccination as carried in its QR code. */
export interface VaccinationProof {
  readonly chainId: number;
  readonly citizen: Address;
  readonly doseId: Hex;
  readonly challenge: Hex;
  readonly validUntil: bigint;
  readonly signature: Hex;
}

export type ScannedCode =
  | { readonly kind: "shipment"; readonly label: LabelPayload }
  | { readonly kind: "lot"; readonly gtin: string; readonly lot: string }
  | { readonly kind: "address"; readonly address: Address; readonly chainId: number | null }
  | { readonly kind: "proof"; readonly proof: VaccinationProof };

export interface ParseContext {
  /** This build's chain: codes naming another chain are refused. */
  readonly chainId: number;
  /** Hosts (host[:port]) whose Digital Links and proof links are accepted besides id.gs1.org. */
  readonly appHosts: readonly string[];
}

export const MAX_CODE_LENGTH = 2048;

const base64url = {
  encode(text: string): string {
    const bytes = new TextEncoder().encode(text);
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
  decode(text: string): string {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  },
};

/** The link a proof-of-vaccination QR carries. */
export function encodeProof(origin: string, proof: VaccinationProof): string {
  const body = JSON.stringify({
    v: 1,
    chain: proof.chainId,
    citizen: proof.citizen,
    dose: proof.doseId,
    challenge: proof.challenge,
    validUntil: proof.validUntil.toString(),
    sig: proof.signature,
  });
  return `${origin}/verify?proof=${base64url.encode(body)}`;
}

/** The proof inside a `?proof=` value. */
export function decodeProof(value: string): VaccinationProof {
  let raw: unknown;
  try {
    raw = JSON.parse(base64url.decode(value));
  } catch {
    throw new QrError("badProof", "The proof is not readable.");
  }
  const p = raw as Record<string, unknown>;
  const ok =
    p.v === 1 &&
    typeof p.chain === "number" &&
    typeof p.citizen === "string" &&
    isAddress(p.citizen) &&
    typeof p.dose === "string" &&
    isHex(p.dose) &&
    p.dose.length === 66 &&
    typeof p.challenge === "string" &&
    isHex(p.challenge) &&
    p.challenge.length === 66 &&
    typeof p.validUntil === "string" &&
    /^\d{1,20}$/.test(p.validUntil) &&
    typeof p.sig === "string" &&
    isHex(p.sig) &&
    p.sig.length >= 132;
  if (!ok) throw new QrError("badProof", "The proof is missing a field or has a malformed one.");
  return {
    chainId: p.chain as number,
    citizen: getAddress(p.citizen as string),
    doseId: p.dose as Hex,
    challenge: p.challenge as Hex,
    validUntil: BigInt(p.validUntil as string),
    signature: p.sig as Hex,
  };
}

const LOT_PATH = /^\/01\/(\d{1,14})\/10\/([^/?#]{1,60})\/?$/;

/** Classify a scanned or typed code; throws QrError with the reason when it is none of ours. */
export function parseScannedCode(input: string, context: ParseContext): ScannedCode {
  if (input.length > MAX_CODE_LENGTH) throw new QrError("tooLong", `The code has ${input.length} characters.`);
  const text = input.trim();
  if (text === "") throw new QrError("empty", "The code is empty.");

  // A wallet address: EIP-681 or bare.
  const eip681 = /^ethereum:(?:pay-)?(0x[0-9a-fA-F]{40})(?:@(\d{1,16}))?(?:[/?].*)?$/i.exec(text);
  if (eip681 !== null || /^0x[0-9a-fA-F]{40}$/.test(text)) {
    const candidate = eip681 !== null ? eip681[1] : text;
    if (!isAddress(candidate, { strict: true }) && !isAddress(candidate.toLowerCase())) {
      throw new QrError("badAddress", "The address has a wrong checksum.");
    }
    if (!isAddress(candidate, { strict: true })) throw new QrError("badAddress", "The address has a wrong checksum.");
    const chainId = eip681?.[2] !== undefined ? Number(eip681[2]) : null;
    if (chainId !== null && chainId !== context.chainId) {
      throw new QrError("wrongChain", `The wallet code is for chain ${String(chainId)}.`, String(chainId));
    }
    return { kind: "address", address: getAddress(candidate), chainId };
  }
  if (/^0x[0-9a-fA-F]*$/.test(text) || /^ethereum:/i.test(text)) throw new QrError("badAddress", "Not a 20-byte address.");

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QrError("unrecognised", "The code is not a HealthTrace label, wallet or proof.");
  }
  const hosts = ["id.gs1.org", ...context.appHosts].map((h) => h.toLowerCase());

  // A proof of vaccination.
  if (url.pathname === "/verify" && url.searchParams.has("proof")) {
    if (!context.appHosts.map((h) => h.toLowerCase()).includes(url.host.toLowerCase())) {
      throw new QrError("unrecognised", `Proof links from ${url.host} are not accepted.`);
    }
    const proof = decodeProof(url.searchParams.get("proof") ?? "");
    if (proof.chainId !== context.chainId) throw new QrError("wrongChain", `The proof is for chain ${String(proof.chainId)}.`, String(proof.chainId));
    return { kind: "proof", proof };
  }

  // A lot link (no serial).
  const lotMatch = LOT_PATH.exec(url.pathname);
  if (lotMatch !== null && hosts.includes(url.host.toLowerCase())) {
    let lot: string;
    try {
      lot = decodeURIComponent(lotMatch[2]);
      return { kind: "lot", gtin: normalizeGtin(lotMatch[1]), lot };
    } catch (error) {
      throw new QrError("badDigitalLink", error instanceof Error ? error.message : String(error));
    }
  }

  // A shipment label.
  try {
    const label = parseDigitalLink(text, { resolverHosts: hosts });
    if (label.registryRef !== null && label.registryRef.chainId !== context.chainId) {
      throw new QrError(
        "wrongChain",
        `The label is for chain ${String(label.registryRef.chainId)}.`,
        String(label.registryRef.chainId),
      );
    }
    return { kind: "shipment", label };
  } catch (error) {
    if (error instanceof QrError) throw error;
    if (error instanceof DigitalLinkError) throw new QrError("badDigitalLink", error.message, error.code);
    throw error;
  }
}
