import { LIMITS } from './limits.ts';

/**
 * `@name` mentions. Names may contain spaces (display names are free text), so a mention is matched
 * against names the reader knows (the room's presence list, their own name) rather than parsed by a
 * grammar: `findMentions` only pulls out the candidate tokens the server puts in the protocol, and
 * `mentionsName` answers "does this comment mention me" for the highlight.
 * Both are plain string scans: they run on the comment hot path.
 */

// A mention starts at the beginning or after whitespace/punctuation, so e-mail addresses are not mentions.
const MENTION = /(?:^|[\s([{"'“‘,，。!！?？:：;；])@([^\s@,，。!！?？:：;；()[\]{}"'“”‘’<>]{1,32})/gu;

/** The distinct `@token`s of a comment (lower case, without `@`), in order, at most LIMITS.mentionsMax. */
export function findMentions(content: string): string[] {
  if (!content.includes('@')) return [];
  const found: string[] = [];
  for (const m of content.matchAll(MENTION)) {
    const token = m[1]?.toLowerCase();
    if (token && !found.includes(token)) found.push(token);
    if (found.length >= LIMITS.mentionsMax) break;
  }
  return found;
}

/** True when `content` mentions `name` as `@name` (case-insensitive; the name may contain spaces). */
export function mentionsName(content: string, name: string): boolean {
  if (!name || !content.includes('@')) return false;
  const text = content.toLowerCase();
  const needle = `@${name.toLowerCase()}`;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    const before = at === 0 ? ' ' : text[at - 1]!;
    const after = text[at + needle.length];
    if (!/[\p{L}\p{N}_.-]/u.test(before) && (after === undefined || !/[\p{L}\p{N}_]/u.test(after))) return true;
  }
  return false;
}

/**
 * The `@partial` being typed just before the caret, for autocomplete; null when the caret is not in one.
 * A partial with spaces in it ("@Mary A") counts only while it is the start of one of `names` (the
 * people present): otherwise a space ends the mention, as it does for any one-word `@token`.
 */
export function mentionQuery(text: string, caret: number, names: readonly string[] = []): { start: number; query: string } | null {
  const head = text.slice(0, caret);
  const m = /(?:^|\s)@([^\s@]{0,32})$/u.exec(head);
  if (m) return { start: caret - m[1]!.length - 1, query: m[1]! };
  const spaced = /(?:^|\s)@([^@]{1,32})$/u.exec(head);
  const query = spaced?.[1];
  if (query === undefined || !/\s/u.test(query) || /\s$/u.test(query)) return null;
  const lower = query.toLowerCase();
  if (!names.some((n) => n.toLowerCase().startsWith(lower))) return null;
  return { start: caret - query.length - 1, query };
}
