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

// `@token` at a word start; `selfName` (which may contain spaces) is tried first at each `@`.
const MENTION_START = /(^|[\s([{"'“‘,，。!！?？:：;；])@/gu;
const TOKEN = /^[^\s@,，。!！?？:：;；()[\]{}"'“”‘’<>]{1,32}/u;

function mentionSegments(text: string, selfName: string | null): Segment[] {
  if (!text.includes('@')) return [{ kind: 'text', text }];
  const out: Segment[] = [];
  let last = 0;
  const self = selfName?.toLowerCase() ?? null;
  for (const m of text.matchAll(MENTION_START)) {
    const at = (m.index ?? 0) + (m[1]?.length ?? 0);
    if (at < last) continue;
    const rest = text.slice(at + 1);
    const selfHit = self !== null && rest.toLowerCase().startsWith(self) && !/^[\p{L}\p{N}_]/u.test(rest.slice(self.length));
    const length = selfHit ? self.length : (TOKEN.exec(rest)?.[0].length ?? 0);
    if (length === 0) continue;
    if (at > last) out.push({ kind: 'text', text: text.slice(last, at) });
    out.push({ kind: 'mention', text: text.slice(at, at + 1 + length), self: selfHit });
    last = at + 1 + length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/**
 * Splits a comment into plain text, safe links (http/https only, found by linkifyjs) and `@mentions`
 * (those of `selfName` flagged). Rendering stays React text and anchors: nothing is parsed as HTML.
 */
export function commentSegments(content: string, selfName: string | null): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const link of find(content, 'url')) {
    const href = safeHref(link.href);
    if (!href) continue;
    if (link.start > last) out.push(...mentionSegments(content.slice(last, link.start), selfName));
    out.push({ kind: 'link', text: link.value, href });
    last = link.end;
  }
  if (last < content.length) out.push(...mentionSegments(content.slice(last), selfName));
  return out;
}
