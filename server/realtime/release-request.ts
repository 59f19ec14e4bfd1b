import { tcpSocketOf } from './engine-socket.ts';
import type { IoSocket } from './types.ts';

/**
 * The source of the listener engine.io 6.6's WebSocketResponse adds to the TCP socket's `close` event
 * (engine.io/build/server.js: `socket.once("close", () => this.emit("close"))`); it exists for HTTP
 * middlewares registered with `io.engine.use`, which this server has none of.
 */
const RESPONSE_CLOSE_RELAY = '() => this.emit("close")';

/**
 * Lets the connection's upgrade request go once the handshake is done. engine.io keeps it for the
 * connection's lifetime (`conn.request`), and so does the close relay above, through its closure: an
 * `IncomingMessage` of ~1 KB per viewer (raw header strings, stream state, query), the largest single
 * thing an idle connection holds (heap snapshots, bench/README.md). This server reads it only in the
 * handshake (the session cookie, io.ts); `socket.handshake` keeps its headers, url and query.
 *
 * Both holders are engine.io internals: if a version moves them, the request simply stays (the test
 * in test/integration/live-room.test.ts then fails).
 */
export function releaseUpgradeRequest(socket: IoSocket): void {
  const tcp = tcpSocketOf(socket);
  if (tcp) {
    for (const fn of tcp.listeners('close')) if (String(fn) === RESPONSE_CLOSE_RELAY) tcp.removeListener('close', fn as (...args: unknown[]) => void);
  }
  (socket.conn as unknown as { request: unknown }).request = null;
}
