import { find } from 'linkifyjs';

/** A piece of a comment's text as the feed renders it. */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; self: boolean };

/** Only web links become anchors: `javascript:`, `data:`, `mailto:`, `ftp:`… stay plain text. */
function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// `@token` at a word start. Display names are free text ("Mary Ann"), so a grammar cannot tell where a
// mention ends: at each `@` the names the reader knows (their own, the people present, the feed's authors) are tried
// first, longest first, and only then the plain one-word token.
const MENTION_START = /(^|[\s([{"'“‘,，。!！?？:：;；])@/gu;
const TOKEN = /^[^\s@,，。!！?？:：;；()[\]{}"'“”‘’<>]{1,32}/u;
const WORD_CHAR = /^[\p{L}\p{N}_]/u;

/** The last list built: every row of a feed passes the same `names` array and reader's name. */
let lastCandidates: { selfName: string | null; names: readonly string[]; list: string[] } | null = null;

/** Lower-cased known names, longest first, without duplicates or empty ones. */
function candidates(selfName: string | null, names: readonly string[]): string[] {
  if (lastCandidates?.selfName === selfName && lastCandidates.names === names) return lastCandidates.list;
  const all = new Set<string>();
  if (selfName) all.add(selfName.toLowerCase());
  for (const n of names) if (n) all.add(n.toLowerCase());
  const list = [...all].sort((a, b) => b.length - a.length);
  lastCandidates = { selfName, names, list };
  return list;
}

function mentionSegments(text: string, self: string | null, known: readonly string[]): Segment[] {
  if (!text.includes('@')) return [{ kind: 'text', text }];
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(MENTION_START)) {
    const at = (m.index ?? 0) + (m[1]?.length ?? 0);
    if (at < last) continue;
    const rest = text.slice(at + 1);
    const lower = rest.toLowerCase();
    const name = known.find((n) => lower.startsWith(n) && !WORD_CHAR.test(rest.slice(n.length)));
    const length = name !== undefined ? name.length : (TOKEN.exec(rest)?.[0].length ?? 0);
    if (length === 0) continue;
    if (at > last) out.push({ kind: 'text', text: text.slice(last, at) });
    out.push({ kind: 'mention', text: text.slice(at, at + 1 + length), self: self !== null && lower.slice(0, length) === self });
    last = at + 1 + length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/**
 * Splits a comment into plain text, safe links (http/https only, found by linkifyjs) and `@mentions`
 * (those of `selfName` flagged). A mention of `selfName` or of one of `names` (people the reader knows) is
 * the whole name, spaces included; any other `@word` is one word. Rendering stays React text and
 * anchors: nothing is parsed as HTML.
 */
export function commentSegments(content: string, selfName: string | null, names: readonly string[] = []): Segment[] {
  const out: Segment[] = [];
  const self = selfName?.toLowerCase() ?? null;
  const known = content.includes('@') ? candidates(selfName, names) : [];
  let last = 0;
  for (const link of find(content, 'url')) {
    const href = safeHref(link.href);
    if (!href) continue;
    if (link.start > last) out.push(...mentionSegments(content.slice(last, link.start), self, known));
    out.push({ kind: 'link', text: link.value, href });
    last = link.end;
  }
  if (last < content.length) out.push(...mentionSegments(content.slice(last), self, known));
  return out;
}
