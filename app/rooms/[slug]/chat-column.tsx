'use client';
import { useTranslations } from 'next-intl';
import { useCallback, useMemo, useState } from 'react';
import type { RoomClient, RoomView } from '@/app/_lib/room-client';
import type { ConnectionState } from '@/app/_lib/socket';
import type { Comment, PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import { useErrorText } from '@/app/_lib/use-error-text';
import { CommentList, NO_NAMES } from './comment-list';
import { Composer } from './composer';
import { RoomBanners } from './room-banners';

/**
 * The chat itself, shared by the room page and the embed: banners over the feed, the feed (or why the
 * room cannot be opened), and the composer with its reply bar. The reply being written lives here, so
 * both pages wire Reply the same way.
 */
export function ChatColumn({
  view,
  client,
  user,
  chooseName,
  connection,
  label,
  className = '',
}: {
  view: RoomView;
  client: RoomClient;
  user: PublicUser | null | undefined;
  chooseName: (name: string) => Promise<Ack<PublicUser>>;
  connection: ConnectionState;
  /** The section's accessible name. */
  label: string;
  /** Extra classes beside `room__chat`. */
  className?: string;
}) {
  const t = useTranslations('Room');
  const errorText = useErrorText();
  const [replyTo, setReplyTo] = useState<Comment | null>(null);
  const self = view.you ?? user ?? null;
  const cancelReply = useCallback(() => setReplyTo(null), []);
  const dismissAnnouncement = useCallback(() => client.dismissAnnouncement(), [client]);
  // Names a mention may spell out with spaces: the people present and the authors of the comments in the
  // feed (someone who just left is still mentioned by their whole name). Rows are memoised, so the list
  // keeps its identity while the names do: presence frames and comments arrive often, new names rarely.
  const namesKey = useMemo(() => {
    const all = new Set<string>();
    for (const u of view.presence?.list ?? []) all.add(u.name);
    for (const m of view.messages) all.add(m.userName);
    return [...all].join('\u0000');
  }, [view.presence, view.messages]);
  const names = useMemo(() => (namesKey === '' ? NO_NAMES : namesKey.split('\u0000')), [namesKey]);

  return (
    <section className={`room__chat${className ? ` ${className}` : ''}`} aria-label={label}>
      <RoomBanners view={view} connection={connection} onDismissAnnouncement={dismissAnnouncement} />
      {view.phase === 'error' ? (
        <div className="room__error" role="alert">
          <h2>{t('cannotOpen')}</h2>
          {view.joinError && <p>{errorText(view.joinError)}</p>}
        </div>
      ) : (
        <CommentList
          messages={view.messages}
          joins={view.joins}
          outbox={view.outbox}
          quotes={view.quotes}
          phase={view.phase}
          loadingOlder={view.loadingOlder}
          hasMoreBefore={view.hasMoreBefore}
          canModerate={view.canModerate}
          client={client}
          selfId={self?.id ?? null}
          selfName={self?.name ?? null}
          names={names}
          onReply={self ? setReplyTo : null}
        />
      )}
      <Composer
        view={view}
        client={client}
        user={user}
        chooseName={chooseName}
        connection={connection}
        replyTo={replyTo}
        onCancelReply={cancelReply}
      />
    </section>
  );
}
