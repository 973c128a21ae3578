/** The shell: header (brand, navigation, language, wallet), status banners, the page, a footer with the chain. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { chain } from "../config.ts";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import { StatusBanners } from "./StatusBanners.tsx";
import { WalletMenu } from "./WalletMenu.tsx";

const NAV = [
  { to: "/citizen", key: "nav.citizen" },
  { to: "/records", key: "nav.records" },
  { to: "/supplier", key: "nav.supplier" },
  { to: "/clinic", key: "nav.clinic" },
  { to: "/regulator", key: "nav.regulator" },
  { to: "/verify", key: "nav.verify" },
  { to: "/scan", key: "nav.scan" },
  { to: "/dashboard", key: "nav.dashboard" },
] as const;

export function Layout({ children }: { readonly children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="app">
      <header className="topbar">
        <Link href="/" className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>{t("brand")}</span>
        </Link>
        <nav className="nav" aria-label={t("nav.label")}>
          {NAV.map((item) => (
            <Link key={item.to} href={item.to} className={(active: boolean) => (active ? "active" : "")}>
              {t(item.key)}
            </Link>
          ))}
        </nav>
        <div className="topbar-actions">
          <LanguageSwitch />
          <WalletMenu />
        </div>
      </header>
      <StatusBanners />
      <main className="main">{children}</main>
      <footer className="footer muted">{t("footer", { chain: chain.name, chainId: chain.id })}</footer>
    </div>
  );
}
