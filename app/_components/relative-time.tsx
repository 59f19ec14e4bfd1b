'use client';
import { useLocale } from 'next-intl';
import { useEffect, useMemo, useState } from 'react';

function format(rtf: Intl.RelativeTimeFormat, iso: string, now: number): string {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(s) < 60) return rtf.format(s, 'second');
  if (Math.abs(s) < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

/** "3 minutes ago" in the page's language. */
export function RelativeTime({ iso }: { iso: string }) {
  const locale = useLocale();
  const rtf = useMemo(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }), [locale]);
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  // Rendered only on the client so server and browser clocks never disagree in hydration.
  return <time dateTime={iso} suppressHydrationWarning>{now === null ? '' : format(rtf, iso, now)}</time>;
}
