/**
 * The dashboard's privacy threshold. A count of people (doses, grants, revocations, reads, records) below 5 in a cell
 * could single someone out (one dose of one lot in one district on one day), so it is published as "<5": in the API's
 * aggregates, the dashboard's tables and charts, and every export. Zero stays 0 (it singles out no one). Counts of
 * goods and events about goods (lots, shipments, excursions, suspect scans) are not about people and are exact.
 */

/** Smallest count published as a number. */
export const PRIVACY_THRESHOLD = 5;
/** How a count below the threshold is published. */
export const SUPPRESSED = "<5" as const;

/** A published count of people. */
export type PeopleCount = number | typeof SUPPRESSED;

/** `count` as published: "<5" for 1-4, the number otherwise. */
export function publishCount(count: number): PeopleCount {
  return count > 0 && count < PRIVACY_THRESHOLD ? SUPPRESSED : count;
}
