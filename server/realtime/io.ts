import type http from 'node:http';
import { Server } from 'socket.io';
import { writeFramesDirectly } from './direct-frames.ts';
import { releaseUpgradeRequest } from './release-request.ts';
import { holdHandshakeWrites } from './hold-writes.ts';
import { packetParser } from './packet-encoder.ts';
import { tcpSocketOf } from './engine-socket.ts';
import { createAdapter } from '@socket.io/redis-adapter';
import { LIMITS } from '../../shared/limits.ts';
import { PROTOCOL_VERSION } from '../../shared/contract.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { SESSION_COOKIE, readCookie } from '../identity/session.ts';
import type { Authenticate } from '../identity/authenticate.ts';
import type { RedisConnections } from './redis.ts';
import { userRoom, type IoServer, type IoSocket } from './types.ts';

/**
 * Every connection starts with these shared, frozen empties (thousands of idle viewers would otherwise
 * each hold their own); they are replaced, never mutated, when the gateway sets a session or the
 * socket joins a room.
 */
const NO_SESSION: Record<string, unknown> = Object.freeze({});
const NO_ROOMS: readonly string[] = Object.freeze([]);

function isSameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const forwardedHost = req.headers['x-forwarded-host'];
  const host = (Array.isArray(forwardedHost) ? forwardedHost[0] : forwardedHost) ?? req.headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function createIoServer(opts: {
  httpServer: http.Server;
  config: Config;
  log: Logger;
  authenticate: Authenticate;
  redis: RedisConnections | undefined;
  /** False while starting: the handshake is refused and the client's reconnection retries it. */
  accepting: () => boolean;
}): IoServer {
  const { config, log } = opts;
  const io: IoServer = new Server(opts.httpServer, {
    maxHttpBufferSize: LIMITS.transportMaxBytes,
    // Heartbeat: a silent connection is dropped after interval + timeout (20 s by default), well within
    // the 30 s in which dead connections must leave presence.
    pingInterval: config.heartbeat.intervalMs,
    pingTimeout: config.heartbeat.timeoutMs,
    serveClient: false,
    parser: packetParser,
    // In dev, other upgrades (Next's HMR socket) belong to Next; engine.io would otherwise cut them after 1 s.
    destroyUpgrade: !config.dev,
    cors: config.dev ? { origin: true, credentials: true } : undefined,
    // Browsers attach the session cookie to WebSockets from any site: accept browser connections only
    // from pages served by this app (non-browser clients send no Origin).
    allowRequest: (req, done) => done(null, opts.accepting() && (config.dev || isSameOrigin(req))),
  });

  if (opts.redis) {
    io.adapter(createAdapter(opts.redis.pub, opts.redis.sub, { key: `${config.clusterPrefix}:sio`, requestsTimeout: 3_000 }));
    log.info({ adapter: 'redis' }, 'socket.io adapter: redis (rooms span every instance)');
  } else {
    log.info({ adapter: 'memory' }, 'socket.io adapter: in-memory (single instance)');
  }

  // The 101 and engine.io's open packet leave together. ws announces the 101's headers just before writing
  // them, once the upgrade was accepted: a refused one is answered and destroyed at once, and a held
  // answer would be destroyed unsent.
  io.engine.on('initial_headers', (_headers: unknown, req: http.IncomingMessage) => {
    if (req.socket) holdHandshakeWrites(req.socket);
  });

  io.use((socket, next) => {
    // Socket.IO's connect packet and `init` leave together (a failed handshake's error is held alike).
    const tcp = tcpSocketOf(socket);
    if (tcp) holdHandshakeWrites(tcp);
    // Browsers authenticate with the httpOnly session cookie; other clients may pass the same token in auth.
    const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof fromAuth === 'string' ? fromAuth : readCookie(socket.request.headers.cookie, SESSION_COOKIE);
    opts.authenticate(token).then(
      (user) => {
        socket.data = { user, session: NO_SESSION, uid: user?.id ?? null, liveRooms: NO_ROOMS };
        next();
      },
      () => next(new Error('handshake failed')),
    );
  });

  // One listener for every socket (Socket.IO calls it with `this` = the socket), not a closure each.
  // Per-connection lines are debug: a join storm of thousands would otherwise be thousands of lines a
  // second at info (liveroom_connections counts them).
  const onDisconnect = function (this: IoSocket, reason: string) {
    log.debug({ socket: this.id, reason }, 'socket disconnected');
  };
  io.on('connection', (socket) => {
    writeFramesDirectly(socket.client);
    releaseUpgradeRequest(socket);
    const { user } = socket.data;
    if (user) void socket.join(userRoom(user.id));
    log.debug({ socket: socket.id, user: user?.id, transport: socket.conn.transport.name }, 'socket connected');
    socket.on('disconnect', onDisconnect);
    // The seed's first frame: the client learns its client id. Events are dispatched by the event
    // router's catch-all listener, which every socket has from its creation (event-router.ts).
    socket.emit('init', {
      type: 'init',
      client_id: socket.id,
      msg: 'connect is success',
      serverTime: new Date().toISOString(),
      protocolVersion: PROTOCOL_VERSION,
      instanceId: config.instanceId,
      user,
    });
  });
  return io;
}
