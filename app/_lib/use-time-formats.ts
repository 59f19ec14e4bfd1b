'use client';
import { useLocale } from 'next-intl';

export interface TimeFormats {
  time: Intl.DateTimeFormat;
  full: Intl.DateTimeFormat;
}

// One pair per language for the whole page. Every feed row asks for them when it mounts, and building an
// Intl.DateTimeFormat costs far more than using one: in a CPU profile of a 50 comments/s burst, building
// two per new row was the second-largest script cost of the page's own code (after the feed's scroll).
const byLocale = new Map<string, TimeFormats>();

/** Clock time and full date-time in the page's language (the browser's time zone). */
export function useTimeFormats(): TimeFormats {
  const locale = useLocale();
  let formats = byLocale.get(locale);
  if (!formats) {
    formats = {
      time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }),
      full: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }),
    };
    byLocale.set(locale, formats);
  }
  return formats;
}
