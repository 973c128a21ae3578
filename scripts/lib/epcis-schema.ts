/**
 * Validation of EPCIS 2.0 JSON / JSON-LD documents against GS1's official JSON Schema
 * (`standards/epcis/EPCIS-JSON-Schema.json`, copied unedited from github.com/gs1/EPCIS; see its README).
 *
 * The schema declares JSON Schema draft-07 (`"$schema": "http://json-schema.org/draft-07/schema#"`), so it is
 * compiled by Ajv's default (draft-07) class in its default strict mode, with ajv-formats adding the `uri` and
 * `date-time` formats the schema relies on (without them Ajv would refuse the unknown formats). Node only (reads the
 * schema from disk); used by `scripts/epcis.ts` before it writes a document and by the tests.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import AjvModule from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/** The official schema file. */
export const EPCIS_SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "standards",
  "epcis",
  "EPCIS-JSON-Schema.json",
);

/** The outcome of validating one document. */
export interface EpcisValidation {
  readonly valid: boolean;
  /** Ajv's errors (empty when valid). */
  readonly errors: readonly ErrorObject[];
  /** The errors as lines `instancePath: message` (empty when valid). */
  readonly messages: readonly string[];
}

let compiled: ValidateFunction | null = null;

/** The compiled validator (compiled once per process). */
export function epcisValidator(): ValidateFunction {
  if (compiled === null) {
    const schema: unknown = JSON.parse(readFileSync(EPCIS_SCHEMA_FILE, "utf8"));
    if (typeof schema !== "object" || schema === null || (schema as { $schema?: unknown }).$schema !== "http://json-schema.org/draft-07/schema#") {
      throw new Error(`${EPCIS_SCHEMA_FILE} is not the draft-07 GS1 EPCIS schema this validator is set up for`);
    }
    // ajv and ajv-formats are CommonJS: their ESM default import is `module.exports`, whose `.default` is the export.
    const ajv = new AjvModule.default({ allErrors: true });
    addFormatsModule.default(ajv);
    compiled = ajv.compile(schema as object);
  }
  return compiled;
}

/** Validate a document (any JSON value) against the GS1 EPCIS 2.0 schema. */
export function validateEpcis(document: unknown): EpcisValidation {
  const validate = epcisValidator();
  const valid = validate(document) === true;
  const errors = valid ? [] : [...(validate.errors ?? [])];
  return {
    valid,
    errors,
    messages: errors.map((e) => `${e.instancePath === "" ? "(document)" : e.instancePath}: ${e.message ?? e.keyword}`),
  };
}
