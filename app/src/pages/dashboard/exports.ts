/**
 * The dashboard's tables as files: CSV (RFC 4180) and JSON, each naming the block range it covers so it can be
 * reproduced. Pure (no DOM): the page turns the text into a download, the tests parse it back.
 *
 * CSV: leading `# ` comment lines (table, chain, blocks, time of the last block, filters, the API address it came
 * from, what "<5" means), then a header row of column labels, then the rows exactly as the table shows them.
 * JSON: `{ table, title, coverage, filters, source, columns, rows }`, a row being an object keyed by column key.
 * A suppressed count stays the string "<5" in both: never a number, never summed.
 */
import type { Coverage } from "../../lib/indexer.ts";

/** A table cell as shown: a number, or text (names, dates, "<5"). */
export type Cell = string | number;

export interface Column {
  /** Stable identifier (JSON keys). */
  readonly key: string;
  /** Header in the user's language. */
  readonly label: string;
}

/** One table of the dashboard, as shown under its chart and as exported. */
export interface TableData {
  /** File-name stem, e.g. `doses-by-manufacturer`. */
  readonly id: string;
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
  /** Whether it counts people (the "<5" rule applies). */
  readonly people: boolean;
}

/** Where a table's numbers come from. */
export interface ExportContext {
  readonly coverage: Coverage;
  /** The filters the indexer applied (name → value); empty for none. */
  readonly filters: Readonly<Record<string, string>>;
  /** The API address the numbers were read from. */
  readonly source: string;
}

export const SUPPRESSED_NOTE = '"<5" = a count of people from 1 to 4, not published (privacy threshold)';

// ---------------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------------

/** One CSV field: quoted when it holds a comma, a quote, a line break or outer spaces; quotes doubled. */
export function csvField(value: Cell): string {
  const text = typeof value === "number" ? String(value) : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, " ");

const filterText = (filters: Readonly<Record<string, string>>): string => {
  const entries = Object.entries(filters).filter(([, v]) => v !== "");
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k}=${v}`).join("; ");
};

/** The `# ` lines that open a CSV export. */
export function csvComments(table: TableData, context: ExportContext): string[] {
  const { coverage } = context;
  return [
    `HealthTrace: ${table.title} (${table.id})`,
    `chain: ${String(coverage.chainId)}`,
    `blocks: ${String(coverage.fromBlock)}-${String(coverage.toBlock)}`,
    `data through: ${coverage.toBlockTime}`,
    `filters: ${filterText(context.filters)}`,
    `source: ${context.source}`,
    ...(table.people ? [SUPPRESSED_NOTE] : []),
  ].map((line) => `# ${oneLine(line)}`);
}

const CRLF = "\r\n";

export function toCsv(table: TableData, context: ExportContext): string {
  const lines = [
    ...csvComments(table, context),
    table.columns.map((c) => csvField(c.label)).join(","),
    ...table.rows.map((row) => row.map(csvField).join(",")),
  ];
  return lines.join(CRLF) + CRLF;
}

export interface ParsedCsv {
  /** The comment lines without their `# `. */
  readonly comments: readonly string[];
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Parse a CSV export back (RFC 4180 fields; leading `# ` lines are comments). */
export function parseCsv(text: string): ParsedCsv {
  const comments: string[] = [];
  let rest = text;
  while (rest.startsWith("#")) {
    const end = rest.indexOf("\n");
    const line = (end === -1 ? rest : rest.slice(0, end)).replace(/\r$/, "");
    comments.push(line.replace(/^# ?/, ""));
    rest = end === -1 ? "" : rest.slice(end + 1);
  }
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = "";
  };
  while (i < rest.length) {
    const ch = rest[i];
    if (quoted) {
      if (ch === '"' && rest[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\n" || ch === "\r") {
      endField();
      records.push(record);
      record = [];
      if (ch === "\r" && rest[i + 1] === "\n") i += 1;
    } else field += ch;
    i += 1;
  }
  if (field !== "" || record.length > 0) {
    endField();
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return { comments, header, rows };
}

// ---------------------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------------------

export interface JsonExport {
  readonly table: string;
  readonly title: string;
  readonly coverage: Coverage;
  readonly filters: Readonly<Record<string, string>>;
  readonly source: string;
  readonly note?: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

export function toJsonExport(table: TableData, context: ExportContext): JsonExport {
  return {
    table: table.id,
    title: table.title,
    coverage: context.coverage,
    filters: context.filters,
    source: context.source,
    ...(table.people ? { note: SUPPRESSED_NOTE } : {}),
    columns: table.columns,
    rows: table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.key, row[i] ?? ""]))),
  };
}

export const toJson = (table: TableData, context: ExportContext): string => `${JSON.stringify(toJsonExport(table, context), null, 2)}\n`;

// ---------------------------------------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------------------------------------

const safe = (text: string): string => text.replace(/[^0-9A-Za-z_.-]+/g, "_");

/** `healthtrace-<table>-<from>-<to>-blocks-<fromBlock>-<toBlock>.<ext>`; `from`/`to` are the days covered. */
export function exportFileName(tableId: string, days: { readonly from: string; readonly to: string }, coverage: Coverage, extension: "csv" | "json"): string {
  return `healthtrace-${safe(tableId)}-${safe(days.from)}-${safe(days.to)}-blocks-${String(coverage.fromBlock)}-${String(coverage.toBlock)}.${extension}`;
}
