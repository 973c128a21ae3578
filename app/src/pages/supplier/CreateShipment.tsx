/**
 * Create a shipment (manufacturers): product from the catalogue (or any GTIN), lot (for a vaccine: one of the
 * manufacturer's registered lots), serial, quantity, origin (one of its locations), cold-chain range. Every field
 * is checked before the transaction; the printable QR label appears once it is on chain.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { TxStatus } from "../../components/TxStatus.tsx";
import { provenanceRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { formatDate } from "../../lib/format.ts";
import { LotState } from "../../../../scripts/lib/vaccines.ts";
import { useOwnLots } from "./hooks.ts";
import {
  type Address,
  CATALOGUE,
  type FieldProblems,
  gln13,
  type Identity,
  type Location,
  newSerial,
  shipmentIdOf,
  validateCreate,
  type Hex,
} from "./model.ts";
import { FieldError, ShipmentLabel } from "./ui.tsx";

const OTHER = "other";
const centiText = (c: number): string => String(c / 100);

export function CreateShipment({
  me,
  locations,
  onOpen,
}: {
  readonly me: Address;
  readonly locations: readonly Location[];
  readonly onOpen: (shipmentId: Hex, identity: Identity) => void;
}) {
  const { t, i18n } = useTranslation(["supplier", "codes"]);
  const zh = !i18n.language.startsWith("en");
  const id = useId();
  const lots = useOwnLots(me, true);
  const tx = useContractTx();

  const ownLotsByGtin = useMemo(() => {
    const map = new Map<string, NonNullable<typeof lots.data>>();
    for (const l of lots.data ?? []) map.set(l.gtin, [...(map.get(l.gtin) ?? []), l]);
    return map;
  }, [lots.data]);

  const [productKey, setProductKey] = useState<string>("");
  const [gtinText, setGtinText] = useState("");
  const [vaccineLotId, setVaccineLotId] = useState<number | null>(null);
  const [lot, setLot] = useState("");
  const [serial, setSerial] = useState(() => newSerial());
  const [quantity, setQuantity] = useState("");
  const [origin, setOrigin] = useState("");
  const [coldChain, setColdChain] = useState(false);
  const [minC, setMinC] = useState("");
  const [maxC, setMaxC] = useState("");
  const [problems, setProblems] = useState<FieldProblems>({});
  const [label, setLabel] = useState<Identity | null>(null);

  const product = CATALOGUE.find((p) => p.key === productKey) ?? null;

  const chooseProduct = (key: string) => {
    setProductKey(key);
    setProblems({});
    setVaccineLotId(null);
    setLot("");
    const p = CATALOGUE.find((x) => x.key === key);
    setGtinText(p?.gtin ?? "");
    setColdChain(p?.storageC != null);
    setMinC(p?.storageC != null ? String(p.storageC.min) : "");
    setMaxC(p?.storageC != null ? String(p.storageC.max) : "");
  };

  // Default product: the first vaccine the manufacturer has lots of, else the first other supply.
  useEffect(() => {
    if (productKey !== "" || lots.data === undefined) return;
    const first = CATALOGUE.find((p) => p.vaccine && ownLotsByGtin.has(p.gtin)) ?? CATALOGUE.find((p) => !p.vaccine);
    if (first !== undefined) chooseProduct(first.key);
  }, [lots.data, ownLotsByGtin, productKey]);

  useEffect(() => {
    if (origin === "" && locations.length > 0) setOrigin(locations[0].gln.toString());
  }, [locations, origin]);

  const chooseLot = (value: string) => {
    const l = (lots.data ?? []).find((x) => String(x.lotId) === value);
    setVaccineLotId(l === undefined ? null : l.lotId);
    setLot(l?.lotNumber ?? "");
    if (l !== undefined) {
      setColdChain(true);
      setMinC(centiText(l.minTempCentiC));
      setMaxC(centiText(l.maxTempCentiC));
    }
  };

  const vaccineLots = product?.vaccine === true ? (ownLotsByGtin.get(product.gtin) ?? []) : [];
  const usable = (state: number) => state === LotState.Active || state === LotState.PendingRelease;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    tx.reset();
    const checked = validateCreate(
      {
        gtin: productKey === OTHER ? gtinText : (product?.gtin ?? ""),
        vaccine: product?.vaccine === true,
        vaccineLotId,
        lot,
        serial,
        quantity,
        origin,
        coldChain,
        minC,
        maxC,
      },
      locations.map((l) => l.gln),
    );
    if ("problems" in checked) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    const receipt = await tx.send({ ...provenanceRegistry, functionName: "createShipment", args: [checked.params] });
    if (receipt !== null) {
      setLabel(checked.identity);
      setSerial(newSerial());
    }
  };

  if (locations.length === 0) return <p className="warning">{t("create.noLocations")}</p>;

  const describedBy = (field: keyof FieldProblems) => (problems[field] !== undefined ? `${id}-${field}-error` : undefined);

  return (
    <>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="create-form" className="form-grid">
        <div className="field wide">
          <label htmlFor={`${id}-product`}>{t("create.product")}</label>
          <select id={`${id}-product`} value={productKey} onChange={(e) => chooseProduct(e.target.value)} data-testid="create-product">
            <optgroup label={t("create.vaccines")}>
              {CATALOGUE.filter((p) => p.vaccine).map((p) => (
                <option key={p.key} value={p.key}>
                  {zh ? p.name.zh : p.name.en}
                  {!ownLotsByGtin.has(p.gtin) ? ` — ${t("create.noOwnLots")}` : ""}
                </option>
              ))}
            </optgroup>
            <optgroup label={t("create.supplies")}>
              {CATALOGUE.filter((p) => !p.vaccine).map((p) => (
                <option key={p.key} value={p.key}>
                  {zh ? p.name.zh : p.name.en}
                </option>
              ))}
            </optgroup>
            <option value={OTHER}>{t("create.otherProduct")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-gtin`}>{t("field.gtin")}</label>
          <input
            id={`${id}-gtin`}
            value={productKey === OTHER ? gtinText : (product?.gtin ?? "")}
            readOnly={productKey !== OTHER}
            inputMode="numeric"
            onChange={(e) => setGtinText(e.target.value)}
            aria-invalid={problems.gtin !== undefined}
            aria-describedby={describedBy("gtin")}
            data-testid="create-gtin"
          />
          <FieldError problem={problems.gtin} id={`${id}-gtin-error`} />
        </div>
        {product?.vaccine === true ? (
          <div className="field">
            <label htmlFor={`${id}-vlot`}>{t("create.vaccineLot")}</label>
            {lots.isPending ? (
              <p className="muted">{t("common:loading")}</p>
            ) : vaccineLots.length === 0 ? (
              <p className="warning" data-testid="create-no-lots">{t("create.noLotsOfProduct")}</p>
            ) : (
              <select
                id={`${id}-vlot`}
                value={vaccineLotId === null ? "" : String(vaccineLotId)}
                onChange={(e) => chooseLot(e.target.value)}
                aria-invalid={problems.vaccineLot !== undefined}
                data-testid="create-vaccine-lot"
              >
                <option value="">{t("create.chooseLot")}</option>
                {vaccineLots.map((l) => (
                  <option key={l.lotId} value={l.lotId} disabled={!usable(l.state)}>
                    {t("create.lotOption", {
                      lot: l.lotNumber,
                      state: t(`codes:lotState.${l.state}`),
                      expiry: formatDate(l.expiresAt, i18n.language),
                    })}
                  </option>
                ))}
              </select>
            )}
            <FieldError problem={problems.vaccineLot} />
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-lot`}>{t("field.lot")}</label>
            <input
              id={`${id}-lot`}
              value={lot}
              onChange={(e) => setLot(e.target.value)}
              maxLength={40}
              autoComplete="off"
              aria-invalid={problems.lot !== undefined}
              aria-describedby={describedBy("lot")}
              data-testid="create-lot"
            />
            <FieldError problem={problems.lot} id={`${id}-lot-error`} />
          </div>
        )}
        {product?.vaccine === true && <FieldError problem={problems.lot} />}
        <div className="field">
          <label htmlFor={`${id}-serial`}>{t("field.serial")}</label>
          <input
            id={`${id}-serial`}
            value={serial}
            onChange={(e) => setSerial(e.target.value)}
            maxLength={40}
            autoComplete="off"
            aria-invalid={problems.serial !== undefined}
            aria-describedby={describedBy("serial")}
            data-testid="create-serial"
          />
          <FieldError problem={problems.serial} id={`${id}-serial-error`} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-qty`}>
            {t("field.quantity")}
            {product !== null && ` (${product.unit === null ? t("unit.doses") : zh ? product.unit.zh : product.unit.en})`}
          </label>
          <input
            id={`${id}-qty`}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            inputMode="numeric"
            aria-invalid={problems.quantity !== undefined}
            aria-describedby={describedBy("quantity")}
            data-testid="create-quantity"
          />
          <FieldError problem={problems.quantity} id={`${id}-quantity-error`} />
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-origin`}>{t("field.origin")}</label>
          <select id={`${id}-origin`} value={origin} onChange={(e) => setOrigin(e.target.value)} data-testid="create-origin">
            {locations.map((l) => (
              <option key={l.gln.toString()} value={l.gln.toString()}>
                {zh && l.localName !== null ? l.localName : l.name} · {gln13(l.gln)}
              </option>
            ))}
          </select>
          <FieldError problem={problems.origin} />
        </div>
        <fieldset className="field wide cold-chain">
          <legend>{t("create.coldChain")}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={coldChain}
              disabled={product?.vaccine === true}
              onChange={(e) => setColdChain(e.target.checked)}
              data-testid="create-cold-chain"
            />
            {t("create.coldChainApplies")}
          </label>
          {coldChain && (
            <div className="row range-row">
              <div className="field">
                <label htmlFor={`${id}-min`}>{t("create.minC")}</label>
                <input
                  id={`${id}-min`}
                  value={minC}
                  onChange={(e) => setMinC(e.target.value)}
                  inputMode="decimal"
                  aria-invalid={problems.minC !== undefined}
                  data-testid="create-min"
                />
                <FieldError problem={problems.minC} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-max`}>{t("create.maxC")}</label>
                <input
                  id={`${id}-max`}
                  value={maxC}
                  onChange={(e) => setMaxC(e.target.value)}
                  inputMode="decimal"
                  aria-invalid={problems.maxC !== undefined}
                  data-testid="create-max"
                />
                <FieldError problem={problems.maxC} />
              </div>
            </div>
          )}
        </fieldset>
        <div className="actions wide">
          <button type="submit" disabled={tx.busy} data-testid="create-submit">
            {t("create.submit")}
          </button>
        </div>
      </form>
      <TxStatus state={tx.state} />
      {label !== null && (
        <section className="created-label" aria-live="polite">
          <h3>{t("create.labelTitle")}</h3>
          <p className="muted no-print">{t("create.labelHelp")}</p>
          <ShipmentLabel identity={label} />
          <div className="actions no-print">
            <button type="button" className="secondary" onClick={() => onOpen(shipmentIdOf(label), label)} data-testid="create-open">
              {t("create.openIt")}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
