/** My vaccinations: each dose with its lot, product, manufacturer, date, clinic and state; a recall warning; confirm. */
import { useTranslation } from "react-i18next";
import type { Address } from "viem";

import { LotState, lotStateWarns } from "../../../../scripts/lib/vaccines.ts";
import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { vaccineRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDate, shortAddress } from "../../lib/format.ts";
import { type DoseItem, type LotInfo, productOf } from "./chain.ts";
import { useCitizenDoses, useLots } from "./hooks.ts";

export function useProductName() {
  const { t, i18n } = useTranslation("citizen");
  const zh = !i18n.language.startsWith("en");
  return (lot: LotInfo | undefined): string => {
    if (lot === undefined) return t("dose.unknownLot");
    const product = productOf(lot.gtin);
    return product === null ? t("dose.unknownProduct", { gtin: lot.gtin }) : zh ? product.zh : product.en;
  };
}

function DoseRow({ dose, lot }: { readonly dose: DoseItem; readonly lot: LotInfo | undefined }) {
  const { t, i18n } = useTranslation(["citizen", "codes"]);
  const names = useOrganisationNames();
  const productName = useProductName();
  const tx = useContractTx();
  const lotState = lot?.state ?? dose.lotState;
  const warns = lotStateWarns(lotState);
  const name = (a: Address) => names.get(a.toLowerCase()) ?? shortAddress(a);
  return (
    <li
      className={`card dose${warns ? " dose-warn" : ""}`}
      data-testid="dose-row"
      data-dose-id={dose.doseId}
      data-confirmed={String(dose.confirmed)}
      data-lot-state={lotState}
    >
      <div className="dose-head">
        <strong>{productName(lot)}</strong>
        <span className="badge">{t("dose.number", { n: dose.doseNumber })}</span>
      </div>
      {warns && (
        <p className="alert-strong" role="alert" data-testid="lot-warning">
          {t(lotState === LotState.Recalled ? "dose.warnRecalled" : "dose.warnNonConformant", {
            lot: lot?.lotNumber ?? String(dose.lotId),
          })}
          {lot?.reason !== null && lot?.reason !== undefined && (
            <span className="reason" data-testid="lot-warning-reason">
              {" "}
              {t("dose.reason", { reason: t(`codes:lotReason.${lot.reason}`) })}
            </span>
          )}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>{t("dose.lot")}</dt>
          <dd>
            <code>{lot?.lotNumber ?? `#${dose.lotId}`}</code>{" "}
            <span className={`badge ${warns ? "err" : lotState === LotState.Active ? "ok" : ""}`}>{t(`codes:lotState.${lotState}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t("dose.manufacturer")}</dt>
          <dd>{lot === undefined ? "—" : name(lot.manufacturer)}</dd>
        </div>
        <div>
          <dt>{t("dose.date")}</dt>
          <dd>{formatDate(dose.recordedAt, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t("dose.clinic")}</dt>
          <dd>
            {name(dose.clinic)} <span className="muted">· {t(`codes:district.${dose.district}`, { defaultValue: String(dose.district) })}</span>
          </dd>
        </div>
      </dl>
      <div className="badges">
        {dose.voided ? (
          <span className="badge err">{t("dose.voided")}</span>
        ) : dose.confirmed ? (
          <span className="badge ok" data-testid="dose-confirmed">{t("dose.confirmed")}</span>
        ) : (
          <span className="badge warn">{t("dose.awaiting")}</span>
        )}
        {dose.verified && <span className="badge ok">{t("dose.verified")}</span>}
      </div>
      {!dose.confirmed && !dose.voided && (
        <div className="actions">
          <button
            type="button"
            data-testid="confirm-dose"
            disabled={tx.busy}
            onClick={() => void tx.send({ ...vaccineRegistry, functionName: "confirmDose", args: [dose.doseId] })}
          >
            {t("dose.confirm")}
          </button>
        </div>
      )}
      <TxStatus state={tx.state} />
    </li>
  );
}

export function Vaccinations({ citizen }: { readonly citizen: Address }) {
  const { t } = useTranslation("citizen");
  const { errorText } = useErrorText();
  const doses = useCitizenDoses(citizen);
  const lots = useLots();
  const warnings = (doses.data ?? []).filter((d) => !d.voided && lotStateWarns(lots.data?.get(d.lotId)?.state ?? d.lotState)).length;
  return (
    <section className="panel" aria-labelledby="vaccinations-title" data-testid="vaccinations">
      <h2 id="vaccinations-title">{t("vaccinations.title")}</h2>
      {warnings > 0 && (
        <p className="alert-strong" role="alert" data-testid="lot-warning-summary">
          {t("vaccinations.warningSummary", { count: warnings })}
        </p>
      )}
      {doses.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : doses.isError ? (
        <ErrorNote message={errorText(doses.error)} />
      ) : doses.data.length === 0 ? (
        <p className="muted" data-testid="doses-empty">{t("vaccinations.empty")}</p>
      ) : (
        <ul className="doses">
          {doses.data.map((d) => (
            <DoseRow key={d.doseId} dose={d} lot={lots.data?.get(d.lotId)} />
          ))}
        </ul>
      )}
    </section>
  );
}
