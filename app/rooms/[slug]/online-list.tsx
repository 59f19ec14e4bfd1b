import { useTranslations } from 'next-intl';
import { memo } from 'react';
import type { Presence } from '@/shared/contract';
import { UserName } from '@/app/_components/user-name';

/** Who is here. Memoised: the presence object changes only with presence frames, not with comments. */
export const OnlineList = memo(function OnlineList({ presence, selfId }: { presence: Presence | null; selfId: string | null }) {
  const t = useTranslations('Room');
  if (!presence) return <div className="people__loading skeleton" aria-busy="true" />;
  const more = presence.users - presence.list.length;
  const watchers = presence.connections - presence.list.reduce((n, u) => n + u.connections, 0);
  return (
    <div className="people">
      <h2>
        {t('inTheChat')} <span className="muted">{presence.users}</span>
      </h2>
      <p className="muted small">
        {t('watching', { count: presence.connections })}
        {watchers > 0 && more <= 0 ? ` · ${t('withoutName', { count: watchers })}` : ''}
        {presence.partial ? ` · ${t('partial')}` : ''}
      </p>
      <ul className="people__list" data-testid="online-list">
        {presence.list.map((u) => (
          <li key={u.userId}>
            <UserName name={u.name} tag={u.tag} self={u.userId === selfId} />
            {u.connections > 1 && <span className="muted small"> · {t('tabs', { count: u.connections })}</span>}
          </li>
        ))}
      </ul>
      {more > 0 && <p className="muted small">{t('andMore', { count: more })}</p>}
    </div>
  );
});
