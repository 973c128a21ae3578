/**
 * One panel of the dashboard around one indexer answer: its title, which filters apply to it, and its states
 * (loading, refused or unreachable, empty for the filters, or the content).
 */
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { INDEXER_URL } from "../../config.ts";
import { indexerProblem, type StatsRoute } from "../../lib/indexer.ts";
import { FILTERS_OF } from "./filters.ts";

/** The sentence of an indexer failure, in the user's language (`dashboard:problems.<code>`). */
export function useProblemText(): (error: unknown) => string {
  const { t } = useTranslation("dashboard");
  return (error) =>
    t(`problems.${indexerProblem(error)}`, {
      url: INDEXER_URL,
      detail: error instanceof Error ? error.message : String(error),
      status: String((error as { status?: unknown } | null)?.status ?? ""),
    });
}

interface Props<T> {
  readonly id: string;
  readonly title: string;
  readonly route: StatsRoute;
  readonly query: UseQueryResult<T>;
  readonly isEmpty: (answer: T) => boolean;
  readonly children: (answer: T) => ReactNode;
  readonly intro?: ReactNode;
}

export function Section<T>({ id, title, route, query, isEmpty, children, intro }: Props<T>) {
  const { t } = useTranslation("dashboard");
  const problemText = useProblemText();
  // The filters this answer honours, `from` and `to` named once as the dates.
  const applied = [...new Set(FILTERS_OF[route].map((name) => (name === "from" || name === "to" ? "dates" : name)))];
  const answer = query.data;
  let body: ReactNode;
  if (query.isError && answer === undefined) {
    body = (
      <p className="tx tx-error" role="alert" data-testid={`error-${id}`} data-error={indexerProblem(query.error)}>
        {problemText(query.error)}
      </p>
    );
  } else if (answer === undefined) {
    body = (
      <p className="muted" aria-busy="true" data-testid={`loading-${id}`}>
        {t("state.loading")}
      </p>
    );
  } else if (isEmpty(answer)) {
    body = (
      <p className="muted empty" data-testid={`empty-${id}`}>
        {t("state.empty")}
      </p>
    );
  } else body = children(answer);
  return (
    <section className="panel dash-section" id={id} data-testid={`section-${id}`} aria-busy={query.isFetching && query.isPlaceholderData} data-placeholder={query.isPlaceholderData ? "true" : undefined}>
      <h2>{title}</h2>
      <p className="muted small applies">
        {t("filters.apply", { list: applied.map((name) => t(`filters.applies.${name}`)).join(t("filters.separator")) })}
      </p>
      {intro}
      {query.isError && answer !== undefined && (
        <p className="tx tx-error" role="alert" data-testid={`error-${id}`} data-error={indexerProblem(query.error)}>
          {problemText(query.error)}
        </p>
      )}
      {body}
    </section>
  );
}
