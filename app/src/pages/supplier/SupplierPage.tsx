/**
 * Supplier (`/supplier`): an organisation of the supply chain (manufacturer, carrier, warehouse, hospital or
 * clinic) acting through its wallet, often on a phone. Scan a label (camera, photo or typed) to open that
 * shipment's work panel; answer the hand-overs proposed to it; create shipments and print their QR labels
 * (manufacturers); see the shipments it holds.
 */
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";

import { QrScanner } from "../../components/QrScanner.tsx";
import { chain } from "../../config.ts";
import { provenanceRegistry } from "../../contracts.ts";
import type { ScannedCode } from "../../lib/qr.ts";
import { CreateShipment } from "./CreateShipment.tsx";
import { type ListedShipment } from "./chain.ts";
import { useHeld, useIncoming, useNames, useRoles } from "./hooks.ts";
import { type Address, type Identity, productOfGtin, shipmentIdOf, ZERO_ADDRESS } from "./model.ts";
import { type OpenShipment, WorkPanel } from "./WorkPanel.tsx";
import "./supplier.css";

const LIST_LIMIT = 12;

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

function ShipmentList({
  items,
  onOpen,
  testId,
  empty,
  kind,
}: {
  readonly items: readonly ListedShipment[];
  readonly onOpen: (s: ListedShipment) => void;
  readonly testId: string;
  readonly empty: string;
  readonly kind: "incoming" | "held";
}) {
  const { t, i18n } = useTranslation(["supplier", "codes"]);
  const zh = !i18n.language.startsWith("en");
  const names = useNames();
  const [all, setAll] = useState(false);
  if (items.length === 0) return <p className="muted" data-testid={`${testId}-empty`}>{empty}</p>;
  const shown = all ? items : items.slice(0, LIST_LIMIT);
  return (
    <>
      <ul className="shipment-list" data-testid={testId}>
        {shown.map((s) => {
          const product = s.created === null ? null : productOfGtin(s.created.gtin);
          return (
            <li key={s.shipmentId} data-shipment={s.shipmentId}>
              <div className="shipment-list-text">
                <strong>{product === null ? t("shipment.unknownProduct") : zh ? product.name.zh : product.name.en}</strong>
                {s.created !== null && (
                  <span className="muted small">
                    {t("list.identity", { lot: s.created.lot, serial: s.created.serial, quantity: s.created.quantity })}
                  </span>
                )}
                {kind === "incoming" ? (
                  <span className="small">
                    {t("list.from", { holder: names.org(s.view.holder) })}{" "}
                    {s.view.pendingFinal && <span className="badge">{t("badge.final")}</span>}
                  </span>
                ) : (
                  !same(s.view.pendingReceiver, ZERO_ADDRESS) && (
                    <span className="small">{t("list.proposedTo", { receiver: names.org(s.view.pendingReceiver) })}</span>
                  )
                )}
                {s.view.nonConformant && <span className="badge err">{t("badge.nonConformant")}</span>}
              </div>
              <button type="button" className="secondary" onClick={() => onOpen(s)} data-testid={`${testId}-open`}>
                {t("list.open")}
              </button>
            </li>
          );
        })}
      </ul>
      {items.length > shown.length && (
        <button type="button" className="secondary" onClick={() => setAll(true)} data-testid={`${testId}-all`}>
          {t("list.showAll", { count: items.length })}
        </button>
      )}
    </>
  );
}

