import { z } from 'zod';
import { roomIdSchema } from './schemas.ts';

/**
 * A room's stream: what the page plays beside the chat, and whether it is on air. Shared by the server
 * (enforcement, storage) and the browser (pre-checks, the player), so both accept exactly the same sources.
 */

export const STREAM_STATUSES = ['offline', 'live', 'ended'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];
export type StreamKind = 'hls' | 'embed';

/** A room's stream as stored and broadcast. `kind`/`url` are null when the room has no source. */
export interface StreamState {
  kind: StreamKind | null;
  /** Normalised: embeds are rewritten to the host's player URL (a watch page cannot be framed). */
  url: string | null;
  status: StreamStatus;
  /** Server time of the last change; null if never set. */
  updatedAt: string | null;
}

export const NO_STREAM: StreamState = { kind: null, url: null, status: 'offline', updatedAt: null };

export const STREAM_URL_MAX_CHARS = 1_000;

/** The embed hosts a room may frame, and how their page URLs become player URLs. */
export const EMBED_HOSTS = ['YouTube', 'Twitch', 'Bilibili'] as const;

/** Why a source was refused, for clients that word it in their own language (`message` is English). */
export type SourceProblem = 'not_url' | 'scheme' | 'credentials' | 'too_long' | 'bad_embed' | 'host';

export type SourceCheck =
  | { ok: true; kind: StreamKind; url: string }
  | { ok: false; message: string; problem: SourceProblem; values: Record<string, string | number> };

const YOUTUBE_ID = /^[A-Za-z0-9_-]{6,20}$/;
const TWITCH_NAME = /^[A-Za-z0-9_]{2,30}$/;
const BILIBILI_BVID = /^BV[A-Za-z0-9]{8,12}$/;

/** Rewrites a URL of an allow-listed host to its embeddable player, or null when the host is not allowed. */
function embedUrl(u: URL): string | null | 'bad' {
  const host = u.hostname.toLowerCase();
  const parts = u.pathname.split('/').filter(Boolean);
  if (['www.youtube.com', 'youtube.com', 'm.youtube.com', 'www.youtube-nocookie.com', 'youtu.be'].includes(host)) {
    const id =
      host === 'youtu.be' ? parts[0]
      : parts[0] === 'embed' || parts[0] === 'live' ? parts[1]
      : parts[0] === 'watch' ? u.searchParams.get('v')
      : undefined;
    if (!id || !YOUTUBE_ID.test(id)) return 'bad';
    const base = host === 'www.youtube-nocookie.com' ? 'https://www.youtube-nocookie.com' : 'https://www.youtube.com';
    return `${base}/embed/${id}`;
  }
  if (host === 'player.twitch.tv') {
    const channel = u.searchParams.get('channel');
    const video = u.searchParams.get('video');
    if (channel && TWITCH_NAME.test(channel)) return `https://player.twitch.tv/?channel=${channel}`;
    if (video && /^v?\d{1,15}$/.test(video)) return `https://player.twitch.tv/?video=${video}`;
    return 'bad';
  }
  if (host === 'www.twitch.tv' || host === 'twitch.tv') {
    const channel = parts[0];
    return channel && parts.length === 1 && TWITCH_NAME.test(channel) ? `https://player.twitch.tv/?channel=${channel}` : 'bad';
  }
  if (host === 'player.bilibili.com') {
    const bvid = u.searchParams.get('bvid');
    if (u.pathname === '/player.html' && bvid && BILIBILI_BVID.test(bvid)) return `https://player.bilibili.com/player.html?bvid=${bvid}`;
    return 'bad';
  }
  if (host === 'www.bilibili.com' || host === 'bilibili.com') {
    const bvid = parts[0] === 'video' ? parts[1] : undefined;
    return bvid && BILIBILI_BVID.test(bvid) ? `https://player.bilibili.com/player.html?bvid=${bvid}` : 'bad';
  }
  return null;
}

/**
 * Classifies and normalises a stream source: an HLS playlist (any http/https URL whose path ends in
 * `.m3u8`) or a page/player URL of an allow-listed host (rendered in a sandboxed iframe). Anything else
 * is refused with a message saying why.
 */
export function checkStreamSource(raw: string): SourceCheck {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, message: 'Not a URL: give an http(s) address.', problem: 'not_url', values: {} };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, message: 'Only http and https sources are allowed.', problem: 'scheme', values: {} };
  if (u.username || u.password) return { ok: false, message: 'Credentials in a stream URL would be shown to every viewer.', problem: 'credentials', values: {} };
  if (text.length > STREAM_URL_MAX_CHARS) return { ok: false, message: `Stream URLs are at most ${STREAM_URL_MAX_CHARS} characters.`, problem: 'too_long', values: { max: STREAM_URL_MAX_CHARS } };
  if (u.pathname.toLowerCase().endsWith('.m3u8')) return { ok: true, kind: 'hls', url: u.toString() };
  const embed = embedUrl(u);
  if (embed === 'bad') {
    return { ok: false, message: `This ${u.hostname} address is not a video or channel its player can show.`, problem: 'bad_embed', values: { host: u.hostname } };
  }
  if (embed === null) {
    return {
      ok: false,
      message: `Give an HLS playlist (.m3u8) or a ${EMBED_HOSTS.join(', ')} address; ${u.hostname} is not allowed.`,
      problem: 'host',
      values: { host: u.hostname, hosts: EMBED_HOSTS.join(', ') },
    };
  }
  return { ok: true, kind: 'embed', url: embed };
}

export const streamStatusSchema = z.enum(STREAM_STATUSES);

/**
 * A change to a room's stream: a new source (null removes it), a new status, or both. The source is
 * checked by `checkStreamSource` in the service, where a refusal gets its own error code.
 */
export const streamUpdateBody = z
  .strictObject({
    source: z.string().max(STREAM_URL_MAX_CHARS * 2).nullable().optional(),
    status: streamStatusSchema.optional(),
  })
  .refine((p) => p.source !== undefined || p.status !== undefined, 'give a source, a status or both');

export const streamSetPayload = z
  .strictObject({
    roomId: roomIdSchema,
    source: z.string().max(STREAM_URL_MAX_CHARS * 2).nullable().optional(),
    status: streamStatusSchema.optional(),
  })
  .refine((p) => p.source !== undefined || p.status !== undefined, 'give a source, a status or both');

export type StreamUpdate = z.output<typeof streamUpdateBody>;
export type StreamSetPayload = z.input<typeof streamSetPayload>;
