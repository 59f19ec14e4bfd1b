'use client';
import Link from 'next/link';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { RoomClient } from '@/app/_lib/room-client';
import { getSocket } from '@/app/_lib/socket';
import { useConnection } from '@/app/_lib/use-connection';
import { useIdentity } from '@/app/_lib/use-identity';
import { SiteHeader } from '@/app/_components/site-header';
import { StreamBadge } from '@/app/_components/stream-badge';
import { CommentList } from './comment-list';
import { Composer } from './composer';
import { OnlineList } from './online-list';
import { RoomBanners } from './room-banners';
import { StreamStage } from './stream/stream-stage';
import { hasStage, useTheatre } from './stream/use-stream-layout';

export function RoomView({ roomId, initialTitle }: { roomId: string; initialTitle: string }) {
  const [client] = useState(() => new RoomClient(getSocket(), roomId));
  useEffect(() => client.start(), [client]);
  const view = useSyncExternalStore(client.subscribe, client.getView, client.getView);
  const { state } = useConnection();
  const { user, chooseName } = useIdentity();
  const [peopleOpen, setPeopleOpen] = useState(false);
  const watching = view.presence?.connections ?? 0;
  const [theatre, toggleTheatre] = useTheatre();
  const staged = hasStage(view);

  return (
    <>
      <SiteHeader user={user}>
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
          {view.presence ? `${watching} watching` : '…'}
        </button>
        {view.canModerate && (
          <Link href={`/mod/rooms/${roomId}`} className="btn btn--small btn--ghost" data-testid="console-link">
            Console
          </Link>
        )}
      </SiteHeader>
      <main className={`room${staged ? ' room--stream' : ''}${staged && theatre ? ' room--theatre' : ''}`}>
        {staged && <StreamStage view={view} client={client} theatre={theatre} onTheatre={toggleTheatre} />}
        <section className="room__chat" aria-label="Comments">
          <RoomBanners view={view} connection={state} onDismissAnnouncement={() => client.dismissAnnouncement()} />
          {view.phase === 'error' ? (
            <div className="room__error" role="alert">
              <h2>Cannot open this room</h2>
              <p>{view.joinError?.message}</p>
            </div>
          ) : (
            <CommentList view={view} client={client} selfId={view.you?.id ?? user?.id ?? null} />
          )}
          <Composer view={view} client={client} user={user} chooseName={chooseName} connection={state} />
        </section>
        <aside id="people" className={`room__people${peopleOpen ? ' room__people--open' : ''}`} aria-label="People online">
          <button type="button" className="btn btn--ghost btn--small people-close" onClick={() => setPeopleOpen(false)}>
            Close
          </button>
          <OnlineList presence={view.presence} selfId={view.you?.id ?? null} />
        </aside>
      </main>
    </>
  );
}
