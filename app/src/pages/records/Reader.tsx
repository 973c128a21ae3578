/**
 * An organisation reads a record: by its id (checked before any request), or from the list of a citizen's
 * anchored records (RecordAnchored events: date, category, issuer; no content). Each Read is a new, logged read.
 */
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address, Hex } from "viem";
import { useClient } from "wagmi";

import { QrScanner } from "../../components/QrScanner.tsx";
import { ErrorNote } from "../../components/TxStatus.tsx";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDateTime, shortAddress, shortHash } from "../../lib/format.ts";
import { parseRecordId } from "../../lib/vault.ts";
import { fetchAnchoredRecords } from "./chain.ts";
import { RecordView } from "./RecordView.tsx";
import type { VaultAccess } from "./useVault.ts";

export function Reader({ vault }: { readonly vault: VaultAccess }) {
  const { t } = useTranslation("records");
  const [typed, setTyped] = useState("");
  const [badId, setBadId] = useState(false);
  const [reading, setReading] = useState<{ id: Hex; nonce: number } | null>(null);
  const [citizen, setCitizen] = useState<Address | null>(null);
  const signedIn = vault.session !== null;

  const open = (id: Hex) => setReading((r) => ({ id, nonce: (r?.nonce ?? 0) + 1 }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const id = parseRecordId(typed);
    setBadId(id === null);
    if (id === null) {
      setReading(null);
      return;
    }
    open(id);
  }

  return (
    <section className="panel" aria-labelledby="reader-title" data-testid="reader">
      <h2 id="reader-title">{t("reader.title")}</h2>
      <p className="muted">{t("reader.lead")}</p>
      {!signedIn && <p className="warning">{t("signIn.needed")}</p>}
      <form className="records-inline" onSubmit={submit}>
        <label>
          {t("reader.recordId")}
          <input
            data-testid="read-id"
            className="mono"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" data-testid="read-id-submit" disabled={!signedIn}>
          {t("reader.read")}
        </button>
      </form>
      {badId && <ErrorNote message={t("reader.badId")} code="badRecordId" />}
      {reading !== null && signedIn && <RecordView vault={vault} id={reading.id} nonce={reading.nonce} />}

      <h3>{t("reader.citizenTitle")}</h3>
      <p className="muted">{t("reader.citizenLead")}</p>
      <QrScanner accept={["address"]} testId="reader-citizen-scanner" label={t("reader.citizenScan")} onCode={(c) => c.kind === "address" && setCitizen(c.address)} />
      {citizen !== null && <CitizenRecords citizen={citizen} canRead={signedIn} onRead={open} />}
    </section>
  );
}

function CitizenRecords({ citizen, canRead, onRead }: { readonly citizen: Address; readonly canRead: boolean; readonly onRead: (id: Hex) => void }) {
  const { t, i18n } = useTranslation(["records", "codes"]);
  const client = useClient();
  const names = useOrganisationNames();
  const { errorText } = useErrorText();
  const records = useQuery({
    queryKey: ["healthtrace", "anchoredRecords", citizen],
    enabled: client !== undefined,
    queryFn: () => (client === undefined ? [] : fetchAnchoredRecords(client, citizen)),
  });
  return (
    <div data-testid="citizen-records" data-citizen={citizen}>
      <h4>{t("reader.listFor", { address: shortAddress(citizen) })}</h4>
      {records.isPending ? (
        <p className="muted" aria-busy="true">{t("loading")}</p>
      ) : records.isError ? (
        <ErrorNote message={errorText(records.error)} />
      ) : records.data.length === 0 ? (
        <p className="muted">{t("reader.noRecords")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("record.issuedAt")}</th>
                <th>{t("record.category")}</th>
                <th>{t("record.issuer")}</th>
                <th>{t("record.id")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {records.data.map((r) => (
                <tr key={r.id} data-testid="anchored-row" data-record-id={r.id} data-category={r.category}>
                  <td>{formatDateTime(r.anchoredAt, i18n.language)}</td>
                  <td>{t(`codes:category.${r.category}`)}</td>
                  <td>{names.get(r.issuer.toLowerCase()) ?? shortAddress(r.issuer)}</td>
                  <td className="mono" title={r.id}>
                    {shortHash(r.id)}
                  </td>
                  <td>
                    <button type="button" className="secondary" data-testid="anchored-read" disabled={!canRead} onClick={() => onRead(r.id)}>
                      {t("reader.read")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
