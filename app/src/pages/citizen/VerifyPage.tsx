// Placeholder until this page lands (issue 5); the route and its chunk exist so the shell builds.
import { useTranslation } from "react-i18next";

export default function VerifyPage() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t("common:loading")}</h1>
    </div>
  );
}
