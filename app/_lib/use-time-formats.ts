'use client';
import { useLocale } from 'next-intl';
import { useMemo } from 'react';

/** Clock time and full date-time in the page's language (the browser's time zone). */
export function useTimeFormats() {
  const locale = useLocale();
  return useMemo(
    () => ({
      time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }),
      full: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }),
    }),
    [locale],
  );
}
