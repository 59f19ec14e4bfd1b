'use client';
import { Fragment, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { FeedJoin, Outgoing, Quote, RoomClient, RoomView } from '@/app/_lib/room-client';
import type { Comment, JoinNotice } from '@/shared/contract';
import { useChatPrefs } from '@/app/_lib/use-chat-prefs';
import { CommentItem } from './comment-item';
import { JoinLine } from './join-line';
import { OutgoingItem } from './outgoing-item';
import { useAnnouncer } from './use-announcer';

const STICK_PX = 48;
const FLASH_MS = 2_000;

interface CommentListProps {
  messages: readonly Comment[];
  joins: readonly FeedJoin[];
  outbox: readonly Outgoing[];
  quotes: Readonly<Record<number, Quote>>;
  phase: RoomView['phase'];
  loadingOlder: boolean;
  hasMoreBefore: boolean;
  canModerate: boolean;
  client: RoomClient;
  selfId: string | null;
  selfName: string | null;
  /** Names of the people present and of the feed's authors: a mention of one is the whole name, spaces included. */
  names: readonly string[];
  onReply: ((comment: Comment) => void) | null;
}

/**
 * The feed. It takes the parts of the room's view it shows rather than the view itself, so a frame that
 * changes something else (presence, banners, the stream) does not render it at all; and its rows are
 * memoised with props that keep their identity (comments are kept by identity in RoomClient, callbacks
 * are stable), so a new comment renders that one row, not every row above it (e2e/stream.spec.ts
 * counts rows rendered again during a 50 comments/s burst and expects none).
 */
export const CommentList = memo(function CommentList({
  messages,
  joins: allJoins,
  outbox,
  quotes,
  phase,
  loadingOlder,
  hasMoreBefore,
  canModerate,
  client,
  selfId,
  selfName,
  names,
  onReply,
}: CommentListProps) {
  const prefs = useChatPrefs();
  const t = useTranslations('Feed');
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastSeenSeq = useRef(0);
  const anchor = useRef<{ firstSeq: number; height: number } | null>(null);
  const sentIds = useRef(new Set<string>());
  const [unseen, setUnseen] = useState(0);
  const announcement = useAnnouncer(messages, selfId, selfName, t);

  const first = messages[0]?.seq ?? 0;
  const last = messages[messages.length - 1]?.seq ?? 0;
  const bySeq = useMemo(() => new Map(messages.map((m) => [m.seq, m])), [messages]);

  // Older comments were prepended: keep the viewer's place instead of jumping.
  useLayoutEffect(() => {
    const el = scroller.current;
    const a = anchor.current;
    if (el && a && first < a.firstSeq) el.scrollTop += el.scrollHeight - a.height;
    anchor.current = null;
  }, [first]);

  // Sending a comment takes you to the bottom, wherever you were reading: you want to see it land.
  const fresh = outbox.some((o) => o.state === 'sending' && o.attempts === 1 && !sentIds.current.has(o.clientMsgId));
  useLayoutEffect(() => {
    if (!fresh) return;
    for (const o of outbox) sentIds.current.add(o.clientMsgId);
    atBottom.current = true;
  }, [fresh, outbox]);

  // New comments: follow them when at the bottom, otherwise count others' comments for the pill.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
      lastSeenSeq.current = last;
      setUnseen(0);
    } else {
      setUnseen(messages.filter((m) => m.seq > lastSeenSeq.current && m.userId !== selfId).length);
    }
  }, [last, messages, outbox.length, allJoins.length, selfId, fresh]);

  useEffect(() => {
    const el = topSentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && scroller.current) {
        anchor.current = { firstSeq: first, height: scroller.current.scrollHeight };
        client.loadOlder();
      }
    }, { root: scroller.current, rootMargin: '200px 0px 0px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [client, first]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    if (atBottom.current) {
      lastSeenSeq.current = last;
      setUnseen(0);
    }
  };

  const scrollToBottom = () => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atBottom.current = true;
    lastSeenSeq.current = last;
    setUnseen(0);
  };

  const loadQuote = useCallback((seq: number) => client.loadQuote(seq), [client]);
  const jump = useCallback(
    async (seq: number) => {
      const el = scroller.current;
      if (el) anchor.current = { firstSeq: client.view.messages[0]?.seq ?? 0, height: el.scrollHeight };
      if (!(await client.reveal(seq))) return client.loadQuote(seq);
      // After React has rendered the revealed page.
      requestAnimationFrame(() => {
        const target = document.getElementById(`c${seq}`);
        if (!target) return;
        atBottom.current = false;
        target.scrollIntoView({ block: 'center' });
        target.focus({ preventScroll: true });
        target.classList.add('comment--flash');
        setTimeout(() => target.classList.remove('comment--flash'), FLASH_MS);
      });
    },
    [client],
  );

  const joins = prefs.hideJoins ? [] : allJoins;
  const joinsAfter = new Map<number, JoinNotice[]>();
  for (const j of joins) joinsAfter.set(j.afterSeq, [...(joinsAfter.get(j.afterSeq) ?? []), j.notice]);
  const joinsBeforeAll = [...joinsAfter.entries()].filter(([seq]) => seq < first || messages.length === 0);

  return (
    <div className={`feed${prefs.compact ? ' feed--compact' : ''}`}>
      <div
        className="feed__scroll"
        ref={scroller}
        onScroll={onScroll}
        data-testid="feed"
        aria-busy={phase === 'joining'}
        tabIndex={0}
        role="region"
        aria-label={t('label')}
      >
        <div ref={topSentinel} className="feed__top">
          {loadingOlder ? (
            <span className="muted small" role="status">{t('loadingOlder')}</span>
          ) : phase === 'joined' && !hasMoreBefore && messages.length > 0 ? (
            <span className="muted small">{t('beginning')}</span>
          ) : null}
        </div>
        {phase === 'joining' && messages.length === 0 && <FeedSkeleton />}
        {phase === 'joined' && messages.length === 0 && outbox.length === 0 && (
          <div className="feed__empty" data-testid="empty-room">
            <p>{t('empty')}</p>
            <p className="muted">{t('emptyHint')}</p>
          </div>
        )}
        <ol className="feed__list">
          {joinsBeforeAll.flatMap(([, ns]) => ns).map((n, i) => (
            <JoinLine key={`b${i}-${n.joinTime}`} notice={n} />
          ))}
          {messages.map((m, i) => (
            <Fragment key={m.seq}>
              <CommentItem
                comment={m}
                own={m.userId === selfId}
                moderate={canModerate}
                continued={continues(messages[i - 1], m) && !joinsAfter.has(messages[i - 1]!.seq)}
                compact={prefs.compact}
                selfName={selfName}
                names={m.content.includes('@') ? names : NO_NAMES}
                original={m.replyTo === null ? undefined : (bySeq.get(m.replyTo) ?? quotes[m.replyTo])}
                loadQuote={loadQuote}
                onJump={jump}
                onReply={onReply}
              />
              {m.seq >= first && (joinsAfter.get(m.seq) ?? []).map((n, i) => <JoinLine key={`${m.seq}-${i}-${n.joinTime}`} notice={n} />)}
            </Fragment>
          ))}
          {outbox.map((o) => (
            <OutgoingItem key={o.clientMsgId} outgoing={o} client={client} />
          ))}
        </ol>
      </div>
      <p className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement}
      </p>
      {unseen > 0 && (
        <button type="button" className="new-pill" onClick={scrollToBottom} data-testid="new-pill">
          {t('newComments', { count: unseen })}
        </button>
      )}
    </div>
  );
});

/** Rows without an `@` never look at the names: they keep one props object while people come and go. */
/** The names passed to rows without an `@`: one shared empty list, so memoised rows stay equal. */
export const NO_NAMES: readonly string[] = [];

const GROUP_MS = 2 * 60_000;

/** Consecutive comments by one person within two minutes share a single name line. */
function continues(prev: Comment | undefined, next: Comment): boolean {
  return !!prev && prev.userId === next.userId && Date.parse(next.commentTime) - Date.parse(prev.commentTime) < GROUP_MS;
}

function FeedSkeleton() {
  return (
    <div aria-hidden="true" className="feed__skeleton">
      {[70, 45, 85, 60].map((w, i) => (
        <div key={i} className="skeleton skeleton--line" style={{ width: `${w}%` }} />
      ))}
    </div>
  );
}
