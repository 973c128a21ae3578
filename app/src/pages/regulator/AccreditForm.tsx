/**
 * Accredit an organisation, then hand it the chosen roles: one `accredit` transaction, then one `grantRole` per role
 * (only the roles the connected regulator administers are offered). Every field is checked before anything is sent.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { TxStatus } from "../../components/TxStatus.tsx";
import { authority } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { Kind, type RoleName } from "../../../../scripts/lib/personas.ts";
import { SHANGHAI_DISTRICTS } from "../../../../scripts/lib/vaccines.ts";
import type { Permission } from "./permission.ts";
import { type Directory, roleId } from "./reads.ts";
import { type AccreditInput, type AccreditProblems, checkAccreditInput, utf8ByteLength } from "./validation.ts";

const OTHER = "other";
/** Known districts: the Shanghai municipality (310000) and its districts (GB/T 2260). */
const DISTRICT_CHOICES: readonly number[] = [310000, ...Object.keys(SHANGHAI_DISTRICTS).map(Number)];
const EMPTY: AccreditInput = { address: "", kind: "", district: "", name: "", localName: "" };

type Progress =
  | { readonly stage: "idle" }
  | { readonly stage: "running"; readonly step: number; readonly total: number; readonly role: RoleName | null }
  | { readonly stage: "done"; readonly name: string; readonly granted: readonly RoleName[] }
  | { readonly stage: "partial"; readonly name: string; readonly missing: readonly RoleName[] };

