/** "My wallet" QR (EIP-681 `ethereum:<address>@<chainId>`): the clinic scans it to record a dose for me. */
import { useTranslation } from "react-i18next";
import type { Address } from "viem";

import { QrImage } from "../../components/QrImage.tsx";
import { chain } from "../../config.ts";
import { walletUri } from "./logic.ts";

export function WalletQr({ address }: { readonly address: Address }) {
  const { t } = useTranslation("citizen");
  return (
    <section className="panel wallet-qr" aria-labelledby="wallet-qr-title" data-testid="wallet-qr-panel">
      <h2 id="wallet-qr-title">{t("wallet.title")}</h2>
      <p className="muted">{t("wallet.lead")}</p>
      <QrImage value={walletUri(address, chain.id)} label={t("wallet.qrLabel")} size={200} testId="wallet-qr" />
      <p>
        <code data-testid="wallet-address">{address}</code>
      </p>
    </section>
  );
}
