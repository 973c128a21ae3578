/**
 * My current grants (revoke in one click: by my own transaction, or by an EIP-712 signature the relayer submits and
 * pays for) and the timeline of every grant, revocation and logged read.
 */
import { useTranslation } from "react-i18next";
import type { Address } from "viem";

import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { consentRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDate, formatDateTime, shortAddress } from "../../lib/format.ts";
import type { GrantItem } from "./chain.ts";
import { useConsent } from "./hooks.ts";
import { grantIsLive } from "./logic.ts";
import { RelayStatus } from "./RelayStatus.tsx";
import { useSignedConsent } from "./useSignedConsent.ts";

function useName() {
  const names = useOrganisationNames();
  return (a: Address) => names.get(a.toLowerCase()) ?? shortAddress(a);
}

function GrantRow({ grant }: { readonly grant: GrantItem }) {
  const { t, i18n } = useTranslation(["citizen", "codes"]);
  const name = useName();
  const tx = useContractTx();
  const signed = useSignedConsent();
  const busy = tx.busy || signed.busy;
  const live = grantIsLive(grant.expiresAt, Math.floor(Date.now() / 1000));
  return (
    <li className="card grant" data-testid="grant-row" data-grantee={grant.grantee} data-category={grant.category} data-live={String(live)}>
      <div className="grant-head">
        <strong>{name(grant.grantee)}</strong>
        <span className={`badge ${live ? "ok" : "warn"}`}>{live ? t("grants.live") : t("grants.expired")}</span>
      </div>
      <p>
        {t("grants.terms", {
          category: t(`codes:category.${grant.category}`),
          purpose: t(`codes:purpose.${grant.purpose}`),
        })}
      </p>
      <p className="muted">
        {t("grants.dates", {
          granted: formatDate(grant.grantedAt, i18n.language),
          expires: formatDateTime(grant.expiresAt, i18n.language),
        })}
      </p>
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={busy}
          data-testid="revoke"
          onClick={() => {
            signed.reset();
            void tx.send({ ...consentRegistry, functionName: "revoke", args: [grant.grantee, grant.category] });
          }}
        >
          {t("grants.revoke")}
        </button>
        <button
          type="button"
          className="danger-outline"
          disabled={busy}
          title={t("grants.revokeBySignatureHint")}
          data-testid="revoke-sig"
          onClick={() => {
            tx.reset();
            void signed.revoke({ grantee: grant.grantee, category: grant.category });
          }}
        >
          {t("grants.revokeBySignature")}
        </button>
      </div>
      {signed.state.status === "idle" ? <TxStatus state={tx.state} /> : <RelayStatus state={signed.state} />}
    </li>
  );
}

export function Grants({ citizen }: { readonly citizen: Address }) {
  const { t } = useTranslation("citizen");
  const { errorText } = useErrorText();
  const consent = useConsent(citizen);
  return (
    <section className="panel" aria-labelledby="grants-title" data-testid="grants">
      <h2 id="grants-title">{t("grants.title")}</h2>
      {consent.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : consent.isError ? (
        <ErrorNote message={errorText(consent.error)} />
      ) : consent.data.grants.length === 0 ? (
        <p className="muted" data-testid="grants-empty">{t("grants.empty")}</p>
      ) : (
        <ul className="grants">
          {consent.data.grants.map((g) => (
            <GrantRow key={`${g.grantee}:${g.category}`} grant={g} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function ConsentTimeline({ citizen }: { readonly citizen: Address }) {
  const { t, i18n } = useTranslation(["citizen", "codes"]);
  const { errorText } = useErrorText();
  const name = useName();
  const consent = useConsent(citizen);
  return (
    <section className="panel" aria-labelledby="timeline-title" data-testid="timeline">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      <p className="muted">{t("timeline.lead")}</p>
      {consent.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : consent.isError ? (
        <ErrorNote message={errorText(consent.error)} />
      ) : consent.data.timeline.length === 0 ? (
        <p className="muted">{t("timeline.empty")}</p>
      ) : (
        <ol className="timeline">
          {consent.data.timeline.map((e) => {
            const values = { org: name(e.party), category: t(`codes:category.${e.category}`) };
            return (
              <li
                key={`${e.blockNumber}:${e.logIndex}`}
                className={e.kind === "read" ? "flag" : undefined}
                data-testid="timeline-entry"
                data-kind={e.kind}
                data-party={e.party}
                data-category={e.category}
              >
                <time dateTime={new Date(e.time * 1000).toISOString()}>{formatDateTime(e.time, i18n.language)}</time>
                {e.kind === "granted" ? (
                  <span>
                    {t("timeline.granted", {
                      ...values,
                      purpose: t(`codes:purpose.${e.purpose}`),
                      expires: formatDate(e.expiresAt, i18n.language),
                    })}
                  </span>
                ) : e.kind === "revoked" ? (
                  <span>{t("timeline.revoked", values)}</span>
                ) : (
                  <span>
                    <span className="badge err">{t("timeline.readTag")}</span> {t("timeline.read", values)}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
