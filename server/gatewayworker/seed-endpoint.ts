import http from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { PublicUser } from '../../shared/contract.ts';
import type { Ack } from '../../shared/errors.ts';
import { LIMITS } from '../../shared/limits.ts';
import { displayNameSchema } from '../../shared/schemas.ts';
import type { GatewayWorkerConfig } from '../config.ts';
import { userTag } from '../identity/session.ts';
import type { Authenticate } from '../identity/authenticate.ts';
import type { Logger } from '../logger.ts';
import type { SharedListener } from '../realtime/handler.ts';
import { userRoom, type IoServer } from '../realtime/types.ts';
import type { ClientIds } from './client-id.ts';
import { initFrame, PING_FRAME, seedClock, seedInbound, type SeedInbound } from './seed-frames.ts';
import { SeedSocket } from './seed-socket.ts';

/** A seed page may have this many frames waiting for the server before new ones are refused. */
const MAX_PENDING_FRAMES = 16;

export interface SeedEndpointDeps {
  io: IoServer;
  httpServer: http.Server;
  config: Pick<GatewayWorkerConfig, 'path' | 'wsPort' | 'timeZone' | 'pingIntervalSeconds' | 'pingNotResponseLimit'>;
  host: string;
  log: Logger;
  authenticate: Authenticate;
  ids: ClientIds;
  /** The live room's own join and say listeners: seed frames run the very same pipeline. */
  listeners: { join: SharedListener; say: SharedListener };
  /**
   * False while the instance starts (database not migrated, hot paths cold): upgrades are refused
   * with 503, the same gate Socket.IO handshakes pass.
   */
  accepting: () => boolean;
}

/**
 * An HTTP answer instead of the upgrade: browsers report a failed connection (a seed page's onclose
 * reconnects), so nothing is said to a page before the room can serve it.
 */
