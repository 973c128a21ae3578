/**
 * The public page of a vaccine lot, for anyone, without a wallet: `/lot/{lotId}` or its GS1 Digital Link
 * `/01/{GTIN}/10/{lot}` (what a phone camera opens from the lot's QR code). Product, manufacturer, dates, storage
 * range, state (a prominent warning when recalled or non-conformant, with reason and date), the release history
 * as a timeline, and how many doses were recorded from it (counts only: never who).
 */
import "./regulator.css";

import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "wouter";

import { ErrorNote } from "../../components/TxStatus.tsx";
import { QrImage } from "../../components/QrImage.tsx";
import { provenanceRegistry } from "../../contracts.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDate, formatDateTime, shortAddress, shortHash } from "../../lib/format.ts";
import { lgtinDigitalLink } from "../../../../scripts/lib/digital-link.ts";
import { formatCelsius } from "../../../../scripts/lib/steps.ts";
import { LotState, lotStateWarns } from "../../../../scripts/lib/vaccines.ts";
import { productName, stateBadgeClass } from "./display.ts";
import { useLotDetail, useLotIdOf } from "./hooks.ts";
import type { LotDetail, LotEvent } from "./reads.ts";
import { parseLotId, parseLotLinkPath } from "./validation.ts";

export default function LotPage() {
  const { t } = useTranslation(["lot", "codes"]);
  const params = useParams<{ lotId?: string }>();
  // Subscribe to navigation; the Digital Link's lot is read from the raw (still percent-encoded) path, so that
  // a lot number containing "/" or "%" is decoded exactly once.
  useLocation();
  const byId = params.lotId !== undefined;
  const link = byId ? null : parseLotLinkPath(window.location.pathname);
  const idFromPath = byId ? parseLotId(params.lotId ?? "") : null;
  const lookup = useLotIdOf(link !== null && link.ok ? { gtin: link.gtin, lot: link.lot } : null);
  const lotId = byId ? idFromPath : lookup.data !== undefined && lookup.data > 0 ? lookup.data : null;
  const detail = useLotDetail(lotId);
  const { errorText } = useErrorText();

  let body: ReactNode;
  if (byId && idFromPath === null) {
    body = <Problem text={t("badId", { id: params.lotId ?? "" })} code="badId" />;
  } else if (link !== null && !link.ok) {
    body = <Problem text={t("badLink", { detail: t(`codes:digitalLink.${link.problem}`) })} code={link.problem} />;
  } else if (link !== null && lookup.isError) {
    body = <ErrorNote message={errorText(lookup.error)} />;
  } else if (link !== null && link.ok && lookup.data === 0) {
    body = <Problem text={t("unknownLink", { gtin: link.gtin, lot: link.lot })} code="unknownLot" />;
  } else if (detail.isError) {
    body = <ErrorNote message={errorText(detail.error)} />;
  } else if (detail.data === null) {
    body = <Problem text={t("unknownId", { id: lotId ?? "" })} code="unknownLot" />;
  } else if (detail.data === undefined) {
    body = (
      <p className="muted" aria-busy="true">
        {t("loading")}
      </p>
    );
  } else {
    body = <LotView detail={detail.data} />;
  }

  return <div className="page lot-page">{body}</div>;
}

function Problem({ text, code }: { readonly text: string; readonly code: string }) {
  const { t } = useTranslation("lot");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="alert-strong" role="alert" data-testid="lot-problem" data-error={code}>
        {text}
      </p>
      <p>
        <Link href="/scan">{t("scanAnother")}</Link>
      </p>
    </>
  );
}

