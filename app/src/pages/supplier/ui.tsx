/** Small shared pieces of the supplier pages: problems in words, field errors, the printable label. */
import { useCallback, useRef } from "react";
import { useTranslation } from "react-i18next";

import { QrImage } from "../../components/QrImage.tsx";
import { chain } from "../../config.ts";
import { provenanceRegistry } from "../../contracts.ts";
import { buildDigitalLink, encodeAiValue } from "../../../../scripts/lib/digital-link.ts";
import { type Identity, type Problem, productOfGtin } from "./model.ts";

/** A `Problem` (key of the supplier namespace + values) as a sentence; a GS1 reason code is translated too. */
export function useProblemText(): (p: Problem) => string {
  const { t } = useTranslation(["supplier", "codes"]);
  return useCallback(
    (p: Problem) => {
      const values: Record<string, string | number> = { ...(p.values ?? {}) };
      if (typeof values.reason === "string") values.reason = t(`codes:digitalLink.${values.reason}`);
      return t(p.key, values);
    },
    [t],
  );
}

export function FieldError({ problem, id }: { readonly problem: Problem | undefined; readonly id?: string }) {
  const text = useProblemText();
  if (problem === undefined) return null;
  return (
    <p className="field-error" role="alert" id={id} data-error={problem.key}>
      {text(problem)}
    </p>
  );
}

/** The label's GS1 Digital Link: this app's origin as resolver, with the chain and the registry. */
export function labelLink(identity: Identity): string {
  return buildDigitalLink(identity, { chainId: chain.id, registry: provenanceRegistry.address }, window.location.origin);
}

/** Path of the app's own Digital Link route of a shipment (`/01/…/10/…/21/…`). */
export function shipmentPath(identity: Identity): string {
  return `/01/${identity.gtin}/10/${encodeAiValue(identity.lot)}/21/${encodeAiValue(identity.serial)}`;
}

/** Path of the lot page (`/01/{gtin}/10/{lot}`). */
export function lotPath(gtin: string, lot: string): string {
  return `/01/${gtin}/10/${encodeAiValue(lot)}`;
}

/**
 * A printable QR label: the QR code of the Digital Link, the product and the human-readable GS1 element
 * strings. Print shows only this label (supplier.css, `body.printing-label`).
 */
export function ShipmentLabel({ identity, testId = "shipment-label" }: { readonly identity: Identity; readonly testId?: string }) {
  const { t, i18n } = useTranslation("supplier");
  const card = useRef<HTMLDivElement>(null);
  const link = labelLink(identity);
  const product = productOfGtin(identity.gtin);
  const print = () => {
    const el = card.current;
    if (el === null) return;
    const done = () => {
      document.body.classList.remove("printing-label");
      el.classList.remove("print-target");
    };
    document.body.classList.add("printing-label");
    el.classList.add("print-target");
    window.addEventListener("afterprint", done, { once: true });
    window.print();
  };
  return (
    <div className="label-block">
      <div className="shipment-label" ref={card} data-testid={`${testId}-card`}>
        <QrImage value={link} label={t("label.alt", { serial: identity.serial })} size={200} testId={testId} />
        <div className="label-text">
          {product !== null && <strong>{i18n.language.startsWith("en") ? product.name.en : product.name.zh}</strong>}
          <dl className="label-fields" data-testid={`${testId}-hri`}>
            <dt>{t("field.gtin")} (01)</dt>
            <dd>{identity.gtin}</dd>
            <dt>{t("field.lot")} (10)</dt>
            <dd>{identity.lot}</dd>
            <dt>{t("field.serial")} (21)</dt>
            <dd>{identity.serial}</dd>
          </dl>
        </div>
      </div>
      <div className="actions no-print">
        <button type="button" onClick={print} data-testid={`${testId}-print`}>
          {t("label.print")}
        </button>
      </div>
      <p className="muted small no-print">
        <code data-testid={`${testId}-link`}>{link}</code>
      </p>
    </div>
  );
}
