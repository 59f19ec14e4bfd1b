'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { useErrorText } from '@/app/_lib/use-error-text';

/**
 * Numbers, times and "time left" in the page's language: 12,345 / 1.2万, 14:05, "3 min left" /
 * "剩余 3 分钟". Times are in the browser's time zone (the console renders its data on the client).
 */
export function useConsoleFormat() {
  const locale = useLocale();
  const t = useTranslations('Console');
  return useMemo(() => {
    const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
    const plain = new Intl.NumberFormat(locale);
    const timeFmt = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    const dateTimeFmt = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    return {
      num: (n: number) => (n >= 10_000 ? compact.format(n) : plain.format(n)),
      clock: (iso: string) => timeFmt.format(new Date(iso)),
      stamp: (iso: string) => dateTimeFmt.format(new Date(iso)),
      /** How long a sanction still runs (`null`: permanent). */
      until: (iso: string | null, now = Date.now()) => {
        if (!iso) return t('permanent');
        const s = Math.max(0, Math.round((Date.parse(iso) - now) / 1000));
        if (s < 60) return t('secondsLeft', { count: s });
        if (s < 3600) return t('minutesLeft', { count: Math.ceil(s / 60) });
        return t('hoursLeft', { count: Math.round(s / 360) / 10 });
      },
    };
  }, [locale, t]);
}

/** A refusal in the page's language; `unauthenticated` here means the staff session ended. */
export function useConsoleErrorText() {
  const t = useTranslations('Console');
  const own = useMemo(() => ({ unauthenticated: t('sessionEnded') }), [t]);
  return useErrorText(own);
}
