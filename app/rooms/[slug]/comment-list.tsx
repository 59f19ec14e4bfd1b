'use client';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { RoomClient, RoomView } from '@/app/_lib/room-client';
import type { Comment, JoinNotice, PublicUser } from '@/shared/contract';
import { useChatPrefs } from '@/app/_lib/use-chat-prefs';
import { CommentItem } from './comment-item';
import { JoinLine } from './join-line';
import { OutgoingItem } from './outgoing-item';
import { useAnnouncer } from './use-announcer';

const STICK_PX = 48;
const FLASH_MS = 2_000;

export function CommentList({
  view,
  client,
  self,
  onReply,
}: {
  view: RoomView;
  client: RoomClient;
  self: PublicUser | null;
  onReply: ((comment: Comment) => void) | null;
}) {
  const prefs = useChatPrefs();
  const t = useTranslations('Feed');
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastSeenSeq = useRef(0);
  const anchor = useRef<{ firstSeq: number; height: number } | null>(null);
  const sentIds = useRef(new Set<string>());
  const [unseen, setUnseen] = useState(0);
  const selfId = self?.id ?? null;
  const selfName = self?.name ?? null;
  const announcement = useAnnouncer(view.messages, selfId, selfName, t);

  const first = view.messages[0]?.seq ?? 0;
  const last = view.messages[view.messages.length - 1]?.seq ?? 0;
  const bySeq = useMemo(() => new Map(view.messages.map((m) => [m.seq, m])), [view.messages]);

  // Older comments were prepended: keep the viewer's place instead of jumping.
  useLayoutEffect(() => {
    const el = scroller.current;
    const a = anchor.current;
    if (el && a && first < a.firstSeq) el.scrollTop += el.scrollHeight - a.height;
    anchor.current = null;
  }, [first]);

  // Sending a comment takes you to the bottom, wherever you were reading: you want to see it land.
  const fresh = view.outbox.some((o) => o.state === 'sending' && o.attempts === 1 && !sentIds.current.has(o.clientMsgId));
  useLayoutEffect(() => {
    if (!fresh) return;
    for (const o of view.outbox) sentIds.current.add(o.clientMsgId);
    atBottom.current = true;
  }, [fresh, view.outbox]);

  // New comments: follow them when at the bottom, otherwise count others' comments for the pill.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
      lastSeenSeq.current = last;
      setUnseen(0);
    } else {
      setUnseen(view.messages.filter((m) => m.seq > lastSeenSeq.current && m.userId !== selfId).length);
    }
  }, [last, view.messages, view.outbox.length, view.joins.length, selfId, fresh]);

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

  const joins = prefs.hideJoins ? [] : view.joins;
  const joinsAfter = new Map<number, JoinNotice[]>();
  for (const j of joins) joinsAfter.set(j.afterSeq, [...(joinsAfter.get(j.afterSeq) ?? []), j.notice]);
  const joinsBeforeAll = [...joinsAfter.entries()].filter(([seq]) => seq < first || view.messages.length === 0);

  return (
    <div className={`feed${prefs.compact ? ' feed--compact' : ''}`}>
      <div
        className="feed__scroll"
        ref={scroller}
        onScroll={onScroll}
        data-testid="feed"
        aria-busy={view.phase === 'joining'}
        tabIndex={0}
        role="region"
        aria-label={t('label')}
      >
        <div ref={topSentinel} className="feed__top">
          {view.loadingOlder ? (
            <span className="muted small" role="status">{t('loadingOlder')}</span>
          ) : view.phase === 'joined' && !view.hasMoreBefore && view.messages.length > 0 ? (
            <span className="muted small">{t('beginning')}</span>
          ) : null}
        </div>
        {view.phase === 'joining' && view.messages.length === 0 && <FeedSkeleton />}
        {view.phase === 'joined' && view.messages.length === 0 && view.outbox.length === 0 && (
          <div className="feed__empty" data-testid="empty-room">
            <p>{t('empty')}</p>
            <p className="muted">{t('emptyHint')}</p>
          </div>
        )}
        <ol className="feed__list">
          {joinsBeforeAll.flatMap(([, ns]) => ns).map((n, i) => (
            <JoinLine key={`b${i}-${n.joinTime}`} notice={n} />
          ))}
          {view.messages.map((m, i) => (
            <Fragment key={m.seq}>
              <CommentItem
                comment={m}
                own={m.userId === selfId}
                moderate={view.canModerate}
                continued={continues(view.messages[i - 1], m) && !joinsAfter.has(view.messages[i - 1]!.seq)}
                compact={prefs.compact}
                selfName={selfName}
                original={m.replyTo === null ? undefined : (bySeq.get(m.replyTo) ?? view.quotes[m.replyTo])}
                loadQuote={loadQuote}
                onJump={jump}
                onReply={onReply}
              />
              {m.seq >= first && (joinsAfter.get(m.seq) ?? []).map((n, i) => <JoinLine key={`${m.seq}-${i}-${n.joinTime}`} notice={n} />)}
            </Fragment>
          ))}
          {view.outbox.map((o) => (
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
}

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
