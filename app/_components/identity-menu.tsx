'use client';
import { useTranslations } from 'next-intl';
import type { PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import { NameForm } from './name-form';
import { UserName } from './user-name';

/**
 * Your name in the header; a guest can open it to rename themselves (same id and tag: presence and
 * future comments show the new name, earlier comments keep the name they were written under).
 */
export function IdentityMenu({ user, onRename }: { user: PublicUser; onRename?: ((name: string) => Promise<Ack<PublicUser>>) | undefined }) {
  const t = useTranslations('Header');
  if (!onRename || user.role !== 'guest') {
    return (
      <span className="identity" data-testid="identity">
        <UserName name={user.name} tag={user.tag} self />
      </span>
    );
  }
  return (
    <details className="chat-options identity" data-testid="identity">
      <summary aria-label={t('rename')} title={t('rename')}>
        <UserName name={user.name} tag={user.tag} self />
      </summary>
      <div className="chat-options__panel">
        <NameForm key={user.name} initial={user.name} submitLabel={t('renameSubmit')} onSubmit={onRename} />
      </div>
    </details>
  );
}
