'use client';
import { useCallback, useRef, useState } from 'react';
import type { OnlineUser } from '@/shared/contract';
import { mentionQuery } from '@/shared/mentions';
import { emojiForShortcode, searchShortcodes } from '@/app/_lib/emoji';

export interface Suggestion {
  key: string;
  /** What the list shows. */
  label: string;
  /** What replaces the typed `@partial` or `:partial`. */
  insert: string;
  hint?: string;
}

export interface Completion {
  kind: 'mention' | 'emoji';
  /** Where the typed token starts (its `@` or `:`) and ends (the caret). */
  start: number;
  end: number;
  items: Suggestion[];
  active: number;
}

const MAX = 6;
const SHORTCODE = /(?:^|\s):([a-z0-9_+-]{2,32})$/;
const FULL_SHORTCODE = /:([a-z0-9_+-]{2,32}):$/;

/**
 * `@name` completion from the room's presence list and `:shortcode` completion from the emoji data.
 * `update` runs on every edit and caret move; `apply` returns the text with the chosen suggestion in.
 */
export function useCompletion(people: readonly OnlineUser[], selfId: string | null, locale: string) {
  const [completion, setCompletion] = useState<Completion | null>(null);
  const request = useRef(0);

  const update = useCallback(
    (text: string, caret: number, onReplace: (text: string, caret: number) => void) => {
      const ask = ++request.current;
      const mention = mentionQuery(text, caret);
      if (mention) {
        const q = mention.query.toLowerCase();
        const items = people
          .filter((u) => u.userId !== selfId && u.name.toLowerCase().includes(q))
          .sort((a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)))
          .slice(0, MAX)
          .map((u) => ({ key: u.userId, label: u.name, hint: `#${u.tag}`, insert: `@${u.name} ` }));
        return setCompletion(items.length > 0 ? { kind: 'mention', start: mention.start, end: caret, items, active: 0 } : null);
      }
      const head = text.slice(0, caret);
      const full = FULL_SHORTCODE.exec(head);
      if (full) {
        // A complete `:shortcode:` typed out becomes its emoji.
        setCompletion(null);
        void emojiForShortcode(full[1]!, locale).then((unicode) => {
          if (!unicode || ask !== request.current) return;
          const start = caret - full[0].length;
          onReplace(text.slice(0, start) + unicode + text.slice(caret), start + unicode.length);
        });
        return;
      }
      const partial = SHORTCODE.exec(head);
      if (!partial) return setCompletion(null);
      const query = partial[1]!;
      void searchShortcodes(query, locale, MAX)
        .then((found) => {
          if (ask !== request.current) return;
          const items = found.map((e) => ({ key: e.shortcode, label: `${e.unicode} :${e.shortcode}:`, insert: e.unicode }));
          setCompletion(items.length > 0 ? { kind: 'emoji', start: caret - query.length - 1, end: caret, items, active: 0 } : null);
        })
        .catch(() => setCompletion(null));
    },
    [people, selfId, locale],
  );

  const move = useCallback((by: number) => {
    setCompletion((c) => (c ? { ...c, active: (c.active + by + c.items.length) % c.items.length } : c));
  }, []);

  const close = useCallback(() => {
    request.current++;
    setCompletion(null);
  }, []);

  return { completion, update, move, close };
}

/** `text` with the token at `c.start..c.end` replaced by `item.insert`, and where the caret goes. */
export function applySuggestion(text: string, c: Completion, item: Suggestion): { text: string; caret: number } {
  const next = text.slice(0, c.start) + item.insert + text.slice(c.end);
  return { text: next, caret: c.start + item.insert.length };
}
