'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { enableEmbedToken } from '@/app/_lib/embed-token';
import { RoomClient } from '@/app/_lib/room-client';
import { getSocket } from '@/app/_lib/socket';
import { useConnection } from '@/app/_lib/use-connection';
import { useIdentity } from '@/app/_lib/use-identity';
import { ChatOptions } from '@/app/rooms/[slug]/chat-options';
import { ChatColumn } from '@/app/rooms/[slug]/chat-column';

/** Chat-only layout: a one-line header (title, connection, popout, options), the feed and the composer. */
export function EmbedView({ roomId, initialTitle }: { roomId: string; initialTitle: string }) {
  const [client] = useState(() => {
    // Before the socket exists: its handshake must carry the embed's token (see embed-token.ts).
    enableEmbedToken();
    return new RoomClient(getSocket(), roomId);
  });
  useEffect(() => client.start(), [client]);
  const view = useSyncExternalStore(client.subscribe, client.getView, client.getView);
  const { state } = useConnection();
  const { user, chooseName } = useIdentity();
  const t = useTranslations('Embed');
  const th = useTranslations('Header');
  const title = view.room?.title ?? initialTitle;

  return (
    <div className="embed">
      <header className="embed__header">
        <span className={`conn-dot conn-dot--${state}`} role="status" aria-label={`${th('connection')}: ${th(state)}`} data-testid="connection" data-state={state} />
        <h1 className="embed__title" title={title}>
          {title}
        </h1>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          data-testid="popout"
          onClick={() => window.open(`/embed/${roomId}`, `liveroom-${roomId}`, 'popup,width=380,height=680')}
        >
          {t('popout')}
        </button>
        <ChatOptions />
      </header>
      <ChatColumn view={view} client={client} user={user} chooseName={chooseName} connection={state} label={title} className="embed__chat" />
    </div>
  );
}
