import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Test-pattern HLS made on the spot with Debian's ffmpeg and served from a local static server on a
 * port the system picks, so the stream tests need no network and no committed video.
 *
 * Format: VP9 in fragmented MP4 segments (HLS v7, `#EXT-X-MAP`). Debian's Chromium also plays H.264,
 * but Playwright's own Chromium build (used where /usr/bin/chromium is absent) has no H.264 decoder;
 * VP9 plays in both through hls.js (Media Source Extensions).
 */
export interface HlsFixture {
  /** Playlist URL of each generated stream, by name. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

/** Each source and its length: the pattern outlasts the longest test, so the screenshots show it playing. */
const SOURCES = {
  // Moving colour bars with a running timecode: frames visibly change while it plays.
  pattern: { filter: 'testsrc2=size=640x360:rate=25', seconds: 75 },
  // A different picture, to see the source switch.
  bars: { filter: 'smptehdbars=size=640x360:rate=25', seconds: 10 },
} as const;

export async function startHlsFixture(): Promise<HlsFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-hls-'));
  for (const [name, { filter, seconds }] of Object.entries(SOURCES)) {
    const out = path.join(dir, name);
    fs.mkdirSync(out);
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', filter, '-t', String(seconds),
      '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '300k',
      '-g', '50', '-keyint_min', '50', '-pix_fmt', 'yuv420p',
      '-hls_time', '2', '-hls_segment_type', 'fmp4', '-hls_playlist_type', 'vod',
      '-f', 'hls', path.join(out, 'index.m3u8'),
    ]);
  }
  const types: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.m4s': 'video/iso.segment', '.mp4': 'video/mp4' };
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    // The room page is another origin (another port): hls.js fetches with CORS.
    res.setHeader('access-control-allow-origin', '*');
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader('content-type', types[path.extname(file)] ?? 'application/octet-stream');
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urls: Object.fromEntries(Object.keys(SOURCES).map((name) => [name, `${base}/${name}/index.m3u8`])),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
