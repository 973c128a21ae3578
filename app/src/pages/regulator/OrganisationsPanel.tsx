/** The organisation directory: search, accredit (regulators), grant and revoke roles, suspend and restore. */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { authority } from "../../contracts.ts";
import { formatDate } from "../../lib/format.ts";
import type { RoleName } from "../../../../scripts/lib/personas.ts";
import { AccreditForm } from "./AccreditForm.tsx";
import { orgName } from "./display.ts";
import { useDirectory } from "./hooks.ts";
import type { Permission } from "./permission.ts";
import { type DirectoryEntry, roleId } from "./reads.ts";

export function OrganisationsPanel({ permission }: { readonly permission: Permission }) {
  const { t, i18n } = useTranslation(["regulator", "codes"]);
  const { errorText } = useErrorText();
  const directory = useDirectory();
  const [query, setQuery] = useState("");

  const filtered = useMemo(() => {
    const all = directory.data?.organisations ?? [];
    const q = query.trim().toLowerCase();
    if (q === "") return all;
    return all.filter((o) =>
      [o.name, o.localName, o.address, t(`codes:kind.${o.kind}`), t(`codes:district.${o.district}`, { defaultValue: String(o.district) })]
        .join(" ")
        .toLowerCase()
        .includes(q),
    );
  }, [directory.data, query, t]);

  return (
    <div className="stack">
      {permission.isRegulator && directory.data !== undefined && (
        <AccreditForm permission={permission} directory={directory.data} />
      )}
      <div className="panel">
        <h2>{t("orgs.title")}</h2>
        <label htmlFor="org-search">{t("orgs.search")}</label>
        <input
          id="org-search"
          type="search"
          value={query}
          placeholder={t("orgs.searchPlaceholder")}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="org-search"
        />
        {directory.isPending ? (
          <p className="muted" aria-busy="true">
            {t("orgs.loading")}
          </p>
        ) : directory.isError ? (
          <ErrorNote message={errorText(directory.error)} />
        ) : (
          <>
            <p className="muted" data-testid="org-count">
              {t("orgs.count", { shown: filtered.length, total: directory.data.organisations.length })}
            </p>
            {filtered.length === 0 ? (
              <p className="muted">{t("orgs.none")}</p>
            ) : (
              <ul className="org-list">
                {filtered.map((o) => (
                  <OrgCard key={o.address} org={o} permission={permission} language={i18n.language} />
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}

type Confirming = null | "suspend" | "restore" | { readonly revoke: RoleName };

function OrgCard({ org, permission, language }: { readonly org: DirectoryEntry; readonly permission: Permission; readonly language: string }) {
  const { t } = useTranslation(["regulator", "codes"]);
  const tx = useContractTx();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [managing, setManaging] = useState(false);
  const [grantRole, setGrantRole] = useState<RoleName | "">("");
  const suspended = org.status === 2;
  const self = permission.address !== undefined && permission.address.toLowerCase() === org.address.toLowerCase();
  const name = orgName(org, language);
  const roleList = (roles: readonly RoleName[]) =>
    roles.length === 0 ? t("orgs.noRoles") : roles.map((r) => t(`codes:role.${r}`)).join(t("listSeparator"));
  const locked = !permission.isRegulator;
  const lockedTitle = locked ? t("role.neededShort") : undefined;

  const done = (receipt: unknown) => {
    if (receipt !== null) {
      setConfirming(null);
      setGrantRole("");
    }
  };

  const grantable = permission.grantable.filter((r) => !org.roles.includes(r));

  return (
    <li className="card org" data-testid={`org-${org.address.toLowerCase()}`} data-status={suspended ? "suspended" : "active"}>
      <div className="org-head">
        <div>
          <strong lang="en">{org.name}</strong>
          <div lang="zh-CN">{org.localName}</div>
        </div>
        <span className={suspended ? "badge err" : "badge ok"} data-testid="org-status">
          {t(suspended ? "orgs.status.suspended" : "orgs.status.active")}
        </span>
      </div>
      <p className="org-meta">
        {t(`codes:kind.${org.kind}`)} · {t(`codes:district.${org.district}`, { defaultValue: String(org.district) })}
        {" · "}
        {t("orgs.accreditedOn", { date: formatDate(org.accreditedAt, language) })}
      </p>
      <code className="org-address">{org.address}</code>
      <div className="org-roles" data-testid="org-roles">
        {org.roles.map((r) => (
          <span key={r} className="badge role" data-role={r}>
            {t(`codes:role.${r}`)}
          </span>
        ))}
        {org.parkedRoles.map((r) => (
          <span key={r} className="badge role parked" data-role={r} data-parked="true" title={t("orgs.parkedTitle")}>
            {t("orgs.parked", { role: t(`codes:role.${r}`) })}
          </span>
        ))}
        {org.roles.length === 0 && org.parkedRoles.length === 0 && <span className="muted">{t("orgs.noRoles")}</span>}
      </div>

      {confirming === null && (
        <div className="actions">
          {self ? (
            <span className="muted">{t("orgs.yourOrganisation")}</span>
          ) : suspended ? (
            <button
              type="button"
              className="secondary"
              aria-disabled={locked}
              title={lockedTitle}
              data-testid="org-restore"
              onClick={() => {
                tx.reset();
                setConfirming("restore");
              }}
            >
              {t("orgs.restore")}
            </button>
          ) : (
            <button
              type="button"
              className="danger-outline"
              aria-disabled={locked}
              title={lockedTitle}
              data-testid="org-suspend"
              onClick={() => {
                tx.reset();
                setConfirming("suspend");
              }}
            >
              {t("orgs.suspend")}
            </button>
          )}
          {permission.grantable.length > 0 && !suspended && (
            <button type="button" className="secondary" aria-expanded={managing} onClick={() => setManaging(!managing)} data-testid="org-manage-roles">
              {t("orgs.manageRoles")}
            </button>
          )}
        </div>
      )}

      {confirming === "suspend" && (
        <ConfirmStep
          label={t("orgs.suspend")}
          message={t("orgs.confirmSuspend", { name, roles: roleList(org.roles) })}
          confirmLabel={t("orgs.confirmSuspendButton")}
          cancelLabel={t("cancel")}
          danger
          busy={tx.busy}
          testId="org-confirm-suspend"
          onConfirm={() => void tx.send({ ...authority, functionName: "suspend", args: [org.address] }).then(done)}
          onCancel={() => setConfirming(null)}
        />
      )}
      {confirming === "restore" && (
        <ConfirmStep
          label={t("orgs.restore")}
          message={t("orgs.confirmRestore", { name, roles: roleList(org.parkedRoles) })}
          confirmLabel={t("orgs.confirmRestoreButton")}
          cancelLabel={t("cancel")}
          busy={tx.busy}
          testId="org-confirm-restore"
          onConfirm={() => void tx.send({ ...authority, functionName: "restore", args: [org.address] }).then(done)}
          onCancel={() => setConfirming(null)}
        />
      )}
      {typeof confirming === "object" && confirming !== null && (
        <ConfirmStep
          message={t("orgs.confirmRevoke", { name, role: t(`codes:role.${confirming.revoke}`) })}
          confirmLabel={t("orgs.confirmRevokeButton")}
          cancelLabel={t("cancel")}
          danger
          busy={tx.busy}
          testId="org-confirm-revoke"
          onConfirm={() =>
            void tx.send({ ...authority, functionName: "revokeRole", args: [roleId(confirming.revoke), org.address] }).then(done)
          }
          onCancel={() => setConfirming(null)}
        />
      )}

      {managing && confirming === null && permission.grantable.length > 0 && !suspended && (
        <div className="role-manager" data-testid="org-role-manager">
          {grantable.length > 0 && (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (grantRole === "") return;
                void tx.send({ ...authority, functionName: "grantRole", args: [roleId(grantRole), org.address] }).then(done);
              }}
            >
              <label className="visually-hidden" htmlFor={`grant-${org.address}`}>
                {t("orgs.grantLabel")}
              </label>
              <select
                id={`grant-${org.address}`}
                value={grantRole}
                onChange={(e) => setGrantRole(e.target.value as RoleName | "")}
                data-testid="org-grant-role"
              >
                <option value="">{t("orgs.grantChoose")}</option>
                {grantable.map((r) => (
                  <option key={r} value={r}>
                    {t(`codes:role.${r}`)}
                  </option>
                ))}
              </select>
              <button type="submit" disabled={tx.busy || grantRole === ""} data-testid="org-grant-submit">
                {t("orgs.grant")}
              </button>
            </form>
          )}
          {org.roles.filter((r) => permission.grantable.includes(r)).length > 0 && (
            <div className="actions">
              {org.roles
                .filter((r) => permission.grantable.includes(r))
                .map((r) => (
                  <button key={r} type="button" className="secondary" data-testid={`org-revoke-${r}`} onClick={() => setConfirming({ revoke: r })}>
                    {t("orgs.revoke", { role: t(`codes:role.${r}`) })}
                  </button>
                ))}
            </div>
          )}
        </div>
      )}
      <TxStatus state={tx.state} />
    </li>
  );
}

/** The second step of a consequential action: what will happen, confirm or cancel. */
function ConfirmStep(props: {
  readonly label?: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly cancelLabel: string;
  readonly danger?: boolean;
  readonly busy: boolean;
  readonly testId: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  return (
    <div className="confirm" role="group" aria-label={props.label}>
      <p>{props.message}</p>
      <div className="actions">
        <button
          type="button"
          className={props.danger === true ? "danger" : undefined}
          disabled={props.busy}
          data-testid={props.testId}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
        <button type="button" className="secondary" disabled={props.busy} onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
      </div>
    </div>
  );
}
