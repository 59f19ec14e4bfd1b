'use client';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { LOCALE_COOKIE, THEME_COOKIE, type Locale } from '@/i18n/locales';

const YEAR = 60 * 60 * 24 * 365;
/** Short labels keep the header usable on a phone; each is in its own language. */
const NAMES: Record<Locale, string> = { en: 'EN', 'zh-CN': '中文' };
const FULL_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

function setCookie(name: string, value: string): void {
  document.cookie = `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${YEAR}; SameSite=Lax`;
}

/** Language switcher: remembered in a cookie the server reads (it wins over Accept-Language). */
export function LanguageSwitcher() {
  const t = useTranslations('Header');
  const locale = useLocale();
  const router = useRouter();
  return (
    <select
      className="select"
      aria-label={t('language')}
      value={locale}
      data-testid="language"
      onChange={(e) => {
        setCookie(LOCALE_COOKIE, e.target.value);
        router.refresh();
      }}
    >
      {Object.entries(NAMES).map(([value, name]) => (
        <option key={value} value={value} lang={value} title={FULL_NAMES[value as Locale]}>
          {name}
        </option>
      ))}
    </select>
  );
}

/** Light/dark toggle. Without a choice the system preference applies (CSS light-dark()). */
export function ThemeToggle() {
  const t = useTranslations('Header');
  const [dark, setDark] = useState<boolean | null>(null);
  useEffect(() => {
    const chosen = document.documentElement.dataset.theme;
    setDark(chosen ? chosen === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches);
  }, []);
  const label = dark === false ? t('themeToDark') : t('themeToLight');
  return (
    <button
      type="button"
      className="btn btn--ghost btn--icon"
      aria-label={label}
      title={label}
      data-testid="theme-toggle"
      onClick={() => {
        const next = dark === false ? 'dark' : 'light';
        document.documentElement.dataset.theme = next;
        setCookie(THEME_COOKIE, next);
        setDark(next === 'dark');
      }}
    >
      <span aria-hidden="true">{dark === false ? '☾' : '☀'}</span>
    </button>
  );
}
