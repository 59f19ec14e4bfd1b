'use client';
import { useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import { postAck } from '@/app/_lib/api';
import { useAckForm } from '@/app/_lib/use-ack-form';

export function LoginForm({ next }: { next: string }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  // A full navigation follows a sign-in (the live socket reconnects carrying the staff session): stay busy.
  const { busy, error, submit } = useAckForm<PublicUser>({ offline: 'Cannot reach the server. Try again.', busyAfterOk: true });

  const signIn = (e: React.FormEvent) => {
    e.preventDefault();
    void submit(
      () => postAck('/api/auth/login', { login, password }),
      () => window.location.assign(next),
    );
  };

  return (
    <form onSubmit={signIn} className="mod-login__form">
      <label htmlFor="login">Login</label>
      <input id="login" name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      {error && <p className="field-error" role="alert">{error}</p>}
      <button type="submit" className="btn btn--primary mod-login__submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
