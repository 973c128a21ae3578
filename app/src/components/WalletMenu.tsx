/**
 * Connect a wallet: every EIP-6963 wallet the browser announces (MetaMask, Rabby…), the legacy injected
 * `window.ethereum` when nothing announces itself, and on the local chain the dev personas. Connected: who
 * you are (an organisation's name when accredited), the dev persona switcher, disconnect.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Connector, useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";

import { IS_LOCAL } from "../config.ts";
import { loadDevPersonas, selectPersonaIndex, selectedPersonaIndex, switchPersona } from "../connectors/devPersona.ts";
import type { DevPersona } from "../generated/dev-stack.ts";
import { useWalletErrorText } from "../hooks/useWalletErrorText.ts";
import { useOrganisationNames } from "../hooks/useOrganisations.ts";
import { shortAddress } from "../lib/format.ts";

function useDevPersonas(enabled: boolean): readonly DevPersona[] {
  const [personas, setPersonas] = useState<readonly DevPersona[]>([]);
  useEffect(() => {
    if (!enabled || !IS_LOCAL) return;
    let live = true;
    void loadDevPersonas().then((p) => {
      if (live) setPersonas(p);
    });
    return () => {
      live = false;
    };
  }, [enabled]);
  return personas;
}

export function WalletMenu() {
  const { t, i18n } = useTranslation();
  const zh = !i18n.language.startsWith("en");
  const errorText = useWalletErrorText();
  const connection = useConnection();
  const connectors = useConnectors();
  const { mutate: connect, error: connectError, isPending } = useConnect();
  const { mutate: disconnect } = useDisconnect();
  const names = useOrganisationNames();
  const [open, setOpen] = useState(false);
  const personas = useDevPersonas(open);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (open) dialog.current?.showModal?.();
    else dialog.current?.close?.();
  }, [open]);

  const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
  const legacy = connectors.find((c) => c.id === "injected");
  const dev = connectors.find((c) => c.type === "devPersona");
  const hasLegacyProvider = typeof window !== "undefined" && (window as { ethereum?: unknown }).ethereum !== undefined;
  const wallets: Connector[] = announced.length > 0 ? announced : legacy !== undefined && hasLegacyProvider ? [legacy] : [];

  const connectWith = (c: Connector) => {
    // Already connected through this wallet (it may have connected itself): nothing to do.
    if (connection.status === "connected" && connection.connector?.uid === c.uid) {
      setOpen(false);
      return;
    }
    connect({ connector: c }, { onSuccess: () => setOpen(false) });
  };

  const usePersona = (index: number) => {
    if (dev === undefined) return;
    if (connection.status === "connected" && connection.connector?.type === "devPersona") {
      void switchPersona(dev, index).then(() => setOpen(false));
      return;
    }
    selectPersonaIndex(index);
    connect({ connector: dev }, { onSuccess: () => setOpen(false) });
  };

  const who =
    connection.address === undefined
      ? ""
      : (names.get(connection.address.toLowerCase()) ?? shortAddress(connection.address));

  return (
    <>
      {connection.status === "connected" ? (
        <button type="button" className="wallet-button connected" data-testid="wallet-button" onClick={() => setOpen(true)}>
          <span className="dot" aria-hidden="true" />
          <span data-testid="connected-as">{who}</span>
          {connection.connector?.type === "devPersona" && <span className="dev-tag">{t("wallet.devTag")}</span>}
        </button>
      ) : (
        <button type="button" className="wallet-button" data-testid="wallet-button" onClick={() => setOpen(true)}>
          {connection.status === "connecting" || connection.status === "reconnecting" ? t("wallet.connecting") : t("wallet.connect")}
        </button>
      )}
      <dialog ref={dialog} className="wallet-dialog" onClose={() => setOpen(false)} aria-label={t("wallet.title")}>
        <header>
          <h2>{t("wallet.title")}</h2>
          <button type="button" className="ghost" onClick={() => setOpen(false)} aria-label={t("wallet.close")}>
            ×
          </button>
        </header>
        {connection.status === "connected" && (
          <section className="wallet-current">
            <p>
              {t("wallet.connectedAs", { name: who })}
              <br />
              <code data-testid="connected-address">{connection.address}</code>
            </p>
            <button type="button" onClick={() => disconnect(undefined, { onSuccess: () => setOpen(false) })} data-testid="disconnect">
              {t("wallet.disconnect")}
            </button>
          </section>
        )}
        <section>
          <h3>{t("wallet.browserWallets")}</h3>
          {wallets.length === 0 ? (
            <p className="muted" data-testid="no-wallet">{t("errors:wallet.noWallet")}</p>
          ) : (
            <ul className="wallet-list">
              {wallets.map((c) => (
                <li key={c.uid}>
                  <button type="button" disabled={isPending} onClick={() => connectWith(c)} data-testid={`connector-${c.id}`}>
                    {c.icon !== undefined && <img src={c.icon} alt="" width={24} height={24} />}
                    {c.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        {IS_LOCAL && dev !== undefined && (
          <section className="dev-personas">
            <h3>{t("wallet.devPersonas")}</h3>
            <p className="muted">{t("wallet.devPersonasNote")}</p>
            <ul className="persona-list">
              {personas.map((p) => (
                <li key={p.index}>
                  <button
                    type="button"
                    data-testid={`persona-${p.key}`}
                    aria-pressed={connection.connector?.type === "devPersona" && selectedPersonaIndex() === p.index}
                    onClick={() => usePersona(p.index)}
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
        )}
        {connectError !== null && <p className="tx tx-error" role="alert">{errorText(connectError)}</p>}
      </dialog>
    </>
  );
}
