'use client';
import type Database from 'emoji-picker-element/database';

/** Where the picker and the shortcode search read emoji data: served by this app (no CDN). */
export function emojiDataSource(locale: string): string {
  return `/emoji/${locale === 'zh-CN' ? 'zh-CN' : 'en'}`;
}

let db: Promise<Database> | null = null;

/** The picker's emoji database (IndexedDB, filled once from emojiDataSource), loaded on first use. */
function database(locale: string): Promise<Database> {
  db ??= import('emoji-picker-element/database').then(({ default: Db }) => new Db({ dataSource: emojiDataSource(locale), locale: locale === 'zh-CN' ? 'zh' : 'en' }));
  return db;
}

export interface EmojiMatch {
  unicode: string;
  shortcode: string;
}

/** Emoji whose shortcode starts with (or contains) `query`, for `:shortcode:` completion. */
export async function searchShortcodes(query: string, locale: string, max = 6): Promise<EmojiMatch[]> {
  const q = query.toLowerCase();
  const found = await (await database(locale)).getEmojiBySearchQuery(q);
  const out: EmojiMatch[] = [];
  for (const e of found) {
    if (!('unicode' in e) || !e.shortcodes) continue;
    const shortcode = e.shortcodes.find((s) => s.startsWith(q)) ?? e.shortcodes.find((s) => s.includes(q));
    if (shortcode) out.push({ unicode: e.unicode, shortcode });
    if (out.length >= max) break;
  }
  return out;
}

/** The emoji for an exact `:shortcode:`, or null. */
export async function emojiForShortcode(shortcode: string, locale: string): Promise<string | null> {
  const e = await (await database(locale)).getEmojiByShortcode(shortcode.toLowerCase());
  return e && 'unicode' in e ? e.unicode : null;
}
