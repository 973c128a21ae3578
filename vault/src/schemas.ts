/**
 * JSON Schemas of the vault's HTTP API: Fastify validates every request with them (unknown fields refused,
 * no type coercion) and serialises every response through them; @fastify/swagger turns them into the OpenAPI
 * document served at /openapi.json.
 */
import { VAULT_ERRORS } from "./errors.ts";
import { MAX_SIWE_MESSAGE } from "./siwe.ts";
import { MAX_DOCUMENT_BYTES } from "./vault.ts";

const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$", description: "20-byte address, 0x-hex" } as const;
const bytes32 = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$", description: "32 bytes, 0x-hex" } as const;
const category = { type: "integer", minimum: 0, maximum: 5, description: "record category code (0-5)" } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const uintString = { type: "string", pattern: "^[0-9]+$" } as const;

export const errorBody = {
  $id: "VaultErrorBody",
  type: "object",
  description: "A refusal: a stable code (translate it) and an English sentence.",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: Object.keys(VAULT_ERRORS) },
        message: { type: "string" },
      },
    },
  },
} as const;

const errors = { "4xx": { $ref: "VaultErrorBody#" }, "5xx": { $ref: "VaultErrorBody#" } } as const;

export const recordSummary = {
  $id: "RecordSummary",
  type: "object",
  description: "A record's metadata (public on chain once anchored); never its content.",
  required: ["id", "subject", "issuer", "category", "categoryName", "status", "source", "documentBytes", "createdAt", "anchoredAt"],
  properties: {
    id: { ...bytes32, description: "record id = keccak-256 of the exact document text = the on-chain content hash" },
    subject: { ...address, description: "the citizen" },
    issuer: { ...address, description: "the organisation that filed it" },
    category,
    categoryName: { type: "string" },
    status: {
      type: "string",
      enum: ["awaiting-anchor", "anchored", "anchor-conflict"],
      description: "awaiting-anchor: the issuer must still send anchorCall; anchor-conflict: anchored on chain with other terms, never served",
    },
    source: { type: "string", enum: ["upload", "seed-import"] },
    documentBytes: { type: "integer" },
    createdAt: dateTime,
    anchoredAt: { type: ["string", "null"], format: "date-time" },
  },
} as const;

export const anchorCall = {
  $id: "AnchorCall",
  type: ["object", "null"],
  description: "The transaction the issuer's wallet sends: RecordRegistry.anchor(subject, category, id). Null once anchored.",
  required: ["chainId", "to", "functionName", "args", "data"],
  properties: {
    chainId: { type: "integer" },
    to: address,
    functionName: { type: "string", enum: ["anchor"] },
    args: {
      type: "array",
      items: [address, category, bytes32],
      additionalItems: false,
      minItems: 3,
      maxItems: 3,
    },
    data: { type: "string", pattern: "^0x[0-9a-fA-F]*$", description: "ABI-encoded calldata" },
  },
} as const;

export const sharedSchemas = [errorBody, recordSummary, anchorCall] as const;

const bearer = [{ bearer: [] }];

export const healthRoute = {
  tags: ["service"],
  summary: "Liveness and the vault's view of the chain",
  response: {
    200: {
      type: "object",
      required: ["status", "store", "chain", "gatekeeper"],
      properties: {
        status: { type: "string", enum: ["ok", "degraded"] },
        store: { type: "string", enum: ["pglite", "postgres"] },
        chain: {
          type: "object",
          required: ["reachable", "chainId", "blockNumber"],
          properties: {
            reachable: { type: "boolean" },
            chainId: { type: ["integer", "null"] },
            blockNumber: { type: ["string", "null"] },
          },
        },
        gatekeeper: {
          type: "object",
          required: ["address", "hasRole"],
          properties: { address, hasRole: { type: ["boolean", "null"] } },
        },
        recordRegistry: address,
        consentRegistry: address,
      },
    },
  },
} as const;

export const nonceRoute = {
  tags: ["sign-in"],
  summary: "A single-use sign-in nonce (EIP-4361), optionally reserved for one address",
  body: {
    type: ["object", "null"],
    additionalProperties: false,
    properties: { address },
  },
  response: {
    201: {
      type: "object",
      required: ["nonce", "expiresAt"],
      properties: { nonce: { type: "string" }, expiresAt: dateTime },
    },
    ...errors,
  },
} as const;

export const verifyRoute = {
  tags: ["sign-in"],
  summary: "Sign in: a signed EIP-4361 message for this vault's domain and chain opens a session",
  body: {
    type: "object",
    additionalProperties: false,
    required: ["message", "signature"],
    properties: {
      message: { type: "string", minLength: 1, maxLength: MAX_SIWE_MESSAGE },
      signature: { type: "string", pattern: "^0x([0-9a-fA-F]{2})+$", maxLength: 8192 },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["token", "address", "chainId", "expiresAt"],
      properties: {
        token: { type: "string", description: "send as `Authorization: Bearer <token>`" },
        address,
        chainId: { type: "integer" },
        expiresAt: dateTime,
      },
    },
    ...errors,
  },
} as const;

