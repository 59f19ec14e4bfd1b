'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useConnection } from '@/app/_lib/use-connection';
import { ConnectionIndicator } from './connection-indicator';
import type { PublicUser } from '@/shared/contract';
import { LanguageSwitcher, ThemeToggle } from './preferences';
import type { Ack } from '@/shared/errors';
import { IdentityMenu } from './identity-menu';

export function SiteHeader({
  user,
  children,
  onRename,
}: {
  user: PublicUser | null | undefined;
  children?: React.ReactNode;
  /** Lets a guest rename themselves from the header. */
  onRename?: (name: string) => Promise<Ack<PublicUser>>;
}) {
  const { state } = useConnection();
  const t = useTranslations('Header');
  return (
    <header className="site-header">
      <Link href="/" className="brand" aria-label={t('home')}>
        <span className="brand__mark" aria-hidden="true">●</span> <span className="brand__name">Liveroom</span>
      </Link>
      <div className="site-header__middle">{children}</div>
      <div className="site-header__end">
        <ConnectionIndicator state={state} />
        {user && <IdentityMenu user={user} onRename={onRename} />}
        <LanguageSwitcher />
        <ThemeToggle />
      </div>
    </header>
  );
}
