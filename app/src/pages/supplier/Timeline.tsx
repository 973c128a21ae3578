/** A shipment's history as a timeline: custody steps, hand-overs, excursions and suspect scans (flagged). */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../lib/format.ts";
import { formatCelsius } from "../../../../scripts/lib/steps.ts";
import { useNames } from "./hooks.ts";
import { gln13, type HistoryEntry, type Range } from "./model.ts";

function rangeText(range: Range | null): string {
  return range === null || !range.coldChain ? "" : `${formatCelsius(range.minTempCentiC)} … ${formatCelsius(range.maxTempCentiC)}`;
}

function Entry({ entry, range }: { readonly entry: HistoryEntry; readonly range: Range | null }) {
  const { t, i18n } = useTranslation(["supplier", "codes"]);
  const names = useNames();
  const where = (gln: bigint) => (
    <span className="place">
      {names.location(gln)} <span className="gln">GLN {gln13(gln)}</span>
    </span>
  );
  let title: string;
  let body: ReactNode = null;
  const badges: ReactNode[] = [];
  switch (entry.kind) {
    case "created": {
      const c = entry.created;
      title = t("timeline.created", { org: names.org(c.manufacturer) });
      body = (
        <>
          {t("timeline.createdDetail", { quantity: c.quantity })} · {where(c.origin)}
          {c.coldChain && <> · {t("timeline.range", { range: rangeText(c) })}</>}
        </>
      );
      break;
    }
    case "step": {
      const s = entry.step;
      title = `${t(`codes:bizStep.${s.bizStep}`)} · ${t(`codes:disposition.${s.disposition}`)}`;
      body = (
        <>
          {where(s.readPoint)} · {t("timeline.by", { org: names.org(entry.recorder) })}
          {s.temperatureCentiC !== null && (
            <>
              {" · "}
              <span className={entry.excursion ? "temp temp-bad" : "temp"} data-testid="step-temperature">
                {formatCelsius(s.temperatureCentiC)}
              </span>
            </>
          )}
          {Math.abs(s.eventTime - entry.blockTime) > 60 && <> · {t("timeline.recordedAt", { time: formatDateTime(entry.blockTime, i18n.language) })}</>}
        </>
      );
      if (entry.excursion) badges.push(<span key="x" className="badge err">{t("badge.excursion")}</span>);
      break;
    }
    case "excursion":
      title = t("timeline.excursion", { temperature: formatCelsius(entry.temperatureCentiC) });
      body = (
        <>
          {range !== null && range.coldChain && t("timeline.excursionRange", { range: rangeText(range) })}{" "}
          {entry.vaccineLotId !== 0 && t("timeline.excursionLot", { lot: entry.vaccineLotId })}
        </>
      );
      badges.push(<span key="x" className="badge err">{t("badge.excursion")}</span>);
      break;
    case "lotReportFailed":
      title = t("timeline.lotReportFailed", { lot: entry.vaccineLotId });
      break;
    case "proposed":
      title = t("timeline.proposed", { holder: names.org(entry.holder), receiver: names.org(entry.receiver) });
      if (entry.isFinal) badges.push(<span key="f" className="badge">{t("badge.final")}</span>);
      break;
    case "accepted":
      title = t("timeline.accepted", { from: names.org(entry.from), to: names.org(entry.to) });
      if (entry.isFinal) badges.push(<span key="f" className="badge ok">{t("badge.delivered")}</span>);
      break;
    case "rejected":
      title = t("timeline.rejected", { receiver: names.org(entry.receiver), reason: t(`codes:rejectReason.${entry.reason}`) });
      badges.push(<span key="r" className="badge warn">{t("badge.rejected")}</span>);
      break;
    case "suspectScan":
      title = t("timeline.suspectScan", { reporter: names.org(entry.reporter) });
      body = (
        <>
          {where(entry.gln)} · {t(`codes:scanVerdict.${entry.verdict}`)}
        </>
      );
      badges.push(<span key="s" className="badge err">{t("badge.suspectScan")}</span>);
      break;
  }
  return (
    <li className={entry.flagged ? "flag" : undefined} data-kind={entry.kind}>
      <time dateTime={new Date(entry.time * 1000).toISOString()}>{formatDateTime(entry.time, i18n.language)}</time>
      <strong>{title}</strong> {badges}
      {body !== null && <div className="timeline-detail">{body}</div>}
    </li>
  );
}

export function Timeline({ entries, range, testId = "timeline" }: { readonly entries: readonly HistoryEntry[]; readonly range: Range | null; readonly testId?: string }) {
  const { t } = useTranslation("supplier");
  if (entries.length === 0) return <p className="muted">{t("timeline.empty")}</p>;
  return (
    <ol className="timeline" data-testid={testId}>
      {entries.map((e) => (
        <Entry key={`${e.blockNumber.toString()}-${e.logIndex}`} entry={e} range={range} />
      ))}
    </ol>
  );
}
