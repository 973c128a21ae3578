/**
 * The dashboard's one chart: bars (stacked or side by side, upright over time or lying by category) with Recharts,
 * imported by the dashboard page only, so the library stays in that chunk. A "<5" count is not drawn: its bar is a
 * gap, a hatched marker sits on the axis where it belongs, the tooltip says "<5", and the legend explains the marker.
 * The legend is HTML under the chart, so long labels wrap on a phone.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, ReferenceDot, ResponsiveContainer, Tooltip, type TooltipContentProps, XAxis, YAxis } from "recharts";

import { SUPPRESSED, type ChartData, type ChartRow, type Series } from "./shape.ts";

/**
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), two more, then darker and lighter
 * shades of the same, so sixteen series (a city's districts) each keep a colour of their own.
 */
const PALETTE = [
  "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6b5b95", "#3d3d3d",
  "#004c78", "#a87500", "#00664b", "#8f4f7a", "#2a7fae", "#8f3c00", "#a99fcf", "#8a8a8a",
];

/** A series' colour: its own (by the indexer's key, so a verdict keeps its colour whatever else is shown), else the palette's. */
export const colourOf = (series: Series, index: number, colours?: Readonly<Record<string, string>>): string =>
  colours?.[series.key] ?? PALETTE[index % PALETTE.length] ?? "#0072B2";

interface Props {
  /** For the test id `chart-<id>` and the hatch pattern. */
  readonly id: string;
  readonly data: ChartData;
  readonly label: string;
  readonly stacked?: boolean;
  /** Bars lying along category names (long labels), instead of upright over periods. */
  readonly byCategory?: boolean;
  /** Colours by series key (the indexer's key: a verdict code, "inTransit"…). */
  readonly colours?: Readonly<Record<string, string>>;
  /** How an x value is written on the axis (the tooltip shows it whole). */
  readonly tick?: (x: string) => string;
}

function HatchMarker({ cx, cy, pattern, byCategory }: { readonly cx?: number; readonly cy?: number; readonly pattern: string; readonly byCategory: boolean }) {
  if (cx === undefined || cy === undefined) return <g />;
  // On the value axis' zero: below the bars' baseline (upright) or left of it (lying), never a height.
  return byCategory ? (
    <rect x={cx - 9} y={cy - 6} width={8} height={12} fill={`url(#${pattern})`} stroke="#555" strokeWidth={1} data-lt5="true" />
  ) : (
    <rect x={cx - 5} y={cy + 1} width={10} height={8} fill={`url(#${pattern})`} stroke="#555" strokeWidth={1} data-lt5="true" />
  );
}

interface RowTooltipProps extends Pick<TooltipContentProps, "active" | "label"> {
  readonly rows: ReadonlyMap<string, ChartRow>;
  readonly data: ChartData;
  readonly colours: Readonly<Record<string, string>> | undefined;
}

function RowTooltip({ active, label, rows, data, colours }: RowTooltipProps) {
  const { i18n } = useTranslation();
  const row = label === undefined ? undefined : rows.get(String(label));
  if (active !== true || row === undefined) return null;
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <div className="chart-tooltip">
      <strong>{row.x}</strong>
      <ul>
        {data.series.map((s, i) => {
          const value = row.values[s.id];
          return (
            <li key={s.id}>
              <span className="swatch" style={{ background: colourOf(s, i, colours) }} aria-hidden="true" /> {s.label}:{" "}
              <b>{row.lt5.includes(s.id) ? SUPPRESSED : number.format(value ?? 0)}</b>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function BarsChart({ id, data, label, stacked = false, byCategory = false, colours, tick }: Props) {
  const { t } = useTranslation("dashboard");
  const pattern = `hatch-${id}-${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const rows = new Map(data.rows.map((r) => [r.x, r]));
  const anySuppressed = data.rows.some((r) => r.lt5.length > 0);
  const height = byCategory ? Math.max(140, 44 + data.rows.length * (stacked ? 30 : 18 * Math.max(1, data.series.length) + 12)) : 260;
  const categoryAxis = {
    dataKey: "x",
    type: "category" as const,
    fontSize: 11,
    ...(tick === undefined ? {} : { tickFormatter: (v: string) => tick(v) }),
  };
  return (
    <figure className="chart" data-testid={`chart-${id}`} aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={[...data.rows]} layout={byCategory ? "vertical" : "horizontal"} margin={{ top: 8, right: 12, bottom: 10, left: 0 }} barCategoryGap="18%">
          <defs>
            <pattern id={pattern} width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="4" height="4" fill="#fff" />
              <line x1="0" y1="0" x2="0" y2="4" stroke="#555" strokeWidth="2" />
            </pattern>
          </defs>
          <CartesianGrid stroke="#e3e9ee" vertical={byCategory} horizontal={!byCategory} />
          {byCategory ? (
            <>
              <XAxis type="number" allowDecimals={false} fontSize={11} />
              <YAxis {...categoryAxis} width={132} interval={0} tickMargin={11} />
            </>
          ) : (
            <>
              <XAxis {...categoryAxis} minTickGap={12} tickMargin={11} />
              <YAxis type="number" allowDecimals={false} width={40} fontSize={11} />
            </>
          )}
          <Tooltip cursor={{ fill: "rgba(19, 124, 121, 0.08)" }} content={(props) => <RowTooltip active={props.active} label={props.label} rows={rows} data={data} colours={colours} />} />
          {data.series.map((s, i) => (
            <Bar
              key={s.id}
              dataKey={(row: ChartRow) => row.values[s.id] ?? null}
              name={s.label}
              fill={colourOf(s, i, colours)}
              maxBarSize={48}
              isAnimationActive={false}
              {...(stacked ? { stackId: "all" } : {})}
            />
          ))}
          {data.rows
            .filter((r) => r.lt5.length > 0)
            .map((r) => (
              <ReferenceDot
                key={`lt5-${r.x}`}
                x={byCategory ? 0 : r.x}
                y={byCategory ? r.x : 0}
                r={6}
                ifOverflow="visible"
                shape={(p) => <HatchMarker cx={p.cx} cy={p.cy} pattern={pattern} byCategory={byCategory} />}
              />
            ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption>
        <ul className="chart-legend">
          {data.series.map((s, i) => (
            <li key={s.id}>
              <span className="swatch" style={{ background: colourOf(s, i, colours) }} aria-hidden="true" />
              {s.label}
            </li>
          ))}
          {anySuppressed && (
            <li data-testid={`lt5-legend-${id}`}>
              <svg width="14" height="10" aria-hidden="true" className="swatch-svg">
                <rect width="14" height="10" fill={`url(#${pattern})`} stroke="#555" />
              </svg>
              {t("lt5.legend")}
            </li>
          )}
        </ul>
      </figcaption>
    </figure>
  );
}
