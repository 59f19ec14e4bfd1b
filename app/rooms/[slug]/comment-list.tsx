'use client';
import { Fragment, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RoomClient, RoomView } from '@/app/_lib/room-client';
import type { Comment, JoinNotice } from '@/shared/contract';
import { UserName } from '@/app/_components/user-name';
import { ModActions } from './mod-actions';

const STICK_PX = 48;
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function CommentList({ view, client, selfId }: { view: RoomView; client: RoomClient; selfId: string | null }) {
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastSeenSeq = useRef(0);
  const anchor = useRef<{ firstSeq: number; height: number } | null>(null);
  const [unseen, setUnseen] = useState(0);

  const first = view.messages[0]?.seq ?? 0;
  const last = view.messages[view.messages.length - 1]?.seq ?? 0;

  // Older comments were prepended: keep the viewer's place instead of jumping.
  useLayoutEffect(() => {
    const el = scroller.current;
    const a = anchor.current;
    if (el && a && first < a.firstSeq) el.scrollTop += el.scrollHeight - a.height;
    anchor.current = null;
  }, [first]);

  // New comments: follow them when at the bottom, otherwise count them for the pill.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
      lastSeenSeq.current = last;
      setUnseen(0);
    } else {
      setUnseen(view.messages.filter((m) => m.seq > lastSeenSeq.current).length);
    }
  }, [last, view.messages, view.outbox.length, view.joins.length]);

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

  const joinsAfter = new Map<number, JoinNotice[]>();
  for (const j of view.joins) joinsAfter.set(j.afterSeq, [...(joinsAfter.get(j.afterSeq) ?? []), j.notice]);
  const joinsBeforeAll = [...joinsAfter.entries()].filter(([seq]) => seq < first || view.messages.length === 0);

  return (
    <div className="feed">
      <div className="feed__scroll" ref={scroller} onScroll={onScroll} data-testid="feed" aria-busy={view.phase === 'joining'}>
        <div ref={topSentinel} className="feed__top">
          {view.loadingOlder ? (
            <span className="muted small" role="status">Loading earlier comments…</span>
          ) : view.phase === 'joined' && !view.hasMoreBefore && view.messages.length > 0 ? (
            <span className="muted small">This is the beginning of the room.</span>
          ) : null}
        </div>
        {view.phase === 'joining' && view.messages.length === 0 && <FeedSkeleton />}
        {view.phase === 'joined' && view.messages.length === 0 && view.outbox.length === 0 && (
          <div className="feed__empty" data-testid="empty-room">
            <p>No comments yet.</p>
            <p className="muted">Say hello — everyone here sees it instantly.</p>
          </div>
        )}
        <ol className="feed__list" aria-live="polite" aria-relevant="additions">
          {joinsBeforeAll.flatMap(([, ns]) => ns).map((n, i) => (
            <JoinLine key={`b${i}-${n.joinTime}`} notice={n} />
          ))}
          {view.messages.map((m, i) => (
            <Fragment key={m.seq}>
              <CommentItem comment={m} own={m.userId === selfId} moderate={view.canModerate} continued={continues(view.messages[i - 1], m) && !joinsAfter.has(view.messages[i - 1]!.seq)} />
              {m.seq >= first && (joinsAfter.get(m.seq) ?? []).map((n, i) => <JoinLine key={`${m.seq}-${i}-${n.joinTime}`} notice={n} />)}
            </Fragment>
          ))}
          {view.outbox.map((o) => (
            <li key={o.clientMsgId} className={`comment comment--own comment--${o.state}`} data-testid="outgoing">
              <div className="comment__body">{o.content}</div>
              <div className="comment__state">
                {o.state === 'sending' ? (
                  <span className="muted small">Sending…</span>
                ) : o.state === 'pending' ? (
                  <>
                    <span className="muted small" role="status">Not sent yet, retrying automatically…</span>
                    <button type="button" className="btn btn--small btn--ghost" onClick={() => client.discard(o.clientMsgId)}>Discard</button>
                  </>
                ) : (
                  <>
                    <span className="error small" role="alert">Not sent{o.error ? `: ${o.error}` : ''}</span>
                    <button type="button" className="btn btn--small" onClick={() => client.retry(o.clientMsgId)}>Retry</button>
                    <button type="button" className="btn btn--small btn--ghost" onClick={() => client.discard(o.clientMsgId)}>Discard</button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ol>
      </div>
      {unseen > 0 && (
        <button type="button" className="new-pill" onClick={scrollToBottom} data-testid="new-pill">
          {unseen} new {unseen === 1 ? 'comment' : 'comments'} ↓
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

function CommentItem({ comment, own, continued, moderate }: { comment: Comment; own: boolean; continued: boolean; moderate: boolean }) {
  const at = new Date(comment.commentTime);
  return (
    <li className={`comment${own ? ' comment--own' : ''}${continued ? ' comment--continued' : ''}`} data-testid="comment" data-seq={comment.seq}>
      <div className={continued ? 'sr-only' : 'comment__head'}>
        <UserName name={comment.userName} tag={comment.userTag} self={own} />
        {own && <span className="badge">you</span>}
        <time dateTime={comment.commentTime} title={fullFormat.format(at)} className="muted small" suppressHydrationWarning>
          {timeFormat.format(at)}
        </time>
      </div>
      {/* Text only: React escapes it, so HTML in a comment is shown, never run. */}
      <div className="comment__body">{comment.content}</div>
      {moderate && !own && <ModActions comment={comment} />}
    </li>
  );
}

function JoinLine({ notice }: { notice: JoinNotice }) {
  const who =
    notice.others > 0
      ? `${notice.names.join(', ')} and ${notice.others} ${notice.others === 1 ? 'other' : 'others'}`
      : notice.names.length > 1
        ? `${notice.names.slice(0, -1).join(', ')} and ${notice.names[notice.names.length - 1]}`
        : notice.userName;
  return (
    <li className="join-line" data-testid="join-notice">
      <span>{who} {notice.names.length + notice.others > 1 ? 'entered' : 'entered the room'}</span>
      <time dateTime={notice.joinTime} className="muted small">{timeFormat.format(new Date(notice.joinTime))}</time>
    </li>
  );
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