export const sessionRoute = {
  tags: ["sign-in"],
  summary: "The current session",
  security: bearer,
  response: {
    200: {
      type: "object",
      required: ["address", "chainId", "expiresAt"],
      properties: { address, chainId: { type: "integer" }, expiresAt: dateTime },
    },
    ...errors,
  },
} as const;

export const logoutRoute = {
  tags: ["sign-in"],
  summary: "End the current session",
  security: bearer,
  response: { 204: { type: "null", description: "signed out" }, ...errors },
} as const;

export const uploadRoute = {
  tags: ["records"],
  summary: "File a health record (providers: RECORD_ISSUER_ROLE, active organisation)",
  description:
    "Either { subject, category, body } (the vault builds the salted record document) or { document } (a document " +
    "built with scripts/lib/records.ts, whose issuer is the signed-in provider). The record is stored encrypted; if its " +
    "hash is not anchored yet, the response carries the anchor call the provider's wallet sends. Refused if the hash " +
    "is already anchored with another citizen, category or issuer.",
  security: bearer,
  body: {
    oneOf: [
      {
        type: "object",
        additionalProperties: false,
        required: ["subject", "category", "body"],
        properties: {
          subject: { ...address, description: "the citizen" },
          category,
          body: { type: "object", description: "the clinical content (FHIR-flavoured JSON)" },
        },
      },
      {
        type: "object",
        additionalProperties: false,
        required: ["document"],
        properties: { document: { type: "string", minLength: 2, maxLength: MAX_DOCUMENT_BYTES } },
      },
    ],
  },
  response: {
    "2xx": {
      type: "object",
      description: "201: stored now; 200: the same document was already stored",
      required: ["record", "anchorCall"],
      properties: { record: { $ref: "RecordSummary#" }, anchorCall: { $ref: "AnchorCall#" } },
    },
    ...errors,
  },
} as const;

export const listRoute = {
  tags: ["records"],
  summary: "My records: about me (citizen) or filed by me (provider); metadata only",
  security: bearer,
  response: {
    200: {
      type: "object",
      required: ["records"],
      properties: { records: { type: "array", items: { $ref: "RecordSummary#" } } },
    },
    ...errors,
  },
} as const;

const idParams = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: bytes32 },
} as const;

export const anchorCheckRoute = {
  tags: ["records"],
  summary: "Re-read a record's on-chain anchor now (issuer or citizen)",
  security: bearer,
  params: idParams,
  response: {
    200: { type: "object", required: ["record"], properties: { record: { $ref: "RecordSummary#" } } },
    ...errors,
  },
} as const;

export const readRoute = {
  tags: ["records"],
  summary: "Read one record: served to its citizen, or to a reader with a live on-chain grant (logged on chain first)",
  description:
    "The response carries the exact document text: keccak-256(UTF-8 bytes of `document`) equals `record.id` and the " +
    "content hash anchored in RecordRegistry (`anchor.registry`, `anchorOf(id)`), so the reader can check it.",
  security: bearer,
  params: idParams,
  response: {
    200: {
      type: "object",
      required: ["record", "document", "anchor", "access"],
      properties: {
        record: { $ref: "RecordSummary#" },
        document: { type: "string", description: "the exact record document (JSON text)" },
        anchor: {
          type: "object",
          required: ["registry", "chainId", "subject", "category", "issuer", "anchoredAt"],
          properties: {
            registry: address,
            chainId: { type: "integer" },
            subject: address,
            category,
            issuer: address,
            anchoredAt: dateTime,
          },
        },
        access: {
          type: "object",
          required: ["reader", "self", "block", "txHash", "logBlockNumber"],
          properties: {
            reader: address,
            self: { type: "boolean", description: "the citizen reading their own record (not logged on chain)" },
            block: { ...uintString, description: "the block at which access was decided" },
            txHash: { type: ["string", "null"], description: "the logAccess transaction (third-party reads)" },
            logBlockNumber: { type: ["string", "null"] },
          },
        },
      },
    },
    ...errors,
  },
} as const;

export const accessLogRoute = {
  tags: ["access log"],
  summary: "My access log: reads of my records (citizen) and reads I made (reader), newest first",
  security: bearer,
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: { limit: { type: "string", pattern: "^[1-9][0-9]{0,3}$", description: "1-1000, default 200" } },
  },
  response: {
    200: {
      type: "object",
      required: ["entries"],
      properties: {
        entries: {
          type: "array",
          items: {
            type: "object",
            required: ["recordId", "citizen", "reader", "category", "self", "txHash", "blockNumber", "servedAt"],
            properties: {
              recordId: bytes32,
              citizen: address,
              reader: address,
              category,
              self: { type: "boolean" },
              txHash: { type: ["string", "null"] },
              blockNumber: { type: ["string", "null"] },
              servedAt: dateTime,
            },
          },
        },
      },
    },
    ...errors,
  },
} as const;

export const openapiRoute = {
  tags: ["service"],
  summary: "This OpenAPI document",
  response: { 200: { type: "object", additionalProperties: true } },
} as const;
