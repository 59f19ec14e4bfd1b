import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { LoginForm } from './login-form';
import '../mod.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('StaffLogin');
  return { title: t('metaTitle') };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const t = await getTranslations('StaffLogin');
  // Only same-site paths: never bounce a signed-in moderator to another origin.
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/mod';
  return (
    <main className="mod-login">
      <div className="mod-login__card card">
        <p className="mod-login__brand"><span className="brand__mark" aria-hidden="true">●</span> {t('brand')}</p>
        <h1>{t('title')}</h1>
        <p className="muted small">{t('hint')}</p>
        <LoginForm next={target} />
      </div>
    </main>
  );
}