export function AccreditForm({ permission, directory }: { readonly permission: Permission; readonly directory: Directory }) {
  const { t } = useTranslation(["regulator", "codes"]);
  const tx = useContractTx();
  const [input, setInput] = useState<AccreditInput>(EMPTY);
  const [districtChoice, setDistrictChoice] = useState("");
  const [roles, setRoles] = useState<readonly RoleName[]>([]);
  const [problems, setProblems] = useState<AccreditProblems | null>(null);
  const [progress, setProgress] = useState<Progress>({ stage: "idle" });
  const max = directory.maxNameBytes;
  const accredited = new Set(directory.organisations.map((o) => o.address.toLowerCase()));
  const busy = tx.busy || progress.stage === "running";

  const check = (next: AccreditInput) => checkAccreditInput(next, { maxNameBytes: max, accredited });
  const update = (patch: Partial<AccreditInput>) => {
    const next = { ...input, ...patch };
    setInput(next);
    if (progress.stage === "done" || progress.stage === "partial") setProgress({ stage: "idle" });
    // Once the form was submitted, problems follow the typing.
    if (problems !== null) {
      const result = check(next);
      setProblems(result.ok ? {} : result.problems);
    }
  };

  const submit = async () => {
    const result = check(input);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems({});
    const v = result.values;
    const total = 1 + roles.length;
    setProgress({ stage: "running", step: 1, total, role: null });
    const accredited = await tx.send({ ...authority, functionName: "accredit", args: [v.org, v.kind, v.district, v.name, v.localName] });
    if (accredited === null) {
      setProgress({ stage: "idle" });
      return;
    }
    const granted: RoleName[] = [];
    for (const [i, role] of roles.entries()) {
      setProgress({ stage: "running", step: i + 2, total, role });
      const receipt = await tx.send({ ...authority, functionName: "grantRole", args: [roleId(role), v.org] });
      if (receipt === null) {
        setProgress({ stage: "partial", name: v.name, missing: roles.slice(i) });
        return;
      }
      granted.push(role);
    }
    setProgress({ stage: "done", name: v.name, granted });
    setInput(EMPTY);
    setDistrictChoice("");
    setRoles([]);
    setProblems(null);
  };

  const fieldError = (field: keyof AccreditProblems, values: Record<string, string | number> = {}) => {
    const problem = problems?.[field];
    if (problem === undefined) return null;
    return (
      <p className="field-error" role="alert" id={`accredit-${field}-error`} data-testid={`accredit-${field}-error`} data-error={problem}>
        {t(`accredit.problem.${field}.${problem}`, values)}
      </p>
    );
  };
  const bytes = (text: string) => utf8ByteLength(text.trim());
  const roleLabel = (r: RoleName) => t(`codes:role.${r}`);

  return (
    <form
      className="panel accredit"
      noValidate
      data-testid="accredit-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t("accredit.title")}</h2>
      <p className="muted">{t("accredit.lead")}</p>
      <div className="grid-2">
        <div>
          <label htmlFor="accredit-address">{t("accredit.address")}</label>
          <input
            id="accredit-address"
            autoComplete="off"
            spellCheck={false}
            placeholder="0x…"
            value={input.address}
            aria-invalid={problems?.address !== undefined}
            onChange={(e) => update({ address: e.target.value })}
            data-testid="accredit-address"
          />
          {fieldError("address")}
        </div>
        <div>
          <label htmlFor="accredit-kind">{t("accredit.kind")}</label>
          <select
            id="accredit-kind"
            value={input.kind}
            aria-invalid={problems?.kind !== undefined}
            onChange={(e) => update({ kind: e.target.value })}
            data-testid="accredit-kind"
          >
            <option value="">{t("accredit.choose")}</option>
            {Object.values(Kind).map((k) => (
              <option key={k} value={String(k)}>
                {t(`codes:kind.${k}`)}
              </option>
            ))}
          </select>
          {fieldError("kind")}
        </div>
        <div>
          <label htmlFor="accredit-district">{t("accredit.district")}</label>
          <select
            id="accredit-district"
            value={districtChoice}
            aria-invalid={problems?.district !== undefined}
            onChange={(e) => {
              setDistrictChoice(e.target.value);
              update({ district: e.target.value === OTHER ? "" : e.target.value });
            }}
            data-testid="accredit-district"
          >
            <option value="">{t("accredit.choose")}</option>
            {DISTRICT_CHOICES.map((d) => (
              <option key={d} value={String(d)}>
                {t("accredit.districtOption", { name: t(`codes:district.${d}`), code: d })}
              </option>
            ))}
            <option value={OTHER}>{t("accredit.districtOther")}</option>
          </select>
          {districtChoice === OTHER && (
            <>
              <label htmlFor="accredit-district-code">{t("accredit.districtCode")}</label>
              <input
                id="accredit-district-code"
                inputMode="numeric"
                maxLength={6}
                placeholder="310104"
                value={input.district}
                onChange={(e) => update({ district: e.target.value })}
                data-testid="accredit-district-code"
              />
            </>
          )}
          {fieldError("district")}
        </div>
        <div />
        <div>
          <label htmlFor="accredit-name">{t("accredit.name")}</label>
          <input
            id="accredit-name"
            lang="en"
            value={input.name}
            aria-invalid={problems?.name !== undefined}
            aria-describedby="accredit-name-bytes"
            onChange={(e) => update({ name: e.target.value })}
            data-testid="accredit-name"
          />
          <p id="accredit-name-bytes" className={bytes(input.name) > max ? "bytes over" : "bytes"} data-testid="accredit-name-bytes">
            {t("accredit.bytes", { count: bytes(input.name), max })}
          </p>
          {fieldError("name", { max })}
        </div>
        <div>
          <label htmlFor="accredit-local-name">{t("accredit.localName")}</label>
          <input
            id="accredit-local-name"
            lang="zh-CN"
            value={input.localName}
            aria-invalid={problems?.localName !== undefined}
            aria-describedby="accredit-local-name-bytes"
            onChange={(e) => update({ localName: e.target.value })}
            data-testid="accredit-local-name"
          />
          <p
            id="accredit-local-name-bytes"
            className={bytes(input.localName) > max ? "bytes over" : "bytes"}
            data-testid="accredit-local-name-bytes"
          >
            {t("accredit.bytes", { count: bytes(input.localName), max })}
          </p>
          {fieldError("localName", { max })}
        </div>
      </div>
      {permission.grantable.length > 0 && (
        <fieldset className="roles-choice">
          <legend>{t("accredit.roles")}</legend>
          <p className="muted">{t("accredit.rolesNote")}</p>
          <div className="checks">
            {permission.grantable.map((r) => (
              <label key={r} className="check">
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
                  data-testid={`accredit-role-${r}`}
                />
                {roleLabel(r)}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="accredit-submit">
          {roles.length === 0 ? t("accredit.submit") : t("accredit.submitWithRoles", { count: roles.length + 1 })}
        </button>
      </div>
      {progress.stage === "running" && progress.total > 1 && (
        <p className="muted" role="status" data-testid="accredit-progress">
          {progress.role === null
            ? t("accredit.stepAccredit", { step: progress.step, total: progress.total })
            : t("accredit.stepGrant", { step: progress.step, total: progress.total, role: roleLabel(progress.role) })}
        </p>
      )}
      <TxStatus state={tx.state} />
      {progress.stage === "done" && (
        <p className="tx tx-ok" role="status" data-testid="accredit-done">
          {progress.granted.length === 0
            ? t("accredit.done", { name: progress.name })
            : t("accredit.doneWithRoles", { name: progress.name, roles: progress.granted.map(roleLabel).join(t("listSeparator")) })}
        </p>
      )}
      {progress.stage === "partial" && (
        <p className="warning" role="alert" data-testid="accredit-partial">
          {t("accredit.partial", { name: progress.name, roles: progress.missing.map(roleLabel).join(t("listSeparator")) })}
        </p>
      )}
    </form>
  );
}
