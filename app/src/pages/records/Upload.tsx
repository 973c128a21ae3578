/**
 * A provider files a record: the citizen (wallet QR or pasted address), the category and the text go to the
 * vault only; the vault answers with the anchor transaction, which the provider's wallet sends
 * (RecordRegistry.anchor: the hospital is the issuer on chain); then the vault checks the anchor. Below, the
 * records this organisation filed, with their status.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address, Hex } from "viem";

import { CATEGORY_LABELS } from "../../../../scripts/lib/personas.ts";
import { QrScanner } from "../../components/QrScanner.tsx";
import { TxStatus } from "../../components/TxStatus.tsx";
import { recordRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { formatDateTime, shortAddress, shortHash } from "../../lib/format.ts";
import { noteBody, type RecordSummary } from "../../lib/vault.ts";
import { filedAt } from "./logic.ts";
import { StatusBadge, VaultRefusal } from "./ui.tsx";
import { type Problem, useProblemText, vaultClient, type VaultAccess } from "./useVault.ts";

const CATEGORIES = Object.keys(CATEGORY_LABELS).map(Number);

type Phase =
  | { readonly step: "idle" }
  | { readonly step: "sending" }
  | { readonly step: "anchoring" }
  | { readonly step: "checking" }
  | { readonly step: "done"; readonly id: Hex; readonly already: boolean }
  | { readonly step: "unanchored"; readonly id: Hex }
  | { readonly step: "failed"; readonly problem: Problem };

export function Upload({ vault, isProvider }: { readonly vault: VaultAccess; readonly isProvider: boolean }) {
  const { t } = useTranslation(["records", "codes"]);
  const problemText = useProblemText();
  const queryClient = useQueryClient();
  const tx = useContractTx();
  const [citizen, setCitizen] = useState<Address | null>(null);
  const [category, setCategory] = useState(1);
  const [text, setText] = useState("");
  const [phase, setPhase] = useState<Phase>({ step: "idle" });
  const busy = phase.step === "sending" || phase.step === "anchoring" || phase.step === "checking" || tx.busy;

  const fail = (message: string, code: string) => setPhase({ step: "failed", problem: { message, code } });

  async function submit(event: FormEvent) {
    event.preventDefault();
    tx.reset();
    if (citizen === null) return fail(t("upload.noCitizen"), "noCitizen");
    if (text.trim() === "") return fail(t("upload.emptyText"), "emptyText");
    if (vault.session === null) return fail(t("signIn.needed"), "VaultUnauthenticated");
    setPhase({ step: "sending" });
    try {
      const filed = await vault.call((token) => vaultClient.upload(token, { subject: citizen, category, body: noteBody(text) }));
      const id = filed.record.id;
      if (filed.anchorCall !== null) {
        const call = filed.anchorCall;
        if (call.to.toLowerCase() !== recordRegistry.address.toLowerCase() || call.args[2].toLowerCase() !== id.toLowerCase()) {
          return fail(t("upload.wrongRegistry"), "wrongRegistry");
        }
        setPhase({ step: "anchoring" });
        const receipt = await tx.send({ ...recordRegistry, functionName: "anchor", args: [call.args[0], call.args[1], call.args[2]] });
        if (receipt === null) {
          setPhase({ step: "unanchored", id }); // TxStatus shows why
          await queryClient.invalidateQueries({ queryKey: ["vault-list"] });
          return;
        }
        setPhase({ step: "checking" });
        const checked = await vault.call((token) => vaultClient.anchorCheck(token, id));
        if (checked.status !== "anchored") return fail(t("upload.notAnchoredYet"), "notAnchoredYet");
        setPhase({ step: "done", id, already: false });
      } else if (filed.record.status === "anchored") {
        setPhase({ step: "done", id, already: true });
      } else {
        fail(t("upload.notAnchoredYet"), "notAnchoredYet");
      }
      setText("");
      await queryClient.invalidateQueries({ queryKey: ["vault-list"] });
    } catch (error) {
      setPhase({ step: "failed", problem: problemText(error) });
    }
  }

  return (
    <section className="panel" aria-labelledby="upload-title" data-testid="upload">
      <h2 id="upload-title">{t("upload.title")}</h2>
      <p className="muted">{t("upload.lead")}</p>
      {!isProvider && (
        <p className="warning" data-testid="upload-not-provider-note">
          {t("upload.notProviderNote")}
        </p>
      )}
      {citizen === null ? (
        <QrScanner
          accept={["address"]}
          testId="upload-citizen-scanner"
          label={t("upload.citizen")}
          onCode={(code) => {
            if (code.kind === "address") {
              setCitizen(code.address);
              setPhase({ step: "idle" });
            }
          }}
        />
      ) : (
        <p className="records-chosen" data-testid="upload-citizen" data-address={citizen}>
          {t("upload.citizenChosen", { address: citizen })}{" "}
          <button type="button" className="secondary" data-testid="upload-citizen-change" onClick={() => setCitizen(null)} disabled={busy}>
            ✕
          </button>
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} className="records-form">
        <label>
          {t("upload.category")}
          <select data-testid="upload-category" value={category} onChange={(e) => setCategory(Number(e.target.value))} disabled={busy}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`codes:category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("upload.text")}
          <textarea
            data-testid="upload-text"
            rows={4}
            value={text}
            placeholder={t("upload.textPlaceholder")}
            onChange={(e) => setText(e.target.value)}
            disabled={busy}
          />
        </label>
        <button type="submit" data-testid="upload-submit" disabled={busy}>
          {t("upload.submit")}
        </button>
      </form>
      {phase.step === "sending" && <p className="tx tx-busy" role="status">{t("upload.sending")}</p>}
      {phase.step === "anchoring" && <p className="tx tx-busy" role="status">{t("upload.anchoring")}</p>}
      <div data-testid="upload-tx">
        <TxStatus state={tx.state} />
      </div>
      {phase.step === "checking" && <p className="tx tx-busy" role="status">{t("upload.checking")}</p>}
      {phase.step === "done" && (
        <p className="tx tx-ok" role="status" data-testid="upload-done" data-record-id={phase.id}>
          {t(phase.already ? "upload.already" : "upload.done", { id: phase.id })}
        </p>
      )}
      {phase.step === "unanchored" && (
        <p className="warning" data-testid="upload-unanchored" data-record-id={phase.id}>
          {t("upload.unanchored")}
        </p>
      )}
      {phase.step === "failed" && <VaultRefusal problem={phase.problem} />}
      {isProvider && <FiledRecords vault={vault} />}
    </section>
  );
}

function FiledRecords({ vault }: { readonly vault: VaultAccess }) {
  const { t, i18n } = useTranslation(["records", "codes"]);
  const problemText = useProblemText();
  const session = vault.session;
  const list = useQuery({
    queryKey: ["vault-list", session?.address],
    enabled: session !== null,
    retry: false,
    queryFn: () => vault.call((token) => vaultClient.list(token)),
  });
  const tx = useContractTx();
  const queryClient = useQueryClient();
  const [anchorProblem, setAnchorProblem] = useState<Problem | null>(null);
  if (session === null) return null;
  const mine = (list.data ?? []).filter((r) => r.issuer.toLowerCase() === session.address.toLowerCase());

  /** Anchor a record still awaiting its anchor (e.g. the wallet refused it at upload): the same anchor call, from the summary. */
  async function anchorNow(r: RecordSummary) {
    setAnchorProblem(null);
    tx.reset();
    const receipt = await tx.send({ ...recordRegistry, functionName: "anchor", args: [r.subject, r.category, r.id] });
    if (receipt === null) return;
    try {
      const checked = await vault.call((token) => vaultClient.anchorCheck(token, r.id));
      if (checked.status !== "anchored") setAnchorProblem({ message: t("upload.notAnchoredYet"), code: "notAnchoredYet" });
    } catch (error) {
      setAnchorProblem(problemText(error));
    }
    await queryClient.invalidateQueries({ queryKey: ["vault-list"] });
  }

  return (
    <div data-testid="filed">
      <h3>{t("filed.title")}</h3>
      {list.isPending ? (
        <p className="muted" aria-busy="true">{t("loading")}</p>
      ) : list.isError ? (
        <VaultRefusal problem={problemText(list.error)} />
      ) : mine.length === 0 ? (
        <p className="muted">{t("filed.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("filed.date")}</th>
                <th>{t("filed.citizen")}</th>
                <th>{t("filed.category")}</th>
                <th>{t("filed.status")}</th>
                <th>{t("filed.id")}</th>
              </tr>
            </thead>
            <tbody>
              {mine.map((r) => (
                <tr key={r.id} data-testid="filed-row" data-record-id={r.id} data-status={r.status}>
                  <td>{formatDateTime(filedAt(r), i18n.language)}</td>
                  <td className="mono">{shortAddress(r.subject)}</td>
                  <td>{t(`codes:category.${r.category}`)}</td>
                  <td>
                    <StatusBadge status={r.status} />
                    {r.status === "awaiting-anchor" && (
                      <button type="button" className="secondary records-anchor-now" data-testid="filed-anchor" disabled={tx.busy} onClick={() => void anchorNow(r)}>
                        {t("filed.anchorNow")}
                      </button>
                    )}
                  </td>
                  <td className="mono" title={r.id}>
                    {shortHash(r.id)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div data-testid="filed-tx">
        <TxStatus state={tx.state} />
      </div>
      {anchorProblem !== null && <VaultRefusal problem={anchorProblem} />}
    </div>
  );
}
