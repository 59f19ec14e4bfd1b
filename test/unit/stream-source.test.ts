import { describe, expect, it } from 'vitest';
import { checkStreamSource, streamUpdateBody } from '../../shared/stream.ts';

describe('stream sources: HLS playlists and allow-listed embeds, normalised', () => {
  it.each([
    ['https://cdn.example.com/live/room.m3u8', 'hls', 'https://cdn.example.com/live/room.m3u8'],
    ['http://127.0.0.1:8080/test/index.M3U8?token=a', 'hls', 'http://127.0.0.1:8080/test/index.M3U8?token=a'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10', 'embed', 'https://www.youtube.com/embed/dQw4w9WgXcQ'],
    ['https://youtu.be/dQw4w9WgXcQ', 'embed', 'https://www.youtube.com/embed/dQw4w9WgXcQ'],
    ['https://www.youtube.com/live/dQw4w9WgXcQ', 'embed', 'https://www.youtube.com/embed/dQw4w9WgXcQ'],
    ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', 'embed', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
    ['https://www.twitch.tv/some_channel', 'embed', 'https://player.twitch.tv/?channel=some_channel'],
    ['https://player.twitch.tv/?channel=some_channel&parent=evil.example', 'embed', 'https://player.twitch.tv/?channel=some_channel'],
    ['https://player.twitch.tv/?video=v123456', 'embed', 'https://player.twitch.tv/?video=v123456'],
    ['https://www.bilibili.com/video/BV1xx411c7mD/?p=1', 'embed', 'https://player.bilibili.com/player.html?bvid=BV1xx411c7mD'],
    ['https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1', 'embed', 'https://player.bilibili.com/player.html?bvid=BV1xx411c7mD'],
  ])('%s → %s %s', (raw, kind, url) => {
    expect(checkStreamSource(raw)).toEqual({ ok: true, kind, url });
  });

  it.each([
    ['ftp://example.com/a.m3u8', /http and https/],
    ['javascript:alert(1)//.m3u8', /http and https/],
    ['not a url', /Not a URL/],
    ['https://user:pw@cdn.example.com/a.m3u8', /Credentials/],
    ['https://evil.example.com/embed/x', /evil\.example\.com is not allowed/],
    ['https://www.youtube.com/channel/UCabc', /not a video/],
    ['https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ', /not allowed/],
    ['https://www.twitch.tv/a/b', /not a video/],
    [`https://cdn.example.com/${'a'.repeat(1_000)}.m3u8`, /at most 1000/],
  ])('refuses %s', (raw, why) => {
    const r = checkStreamSource(raw);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toMatch(why);
  });

  it('an update needs a source or a status, and only known statuses', () => {
    expect(streamUpdateBody.safeParse({}).success).toBe(false);
    expect(streamUpdateBody.safeParse({ status: 'paused' }).success).toBe(false);
    expect(streamUpdateBody.safeParse({ source: null }).success).toBe(true);
    expect(streamUpdateBody.safeParse({ status: 'live', extra: 1 }).success).toBe(false);
  });
});
