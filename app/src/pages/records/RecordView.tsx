/**
 * Read one record from the vault and show it: the document, its category and issuer, the reader's own integrity
 * check (keccak-256 of the document = record id = the hash anchored on chain, read from the chain here) and the
 * on-chain log transaction of this read. A refusal is a sentence.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Hex } from "viem";
import { useClient } from "wagmi";

import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDateTime, shortAddress } from "../../lib/format.ts";
import { anchorOf } from "./chain.ts";
import { prettyDocument, verifyRecord } from "./logic.ts";
import { VaultRefusal } from "./ui.tsx";
import { type Problem, useProblemText, vaultClient, type VaultAccess } from "./useVault.ts";

/** `nonce` makes a new read on each click (every read is a new, logged access). */
export function RecordView({ vault, id, nonce }: { readonly vault: VaultAccess; readonly id: Hex; readonly nonce: number }) {
  const { t, i18n } = useTranslation(["records", "codes"]);
  const client = useClient();
  const names = useOrganisationNames();
  const problemText = useProblemText();
  const queryClient = useQueryClient();
  const read = useQuery({
    queryKey: ["vault-read", vault.session?.address, id, nonce],
    enabled: client !== undefined && vault.session !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      if (client === undefined) throw new Error("no chain client");
      const result = await vault.call((token) => vaultClient.read(token, id));
      const onChain = await anchorOf(client, result.record.id);
      // This read is now in the vault's access log.
      void queryClient.invalidateQueries({ queryKey: ["vault-log"] });
      return { result, verified: verifyRecord(result.document, result.record.id, result.anchor, onChain) };
    },
  });
  const nameOf = (a: string) => names.get(a.toLowerCase()) ?? shortAddress(a);

  if (read.isPending) {
    return (
      <p className="muted" aria-busy="true" data-testid="record-reading">
        {t("record.reading")}
      </p>
    );
  }
  if (read.isError) {
    const problem: Problem = problemText(read.error);
    return <VaultRefusal problem={problem} />;
  }
  const { result, verified } = read.data;
  return (
    <article className="card record-view" data-testid="record-view" data-record-id={result.record.id} data-verified={String(verified)}>
      <h3>{t("record.title")}</h3>
      {verified ? (
        <p className="record-verified">
          <span className="badge ok" data-testid="hash-verified">
            ✓ {t("record.verified")}
          </span>{" "}
          <span className="muted">{t("record.verifiedNote")}</span>
        </p>
      ) : (
        <p className="alert-strong" role="alert" data-testid="hash-not-verified">
          {t("record.notVerified")}
        </p>
      )}
      <dl className="record-facts">
        <dt>{t("record.category")}</dt>
        <dd data-testid="record-category">{t(`codes:category.${result.anchor.category}`)}</dd>
        <dt>{t("record.issuer")}</dt>
        <dd data-testid="record-issuer">{nameOf(result.anchor.issuer)}</dd>
        <dt>{t("record.subject")}</dt>
        <dd>{shortAddress(result.anchor.subject)}</dd>
        <dt>{t("record.issuedAt")}</dt>
        <dd>{formatDateTime(Math.floor(Date.parse(result.anchor.anchoredAt) / 1000), i18n.language)}</dd>
        <dt>{t("record.id")}</dt>
        <dd className="mono break">{result.record.id}</dd>
      </dl>
      <h4>{t("record.document")}</h4>
      <pre className="record-document" data-testid="record-document">
        {prettyDocument(result.document)}
      </pre>
      {result.access.self ? (
        <p className="muted" data-testid="record-self-read">
          {t("record.selfRead")}
        </p>
      ) : (
        <p className="tx tx-ok" data-testid="record-logged" data-tx-hash={result.access.txHash ?? ""}>
          {t("record.logged", { hash: result.access.txHash ?? "", block: result.access.logBlockNumber ?? "" })}
        </p>
      )}
    </article>
  );
}
