/**
 * A dashboard table (the numbers of the chart above it, or the cells), with its CSV and JSON downloads. Long tables
 * show their first rows and a "show more" button; the downloads always hold every row. "<5" is shown verbatim.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { SUPPRESSED } from "./shape.ts";
import { type Cell, type ExportContext, exportFileName, type TableData, toCsv, toJson } from "./exports.ts";

/** Offer `text` as a file download (Blob + object URL). */
function download(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface ExportInfo extends ExportContext {
  /** The days the table covers, for the file name. */
  readonly days: { readonly from: string; readonly to: string };
}

export function ExportButtons({ table, info }: { readonly table: TableData; readonly info: ExportInfo }) {
  const { t } = useTranslation("dashboard");
  const name = (ext: "csv" | "json") => exportFileName(table.id, info.days, info.coverage, ext);
  return (
    <div className="export-buttons" role="group" aria-label={t("export.label", { table: table.title })}>
      <button type="button" className="secondary" data-testid={`export-${table.id}-csv`} onClick={() => download(toCsv(table, info), name("csv"), "text/csv;charset=utf-8")}>
        {t("export.csv")}
      </button>
      <button type="button" className="secondary" data-testid={`export-${table.id}-json`} onClick={() => download(toJson(table, info), name("json"), "application/json")}>
        {t("export.json")}
      </button>
    </div>
  );
}

const isCount = (cell: Cell | undefined): boolean => typeof cell === "number" || cell === SUPPRESSED;

export function DataTable({ table, info, pageSize = 10 }: { readonly table: TableData; readonly info: ExportInfo; readonly pageSize?: number }) {
  const { t } = useTranslation("dashboard");
  const [shown, setShown] = useState(pageSize);
  // Counts are right-aligned (and written as in the exports: no digit grouping).
  const counts = table.columns.map((_, i) => table.rows.some((row) => isCount(row[i])));
  const rows = table.rows.slice(0, shown);
  const more = table.rows.length - rows.length;
  return (
    <div className="data-table">
      <div className="table-wrap">
        <table data-testid={`table-${table.id}`}>
          <caption className="visually-hidden">{table.title}</caption>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={c.key} scope="col" data-column={c.key} className={counts[i] === true ? "num" : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td
                    key={table.columns[c]?.key ?? c}
                    data-column={table.columns[c]?.key}
                    className={cell === SUPPRESSED ? "num lt5" : isCount(cell) ? "num" : undefined}
                    {...(cell === SUPPRESSED ? { title: t("lt5.title") } : {})}
                  >
                    {String(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-footer">
        <span className="muted small" data-testid={`rows-${table.id}`}>
          {t("table.rows", { shown: rows.length, total: table.rows.length })}
        </span>
        {more > 0 && (
          <button type="button" className="secondary" data-testid={`more-${table.id}`} onClick={() => setShown((n) => n + pageSize * 4)}>
            {t("table.showMore", { count: Math.min(more, pageSize * 4) })}
          </button>
        )}
        <ExportButtons table={table} info={info} />
      </div>
    </div>
  );
}
