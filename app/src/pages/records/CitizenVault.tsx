/** A citizen on the records page: their own records from the vault (self reads) and the vault's log of reads. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Hex } from "viem";

import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDateTime, shortAddress, shortHash } from "../../lib/format.ts";
import { RecordView } from "./RecordView.tsx";
import { filedAt } from "./logic.ts";
import { StatusBadge, VaultRefusal } from "./ui.tsx";
import { useProblemText, vaultClient, type VaultAccess } from "./useVault.ts";

export function CitizenVault({ vault }: { readonly vault: VaultAccess }) {
  const { t, i18n } = useTranslation(["records", "codes"]);
  const problemText = useProblemText();
  const names = useOrganisationNames();
  const [reading, setReading] = useState<{ id: Hex; nonce: number } | null>(null);
  const session = vault.session;
  const list = useQuery({
    queryKey: ["vault-list", session?.address],
    enabled: session !== null,
    retry: false,
    queryFn: () => vault.call((token) => vaultClient.list(token)),
  });
  const log = useQuery({
    queryKey: ["vault-log", session?.address],
    enabled: session !== null,
    retry: false,
    queryFn: () => vault.call((token) => vaultClient.accessLog(token)),
  });
  if (session === null) return null;
  const mine = (list.data ?? []).filter((r) => r.subject.toLowerCase() === session.address.toLowerCase());
  const nameOf = (a: string) => names.get(a.toLowerCase()) ?? shortAddress(a);
  return (
    <>
      <section className="panel" aria-labelledby="mine-title" data-testid="my-vault-records">
        <h2 id="mine-title">{t("mine.title")}</h2>
        {list.isPending ? (
          <p className="muted" aria-busy="true">{t("loading")}</p>
        ) : list.isError ? (
          <VaultRefusal problem={problemText(list.error)} />
        ) : mine.length === 0 ? (
          <p className="muted">{t("mine.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("filed.date")}</th>
                  <th>{t("record.category")}</th>
                  <th>{t("record.issuer")}</th>
                  <th>{t("filed.status")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {mine.map((r) => (
                  <tr key={r.id} data-testid="my-record-row" data-record-id={r.id}>
                    <td>{formatDateTime(filedAt(r), i18n.language)}</td>
                    <td>{t(`codes:category.${r.category}`)}</td>
                    <td>{nameOf(r.issuer)}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        data-testid="my-record-read"
                        onClick={() => setReading((x) => ({ id: r.id, nonce: (x?.nonce ?? 0) + 1 }))}
                      >
                        {t("mine.read")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {reading !== null && <RecordView vault={vault} id={reading.id} nonce={reading.nonce} />}
      </section>
      <section className="panel" aria-labelledby="log-title" data-testid="vault-access-log">
        <h2 id="log-title">{t("log.title")}</h2>
        <p className="muted">{t("log.lead")}</p>
        {log.isPending ? (
          <p className="muted" aria-busy="true">{t("loading")}</p>
        ) : log.isError ? (
          <VaultRefusal problem={problemText(log.error)} />
        ) : log.data.length === 0 ? (
          <p className="muted" data-testid="log-empty">{t("log.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("log.time")}</th>
                  <th>{t("log.reader")}</th>
                  <th>{t("log.category")}</th>
                  <th>{t("log.tx")}</th>
                </tr>
              </thead>
              <tbody>
                {log.data.map((e) => (
                  <tr key={`${e.recordId}-${e.servedAt}-${e.reader}`} data-testid="access-log-row" data-record-id={e.recordId} data-reader={e.reader} data-self={String(e.self)}>
                    <td>{formatDateTime(Math.floor(Date.parse(e.servedAt) / 1000), i18n.language)}</td>
                    <td>{e.self ? t("log.self") : nameOf(e.reader)}</td>
                    <td>{t(`codes:category.${e.category}`)}</td>
                    <td className="mono">{e.txHash === null ? "—" : shortHash(e.txHash)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
