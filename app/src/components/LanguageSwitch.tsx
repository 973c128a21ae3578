import { useTranslation } from "react-i18next";

/** 中文 / English. The choice is remembered (i18next language detector cache). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const zh = !i18n.language.startsWith("en");
  return (
    <button
      type="button"
      className="ghost lang"
      data-testid="language-switch"
      aria-label={t("language.switch")}
      onClick={() => void i18n.changeLanguage(zh ? "en" : "zh")}
    >
      {zh ? "English" : "中文"}
    </button>
  );
}
