/** My records: the anchors of records held about me (category, issuer, date). The payload never leaves the vault. */
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { Link } from "wouter";

import { ErrorNote } from "../../components/TxStatus.tsx";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDateTime, shortAddress } from "../../lib/format.ts";
import { useRecords } from "./hooks.ts";

export function Records({ citizen }: { readonly citizen: Address }) {
  const { t, i18n } = useTranslation(["citizen", "codes"]);
  const { errorText } = useErrorText();
  const names = useOrganisationNames();
  const records = useRecords(citizen);
  return (
    <section className="panel" aria-labelledby="records-title" data-testid="records">
      <h2 id="records-title">{t("records.title")}</h2>
      <p className="muted">{t("records.lead")}</p>
      <p>
        <Link href="/records" data-testid="records-vault-link">
          {t("records.openVault")}
        </Link>
      </p>
      {records.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : records.isError ? (
        <ErrorNote message={errorText(records.error)} />
      ) : records.data.length === 0 ? (
        <p className="muted">{t("records.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("records.date")}</th>
                <th>{t("records.category")}</th>
                <th>{t("records.issuer")}</th>
              </tr>
            </thead>
            <tbody>
              {records.data.map((r) => (
                <tr key={r.contentHash} data-testid="record-row" data-record-id={r.contentHash} data-category={r.category}>
                  <td>{formatDateTime(r.anchoredAt, i18n.language)}</td>
                  <td>{t(`codes:category.${r.category}`)}</td>
                  <td>{names.get(r.issuer.toLowerCase()) ?? shortAddress(r.issuer)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
