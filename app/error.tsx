'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';

/** A page that threw while rendering: themed, with a retry and a way home (details stay in the server log). */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('NotFound');
  return (
    <main className="status-page" role="alert">
      <h1>{t('errorTitle')}</h1>
      <p className="muted">{t('errorText')}</p>
      <p className="status-page__actions">
        <button type="button" className="btn btn--primary" onClick={reset}>
          {t('retry')}
        </button>
        <Link href="/" className="btn">
          {t('back')}
        </Link>
      </p>
    </main>
  );
}