export default function SupplierPage() {
  const { t, i18n } = useTranslation(["supplier", "codes"]);
  const zh = !i18n.language.startsWith("en");
  const connection = useConnection();
  const me: Address | undefined = connection.status === "connected" ? connection.address : undefined;
  const roles = useRoles(me);
  const names = useNames();
  const incoming = useIncoming(me);
  const held = useHeld(me);
  const [open, setOpen] = useState<OpenShipment | null>(null);
  const panelAnchor = useRef<HTMLDivElement>(null);

  const myLocations = me === undefined ? [] : names.locations.filter((l) => same(me, l.owner));
  const isOrg = roles.data?.active === true;
  const supplyRole = roles.data !== undefined && (roles.data.manufacturer || roles.data.carrier || roles.data.warehouse || roles.data.clinic);

  const openShipment = (next: OpenShipment) => {
    setOpen(next);
    // Bring the panel into view (on a phone it is below the scanner).
    window.setTimeout(() => panelAnchor.current?.scrollIntoView({ behavior: "smooth", block: "start" }), 50);
  };

  const onCode = (code: ScannedCode) => {
    if (code.kind !== "shipment") return;
    const identity: Identity = { gtin: code.label.gtin, lot: code.label.lot, serial: code.label.serial };
    const ref = code.label.registryRef;
    openShipment({
      shipmentId: shipmentIdOf(identity),
      identity,
      foreignRegistry: ref !== null && (ref.chainId !== chain.id || !same(ref.registry, provenanceRegistry.address)),
    });
  };

  const fromList = (s: ListedShipment) =>
    openShipment({
      shipmentId: s.shipmentId,
      identity: s.created === null ? null : { gtin: s.created.gtin, lot: s.created.lot, serial: s.created.serial },
      foreignRegistry: false,
    });

  return (
    <div className="page supplier-page">
      <h1>{t("page.title")}</h1>
      <p className="lead">{t("page.lead")}</p>

      {me === undefined ? (
        <p className="warning" data-testid="connect-prompt">{t("page.connect")}</p>
      ) : roles.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : !isOrg ? (
        <p className="warning" data-testid="not-organisation">{t("page.notOrganisation")}</p>
      ) : (
        <section className="panel who" data-testid="who">
          <p>
            {t("page.actingAs", { name: names.org(me) })}{" "}
            {roles.data?.manufacturer && <span className="badge">{t("codes:role.MANUFACTURER_ROLE")}</span>}{" "}
            {roles.data?.carrier && <span className="badge">{t("codes:role.CARRIER_ROLE")}</span>}{" "}
            {roles.data?.warehouse && <span className="badge">{t("codes:role.WAREHOUSE_ROLE")}</span>}{" "}
            {roles.data?.clinic && <span className="badge">{t("codes:role.CLINIC_ROLE")}</span>}
          </p>
          <p className="muted small">
            {myLocations.length === 0
              ? t("page.noLocations")
              : t("page.locations", { count: myLocations.length, names: new Intl.ListFormat(zh ? "zh-CN" : "en-GB").format(myLocations.slice(0, 3).map((l) => (zh && l.localName !== null ? l.localName : l.name))) })}
          </p>
          {!supplyRole && <p className="muted small">{t("page.noSupplyRole")}</p>}
        </section>
      )}

      <section className="panel" aria-labelledby="scan-title">
        <h2 id="scan-title">{t("scan.title")}</h2>
        <p className="muted small">{t("scan.help")}</p>
        <QrScanner accept={["shipment"]} onCode={onCode} label={t("scan.typeLabel")} />
      </section>

      <div ref={panelAnchor} className="anchor" />
      {open !== null && (
        <WorkPanel
          key={open.shipmentId}
          open={open}
          me={isOrg ? me : undefined}
          roles={roles.data}
          myLocations={myLocations}
          onClose={() => setOpen(null)}
        />
      )}

      {me !== undefined && isOrg && (
        <>
          <section className="panel" aria-labelledby="incoming-title">
            <h2 id="incoming-title">
              {t("incoming.title")} {incoming.data !== undefined && incoming.data.length > 0 && <span className="badge warn">{incoming.data.length}</span>}
            </h2>
            {incoming.isPending ? (
              <p className="muted">{t("common:loading")}</p>
            ) : incoming.isError ? (
              <p className="tx tx-error" role="alert">{t("list.readError")}</p>
            ) : (
              <ShipmentList items={incoming.data} onOpen={fromList} testId="incoming" empty={t("incoming.empty")} kind="incoming" />
            )}
          </section>

          {roles.data?.manufacturer === true && (
            <section className="panel" aria-labelledby="create-title" data-testid="create-section">
              <h2 id="create-title">{t("create.title")}</h2>
              <p className="muted small">{t("create.help")}</p>
              <CreateShipment
                me={me}
                locations={myLocations}
                onOpen={(shipmentId, identity) => openShipment({ shipmentId, identity, foreignRegistry: false })}
              />
            </section>
          )}

          <section className="panel" aria-labelledby="held-title">
            <h2 id="held-title">{t("held.title")}</h2>
            {held.isPending ? (
              <p className="muted">{t("common:loading")}</p>
            ) : held.isError ? (
              <p className="tx tx-error" role="alert">{t("list.readError")}</p>
            ) : (
              <ShipmentList items={held.data} onOpen={fromList} testId="held" empty={t("held.empty")} kind="held" />
            )}
          </section>
        </>
      )}
    </div>
  );
}
