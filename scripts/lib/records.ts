/**
 * Salted health-record documents: the one definition of the record document and of its id, shared by the
 * demo seed, the record vault (`vault/`) and the tests.
 *
 * A record document is what the record vault stores (encrypted at rest) and serves to grant holders; the
 * chain only ever sees `recordIdOf(document) = keccak256(utf8(document))`. Each document carries a random
 * 32-byte salt so that its hash cannot be brute-forced back to a short payload (such as a health-code
 * colour). The clinical content below is synthetic: codes are real (ICD-10, LOINC, ATC), people are not.
 *
 * Runs in Node and in the browser: the salt comes from Web Crypto, the hash from viem.
 */
import { keccak256, stringToBytes } from "viem";

import { CATEGORY_LABELS, type CategoryCode } from "./personas.ts";

/** Schema identifier carried by every document. */
export const RECORD_SCHEMA = "healthtrace.record/1";

/** The category-specific clinical content of a record (FHIR-flavoured, synthetic). */
export type RecordBody = Readonly<Record<string, unknown>>;

/** A record as the vault would store it: the exact document text and what is anchored on chain. */
export interface RecordDocument {
  readonly subject: string;
  readonly issuer: string;
  readonly category: CategoryCode;
  /** The exact UTF-8 text whose keccak-256 is the record id. */
  readonly text: string;
}

/** The record id of a document: keccak-256 of its exact UTF-8 text (what `RecordRegistry.anchor` stores). */
export function recordIdOf(text: string): `0x${string}` {
  return keccak256(stringToBytes(text));
}

/** A random 32-byte salt as 0x-prefixed lower-case hex (Web Crypto: Node ≥ 19 and every browser). */
export function randomSalt(): `0x${string}` {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Options of `makeRecordDocument`. */
export interface MakeRecordOptions {
  /** Whether the clinical content is synthetic demo data (default true: the seed). The vault sets false. */
  readonly synthetic?: boolean;
}

/** Build a salted record document. `issuedAt` is a Unix time in seconds (chain time). */
export function makeRecordDocument(
  subject: string,
  issuer: string,
  category: CategoryCode,
  issuedAt: number,
  body: RecordBody,
  options: MakeRecordOptions = {},
): RecordDocument {
  const document: RecordDocumentFields = {
    schema: RECORD_SCHEMA,
    category,
    categoryName: CATEGORY_LABELS[category].en,
    subject,
    issuer,
    issuedAt: new Date(issuedAt * 1000).toISOString(),
    salt: randomSalt(),
    synthetic: options.synthetic ?? true,
    body,
  };
  return { subject, issuer, category, text: JSON.stringify(document) };
}

/** The fields of a record document, in the order `makeRecordDocument` writes them. */
export interface RecordDocumentFields {
  readonly schema: typeof RECORD_SCHEMA;
  readonly category: CategoryCode;
  readonly categoryName: string;
  readonly subject: string;
  readonly issuer: string;
  /** ISO 8601 UTC time of issue. */
  readonly issuedAt: string;
  /** 32 random bytes, 0x-prefixed lower-case hex. */
  readonly salt: string;
  readonly synthetic: boolean;
  readonly body: RecordBody;
}

/** Why a text is not a record document (`parseRecordDocument`). */
export class RecordDocumentError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "RecordDocumentError";
    this.field = field;
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const SALT = /^0x[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const FIELDS = ["schema", "category", "categoryName", "subject", "issuer", "issuedAt", "salt", "synthetic", "body"];

/**
 * Check that `text` is a record document as `makeRecordDocument` defines it: a JSON object with exactly the
 * fields above, the schema id, a known category with its English name, two addresses, an ISO UTC time, a
 * 32-byte salt and an object body. Throws `RecordDocumentError` naming the first field that is wrong.
 */
export function parseRecordDocument(text: string): RecordDocumentFields {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecordDocumentError("document", "the record document is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RecordDocumentError("document", "the record document is not a JSON object");
  }
  const doc = value as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!FIELDS.includes(key)) throw new RecordDocumentError(key, `the record document has an unknown field "${key}"`);
  }
  for (const key of FIELDS) {
    if (!(key in doc)) throw new RecordDocumentError(key, `the record document has no "${key}"`);
  }
  if (doc.schema !== RECORD_SCHEMA) throw new RecordDocumentError("schema", `the schema is not "${RECORD_SCHEMA}"`);
  const category = doc.category;
  if (typeof category !== "number" || !Object.hasOwn(CATEGORY_LABELS, category)) {
    throw new RecordDocumentError("category", "the category is not a known category code (0-5)");
  }
  if (doc.categoryName !== CATEGORY_LABELS[category as CategoryCode].en) {
    throw new RecordDocumentError("categoryName", "the category name does not match the category code");
  }
  for (const key of ["subject", "issuer"] as const) {
    if (typeof doc[key] !== "string" || !ADDRESS.test(doc[key])) {
      throw new RecordDocumentError(key, `the ${key} is not a 20-byte hex address`);
    }
  }
  if (typeof doc.issuedAt !== "string" || !ISO_UTC.test(doc.issuedAt) || Number.isNaN(Date.parse(doc.issuedAt))) {
    throw new RecordDocumentError("issuedAt", "the issue time is not an ISO 8601 UTC time");
  }
  if (typeof doc.salt !== "string" || !SALT.test(doc.salt)) {
    throw new RecordDocumentError("salt", "the salt is not 32 bytes of lower-case hex");
  }
  if (typeof doc.synthetic !== "boolean") throw new RecordDocumentError("synthetic", "synthetic is not a boolean");
  if (typeof doc.body !== "object" || doc.body === null || Array.isArray(doc.body)) {
    throw new RecordDocumentError("body", "the body is not a JSON object");
  }
  return doc as unknown as RecordDocumentFields;
}

