import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** Unknown rooms and addresses: the site's own look, and a way back. */
export default async function NotFound() {
  const t = await getTranslations('NotFound');
  return (
    <main className="status-page" data-testid="not-found">
      <p className="status-page__code" aria-hidden="true">404</p>
      <h1>{t('title')}</h1>
      <p className="muted">{t('text')}</p>
      <Link href="/" className="btn btn--primary">
        {t('back')}
      </Link>
    </main>
  );
}
