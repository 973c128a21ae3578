/**
 * Grant an organisation access to one category of my records, for a purpose, until an expiry: by my own
 * transaction (`grant`) or by an EIP-712 signature the relayer submits (`grantBySig`). Every field is checked
 * here first; nothing reaches the wallet while one is missing or wrong.
 */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";

import { CATEGORY_LABELS, PURPOSE_LABELS } from "../../../../scripts/lib/personas.ts";
import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { consentRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useOrganisations } from "../../hooks/useOrganisations.ts";
import { expiryFromDate, MAX_CONSENT_DAYS, searchOrganisations, shanghaiDate } from "./logic.ts";
import { RelayStatus } from "./RelayStatus.tsx";
import { useSignedConsent } from "./useSignedConsent.ts";

const CATEGORIES = Object.keys(CATEGORY_LABELS).map(Number);
const PURPOSES = Object.keys(PURPOSE_LABELS).map(Number);

type Mode = "transaction" | "signature";

export function GrantForm() {
  const { t, i18n } = useTranslation(["citizen", "codes"]);
  const zh = !i18n.language.startsWith("en");
  const organisations = useOrganisations();
  const tx = useContractTx();
  const signed = useSignedConsent();

  const [query, setQuery] = useState("");
  const [grantee, setGrantee] = useState<Address | null>(null);
  const [category, setCategory] = useState(0);
  const [purpose, setPurpose] = useState(0);
  const [expiry, setExpiry] = useState("");
  const [mode, setMode] = useState<Mode>("transaction");
  const [problem, setProblem] = useState<string | null>(null);

  const matches = useMemo(() => searchOrganisations(organisations.data ?? [], query), [organisations.data, query]);
  const chosen = (organisations.data ?? []).find((o) => o.address === grantee);
  const today = shanghaiDate(Math.floor(Date.now() / 1000));
  const latest = shanghaiDate(Math.floor(Date.now() / 1000) + MAX_CONSENT_DAYS * 86_400);
  const busy = tx.busy || signed.busy;

  const submit = async () => {
    tx.reset();
    signed.reset();
    if (grantee === null || chosen === undefined) {
      setProblem("problem.noOrganisation");
      return;
    }
    const check = expiryFromDate(expiry, Math.floor(Date.now() / 1000));
    if (!check.ok) {
      setProblem(`problem.expiry.${check.problem}`);
      return;
    }
    setProblem(null);
    if (mode === "transaction") {
      await tx.send({ ...consentRegistry, functionName: "grant", args: [grantee, category, purpose, BigInt(check.expiresAt)] });
    } else {
      await signed.grant({ grantee, category, purpose, expiresAt: check.expiresAt });
    }
  };

  return (
    <section className="panel" aria-labelledby="grant-title" data-testid="grant-form">
      <h2 id="grant-title">{t("grant.title")}</h2>
      <p className="muted">{t("grant.lead")}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="org-search">{t("grant.organisation")}</label>
        {chosen !== undefined ? (
          <div className="chosen" data-testid="org-chosen" data-address={chosen.address}>
            <span>
              <strong>{zh ? chosen.localName : chosen.name}</strong>
              <span className="muted"> · {t(`codes:kind.${chosen.kind}`)}</span>
            </span>
            <button type="button" className="secondary" onClick={() => setGrantee(null)} data-testid="org-change">
              {t("grant.change")}
            </button>
          </div>
        ) : (
          <>
            <input
              id="org-search"
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={t("grant.searchPlaceholder")}
              autoComplete="off"
              data-testid="org-search"
            />
            {organisations.isPending ? (
              <p className="muted" aria-busy="true">{t("common:loading")}</p>
            ) : matches.length === 0 ? (
              <p className="muted" data-testid="org-none">{t("grant.noMatch")}</p>
            ) : (
              <ul className="org-options" role="listbox" aria-label={t("grant.organisation")}>
                {matches.map((o) => (
                  <li key={o.address}>
                    <button
                      type="button"
                      role="option"
                      aria-selected={false}
                      className="org-option"
                      data-testid="org-option"
                      data-address={o.address}
                      onClick={() => {
                        setGrantee(o.address);
                        setProblem(null);
                      }}
                    >
                      <span>{zh ? o.localName : o.name}</span>
                      <small className="muted">
                        {zh ? o.name : o.localName} · {t(`codes:kind.${o.kind}`)}
                      </small>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}

        <div className="form-grid">
          <div>
            <label htmlFor="grant-category">{t("grant.category")}</label>
            <select id="grant-category" value={category} onChange={(e) => setCategory(Number(e.target.value))} data-testid="grant-category">
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`codes:category.${c}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="grant-purpose">{t("grant.purpose")}</label>
            <select id="grant-purpose" value={purpose} onChange={(e) => setPurpose(Number(e.target.value))} data-testid="grant-purpose">
              {PURPOSES.map((p) => (
                <option key={p} value={p}>
                  {t(`codes:purpose.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="grant-expiry">{t("grant.expiry")}</label>
            <input
              id="grant-expiry"
              type="date"
              value={expiry}
              min={today}
              max={latest}
              onChange={(e) => setExpiry(e.target.value)}
              data-testid="grant-expiry"
            />
            <small className="muted">{t("grant.expiryHint")}</small>
          </div>
        </div>

        <fieldset className="mode">
          <legend>{t("grant.how")}</legend>
          <label className="radio">
            <input
              type="radio"
              name="grant-mode"
              checked={mode === "transaction"}
              onChange={() => setMode("transaction")}
              data-testid="grant-mode-tx"
            />
            <span>
              {t("grant.byTransaction")}
              <small className="muted">{t("grant.byTransactionHint")}</small>
            </span>
          </label>
          <label className="radio">
            <input
              type="radio"
              name="grant-mode"
              checked={mode === "signature"}
              onChange={() => setMode("signature")}
              data-testid="grant-mode-sig"
            />
            <span>
              {t("grant.bySignature")}
              <small className="muted">{t("grant.bySignatureHint")}</small>
            </span>
          </label>
        </fieldset>

        <div className="actions">
          <button type="submit" disabled={busy} data-testid="grant-submit">
            {mode === "transaction" ? t("grant.submitTx") : t("grant.submitSig")}
          </button>
        </div>
      </form>
      {problem !== null && <ErrorNote message={t(problem)} code={problem} />}
      <div data-testid="grant-status">
        {mode === "transaction" ? <TxStatus state={tx.state} /> : <RelayStatus state={signed.state} />}
      </div>
    </section>
  );
}
