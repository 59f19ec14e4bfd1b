'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';
import type { RoomListing, RoomSummary } from '@/shared/contract';
import { LIMITS } from '@/shared/limits';
import { slugify } from '@/shared/schemas';
import { getAck, postAck } from '@/app/_lib/api';
import { getSocket } from '@/app/_lib/socket';
import { useAckForm } from '@/app/_lib/use-ack-form';
import { useIdentity } from '@/app/_lib/use-identity';
import { NameForm } from './name-form';
import { SiteHeader } from './site-header';
import { RelativeTime } from './relative-time';
import './stream-badge.css';

const REFRESH_MS = 5_000;

export function Lobby({ initialRooms }: { initialRooms: RoomListing[] }) {
  const { user, chooseName } = useIdentity();
  const t = useTranslations('Lobby');
  const [rooms, setRooms] = useState(initialRooms);
  useEffect(() => {
    getSocket(); // open the live connection (the header shows its state)
    let live = true;
    const load = () =>
      getAck<RoomListing[]>('/api/rooms')
        .then((a) => live && a.ok && setRooms(a.data))
        .catch(() => {});
    void load();
    const t = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);

  return (
    <>
      <SiteHeader user={user} onRename={chooseName} />
      <main className="lobby">
        <section className="lobby__rooms" aria-labelledby="rooms-heading">
          <h1 id="rooms-heading">{t('title')}</h1>
          <p className="muted lobby__tagline">{t('tagline')}</p>
          {rooms.length === 0 ? (
            <p className="empty">{t('empty')}</p>
          ) : (
            <ul className="room-list">
              {rooms.map((r) => (
                <li key={r.id}>
                  <Link href={`/rooms/${r.id}`} className="room-card" data-testid="room-card">
                    <span className="room-card__title">
                      {r.stream.status === 'live' && <span className="stream-badge stream-badge--live" data-testid="room-live">{t('live')}</span>} {r.title}
                    </span>
                    <span className="room-card__meta">
                      <span className={`pill ${r.online > 0 ? 'pill--live' : ''}`} aria-label={t('online', { count: r.online })}>
                        {t('online', { count: r.online })}
                      </span>
                      <span className="muted">
                        /{r.id} · {t('active')} <RelativeTime iso={r.lastActivityAt} />
                      </span>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <aside className="lobby__side">
          {user === undefined ? (
            <div className="card skeleton" aria-busy="true" style={{ height: 140 }} />
          ) : user === null ? (
            <div className="card">
              <h2>{t('pickName')}</h2>
              <p className="muted">{t('pickNameHint')}</p>
              <NameForm onSubmit={chooseName} submitLabel={t('continue')} />
            </div>
          ) : (
            <CreateRoom />
          )}
        </aside>
      </main>
    </>
  );
}

function CreateRoom() {
  const router = useRouter();
  const t = useTranslations('Lobby');
  const titleId = useId();
  const slugId = useId();
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const { busy, error, submit } = useAckForm<RoomSummary>({
    describe: (refusal) => refusal.issues?.map((i) => `${i.path}: ${i.message}`).join('; ') || refusal.message,
  });
  const effectiveSlug = slugEdited ? slug : title.trim() ? slugify(title) : '';
  return (
    <form
      className="card create-room"
      aria-labelledby="create-heading"
      onSubmit={async (e) => {
        e.preventDefault();
        await submit(
          () => postAck('/api/rooms', { title, slug: effectiveSlug || undefined }),
          (room) => router.push(`/rooms/${room.id}`),
        );
      }}
    >
      <h2 id="create-heading">{t('openRoom')}</h2>
      <label htmlFor={titleId}>{t('roomTitle')}</label>
      <input id={titleId} value={title} maxLength={LIMITS.roomTitleMaxChars} onChange={(e) => setTitle(e.target.value)} required placeholder={t('roomTitlePlaceholder')} />
      <label htmlFor={slugId}>{t('address')}</label>
      <div className="slug-input">
        <span className="muted" aria-hidden="true">/rooms/</span>
        <input
          id={slugId}
          value={effectiveSlug}
          maxLength={LIMITS.slugMaxChars}
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value.toLowerCase());
          }}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          placeholder="friday-launch-stream"
          title={t('slugRule')}
        />
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
      <button className="btn btn--primary" type="submit" disabled={busy || title.trim() === ''}>
        {busy ? t('creating') : t('create')}
      </button>
    </form>
  );
}
