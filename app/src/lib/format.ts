/** Small, language-aware formatters shared by the pages. */
export const shortAddress = (a: string): string => (a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a);

export const shortHash = (h: string): string => (h.length > 18 ? `${h.slice(0, 10)}…${h.slice(-6)}` : h);

/** A chain timestamp (seconds) as a date and time in the user's language, China Standard Time. */
export function formatDateTime(unixSeconds: number | bigint, language: string): string {
  return new Intl.DateTimeFormat(language.startsWith("en") ? "en-GB" : "zh-CN", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Asia/Shanghai",
  }).format(new Date(Number(unixSeconds) * 1000));
}

/** A chain timestamp (seconds) as a date in the user's language, China Standard Time. */
export function formatDate(unixSeconds: number | bigint, language: string): string {
  return new Intl.DateTimeFormat(language.startsWith("en") ? "en-GB" : "zh-CN", {
    dateStyle: "medium",
    timeZone: "Asia/Shanghai",
  }).format(new Date(Number(unixSeconds) * 1000));
}