/** ISO date (YYYY-MM-DD) `daysAgo` days before the Unix time `now`. */
export function isoDate(now: number, daysAgo: number): string {
  return new Date((now - daysAgo * 86_400) * 1000).toISOString().slice(0, 10);
}

/** The vaccine of an immunization record. */
export interface ImmunizationVaccine {
  /** WHO ATC code. */
  readonly atc: string;
  readonly display: string;
  readonly manufacturer: string;
  /** GS1 GTIN-14 of the product, when known. */
  readonly gtin?: string;
}

/** The default vaccine of `immunization`: an inactivated COVID-19 vaccine. */
export const INACTIVATED_COVID_VACCINE: ImmunizationVaccine = {
  atc: "J07BN03",
  display: "COVID-19 vaccine, inactivated (Vero cell)",
  manufacturer: "Shanghai Institute of Biological Products",
};

/** A vaccine dose (by default an inactivated COVID-19 vaccine). */
export function immunization(
  now: number,
  daysAgo: number,
  doseNumber: number,
  lot: string,
  vaccine: ImmunizationVaccine = INACTIVATED_COVID_VACCINE,
): RecordBody {
  return {
    resourceType: "Immunization",
    status: "completed",
    vaccineCode: { system: "http://www.whocc.no/atc", code: vaccine.atc, display: vaccine.display },
    occurrenceDate: isoDate(now, daysAgo),
    lotNumber: lot,
    ...(vaccine.gtin === undefined ? {} : { gtin: vaccine.gtin }),
    manufacturer: vaccine.manufacturer,
    doseNumber,
    route: "IM",
    site: "left deltoid",
  };
}

/** A SARS-CoV-2 nucleic-acid test result. */
export function pcrResult(now: number, daysAgo: number, detected: boolean, ctValue?: number): RecordBody {
  return {
    resourceType: "Observation",
    status: "final",
    code: {
      system: "http://loinc.org",
      code: "94500-6",
      display: "SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory specimen by NAA with probe detection",
    },
    effectiveDate: isoDate(now, daysAgo),
    specimen: "oropharyngeal swab",
    valueCodeableConcept: detected ? "Detected" : "Not detected",
    ...(ctValue === undefined ? {} : { ctValueORF1ab: ctValue }),
  };
}

/** A diagnosis. */
export function diagnosis(now: number, daysAgo: number, icd10: string, display: string, severity: string): RecordBody {
  return {
    resourceType: "Condition",
    clinicalStatus: "active",
    code: { system: "http://hl7.org/fhir/sid/icd-10", code: icd10, display },
    severity,
    recordedDate: isoDate(now, daysAgo),
  };
}

/** A prescription. */
export function prescription(now: number, daysAgo: number, atc: string, display: string, dosage: string): RecordBody {
  return {
    resourceType: "MedicationRequest",
    status: "completed",
    medicationCodeableConcept: { system: "http://www.whocc.no/atc", code: atc, display },
    dosageInstruction: dosage,
    authoredOn: isoDate(now, daysAgo),
  };
}

/** An imaging report. */
export function imaging(now: number, daysAgo: number, loinc: string, display: string, conclusion: string): RecordBody {
  return {
    resourceType: "DiagnosticReport",
    status: "final",
    code: { system: "http://loinc.org", code: loinc, display },
    effectiveDate: isoDate(now, daysAgo),
    conclusion,
  };
}

/** A health-code status change. */
export function healthCode(now: number, daysAgo: number, status: "green" | "yellow" | "red", reason: string): RecordBody {
  return {
    resourceType: "Observation",
    status: "final",
    code: { text: "Shanghai health code (随申码) status" },
    effectiveDate: isoDate(now, daysAgo),
    valueString: status,
    reason,
  };
}
