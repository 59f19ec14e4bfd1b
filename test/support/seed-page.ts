import WebSocket from 'ws';

/** A seed-era page: a raw WebSocket speaking the seed's JSON frames. Frames received are kept in order. */
export interface SeedPage {
  ws: WebSocket;
  clientId: string;
  /** Every frame received after `init`, parsed. */
  frames: Record<string, unknown>[];
  /** Every text frame received after `init`, exactly as sent. */
  raw: string[];
  send(frame: unknown): void;
  /** Resolves with the first received frame (already received or coming) that matches. */
  next(match: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number }>;
}

const pages = new Set<WebSocket>();

export async function openSeedPage(url: string): Promise<SeedPage> {
  const ws = new WebSocket(url);
  pages.add(ws);
  const frames: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  let gotInit = false;
  const init = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const text = data.toString();
      // GatewayClient may push any text; it is kept as { text } when it is not JSON.
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(text) as Record<string, unknown>;
      } catch {
        frame = { text };
      }
      if (!gotInit && frame.type === 'init') {
        gotInit = true;
        resolve(frame);
        return;
      }
      raw.push(text);
      frames.push(frame);
      for (const w of waiters) w();
    });
  });
  return {
    ws,
    clientId: String(init.client_id),
    frames,
    raw,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = frames.find(match);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching seed frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    closed,
  };
}

export function closeAllSeedPages(): void {
  for (const ws of pages) ws.terminate();
  pages.clear();
}

/** PHP's date('Y-m-d H:i:s'). */
export const SEED_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
