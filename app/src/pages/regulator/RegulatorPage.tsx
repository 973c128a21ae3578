/**
 * The regulator's page (`/regulator`): the organisation directory (accredit, grant roles, suspend, restore) and
 * every vaccine lot (attest, recall, quarantine; the release quorum), and dose records to verify. Anyone may read them; the actions need the
 * regulator role (attesting needs the lot-attester role), which the page says plainly. An action forced without
 * the role is still checked by the chain (simulated before the wallet opens) and refused with a sentence.
 */
import "./regulator.css";

import { useTranslation } from "react-i18next";
import { useLocation, useSearch } from "wouter";

import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { shortAddress } from "../../lib/format.ts";
import { useMyRoles } from "./hooks.ts";
import { DosesPanel } from "./DosesPanel.tsx";
import { LotsPanel } from "./LotsPanel.tsx";
import { OrganisationsPanel } from "./OrganisationsPanel.tsx";
import type { Permission } from "./permission.ts";
import type { MyRoles } from "./reads.ts";

/** Why the connected account cannot do everything here: governance admin, lot-attester only, or nothing. */
function reason(roles: MyRoles): "admin" | "attester" | "none" {
  if (roles.grantable.includes("REGULATOR_ROLE")) return "admin";
  return roles.isAttester ? "attester" : "none";
}

const TABS = ["organisations", "lots", "doses"] as const;
type Tab = (typeof TABS)[number];

export default function RegulatorPage() {
  const { t } = useTranslation("regulator");
  const search = useSearch();
  const [location, navigate] = useLocation();
  const requested = new URLSearchParams(search).get("tab");
  const tab: Tab = TABS.find((x) => x === requested) ?? "organisations";
  const me = useMyRoles();
  const names = useOrganisationNames();

  const permission: Permission = {
    address: me.address,
    known: me.address === undefined || me.data !== undefined,
    isRegulator: me.data?.isRegulator === true,
    isAttester: me.data?.isAttester === true,
    grantable: me.data?.grantable ?? [],
  };
  const who = me.address === undefined ? "" : (names.get(me.address.toLowerCase()) ?? shortAddress(me.address));

  return (
    <div className="page regulator">
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {me.address === undefined ? (
        <p className="warning" role="note" data-testid="role-needed" data-reason="notConnected">
          {t("role.notConnected")}
        </p>
      ) : me.isError ? (
        <p className="tx tx-error" role="alert">
          {t("role.loadFailed")}
        </p>
      ) : me.data === undefined ? (
        <p className="muted" aria-busy="true">
          {t("role.checking")}
        </p>
      ) : me.data.isRegulator ? (
        <p className="muted" data-testid="acting-as">
          {t("role.actingAs", { name: who })}
        </p>
      ) : (
        <p className="warning" role="note" data-testid="role-needed" data-reason={reason(me.data)}>
          {t(`role.${reason(me.data)}`, { name: who })}
        </p>
      )}

      <div className="tabs" role="tablist" aria-label={t("tabs.label")}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            className={tab === name ? "tab active" : "tab"}
            data-testid={`tab-${name}`}
            onClick={() => navigate(`${location}?tab=${name}`, { replace: true })}
          >
            {t(`tabs.${name}`)}
          </button>
        ))}
      </div>
      <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "organisations" ? (
          <OrganisationsPanel permission={permission} />
        ) : tab === "lots" ? (
          <LotsPanel permission={permission} />
        ) : (
          <DosesPanel permission={permission} />
        )}
      </section>
    </div>
  );
}
