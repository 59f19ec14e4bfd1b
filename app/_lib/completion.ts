import type { OnlineUser } from '../../shared/contract.ts';

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

/**
 * People present whose name contains `query` (case-insensitive), those starting with it first, never
 * yourself. Each inserts the whole name, spaces included, and a space after it.
 */
export function mentionSuggestions(people: readonly OnlineUser[], selfId: string | null, query: string, max: number): Suggestion[] {
  const q = query.toLowerCase();
  return people
    .filter((u) => u.userId !== selfId && u.name.toLowerCase().includes(q))
    .sort((a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)))
    .slice(0, max)
    .map((u) => ({ key: u.userId, label: u.name, hint: `#${u.tag}`, insert: `@${u.name} ` }));
}

/**
 * `text` with the token at `c.start..c.end` replaced by `item.insert`, and where the caret goes. A
 * mention is inserted whole ("@Mary Ann "); its trailing space is left out when a space follows already.
 */
export function applySuggestion(text: string, c: Completion, item: Suggestion): { text: string; caret: number } {
  const rest = text.slice(c.end);
  const insert = item.insert.endsWith(' ') && /^\s/u.test(rest) ? item.insert.slice(0, -1) : item.insert;
  const next = text.slice(0, c.start) + insert + rest;
  return { text: next, caret: c.start + item.insert.length };
}
