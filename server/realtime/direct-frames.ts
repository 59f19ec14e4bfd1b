/**
 * Room frames, and a connection's own packets (acks, replies), straight to its WebSocket.
 *
 * A broadcast is encoded once: the adapter builds the complete WebSocket frame (`wsPreEncodedFrame`)
 * and then, per member, Socket.IO's Client#writeToEngine hands it to engine.io, which wraps it in a
 * packet object, emits `packetCreate`/`flush`/`drain` (on the socket and on the server), queues and
 * swaps its write buffer, and passes the frame to ws with a completion callback that marks the
 * transport writable again and emits `drain` once more. engine.io ends in the same call this module
 * makes — ws's `sendFrame` with the pre-encoded frame (transports/websocket.js) — so for a member whose
 * engine.io queue is empty the bookkeeping changes nothing but costs CPU on every member of every
 * frame, the broadcast's dominant cost (bench/README.md, "Round 4").
 *
 * A packet for one connection (a comment's ack, a join's reply) arrives as Socket.IO's encoded text,
 * with no frame: the frame is built here the way the adapter builds its own (engine.io's message type
 * `4` before the text, ws's `Sender.frame`), so every comment's ack skips engine.io too (change 32).
 *
 * Order is kept: a frame goes direct only when engine.io holds nothing for that connection; anything it
 * already handed to ws is in the socket's buffer ahead of this frame. Everything else — polling
 * transports, compression, volatile and binary packets, a connection that is closing or has packets
 * waiting — takes Socket.IO's own path. The slow-consumer sweep still sees the bytes: ws's
 * bufferedAmount counts the socket's own buffer.
 *
 * This reaches into Socket.IO 4.8 / engine.io 6.6 / ws 8 internals (Client#writeToEngine, engine.io's
 * writeBuffer and transport, ws's `_sender`), as Socket.IO itself does for `_sender`; every check falls
 * back to the stock path, and the "room frames written straight to the WebSocket" tests
 * (test/integration/live-room.test.ts) fail if an upgrade moves them.
 */

import * as wsModule from 'ws';

/** ws's frame builder: exported (socket.io-adapter builds its pre-encoded frames with it) but not in @types/ws. */
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };

interface WsSocket {
  readyState: number;
  _sender?: { sendFrame(list: unknown, cb?: () => void): void };
}

interface EngineConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport: { name: string; perMessageDeflate?: unknown; socket?: WsSocket };
}

interface WriteOptions {
  volatile?: boolean;
  /** socket.io-adapter's pre-encoded broadcast frame: ws's `Sender.frame` parts. */
  wsPreEncodedFrame?: Buffer[];
}

interface ClientLike {
  conn: EngineConnection;
  writeToEngine(encoded: unknown, opts: WriteOptions): void;
}

const WS_OPEN = 1;
/** An unmasked, uncompressed, final text frame: what a server sends (as socket.io-adapter does). */
const TEXT_FRAME = { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true } as const;
const patched = new WeakSet<object>();
let direct = 0;

/** Frames written past engine.io since the process started (tests assert the path is taken). */
export function directFrameCount(): number {
  return direct;
}

/** Whether a pre-encoded frame may skip engine.io for this connection (see the module comment). */
function directSocket(conn: EngineConnection): WsSocket | null {
  if (conn.readyState !== 'open' || conn.writeBuffer.length !== 0) return null;
  const { transport } = conn;
  const ws = transport.socket;
  if (transport.name !== 'websocket' || transport.perMessageDeflate || ws?.readyState !== WS_OPEN) return null;
  return typeof ws._sender?.sendFrame === 'function' ? ws : null;
}

/** The WebSocket frame of one text packet; undefined for binary ones (several parts: the stock path). */
function textFrame(encoded: unknown): Buffer[] | undefined {
  const packet = Array.isArray(encoded) && encoded.length === 1 ? (encoded[0] as unknown) : encoded;
  return typeof packet === 'string' ? oneBuffer(Sender.frame(Buffer.from('4' + packet), TEXT_FRAME)) : undefined;
}

/**
 * A frame as ONE buffer. ws writes a two-part frame (header, payload) as cork, write, write, uncork:
 * Node's writev path, with its chunk array and buffer bookkeeping, on every member of every frame. One
 * buffer is a single plain write (change 34). A broadcast's parts are joined once, in place, in the
 * adapter's own array, which every member of that broadcast shares; engine.io's path, which the other
 * members may take, sends either form.
 */
function oneBuffer(frame: Buffer[]): Buffer[] {
  if (frame.length === 2) frame.splice(0, 2, Buffer.concat(frame));
  return frame;
}

/** Installs the direct path on the class of a Socket.IO client (once per class, so per process). */
export function writeFramesDirectly(client: object): void {
  const proto = Object.getPrototypeOf(client) as ClientLike;
  if (patched.has(proto) || typeof proto.writeToEngine !== 'function') return;
  patched.add(proto);
  const stock = proto.writeToEngine;
  proto.writeToEngine = function (this: ClientLike, encoded: unknown, opts: WriteOptions) {
    // Volatile packets keep the stock path: it drops them when the transport is busy.
    const ws = opts?.volatile ? null : directSocket(this.conn);
    const frame = ws ? (opts?.wsPreEncodedFrame ? oneBuffer(opts.wsPreEncodedFrame) : textFrame(encoded)) : undefined;
    if (ws && frame !== undefined) {
      ws._sender!.sendFrame(frame);
      direct++;
      return;
    }
    stock.call(this, encoded, opts);
  };
}
