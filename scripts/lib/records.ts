/**
 * Synthetic, salted health-record documents for the demo seed.
 *
 * A record document is what the record vault stores (encrypted at rest) and serves to grant holders; the
 * chain only ever sees `keccak256(utf8(document))`. Each document carries a random 32-byte salt so that
 * its hash cannot be brute-forced back to a short payload (such as a health-code colour). The clinical
 * content below is synthetic: codes are real (ICD-10, LOINC, ATC), people are not.
 */
import { randomBytes } from "node:crypto";

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

/** Build a salted record document. `issuedAt` is a Unix time in seconds (chain time). */
export function makeRecordDocument(
  subject: string,
  issuer: string,
  category: CategoryCode,
  issuedAt: number,
  body: RecordBody,
): RecordDocument {
  const document = {
    schema: RECORD_SCHEMA,
    category,
    categoryName: CATEGORY_LABELS[category].en,
    subject,
    issuer,
    issuedAt: new Date(issuedAt * 1000).toISOString(),
    salt: `0x${randomBytes(32).toString("hex")}`,
    synthetic: true,
    body,
  };
  return { subject, issuer, category, text: JSON.stringify(document) };
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
