'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { memo, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { RoomClient, type FirstPage } from '@/app/_lib/room-client';
import { getSocket } from '@/app/_lib/socket';
import { useConnection } from '@/app/_lib/use-connection';
import { useIdentity } from '@/app/_lib/use-identity';
import { SiteHeader } from '@/app/_components/site-header';
import { StreamBadge } from '@/app/_components/stream-badge';
import type { PublicUser, StreamState } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
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
  const togglePeople = useCallback(() => setPeopleOpen((o) => !o), []);
  const self = view.you ?? user ?? null;
  const [theatre, toggleTheatre] = useTheatre();
  const staged = hasStage(view);

  // Every room frame gives a new view; the header, the stage and the people list get only the parts they
  // show (primitives, or objects that keep their identity), so a comment burst does not render them.
  return (
    <>
      <RoomHeader
        roomId={roomId}
        title={view.room?.title ?? initialTitle}
        stream={view.room?.stream}
        watching={view.presence ? view.presence.connections : null}
        canModerate={view.canModerate}
        canEmbed={Boolean(self && (view.room?.ownerId === self.id || view.canModerate))}
        user={user}
        onRename={chooseName}
        peopleOpen={peopleOpen}
        onTogglePeople={togglePeople}
      />
      <main className={`room${staged ? ' room--stream' : ''}${staged && theatre ? ' room--theatre' : ''}`}>
        {staged && view.room && <StreamStage room={view.room} you={view.you} client={client} theatre={theatre} onTheatre={toggleTheatre} />}
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

const RoomHeader = memo(function RoomHeader({
  roomId,
  title,
  stream,
  watching,
  canModerate,
  canEmbed,
  user,
  onRename,
  peopleOpen,
  onTogglePeople,
}: {
  roomId: string;
  title: string;
  stream: StreamState | undefined;
  /** Connections in the room; null until the first presence. */
  watching: number | null;
  canModerate: boolean;
  canEmbed: boolean;
  user: PublicUser | null | undefined;
  onRename: (name: string) => Promise<Ack<PublicUser>>;
  peopleOpen: boolean;
  onTogglePeople: () => void;
}) {
  const t = useTranslations('Room');
  return (
    <SiteHeader user={user} onRename={onRename}>
      <h1 className="room-title" title={title}>
        {title}
      </h1>
      <StreamBadge stream={stream} />
      <button
        type="button"
        className="pill pill--live people-toggle"
        aria-expanded={peopleOpen}
        aria-controls="people"
        onClick={onTogglePeople}
        data-testid="online-count"
      >
        {watching !== null ? (
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
      {canEmbed && <EmbedSnippet roomId={roomId} />}
      {canModerate && (
        <Link href={`/mod/rooms/${roomId}`} className="btn btn--small btn--ghost" data-testid="console-link">
          {t('console')}
        </Link>
      )}
    </SiteHeader>
  );
});
