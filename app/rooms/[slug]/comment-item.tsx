'use client';
import { useTranslations } from 'next-intl';
import { memo } from 'react';
import { useTimeFormats } from '@/app/_lib/use-time-formats';
import type { Comment } from '@/shared/contract';
import type { Quote } from '@/app/_lib/room-client';
import { UserName } from '@/app/_components/user-name';
import { mentionsName } from '@/shared/mentions';
import { CommentText } from './comment-text';
import { ModActions } from './mod-actions';
import { ReplyQuote } from './reply-quote';

export interface CommentItemProps {
  comment: Comment;
  own: boolean;
  /** Same author as the comment above, shortly after: the name line is left out (not in compact mode). */
  continued: boolean;
  moderate: boolean;
  compact: boolean;
  selfName: string | null;
  /** Names the reader knows (present, or authors in the feed), to recognise mentions of names with spaces (a shared empty list when the text has no `@`). */
  names: readonly string[];
  /** The replied-to original, when this is a reply: from the feed, or a loaded quote. */
  original: Comment | Quote | undefined;
  loadQuote: (seq: number) => void;
  onJump: (seq: number) => void;
  onReply: ((comment: Comment) => void) | null;
}

/** One comment. Memoised: every prop is a primitive or keeps its identity while the comment is unchanged. */
export const CommentItem = memo(function CommentItem(p: CommentItemProps) {
  const { comment, own, compact } = p;
  const at = new Date(comment.commentTime);
  const t = useTranslations('Feed');
  const { time, full } = useTimeFormats();
  const mentioned = !own && p.selfName !== null && mentionsName(comment.content, p.selfName);
  const continued = p.continued && !compact && comment.replyTo === null;
  const classes = ['comment', own && 'comment--own', continued && 'comment--continued', compact && 'comment--compact', mentioned && 'comment--mention']
    .filter(Boolean)
    .join(' ');
  return (
    <li className={classes} data-testid="comment" data-seq={comment.seq} id={`c${comment.seq}`} tabIndex={-1}>
      {comment.replyTo !== null && <ReplyQuote seq={comment.replyTo} original={p.original} load={p.loadQuote} onJump={p.onJump} />}
      <div className={continued ? 'sr-only' : 'comment__head'}>
        <UserName name={comment.userName} tag={comment.userTag} self={own} />
        {own && <span className="badge">{t('you')}</span>}
        <time dateTime={comment.commentTime} title={full.format(at)} className="muted small" suppressHydrationWarning>
          {time.format(at)}
        </time>
      </div>
      <div className="comment__body">
        <CommentText content={comment.content} selfName={p.selfName} names={p.names} />
      </div>
      <div className="comment__tools">
        {p.onReply && (
          <button type="button" className="comment__reply" onClick={() => p.onReply?.(comment)} aria-label={t('replyTo', { name: comment.userName })} data-testid="reply">
            {t('reply')}
          </button>
        )}
        {p.moderate && !own && <ModActions comment={comment} />}
      </div>
    </li>
  );
});
