/**
 * The clinic's page (`/clinic`, the connected wallet holds CLINIC_ROLE): record a dose given to a citizen, whose
 * wallet is scanned from their "my wallet" QR or pasted, from a usable lot only (released, not expired, doses
 * left), with the dose number and the district (the clinic's own by default); and the list of this clinic's doses
 * still awaiting the citizen's confirmation. Every field is checked before the wallet is asked.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { useClient, useConnection } from "wagmi";

import { ROLE_IDS } from "../../../../scripts/lib/personas.ts";
import { lotStateWarns, SHANGHAI_DISTRICTS } from "../../../../scripts/lib/vaccines.ts";
import { QrScanner } from "../../components/QrScanner.tsx";
import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { authority, vaccineRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDate, formatDateTime, shortAddress } from "../../lib/format.ts";
import "../citizen/citizen.css";
import type { LotInfo } from "../citizen/chain.ts";
import { useClinicDoses, useLots } from "../citizen/hooks.ts";
import { awaitingConfirmation, checkDoseForm, lotIsUsable, MAX_DOSE_NUMBER } from "../citizen/logic.ts";
import { useProductName } from "../citizen/Vaccinations.tsx";

const DISTRICTS = Object.keys(SHANGHAI_DISTRICTS).map(Number);

function useClinic(address: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: ["healthtrace", "clinic", address],
    enabled: client !== undefined && address !== undefined,
    queryFn: async () => {
      if (client === undefined || address === undefined) throw new Error("no client");
      const [isClinic, org] = await Promise.all([
        readContract(client, { ...authority, functionName: "hasRole", args: [ROLE_IDS.CLINIC_ROLE as `0x${string}`, address] }),
        readContract(client, { ...authority, functionName: "organisationOf", args: [address] }),
      ]);
      return { isClinic, district: org.district };
    },
  });
}

function RecordDose({ clinic, district: ownDistrict }: { readonly clinic: Address; readonly district: number }) {
  const { t, i18n } = useTranslation(["clinic", "codes"]);
  const names = useOrganisationNames();
  const productName = useProductName();
  const lots = useLots();
  const tx = useContractTx();
  const [citizen, setCitizen] = useState<Address | null>(null);
  const [lotId, setLotId] = useState<number | null>(null);
  const [doseNumber, setDoseNumber] = useState("1");
  const [district, setDistrict] = useState(String(ownDistrict));
  const [problem, setProblem] = useState<string | null>(null);

  const now = Math.floor(Date.now() / 1000);
  const usable = useMemo(
    () => [...(lots.data?.values() ?? [])].filter((l) => lotIsUsable(l, now)).sort((a, b) => a.expiresAt - b.expiresAt),
    [lots.data, now],
  );
  const chosenLot: LotInfo | undefined = usable.find((l) => l.lotId === lotId);
  const lotLabel = (l: LotInfo) =>
    t("record.lotOption", {
      product: productName(l),
      lot: l.lotNumber,
      manufacturer: names.get(l.manufacturer.toLowerCase()) ?? shortAddress(l.manufacturer),
      left: l.doseCount - l.dosesRecorded,
    });

  const submit = async () => {
    tx.reset();
    const check = checkDoseForm({ citizen, clinic, lotId: chosenLot === undefined ? null : chosenLot.lotId, doseNumber, district });
    if (!check.ok) {
      setProblem(`problem.${check.problem}`);
      return;
    }
    setProblem(null);
    const receipt = await tx.send({
      ...vaccineRegistry,
      functionName: "recordDose",
      args: [check.lotId, check.citizen, check.doseNumber, check.district],
    });
    if (receipt !== null) setCitizen(null);
  };

  return (
    <section className="panel" aria-labelledby="record-title" data-testid="record-dose">
      <h2 id="record-title">{t("record.title")}</h2>
      <h3>{t("record.citizen")}</h3>
      {citizen !== null ? (
        <div className="citizen-pick" data-testid="citizen-chosen" data-address={citizen}>
          <code>{citizen}</code>
          <button type="button" className="secondary" onClick={() => setCitizen(null)} data-testid="citizen-change">
            {t("record.changeCitizen")}
          </button>
        </div>
      ) : (
        <QrScanner
          accept={["address"]}
          testId="citizen-scanner"
          label={t("record.pasteCitizen")}
          onCode={(code) => {
            if (code.kind === "address") {
              setCitizen(code.address);
              setProblem(null);
            }
          }}
        />
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="dose-lot">{t("record.lot")}</label>
        {lots.isPending ? (
          <p className="muted" aria-busy="true">{t("common:loading")}</p>
        ) : usable.length === 0 ? (
          <p className="warning" data-testid="no-usable-lot">{t("record.noUsableLot")}</p>
        ) : (
          <select
            id="dose-lot"
            value={chosenLot?.lotId ?? ""}
            onChange={(e) => setLotId(e.target.value === "" ? null : Number(e.target.value))}
            data-testid="lot-select"
          >
            <option value="">{t("record.chooseLot")}</option>
            {usable.map((l) => (
              <option key={l.lotId} value={l.lotId}>
                {lotLabel(l)}
              </option>
            ))}
          </select>
        )}
        {chosenLot !== undefined && (
          <p className="lot-details muted" data-testid="lot-details">
            {t("record.lotDetails", {
              gtin: chosenLot.gtin,
              expires: formatDate(chosenLot.expiresAt, i18n.language),
              left: chosenLot.doseCount - chosenLot.dosesRecorded,
              count: chosenLot.doseCount,
            })}
          </p>
        )}
        <div className="form-grid">
          <div>
            <label htmlFor="dose-number">{t("record.doseNumber")}</label>
            <input
              id="dose-number"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_DOSE_NUMBER}
              value={doseNumber}
              onChange={(e) => setDoseNumber(e.target.value)}
              data-testid="dose-number"
            />
          </div>
          <div>
            <label htmlFor="dose-district">{t("record.district")}</label>
            <select id="dose-district" value={district} onChange={(e) => setDistrict(e.target.value)} data-testid="dose-district">
              {DISTRICTS.map((d) => (
                <option key={d} value={d}>
                  {t(`codes:district.${d}`)}
                  {d === ownDistrict ? ` ${t("record.ownDistrict")}` : ""}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={tx.busy} data-testid="record-submit">
            {t("record.submit")}
          </button>
        </div>
      </form>
      {problem !== null && <ErrorNote message={t(problem, { max: MAX_DOSE_NUMBER })} code={problem} />}
      <TxStatus state={tx.state} />
    </section>
  );
}

function Awaiting({ clinic }: { readonly clinic: Address }) {
  const { t, i18n } = useTranslation(["clinic", "codes"]);
  const { errorText } = useErrorText();
  const productName = useProductName();
  const lots = useLots();
  const doses = useClinicDoses(clinic);
  const waiting = awaitingConfirmation(doses.data ?? []);
  return (
    <section className="panel" aria-labelledby="awaiting-title" data-testid="awaiting">
      <h2 id="awaiting-title">{t("awaiting.title")}</h2>
      <p className="muted">{t("awaiting.lead")}</p>
      {doses.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : doses.isError ? (
        <ErrorNote message={errorText(doses.error)} />
      ) : waiting.length === 0 ? (
        <p className="muted" data-testid="awaiting-empty">{t("awaiting.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("awaiting.recorded")}</th>
                <th>{t("awaiting.citizen")}</th>
                <th>{t("awaiting.vaccine")}</th>
                <th>{t("awaiting.dose")}</th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((d) => {
                const lot = lots.data?.get(d.lotId);
                return (
                  <tr key={d.doseId} data-testid="awaiting-row" data-dose-id={d.doseId} data-citizen={d.citizen}>
                    <td>{formatDateTime(d.recordedAt, i18n.language)}</td>
                    <td>
                      <code title={d.citizen}>{shortAddress(d.citizen)}</code>
                    </td>
                    <td>
                      {productName(lot)}
                      <br />
                      <code>{lot?.lotNumber ?? `#${d.lotId}`}</code>
                      {lotStateWarns(lot?.state ?? d.lotState) && (
                        <>
                          {" "}
                          <span className="badge err" data-testid="awaiting-lot-warning">
                            {t(`codes:lotState.${lot?.state ?? d.lotState}`)}
                          </span>
                        </>
                      )}
                    </td>
                    <td className="nowrap">{t("awaiting.doseValue", { n: d.doseNumber })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{t("awaiting.count", { count: waiting.length, total: (doses.data ?? []).length })}</p>
    </section>
  );
}

export default function ClinicPage() {
  const { t } = useTranslation("clinic");
  const { address, status } = useConnection();
  const { errorText } = useErrorText();
  const names = useOrganisationNames();
  const clinic = useClinic(address);
  return (
    <div className="page clinic-page">
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {status !== "connected" || address === undefined ? (
        <p className="warning" data-testid="connect-first">{t("connectFirst")}</p>
      ) : clinic.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : clinic.isError ? (
        <ErrorNote message={errorText(clinic.error)} />
      ) : !clinic.data.isClinic ? (
        <p className="warning" role="alert" data-testid="not-clinic">
          {t("notClinic", { who: names.get(address.toLowerCase()) ?? shortAddress(address) })}
        </p>
      ) : (
        <>
          <p data-testid="clinic-name">
            <strong>{names.get(address.toLowerCase()) ?? shortAddress(address)}</strong>
          </p>
          <div className="grid-2">
            <RecordDose clinic={address} district={clinic.data.district} />
            <Awaiting clinic={address} />
          </div>
        </>
      )}
    </div>
  );
}
