'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import type { AckError } from '@/shared/errors';
import { postAck } from '@/app/_lib/api';
import { useAckForm } from '@/app/_lib/use-ack-form';
import { useErrorText } from '@/app/_lib/use-error-text';

export function LoginForm({ next }: { next: string }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const t = useTranslations('StaffLogin');
  const errorText = useErrorText();
  // Sign-in's refusals say more than the general texts: a wrong password, or the guessing limit's wait.
  const describe = (refusal: AckError) =>
    refusal.code === 'unauthenticated'
      ? t('wrong')
      : refusal.code === 'rate_limited' && refusal.retryAfterMs
        ? t('tooMany', { minutes: Math.ceil(refusal.retryAfterMs / 60_000) })
        : errorText(refusal);
  // A full navigation follows a sign-in (the live socket reconnects carrying the staff session): stay busy.
  const { busy, error, submit } = useAckForm<PublicUser>({ describe, offline: t('offline'), busyAfterOk: true });

  const signIn = (e: React.FormEvent) => {
    e.preventDefault();
    void submit(
      () => postAck('/api/auth/login', { login, password }),
      () => window.location.assign(next),
    );
  };

  return (
    <form onSubmit={signIn} className="mod-login__form">
      <label htmlFor="login">{t('login')}</label>
      <input id="login" name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus />
      <label htmlFor="password">{t('password')}</label>
      <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      {error && <p className="field-error" role="alert">{error}</p>}
      <button type="submit" className="btn btn--primary mod-login__submit" disabled={busy}>
        {busy ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}
