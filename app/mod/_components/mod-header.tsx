'use client';
import Link from 'next/link';
import { SiteHeader } from '@/app/_components/site-header';
import type { PublicUser } from '@/shared/contract';

export function ModHeader({ user, children }: { user: PublicUser; children?: React.ReactNode }) {
  const signOut = async () => {
    await fetch('/api/auth/logout', { method: 'POST' }).catch(() => {});
    window.location.assign('/mod/login');
  };
  return (
    <SiteHeader user={user}>
      <nav className="mod-nav" aria-label="Console">
        <Link href="/mod" className="mod-nav__home">Console</Link>
        {children}
      </nav>
      <span className={`role-badge role-badge--${user.role}`}>{user.role === 'guest' ? 'room moderator' : user.role}</span>
      <button type="button" className="btn btn--small btn--ghost" onClick={() => void signOut()}>Sign out</button>
    </SiteHeader>
  );
}

/** What the console shows instead of data when the API refuses. */
export function AccessProblem({ status, message }: { status: number | null; message: string }) {
  return (
    <div className="mod-problem card" role="alert" data-testid="mod-problem">
      <h2>{status === 401 ? 'Sign in required' : status === 403 ? 'Not allowed' : 'Something is wrong'}</h2>
      <p className="muted">{message}</p>
      {status === 401 || status === 403 ? <Link className="btn btn--primary" href="/mod/login">Sign in as staff</Link> : null}
    </div>
  );
}
