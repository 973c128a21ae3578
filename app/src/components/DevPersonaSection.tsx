/**
 * The wallet menu's dev personas (local chain only, loaded on demand): act as any seeded organisation or
 * citizen with Hardhat's public test keys.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Connector } from "wagmi";

import { loadDevPersonas, selectPersonaIndex, switchPersona } from "../connectors/devPersona.ts";
import type { DevPersona } from "../generated/dev-stack.ts";

export default function DevPersonaSection({
  dev,
  activeAddress,
  onChoose,
}: {
  readonly dev: Connector;
  /** The address the connected dev connector acts as (null when another wallet, or none, is connected). */
  readonly activeAddress: string | null;
  /** Connect (or switch to) the chosen persona; `switchTo` changes the persona of a connected dev connector. */
  readonly onChoose: (switchTo: () => Promise<void>) => void;
}) {
  const { t, i18n } = useTranslation();
  const zh = !i18n.language.startsWith("en");
  const [personas, setPersonas] = useState<readonly DevPersona[]>([]);
  useEffect(() => {
    let live = true;
    void loadDevPersonas().then((p) => {
      if (live) setPersonas(p);
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <section className="dev-personas">
      <h3>{t("wallet.devPersonas")}</h3>
      <p className="muted">{t("wallet.devPersonasNote")}</p>
      <ul className="persona-list">
        {personas.map((p) => (
          <li key={p.index}>
            <button
              type="button"
              data-testid={`persona-${p.key}`}
              aria-pressed={activeAddress !== null && activeAddress.toLowerCase() === p.address.toLowerCase()}
              onClick={() => {
                selectPersonaIndex(p.index);
                onChoose(() => switchPersona(dev, p.index));
              }}
            >
              <strong>{zh ? p.name.zh : p.name.en}</strong>
              <span className="muted">
                {p.kind !== null ? (zh ? p.kind.zh : p.kind.en) : t(`wallet.personaType.${p.type}`)}
                {p.roles.length > 0 && ` · ${p.roles.map((r) => t(`codes:role.${r}`)).join(", ")}`}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
