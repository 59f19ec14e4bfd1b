import net from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { sameSecret } from './inner-listener.ts';
import { closeServer, listenOn } from './listen.ts';

/** How often each instance refreshes its entry, and how long an entry lives without refresh. */
const BEAT_MS = 2_000;
const TTL_MS = 6_000;
const MAX_LINE = 64 * 1024;

/** The inner addresses (`ip:port`) of every live instance. */
export interface GatewayDirectory {
  announce(address: string): Promise<void>;
  list(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * With Redis: a sorted set of address → last heartbeat; an instance that dies stops beating and drops
 * out of the list within TTL_MS. Every instance can serve the register from it.
 */
export function redisDirectory(redis: Redis, key: string, log: Logger): GatewayDirectory {
  let own: string | undefined;
  const beat = async () => {
    if (own) await redis.zadd(key, Date.now(), own).catch((err: Error) => log.warn({ err: err.message }, 'gatewayworker: register heartbeat failed'));
  };
  const timer = setInterval(() => void beat(), BEAT_MS);
  timer.unref();
  return {
    async announce(address) {
      own = address;
      await beat();
    },
    async list() {
      const now = Date.now();
      await redis.zremrangebyscore(key, 0, now - TTL_MS);
      return redis.zrangebyscore(key, now - TTL_MS, '+inf');
    },
    async close() {
      clearInterval(timer);
      if (own) await redis.zrem(key, own).catch(() => {});
    },
  };
}

/** Without Redis there is one instance: this one. */
export function memoryDirectory(): GatewayDirectory {
  let own: string | undefined;
  return {
    announce: async (address) => void (own = address),
    list: async () => (own ? [own] : []),
    close: async () => {},
  };
}

/**
 * GatewayWorker's Register service as GatewayClient uses it: text lines of JSON. `worker_connect`
 * (with the secret) is answered with `{"event":"broadcast_addresses","addresses":[…]}`; `ping` is
 * accepted; anything else closes the connection with a log line, as the original does.
 */
export function createRegister(o: { directory: GatewayDirectory; secretKey: string | undefined; log: Logger }) {
  const server = net.createServer((conn) => {
    const peer = `${conn.remoteAddress}:${conn.remotePort}`;
    let buf = '';
    const refuse = (why: string) => {
      o.log.warn({ peer, why }, 'gatewayworker: register connection closed');
      conn.destroy();
    };
    conn.setTimeout(10_000, () => refuse('no request within 10 s'));
    conn.on('error', () => {});
    conn.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      if (buf.length > MAX_LINE) return refuse('request line too long');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) void answer(line);
      }
    });
    async function answer(line: string): Promise<void> {
      let req: { event?: unknown; secret_key?: unknown };
      try {
        req = JSON.parse(line) as typeof req;
      } catch {
        return refuse('not JSON');
      }
      if (req.event === 'ping') return;
      if (req.event !== 'worker_connect') return refuse(`unsupported event ${JSON.stringify(req.event)}`);
      if (!sameSecret(typeof req.secret_key === 'string' ? req.secret_key : '', o.secretKey ?? '')) return refuse('secret key does not match');
      const addresses = await o.directory.list().catch((err: Error) => {
        o.log.warn({ err: err.message }, 'gatewayworker: register could not read the gateway list');
        return [] as string[];
      });
      conn.write(`${JSON.stringify({ event: 'broadcast_addresses', addresses })}\n`);
    }
  });
  return {
    listen: (port: number, host: string) => listenOn(server, port, host),
    close: () => closeServer(server),
  };
}
