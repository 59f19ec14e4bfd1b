'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { SiteHeader } from '@/app/_components/site-header';
import type { PublicUser } from '@/shared/contract';

export function ModHeader({ user, children }: { user: PublicUser; children?: React.ReactNode }) {
  const t = useTranslations('Console');
  const signOut = async () => {
    await fetch('/api/auth/logout', { method: 'POST' }).catch(() => {});
    window.location.assign('/mod/login');
  };
  return (
    <SiteHeader user={user}>
      <nav className="mod-nav" aria-label={t('nav')}>
        <Link href="/mod" className="mod-nav__home">{t('nav')}</Link>
        {children}
      </nav>
      <span className={`role-badge role-badge--${user.role}`}>{t('role', { role: user.role })}</span>
      <button type="button" className="btn btn--small btn--ghost" onClick={() => void signOut()}>{t('signOut')}</button>
    </SiteHeader>
  );
}

/** What the console shows instead of data when the API refuses; `message` is already in the page's language. */
export function AccessProblem({ status, message }: { status: number | null; message: string }) {
  const t = useTranslations('Console');
  return (
    <div className="mod-problem card" role="alert" data-testid="mod-problem">
      <h2>{status === 401 ? t('signInRequired') : status === 403 ? t('notAllowed') : t('somethingWrong')}</h2>
      <p className="muted">{message}</p>
      {status === 401 || status === 403 ? <Link className="btn btn--primary" href="/mod/login">{t('signInAsStaff')}</Link> : null}
    </div>
  );
}
