/**
 * Connect a wallet: every EIP-6963 wallet the browser announces (MetaMask, Rabby…), the legacy injected
 * `window.ethereum` when nothing announces itself, and on the local chain the dev personas. Connected: who
 * you are (an organisation's name when accredited), the dev persona switcher, disconnect.
 */
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Connector, useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";

import { IS_LOCAL } from "../config.ts";
import { useWalletErrorText } from "../hooks/useWalletErrorText.ts";
import { useOrganisationNames } from "../hooks/useOrganisations.ts";
import { shortAddress } from "../lib/format.ts";

// The dev personas (local chain only): their own chunk, absent from a build for any other chain.
const DevPersonaSection = IS_LOCAL ? lazy(() => import("./DevPersonaSection.tsx")) : null;

export function WalletMenu() {
  const { t } = useTranslation();
  const errorText = useWalletErrorText();
  const connection = useConnection();
  const connectors = useConnectors();
  const { mutate: connect, error: connectError, isPending } = useConnect();
  const { mutate: disconnect } = useDisconnect();
  const names = useOrganisationNames();
  const [open, setOpen] = useState(false);
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

  const usePersona = (switchPersona: () => Promise<void>) => {
    if (dev === undefined) return;
    if (connection.status === "connected" && connection.connector?.type === "devPersona") {
      void switchPersona().then(() => setOpen(false));
      return;
    }
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
        {DevPersonaSection !== null && dev !== undefined && (
          <Suspense fallback={null}>
            <DevPersonaSection
              dev={dev}
              activeAddress={connection.connector?.type === "devPersona" ? (connection.address ?? null) : null}
              onChoose={usePersona}
            />
          </Suspense>
        )}
        {connectError !== null && <p className="tx tx-error" role="alert">{errorText(connectError)}</p>}
      </dialog>
    </>
  );
}
