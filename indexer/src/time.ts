/**
 * Calendar days of the dashboard: China Standard Time (UTC+8, no daylight saving), counted from 1970-01-01.
 * Pure: shared by the indexer's handlers, its API and the app.
 */

/** Seconds east of UTC. */
export const CST_OFFSET_SECONDS = 8 * 3600;
const DAY = 86_400;

/** The CST day of a Unix time in seconds. */
export function dayOf(unixSeconds: number | bigint): number {
  return Math.floor((Number(unixSeconds) + CST_OFFSET_SECONDS) / DAY);
}

/** The Monday that starts the ISO week of `day` (1970-01-01 was a Thursday). */
export function weekOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** `YYYY-MM-DD` of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY * 1000).toISOString().slice(0, 10);
}

/** The day number of `YYYY-MM-DD`, or null when the text is not a real calendar date. */
export function parseIsoDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return null;
  return ms / 1000 / DAY;
}
