'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { useErrorText } from '@/app/_lib/use-error-text';
import { useTimeFormats } from '@/app/_lib/use-time-formats';

interface ConsoleFormats {
  compact: Intl.NumberFormat;
  plain: Intl.NumberFormat;
  dateTime: Intl.DateTimeFormat;
}

// One set per language for the whole page, as in use-time-formats.ts: every tile of the console asks.
const byLocale = new Map<string, ConsoleFormats>();

function formatsFor(locale: string): ConsoleFormats {
  let formats = byLocale.get(locale);
  if (!formats) {
    formats = {
      compact: new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }),
      plain: new Intl.NumberFormat(locale),
      dateTime: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    };
    byLocale.set(locale, formats);
  }
  return formats;
}

/**
 * Numbers, times and "time left" in the page's language: 12,345 / 1.2万, 14:05, "3 min left" /
 * "剩余 3 分钟". Times are in the browser's time zone (the console renders its data on the client).
 */
export function useConsoleFormat() {
  const locale = useLocale();
  const t = useTranslations('Console');
  const { time } = useTimeFormats();
  return useMemo(() => {
    const { compact, plain, dateTime } = formatsFor(locale);
    return {
      num: (n: number) => (n >= 10_000 ? compact.format(n) : plain.format(n)),
      clock: (iso: string) => time.format(new Date(iso)),
      stamp: (iso: string) => dateTime.format(new Date(iso)),
      /** How long a sanction still runs (`null`: permanent). */
      until: (iso: string | null) => {
        if (!iso) return t('permanent');
        const s = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
        if (s < 60) return t('secondsLeft', { count: s });
        if (s < 3600) return t('minutesLeft', { count: Math.ceil(s / 60) });
        return t('hoursLeft', { count: Math.round(s / 360) / 10 });
      },
    };
  }, [locale, t, time]);
}

/** A refusal in the page's language; `unauthenticated` here means the staff session ended. */
export function useConsoleErrorText() {
  const t = useTranslations('Console');
  const own = useMemo(() => ({ unauthenticated: t('sessionEnded') }), [t]);
  return useErrorText(own);
}
