import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale } from 'next-intl/server';
import { THEME_COOKIE } from '@/i18n/locales';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Liveroom', template: '%s · Liveroom' },
  description: 'Live rooms with real-time comments.',
  manifest: '/manifest.webmanifest',
  icons: {
    icon: [{ url: '/favicon.svg', type: 'image/svg+xml' }, { url: '/icons/icon-32.png', sizes: '32x32', type: 'image/png' }],
    apple: '/icons/apple-touch-icon.png',
  },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: dark)', color: '#0f1115' },
    { media: '(prefers-color-scheme: light)', color: '#f7f8fa' },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  // The chosen theme is rendered by the server, so the page never flashes the other one.
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  return (
    <html lang={locale} data-theme={theme === 'light' || theme === 'dark' ? theme : undefined}>
      <body>
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
