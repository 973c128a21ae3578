/**
 * The app's client of the indexer's HTTP API (indexer/, Ponder): typed reads of the `/stats/*` aggregates, its
 * readiness, and the addresses of its EPCIS export and GraphQL endpoint. The answers' types are the indexer's own
 * (indexer/src/api-types.ts, type-only), so both sides read one definition. A refusal (`{ error, message }`) becomes
 * an `IndexerRequestError` with that code; an indexer that cannot be reached, or answers something that is not one of
 * its answers, gets a code of its own. Plain `fetch`, no dependency; only the dashboard imports this module.
 */
import type {
  ConsentAnswer,
  Coverage,
  DosesAnswer,
  IndexerError,
  LotsAnswer,
  MetaAnswer,
  ShipmentsAnswer,
  StatsQuery,
} from "../../../indexer/src/api-types.ts";

export type {
  ConsentAnswer,
  ConsentCounts,
  Coverage,
  DosesAnswer,
  LotsAnswer,
  MetaAnswer,
  OrganisationEntry,
  PeopleSeriesPoint,
  PeopleTotal,
  ShipmentsAnswer,
  StatsQuery,
} from "../../../indexer/src/api-types.ts";
export type { PeopleCount } from "../../../indexer/src/privacy.ts";

/** The `/stats/*` routes and their answers. */
export interface StatsAnswers {
  readonly meta: MetaAnswer;
  readonly doses: DosesAnswer;
  readonly lots: LotsAnswer;
  readonly shipments: ShipmentsAnswer;
  readonly consent: ConsentAnswer;
}
export type StatsRoute = keyof StatsAnswers;

/** The indexer's refusal codes (api-types.ts IndexerError), and the two failures that are not refusals. */
export const INDEXER_REFUSALS = ["IndexerBadQuery", "IndexerNotFound", "IndexerEpcisFailed"] as const satisfies readonly IndexerError["error"][];
export type IndexerProblem = IndexerError["error"] | "IndexerUnreachable" | "IndexerUnexpectedAnswer";

export class IndexerRequestError extends Error {
  readonly code: IndexerProblem;
  /** HTTP status, or null when there was no answer. */
  readonly status: number | null;
  constructor(code: IndexerProblem, status: number | null, message: string) {
    super(message);
    this.name = "IndexerRequestError";
    this.code = code;
    this.status = status;
  }
}

const isRefusal = (code: unknown): code is IndexerError["error"] =>
  typeof code === "string" && (INDEXER_REFUSALS as readonly string[]).includes(code);

/** The problem code of any error thrown by this module (anything else counts as an unexpected answer). */
export const indexerProblem = (error: unknown): IndexerProblem =>
  error instanceof IndexerRequestError ? error.code : "IndexerUnexpectedAnswer";

// ---------------------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------------------

/** The query's parameters in a fixed order, empty ones left out (so equal filters give equal addresses). */
export function statsQueryString(query: StatsQuery): string {
  const params = new URLSearchParams();
  for (const name of ["from", "to", "district", "manufacturer", "granularity"] as const) {
    const value = query[name];
    if (value !== undefined && value !== "") params.set(name, value);
  }
  return params.toString();
}

const trimmed = (base: string): string => base.replace(/\/+$/, "");

/** `GET {base}/stats/{route}?{query}`. */
export function statsUrl(base: string, route: StatsRoute, query: StatsQuery = {}): string {
  const qs = statsQueryString(query);
  return `${trimmed(base)}/stats/${route}${qs === "" ? "" : `?${qs}`}`;
}

/** The EPCIS 2.0 JSON-LD export of the supply events of a block range (a download: Content-Disposition attachment). */
export function epcisUrl(base: string, range: Pick<Coverage, "fromBlock" | "toBlock">): string {
  return `${trimmed(base)}/exports/epcis?fromBlock=${String(range.fromBlock)}&toBlock=${String(range.toBlock)}`;
}

/** Ponder's GraphQL endpoint over the public tables (with its own explorer when opened in a browser). */
export const graphqlUrl = (base: string): string => `${trimmed(base)}/graphql`;

// ---------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------

async function request(url: string, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { signal: signal === undefined ? AbortSignal.timeout(30_000) : AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
  } catch (error) {
    if (signal?.aborted === true) throw error;
    throw new IndexerRequestError("IndexerUnreachable", null, error instanceof Error ? error.message : String(error));
  }
}

/** One `/stats/*` answer; a refusal or a non-answer throws an `IndexerRequestError`. */
export async function fetchStats<R extends StatsRoute>(base: string, route: R, query: StatsQuery = {}, signal?: AbortSignal): Promise<StatsAnswers[R]> {
  const response = await request(statsUrl(base, route, query), signal);
  let answer: unknown = null;
  try {
    answer = await response.json();
  } catch {
    // not JSON: handled below
  }
  const body = answer !== null && typeof answer === "object" ? (answer as Record<string, unknown>) : null;
  if (response.ok && body !== null && typeof body.coverage === "object" && body.coverage !== null) return body as unknown as StatsAnswers[R];
  if (body !== null && isRefusal(body.error)) {
    throw new IndexerRequestError(body.error, response.status, typeof body.message === "string" ? body.message : body.error);
  }
  throw new IndexerRequestError("IndexerUnexpectedAnswer", response.status, `HTTP ${String(response.status)}`);
}

/** Whether the indexer has caught up with the chain (`GET /ready`: 200) or is still backfilling (503). */
export type Readiness = "ready" | "catchingUp";

export async function fetchReadiness(base: string, signal?: AbortSignal): Promise<Readiness> {
  const response = await request(`${trimmed(base)}/ready`, signal);
  if (response.status === 200) return "ready";
  if (response.status === 503) return "catchingUp";
  throw new IndexerRequestError("IndexerUnexpectedAnswer", response.status, `HTTP ${String(response.status)}`);
}
