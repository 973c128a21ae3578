/**
 * The public dashboard (`/dashboard`, no wallet): doses by manufacturer, lot and district, the day × lot × district
 * cells, lots by state, shipments, cold-chain excursions, suspect scans and consent counts, read only from the
 * indexer's HTTP API (lib/indexer.ts). Filters live in the address bar; every table downloads as CSV and JSON naming
 * the block range it covers, and the supply events as EPCIS 2.0. Its own chunk with Recharts (App.tsx lazy route).
 */
import { useTranslation } from "react-i18next";

import { INDEXER_URL } from "../../config.ts";
import { formatDateTime } from "../../lib/format.ts";
import { graphqlUrl, indexerProblem } from "../../lib/indexer.ts";
import { Filters } from "./Filters.tsx";
import { useFilters, useLabels, useReadiness, useStats } from "./hooks.ts";
import { useProblemText } from "./Section.tsx";
import { ConsentSection, DoseSections, LotSection, SupplySections } from "./Sections.tsx";
import "./dashboard.css";

export default function DashboardPage() {
  const { t, i18n } = useTranslation(["dashboard", "codes"]);
  const { filters, setFilters, reset } = useFilters();
  const readiness = useReadiness();
  const meta = useStats("meta", filters);
  const labels = useLabels(meta.data);
  const problemText = useProblemText();
  const coverage = meta.data?.coverage;
  const unreachable = readiness.isError && indexerProblem(readiness.error) === "IndexerUnreachable";
  const through =
    coverage === undefined ? null : t("dataThrough", { block: coverage.toBlock, time: formatDateTime(Date.parse(coverage.toBlockTime) / 1000, i18n.language) });
  const props = { filters, meta: meta.data, labels };
  return (
    <div className="page dashboard-page">
      <header className="dash-header">
        <h1>{t("title")}</h1>
        <p className="lead">{t("lead")}</p>
        <p className="dash-meta">
          {through !== null && (
            <span data-testid="data-through" data-block={coverage?.toBlock}>
              {through}
            </span>
          )}
          <a href={graphqlUrl(INDEXER_URL)} target="_blank" rel="noreferrer" data-testid="graphql-link">
            {t("graphql")}
          </a>
        </p>
      </header>
      {unreachable && (
        <div className="banner banner-error" role="alert" data-testid="indexer-unreachable">
          {t("problems.IndexerUnreachable", { url: INDEXER_URL })}
        </div>
      )}
      {readiness.data === "catchingUp" && (
        <div className="banner banner-warn" role="status" data-testid="indexer-catching-up">
          {t("catchingUp")} {through}
        </div>
      )}
      {meta.isError && !unreachable && (
        <p className="tx tx-error" role="alert" data-testid="error-meta" data-error={indexerProblem(meta.error)}>
          {problemText(meta.error)}
        </p>
      )}
      <Filters filters={filters} meta={meta.data} labels={labels} onChange={setFilters} onReset={reset} />
      <DoseSections {...props} />
      <LotSection {...props} />
      <SupplySections {...props} />
      <ConsentSection {...props} />
      <p className="muted small">{t("privacyNote")}</p>
    </div>
  );
}
