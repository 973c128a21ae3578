/**
 * The dashboard's filters: period (CST days), district, manufacturer and day/week. Each change rewrites the address
 * bar (hooks.ts useFilters), which is what the panels read, so a link reproduces the view.
 */
import { useTranslation } from "react-i18next";

import type { MetaAnswer } from "../../lib/indexer.ts";
import type { DashboardFilters, Granularity } from "./filters.ts";
import type { Labels } from "./hooks.ts";

interface Props {
  readonly filters: DashboardFilters;
  readonly meta: MetaAnswer | undefined;
  readonly labels: Labels;
  readonly onChange: (patch: Partial<DashboardFilters>) => void;
  readonly onReset: () => void;
}

/** The choices of a select, keeping the current value even when the indexer does not list it (a shared link). */
const withCurrent = (values: readonly string[], current: string): string[] => (current === "" || values.includes(current) ? [...values] : [...values, current]);

interface ChoiceProps {
  readonly name: "district" | "manufacturer";
  readonly value: string;
  readonly values: readonly string[];
  /** The empty choice: no filter. */
  readonly all: string;
  readonly label: (value: string) => string;
  readonly onChange: (value: string) => void;
}

function Choice({ name, value, values, all, label, onChange }: ChoiceProps) {
  const { t } = useTranslation("dashboard");
  return (
    <div className="field">
      <label htmlFor={`dash-${name}`}>{t(`filters.names.${name}`)}</label>
      <select id={`dash-${name}`} data-testid={`filter-${name}`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {label(v)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Filters({ filters, meta, labels, onChange, onReset }: Props) {
  const { t } = useTranslation("dashboard");
  const districts = withCurrent((meta?.districts ?? []).map(String), filters.district);
  const manufacturers = withCurrent(
    (meta?.manufacturers ?? []).map((m) => m.address.toLowerCase()),
    filters.manufacturer.toLowerCase(),
  );
  const bounds = { ...(meta?.firstDay == null ? {} : { min: meta.firstDay }), ...(meta?.lastDay == null ? {} : { max: meta.lastDay }) };
  return (
    <form className="panel dash-filters" data-testid="filters" onSubmit={(e) => e.preventDefault()} aria-label={t("filters.label")}>
      <div className="field">
        <label htmlFor="dash-from">{t("filters.names.from")}</label>
        <input id="dash-from" type="date" data-testid="filter-from" value={filters.from} {...bounds} onChange={(e) => onChange({ from: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="dash-to">{t("filters.names.to")}</label>
        <input id="dash-to" type="date" data-testid="filter-to" value={filters.to} {...bounds} onChange={(e) => onChange({ to: e.target.value })} />
      </div>
      <Choice
        name="district"
        value={filters.district}
        values={districts}
        all={t("filters.allDistricts")}
        label={labels.district}
        onChange={(district) => onChange({ district })}
      />
      <Choice
        name="manufacturer"
        value={filters.manufacturer.toLowerCase()}
        values={manufacturers}
        all={t("filters.allManufacturers")}
        label={labels.manufacturer}
        onChange={(manufacturer) => onChange({ manufacturer })}
      />
      <div className="field">
        <span className="label" id="dash-granularity">
          {t("filters.names.granularity")}
        </span>
        <div className="granularity" role="radiogroup" aria-labelledby="dash-granularity">
          {(["day", "week"] as const satisfies readonly Granularity[]).map((g) => (
            <label key={g} className="seg">
              <input type="radio" name="granularity" value={g} data-testid={`filter-granularity-${g}`} checked={filters.granularity === g} onChange={() => onChange({ granularity: g })} />
              {t(`filters.${g}`)}
            </label>
          ))}
        </div>
      </div>
      <div className="field reset">
        <button type="button" className="ghost" data-testid="filter-reset" onClick={onReset}>
          {t("filters.reset")}
        </button>
      </div>
    </form>
  );
}
