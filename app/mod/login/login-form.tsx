'use client';
import { useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';

export function LoginForm({ next }: { next: string }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      const ack = (await res.json()) as Ack<PublicUser>;
      if (!ack.ok) {
        setError(ack.message);
        setBusy(false);
        return;
      }
      // A full navigation: the live socket reconnects carrying the staff session.
      window.location.assign(next);
    } catch {
      setError('Cannot reach the server. Try again.');
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="mod-login__form">
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
