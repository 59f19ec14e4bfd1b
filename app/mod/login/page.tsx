import type { Metadata } from 'next';
import { LoginForm } from './login-form';
import '../mod.css';

export const metadata: Metadata = { title: 'Staff sign-in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only same-site paths: never bounce a signed-in moderator to another origin.
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/mod';
  return (
    <main className="mod-login">
      <div className="mod-login__card card">
        <p className="mod-login__brand"><span className="brand__mark" aria-hidden="true">●</span> Liveroom staff</p>
        <h1>Sign in to moderate</h1>
        <p className="muted small">For moderators and admins. Viewers do not need an account.</p>
        <LoginForm next={target} />
      </div>
    </main>
  );
}