function refuseUpgrade(socket: Duplex, status: 503, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n`);
}

interface SeedConnection {
  socket: SeedSocket;
  /** Pings sent since the page last said anything (GatewayWorker's pingNotResponseCount). */
  missed: number;
  pending: number;
  queue: Promise<void>;
  sent: number;
}

/**
 * The seed's front-end endpoint: raw WebSocket, JSON text frames, exactly the seed Events.php's
 * protocol, at `path` on the main port and optionally on a port of its own. Each page becomes a
 * SeedSocket, so what the web app's sockets get reaches it through the existing paths.
 */
export function createSeedEndpoint(d: SeedEndpointDeps) {
  const clock = seedClock(d.config.timeZone);
  const connections = new Set<SeedConnection>();
  // maxPayload: a frame over the event cap closes the connection (1009) inside ws, before any parsing.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.eventMaxBytes, perMessageDeflate: false });
  let ownServer: http.Server | undefined;

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer, anyPath: boolean) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!anyPath && path !== d.config.path) return; // Socket.IO's and Next's upgrades are theirs
    if (!d.accepting()) return refuseUpgrade(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, req));
  };
  d.httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => onUpgrade(req, socket, head, false));

  async function accept(ws: WebSocket, req: http.IncomingMessage): Promise<void> {
    ws.on('error', (err) => d.log.debug({ err: err.message }, 'gatewayworker: seed socket error'));
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
    const user = await d.authenticate(token).catch(() => null);
    if (ws.readyState !== ws.OPEN) return;
    const meta = { address: req.socket.remoteAddress ?? '', url: req.url ?? '/', headers: req.headers };
    const socket = new SeedSocket(d.io, d.ids.allocate(), ws, user, meta, clock);
    const conn: SeedConnection = { socket, missed: 0, pending: 0, queue: Promise.resolve(), sent: 0 };
    connections.add(conn);
    socket.register();
    ws.on('close', () => {
      connections.delete(conn);
      socket.forget();
    });
    ws.on('message', (data, isBinary) => onFrame(conn, data, isBinary));
    socket.sendText(initFrame(socket.id));
    d.log.info({ socket: socket.id, user: user?.id }, 'gatewayworker: seed page connected');
  }

  function onFrame(conn: SeedConnection, data: RawData, isBinary: boolean): void {
    conn.missed = 0;
    const { socket } = conn;
    if (isBinary) return socket.sendError('invalid_payload', 'Frames are JSON text.');
    let frame: SeedInbound;
    try {
      const parsed = seedInbound.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) return socket.sendError('invalid_payload', 'Unknown or malformed frame.');
      frame = parsed.data;
    } catch {
      return socket.sendError('invalid_payload', 'Frames are JSON text.');
    }
    if (frame.type === 'pong') return;
    if (conn.pending >= MAX_PENDING_FRAMES) return socket.sendError('rate_limited', 'Too many frames at once; slow down.');
    conn.pending++;
    // One frame at a time per page, in order: a join is in before the say that follows it.
    conn.queue = conn.queue
      .then(() => handle(conn, frame))
      .catch((err: unknown) => d.log.error({ err, socket: socket.id }, 'gatewayworker: seed frame failed'))
      .finally(() => conn.pending--);
  }

  async function handle(conn: SeedConnection, frame: Exclude<SeedInbound, { type: 'pong' }>): Promise<void> {
    const { socket } = conn;
    if (!identify(socket, frame.userName)) return;
    if (frame.type === 'join' || !socket.data.liveRooms.includes(frame.roomId)) {
      // The seed let a page `say` in a room it never joined: it joins it first here.
      const joined = await run(socket, d.listeners.join, { roomId: frame.roomId });
      if (!joined || frame.type === 'join') return;
    }
    const clientMsgId = `gw-${socket.id}-${(conn.sent++).toString(36)}`;
    await run(socket, d.listeners.say, { roomId: frame.roomId, content: frame.content ?? '', clientMsgId });
  }

  /**
   * An unsigned page is a guest named by its userName (the web app's name rules), fixed at its first
   * named frame; a signed-in page (?token=) is its user whatever userName it sends.
   */
  function identify(socket: SeedSocket, userName: string | undefined): boolean {
    if (socket.data.user || userName === undefined) return true;
    const name = displayNameSchema.safeParse(userName);
    if (!name.success) {
      socket.sendError('invalid_payload', name.error.issues[0]?.message ?? 'Invalid userName.');
      return false;
    }
    // Stored on its first comment (the pipeline's users.ensure), not on connect: idle pages write nothing.
    const id = randomUUID();
    const user: PublicUser = { id, name: name.data, role: 'guest', tag: userTag(id) };
    socket.data = { ...socket.data, user, uid: socket.data.uid ?? id };
    void socket.join(userRoom(id));
    return true;
  }

  /** Runs a shared listener; a refusal goes back as the seed's error frame. Resolves with success. */
  function run(socket: SeedSocket, listener: SharedListener, payload: unknown): Promise<boolean> {
    return new Promise((resolve) => {
      listener.call(socket.asSocket(), payload, (ack: Ack<unknown>) => {
        if (!ack.ok) socket.sendError(ack.code, ack.message);
        resolve(ack.ok);
      });
    });
  }

  // GatewayWorker's heartbeat: one timer for every page; a page that said anything since the last
  // tick is not pinged; one that left `limit` pings unanswered is dropped.
  const { pingIntervalSeconds: interval, pingNotResponseLimit: limit } = d.config;
  const heartbeat =
    interval > 0
      ? setInterval(() => {
          for (const conn of connections) {
            if (limit > 0 && conn.missed >= limit) {
              d.log.info({ socket: conn.socket.id }, 'gatewayworker: seed page missed its pongs; dropping it');
              conn.socket.forget();
              conn.socket.conn.transport.socket.terminate();
              continue;
            }
            conn.missed++;
            conn.socket.sendText(PING_FRAME);
          }
        }, interval * 1_000)
      : undefined;
  heartbeat?.unref();

  return {
    /** Opens the optional port of its own (GW_WS_PORT); every path upgrades there. */
    async start(): Promise<void> {
      if (d.config.wsPort === undefined) return;
      const server = http.createServer((_req, res) => res.writeHead(426, { connection: 'close' }).end('WebSocket only'));
      server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => onUpgrade(req, socket, head, true));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(d.config.wsPort, d.host, () => resolve());
      });
      ownServer = server;
      d.log.info({ port: this.ownPort() }, 'gatewayworker: seed WebSocket port open');
    },
    ownPort(): number | undefined {
      const a = ownServer?.address();
      return typeof a === 'object' && a ? a.port : undefined;
    },
    connectionCount: () => connections.size,
    async close(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      for (const conn of connections) {
        conn.socket.forget();
        conn.socket.conn.transport.socket.close(1001);
      }
      connections.clear();
      wss.close();
      if (ownServer) await new Promise<void>((resolve) => ownServer!.close(() => resolve()));
    },
  };
}

export type SeedEndpoint = ReturnType<typeof createSeedEndpoint>;
