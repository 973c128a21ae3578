/** Scan anything (a shipment label, a lot, a proof of vaccination) and open its page; no wallet needed. */
import { useTranslation } from "react-i18next";
import { useLocation } from "wouter";

import { QrScanner } from "../components/QrScanner.tsx";
import { encodeAiValue } from "../../../scripts/lib/digital-link.ts";
import { encodeProof, type ScannedCode } from "../lib/qr.ts";

export function pathOfCode(code: ScannedCode): string {
  switch (code.kind) {
    case "shipment":
      return `/01/${code.label.gtin}/10/${encodeAiValue(code.label.lot)}/21/${encodeAiValue(code.label.serial)}`;
    case "lot":
      return `/01/${code.gtin}/10/${encodeAiValue(code.lot)}`;
    case "proof":
      return encodeProof("", code.proof);
    case "address":
      return `/`;
  }
}

export default function ScanPage() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  return (
    <div className="page">
      <h1>{t("scanPage.title")}</h1>
      <p className="lead">{t("scanPage.lead")}</p>
      <QrScanner
        accept={["shipment", "lot", "proof"]}
        onCode={(code) => navigate(pathOfCode(code))}
      />
    </div>
  );
}