function LotView({ detail }: { readonly detail: LotDetail }) {
  const { t, i18n } = useTranslation(["lot", "codes"]);
  const names = useOrganisationNames();
  const language = i18n.language;
  const { facts, history, doses } = detail;
  const nameOf = (a: string) => names.get(a.toLowerCase()) ?? shortAddress(a);
  const product = productName(facts.gtin, language) ?? t("unknownProduct", { gtin: facts.gtin });
  const flag = [...history].reverse().find((e) => e.type === "recalled" || e.type === "nonConformant");
  let qr: string | null;
  try {
    qr = lgtinDigitalLink(facts.gtin, facts.lotNumber, window.location.origin);
  } catch {
    qr = null;
  }

  return (
    <>
      <h1>{product}</h1>
      <p className="lot-subtitle">
        <span className={stateBadgeClass(facts.state)} data-testid="lot-state" data-state={facts.state}>
          {t(`codes:lotState.${facts.state}`)}
        </span>{" "}
        <span className="muted">{t("identity", { lot: facts.lotNumber, gtin: facts.gtin, id: facts.id })}</span>
      </p>

      {lotStateWarns(facts.state) && (
        <div className="alert-strong lot-warning" role="alert" data-testid="lot-warning" data-state={facts.state}>
          <p className="lot-warning-title">
            {facts.state === LotState.Recalled
              ? t("warning.recalled", {
                  date: flag === undefined ? "" : formatDate(flag.at, language),
                  reason: flag !== undefined && "reason" in flag ? t(`codes:lotReason.${flag.reason}`) : t("warning.noReason"),
                })
              : t("warning.nonConformant", {
                  date: flag === undefined ? "" : formatDate(flag.at, language),
                  reason: flag !== undefined && "reason" in flag ? t(`codes:lotReason.${flag.reason}`) : t("warning.noReason"),
                })}
          </p>
          <p>{t("warning.advice")}</p>
        </div>
      )}
      {facts.state === LotState.Expired && (
        <p className="warning" role="note" data-testid="lot-expired">
          {t("expiredNote", { date: formatDate(facts.expiresAt, language) })}
        </p>
      )}
      {facts.state === LotState.PendingRelease && (
        <p className="warning" role="note" data-testid="lot-pending">
          {t("pendingNote", { count: facts.attestations, quorum: facts.quorum })}
        </p>
      )}

      <div className="grid-2">
        <section className="panel">
          <h2>{t("facts.title")}</h2>
          <dl className="facts">
            <dt>{t("facts.product")}</dt>
            <dd>{product}</dd>
            <dt>{t("facts.gtin")}</dt>
            <dd>
              <code>{facts.gtin}</code>
            </dd>
            <dt>{t("facts.lot")}</dt>
            <dd>
              <code>{facts.lotNumber}</code>
            </dd>
            <dt>{t("facts.manufacturer")}</dt>
            <dd>{nameOf(facts.manufacturer)}</dd>
            <dt>{t("facts.manufactured")}</dt>
            <dd>{formatDate(facts.manufacturedAt, language)}</dd>
            <dt>{t("facts.expires")}</dt>
            <dd>{formatDate(facts.expiresAt, language)}</dd>
            <dt>{t("facts.storage")}</dt>
            <dd data-testid="lot-storage">
              {t("facts.storageValue", { min: formatCelsius(facts.minTempCentiC), max: formatCelsius(facts.maxTempCentiC) })}
            </dd>
            <dt>{t("facts.release")}</dt>
            <dd>{t("facts.releaseValue", { count: facts.attestations, quorum: facts.quorum })}</dd>
            <dt>{t("facts.doses")}</dt>
            <dd data-testid="lot-doses" data-recorded={doses.recorded} data-voided={doses.voided}>
              {t("facts.dosesValue", { given: doses.recorded - doses.voided, total: facts.doseCount })}
              {doses.voided > 0 && <span className="muted"> {t("facts.voided", { count: doses.voided })}</span>}
            </dd>
            <dt>{t("facts.dossier")}</dt>
            <dd>
              <code title={facts.dossierHash}>{shortHash(facts.dossierHash)}</code>
            </dd>
          </dl>
          <p className="muted small">{t("facts.privacy")}</p>
        </section>
        <section className="panel">
          <h2>{t("history.title")}</h2>
          <ol className="timeline" data-testid="lot-history">
            {history.map((e) => (
              <HistoryItem key={`${e.type}-${e.blockNumber.toString()}-${e.logIndex}`} event={e} nameOf={nameOf} language={language} />
            ))}
          </ol>
        </section>
      </div>

      {qr !== null && (
        <section className="panel lot-qr">
          <h2>{t("qr.title")}</h2>
          <QrImage value={qr} label={t("qr.alt", { lot: facts.lotNumber })} size={200} testId="lot-qr" />
          <p className="muted small">{t("qr.note")}</p>
          <code className="lot-link">{qr}</code>
        </section>
      )}
    </>
  );
}

function HistoryItem({ event, nameOf, language }: { readonly event: LotEvent; readonly nameOf: (a: string) => string; readonly language: string }) {
  const { t } = useTranslation(["lot", "codes"]);
  const when = event.type === "expired" ? formatDate(event.at, language) : formatDateTime(event.at, language);
  const flagged = event.type === "recalled" || event.type === "nonConformant";
  let text: ReactNode;
  switch (event.type) {
    case "registered":
      text = t("history.registered", { name: nameOf(event.by) });
      break;
    case "attested":
      text = t("history.attested", { name: nameOf(event.by), count: event.count });
      break;
    case "released":
      text = t("history.released", { count: event.count });
      break;
    case "recalled":
      text = t("history.recalled", { name: nameOf(event.by), reason: t(`codes:lotReason.${event.reason}`) });
      break;
    case "nonConformant":
      text =
        event.by.toLowerCase() === provenanceRegistry.address.toLowerCase() ? (
          <>
            {t("history.excursion", { reason: t(`codes:lotReason.${event.reason}`) })}{" "}
            <Link href={`/shipment/${event.evidence}`}>{t("history.openShipment")}</Link>
          </>
        ) : (
          <>
            {t("history.quarantined", { name: nameOf(event.by), reason: t(`codes:lotReason.${event.reason}`) })}{" "}
            {/^0x0{64}$/.test(event.evidence) ? null : (
              <span className="muted">{t("history.evidence", { hash: shortHash(event.evidence) })}</span>
            )}
          </>
        );
      break;
    case "expired":
      text = t("history.expired");
      break;
  }
  return (
    <li className={flagged || event.type === "expired" ? "flag" : undefined} data-event={event.type}>
      <time>{when}</time>
      {text}
    </li>
  );
}
