import { useTranslation } from "react-i18next";
import { Link } from "wouter";

const ROLES = ["citizen", "supplier", "clinic", "regulator", "verify", "scan", "dashboard"] as const;

export default function Home() {
  const { t } = useTranslation();
  return (
    <div className="page home">
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.lead")}</p>
      <ul className="cards">
        {ROLES.map((role) => (
          <li key={role} className="card">
            <Link href={`/${role}`}>
              <h2>{t(`home.${role}.title`)}</h2>
              <p>{t(`home.${role}.text`)}</p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
