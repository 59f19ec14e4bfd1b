'use client';
import { useCallback, useRef, useState } from 'react';
import type { OnlineUser } from '@/shared/contract';
import { mentionQuery } from '@/shared/mentions';
import { mentionSuggestions, type Completion } from '@/app/_lib/completion';
import { emojiForShortcode, searchShortcodes } from '@/app/_lib/emoji';

export { applySuggestion, type Completion, type Suggestion } from '@/app/_lib/completion';

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
      const mention = mentionQuery(text, caret, people.map((u) => u.name));
      if (mention) {
        const items = mentionSuggestions(people, selfId, mention.query, MAX);
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
