'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { RoomClient, type FirstPage } from '@/app/_lib/room-client';
import { getSocket } from '@/app/_lib/socket';
import { useConnection } from '@/app/_lib/use-connection';
import { useIdentity } from '@/app/_lib/use-identity';
import { SiteHeader } from '@/app/_components/site-header';
import { StreamBadge } from '@/app/_components/stream-badge';
import type { PublicUser } from '@/shared/contract';
import { ChatOptions } from './chat-options';
import { EmbedSnippet } from './embed-snippet';
import { ChatColumn } from './chat-column';
import { OnlineList } from './online-list';
import { StreamStage } from './stream/stream-stage';
import { hasStage, useTheatre } from './stream/use-stream-layout';

export function RoomView({
  roomId,
  initialTitle,
  initial,
  initialUser,
}: {
  roomId: string;
  initialTitle: string;
  /** Server-rendered first page and identity (SSR): the socket takes over from them. */
  initial?: FirstPage | undefined;
  initialUser?: PublicUser | null | undefined;
}) {
  const [client] = useState(() => new RoomClient(getSocket(), roomId, undefined, initial));
  useEffect(() => client.start(), [client]);
  const view = useSyncExternalStore(client.subscribe, client.getView, client.getView);
  const { state } = useConnection();
  const { user, chooseName } = useIdentity(initialUser);
  const t = useTranslations('Room');
  const [peopleOpen, setPeopleOpen] = useState(false);
  const self = view.you ?? user ?? null;
  const watching = view.presence?.connections ?? 0;
  const [theatre, toggleTheatre] = useTheatre();
  const staged = hasStage(view);

  return (
    <>
      <SiteHeader user={user} onRename={chooseName}>
        <h1 className="room-title" title={view.room?.title ?? initialTitle}>
          {view.room?.title ?? initialTitle}
        </h1>
        <StreamBadge stream={view.room?.stream} />
        <button
          type="button"
          className="pill pill--live people-toggle"
          aria-expanded={peopleOpen}
          aria-controls="people"
          onClick={() => setPeopleOpen((o) => !o)}
          data-testid="online-count"
        >
          {view.presence ? (
            <>
              {/* Phones show the number alone (the title needs the width); the words stay for screen readers. */}
              <span className="people-toggle__words">{t('watching', { count: watching })}</span>
              <span className="people-toggle__count" aria-hidden="true">{watching}</span>
            </>
          ) : (
            '…'
          )}
        </button>
        <ChatOptions />
        {self && (view.room?.ownerId === self.id || view.canModerate) && <EmbedSnippet roomId={roomId} />}
        {view.canModerate && (
          <Link href={`/mod/rooms/${roomId}`} className="btn btn--small btn--ghost" data-testid="console-link">
            {t('console')}
          </Link>
        )}
      </SiteHeader>
      <main className={`room${staged ? ' room--stream' : ''}${staged && theatre ? ' room--theatre' : ''}`}>
        {staged && <StreamStage view={view} client={client} theatre={theatre} onTheatre={toggleTheatre} />}
        <ChatColumn view={view} client={client} user={user} chooseName={chooseName} connection={state} label={t('comments')} />
        <aside id="people" className={`room__people${peopleOpen ? ' room__people--open' : ''}`} aria-label={t('peopleOnline')}>
          <button type="button" className="btn btn--ghost btn--small people-close" onClick={() => setPeopleOpen(false)}>
            {t('close')}
          </button>
          <OnlineList presence={view.presence} selfId={view.you?.id ?? null} />
        </aside>
      </main>
    </>
  );
}
