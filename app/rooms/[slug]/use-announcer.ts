'use client';
import { useEffect, useRef, useState } from 'react';
import type { Comment } from '@/shared/contract';
import { mentionsName } from '@/shared/mentions';
import { excerpt } from './reply-quote';

/** Shortest gap between two ordinary announcements: a busy room must not flood a screen reader. */
export const ANNOUNCE_EVERY_MS = 8_000;

/**
 * What the feed's live region says. New comments by others are summed up at most once per
 * ANNOUNCE_EVERY_MS ("Ann: hello" for one, "5 new comments" for more); a comment mentioning the
 * reader is announced at once. Join lines are never announced. The first page is not news.
 */
type Translate = (key: 'mentionedYou' | 'saidOne' | 'saidMany', values: Record<string, string | number>) => string;

export function useAnnouncer(messages: readonly Comment[], selfId: string | null, selfName: string | null, t: Translate): string {
  const [text, setText] = useState('');
  const seen = useRef<number | null>(null);
  const pending = useRef<Comment[]>([]);
  const lastAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const newest = messages.at(-1)?.seq ?? 0;
    if (seen.current === null) {
      if (messages.length > 0) seen.current = newest;
      return;
    }
    const since = seen.current;
    const fresh = messages.filter((m) => m.seq > since && m.userId !== selfId);
    seen.current = Math.max(since, newest);
    if (fresh.length === 0) return;
    const mention = selfName ? fresh.findLast((m) => mentionsName(m.content, selfName)) : undefined;
    if (mention) {
      pending.current = [];
      lastAt.current = Date.now();
      setText(t('mentionedYou', { name: mention.userName, text: excerpt(mention.content) }));
      return;
    }
    pending.current.push(...fresh);
    const flush = () => {
      timer.current = undefined;
      const batch = pending.current;
      pending.current = [];
      lastAt.current = Date.now();
      const one = batch.length === 1 ? batch[0] : undefined;
      if (batch.length > 0) setText(one ? t('saidOne', { name: one.userName, text: excerpt(one.content) }) : t('saidMany', { count: batch.length }));
    };
    if (timer.current) return;
    const wait = lastAt.current + ANNOUNCE_EVERY_MS - Date.now();
    if (wait <= 0) flush();
    else timer.current = setTimeout(flush, wait);
  }, [messages, selfId, selfName, t]);

  useEffect(() => () => clearTimeout(timer.current), []);
  return text;
}
