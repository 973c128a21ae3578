/** Sign in to the record vault (EIP-4361) or out of it. */
import { useTranslation } from "react-i18next";

import { formatDateTime } from "../../lib/format.ts";
import { VaultRefusal } from "./ui.tsx";
import type { VaultAccess } from "./useVault.ts";

export function SignIn({ vault }: { readonly vault: VaultAccess }) {
  const { t, i18n } = useTranslation("records");
  return (
    <section className="panel" aria-labelledby="vault-signin-title" data-testid="vault-signin">
      <h2 id="vault-signin-title">{t("signIn.title")}</h2>
      {vault.session === null ? (
        <>
          <p className="muted">{t("signIn.lead")}</p>
          <button type="button" data-testid="vault-signin-button" disabled={vault.signingIn} onClick={() => void vault.signIn()}>
            {vault.signingIn ? t("signIn.busy") : t("signIn.button")}
          </button>
          {vault.signInProblem !== null && <VaultRefusal problem={vault.signInProblem} />}
        </>
      ) : (
        <div className="records-signed-in">
          <p className="tx tx-ok" data-testid="vault-signed-in" data-address={vault.session.address}>
            {t("signIn.signedIn", { time: formatDateTime(Math.floor(Date.parse(vault.session.expiresAt) / 1000), i18n.language) })}
          </p>
          <button type="button" data-testid="vault-signout" onClick={() => void vault.signOut()}>
            {t("signIn.signOut")}
          </button>
        </div>
      )}
    </section>
  );
}
