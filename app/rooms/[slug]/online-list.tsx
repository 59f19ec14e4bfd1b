import type { Presence } from '@/shared/contract';
import { UserName } from '@/app/_components/user-name';

export function OnlineList({ presence, selfId }: { presence: Presence | null; selfId: string | null }) {
  if (!presence) return <div className="people__loading skeleton" aria-busy="true" />;
  const more = presence.users - presence.list.length;
  const watchers = presence.connections - presence.list.reduce((n, u) => n + u.connections, 0);
  return (
    <div className="people">
      <h2>
        In the chat <span className="muted">{presence.users}</span>
      </h2>
      <p className="muted small">
        {presence.connections} watching
        {watchers > 0 && more <= 0 ? ` · ${watchers} without a name` : ''}
        {presence.partial ? ' · some servers did not answer' : ''}
      </p>
      <ul className="people__list" data-testid="online-list">
        {presence.list.map((u) => (
          <li key={u.userId}>
            <UserName name={u.name} tag={u.tag} self={u.userId === selfId} />
            {u.connections > 1 && <span className="muted small"> · {u.connections} tabs</span>}
          </li>
        ))}
      </ul>
      {more > 0 && <p className="muted small">and {more} more</p>}
    </div>
  );
}
