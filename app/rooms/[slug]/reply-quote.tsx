'use client';
import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import type { Comment } from '@/shared/contract';
import type { Quote } from '@/app/_lib/room-client';

const EXCERPT = 80;

export function excerpt(text: string): string {
  const chars = [...text];
  return chars.length > EXCERPT ? `${chars.slice(0, EXCERPT).join('')}…` : text;
}

/**
 * The quoted original above a reply. From the feed when it is there, else loaded once (`load`); a
 * deleted original reads "removed". Activating it jumps to the original.
 */
export function ReplyQuote({
  seq,
  original,
  load,
  onJump,
}: {
  seq: number;
  original: Comment | Quote | undefined;
  load: (seq: number) => void;
  onJump: (seq: number) => void;
}) {
  const t = useTranslations('Feed');
  useEffect(() => {
    if (original === undefined) load(seq);
  }, [original, seq, load]);

  if (original === 'removed') {
    return (
      <p className="reply-quote reply-quote--removed" data-testid="reply-quote">
        <span aria-hidden="true">↩</span> {t('quoteRemoved')}
      </p>
    );
  }
  const label = original && original !== 'loading' ? `${original.userName}: ${excerpt(original.content)}` : t('quoteLoading');
  return (
    <button type="button" className="reply-quote" onClick={() => onJump(seq)} data-testid="reply-quote" data-reply-to={seq}>
      <span aria-hidden="true">↩</span>
      <span className="sr-only">{t('inReplyTo')} </span>
      <span className="reply-quote__text">{label}</span>
    </button>
  );
}
