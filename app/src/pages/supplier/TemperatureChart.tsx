/**
 * The temperature readings of a shipment over time, with its allowed range as a band (Recharts; imported only by
 * the shipment page, so the charting library stays in that page's chunk), and the same points as a table.
 */
import { useTranslation } from "react-i18next";
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { formatDateTime } from "../../lib/format.ts";
import { formatCelsius } from "../../../../scripts/lib/steps.ts";
import { useNames } from "./hooks.ts";
import type { Range, TemperaturePoint } from "./model.ts";

interface DotProps {
  readonly cx?: number;
  readonly cy?: number;
  readonly index?: number;
  readonly payload?: TemperaturePoint;
}

function Dot({ cx, cy, payload }: DotProps) {
  if (cx === undefined || cy === undefined || payload === undefined) return null;
  const bad = payload.outOfRange;
  return <circle cx={cx} cy={cy} r={bad ? 6 : 3} fill={bad ? "#a4161a" : "#137c79"} stroke="#fff" strokeWidth={1} />;
}

const shortTime = (seconds: number, language: string): string =>
  new Intl.DateTimeFormat(language.startsWith("en") ? "en-GB" : "zh-CN", {
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Asia/Shanghai",
  }).format(new Date(seconds * 1000));

export function TemperatureChart({ points, range }: { readonly points: readonly TemperaturePoint[]; readonly range: Range | null }) {
  const { t, i18n } = useTranslation("supplier");
  const names = useNames();
  if (points.length === 0) return <p className="muted" data-testid="chart-empty">{t("chart.empty")}</p>;
  const band = range !== null && range.coldChain ? { min: range.minTempCentiC / 100, max: range.maxTempCentiC / 100 } : null;
  const data = points.map((p) => ({ ...p }));
  return (
    <>
      <figure className="chart" data-testid="temperature-chart" aria-label={t("chart.label")}>
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 10, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="#e3e9ee" />
            {band !== null && (
              <ReferenceArea y1={band.min} y2={band.max} ifOverflow="extendDomain" fill="#2bb673" fillOpacity={0.14} stroke="#2bb673" strokeOpacity={0.4} />
            )}
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(v: number) => shortTime(v, i18n.language)}
              minTickGap={24}
              fontSize={11}
            />
            <YAxis unit=" °C" width={62} fontSize={11} domain={["auto", "auto"]} allowDecimals />
            <Tooltip
              labelFormatter={(v) => formatDateTime(Number(v), i18n.language)}
              formatter={(v) => [formatCelsius(Math.round(Number(v) * 100)), t("chart.temperature")]}
            />
            <Line type="monotone" dataKey="celsius" stroke="#137c79" strokeWidth={2} dot={(p: DotProps) => <Dot key={p.index} {...p} />} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
        <figcaption className="muted small">
          {band !== null ? t("chart.caption", { min: formatCelsius(range?.minTempCentiC ?? 0), max: formatCelsius(range?.maxTempCentiC ?? 0) }) : t("chart.captionNoRange")}
        </figcaption>
      </figure>
      <div className="table-wrap">
        <table data-testid="temperature-table">
          <caption className="visually-hidden">{t("chart.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("chart.time")}</th>
              <th scope="col">{t("chart.location")}</th>
              <th scope="col">{t("chart.temperature")}</th>
              <th scope="col">{t("chart.inRange")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr key={`${p.time}-${i}`} className={p.outOfRange ? "row-flag" : undefined}>
                <td>{formatDateTime(p.time, i18n.language)}</td>
                <td>{names.location(p.gln)}</td>
                <td>{formatCelsius(p.centi)}</td>
                <td>{band === null ? "—" : p.outOfRange ? <span className="badge err">{t("chart.outside")}</span> : <span className="badge ok">{t("chart.within")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
