import type WebSocket from 'ws';
import type { PublicUser, SocketData } from '../../shared/contract.ts';
import { userRoom, type IoServer, type IoSocket } from '../realtime/types.ts';

type Handshake = IoSocket['handshake'];
import { errorFrame, toSeedFrames } from './seed-frames.ts';

const NO_SESSION: Record<string, unknown> = Object.freeze({});
const NO_ROOMS: readonly string[] = Object.freeze([]);

/** A broadcast's encoded packets are the same array for every member: decode them once per broadcast. */
const decoded = new WeakMap<readonly unknown[], { event: string; payload: unknown } | null>();

function decodePackets(packets: readonly unknown[]): { event: string; payload: unknown } | null {
  const hit = decoded.get(packets);
  if (hit !== undefined) return hit;
  let result: { event: string; payload: unknown } | null = null;
  const first = packets[0];
  // socket.io-parser's text encoding of an EVENT: "2", an optional ack id, then the JSON array.
  const m = typeof first === 'string' ? /^2\d*(\[[\s\S]*)$/.exec(first) : null;
  if (m?.[1]) {
    try {
      const [event, payload] = JSON.parse(m[1]) as [string, unknown];
      result = { event, payload };
    } catch {
      result = null;
    }
  }
  decoded.set(packets, result);
  return result;
}

/**
 * A seed page's WebSocket, registered in the Socket.IO namespace and adapter as if it were a socket:
 * it joins the same rooms (`g:<room>`, `u:<uid>`, its own id), so room frames, push API sends, the
 * gateway's queries and mutations, moderation and presence reach it through the paths that already
 * exist, across instances, with no extra Redis traffic. Socket.IO hands it encoded packets through
 * `client.writeToEngine` (as it does real sockets); it translates the few the seed knows.
 *
 * Only the members Socket.IO's adapter, the gateway, moderation and the slow-consumer sweep use are
 * here; the shared room listeners (join/say) run with it as `this`.
 */
export class SeedSocket {
  readonly nsp: IoServer['sockets'];
  readonly adapter: IoServer['sockets']['adapter'];
  readonly handshake: Handshake;
  readonly acks = new Map<number, () => void>();
  readonly recovered = false;
  connected = true;
  data: SocketData;
  /** What the slow-consumer sweep reads: ws's own buffered amount. */
  readonly conn: { transport: { name: string; socket: WebSocket } };
  readonly client = { writeToEngine: (packets: readonly unknown[]) => this.onPackets(packets) };

  constructor(
    readonly server: IoServer,
    readonly id: string,
    private readonly ws: WebSocket,
    user: PublicUser | null,
    meta: { address: string; url: string; headers: Record<string, string | string[] | undefined> },
    private readonly clock: (iso: string) => string,
  ) {
    this.nsp = server.of('/');
    this.adapter = this.nsp.adapter;
    this.conn = { transport: { name: 'gatewayworker', socket: ws } };
    this.data = { user, session: NO_SESSION, uid: user?.id ?? null, liveRooms: NO_ROOMS };
    const now = new Date();
    this.handshake = {
      headers: meta.headers as Handshake['headers'],
      time: now.toString(),
      address: meta.address,
      xdomain: false,
      secure: false,
      issued: now.getTime(),
      url: meta.url,
      query: {},
      auth: {},
    };
  }

  /** Enters the namespace: from now on it is a member of its own room (and of its user's). */
  register(): void {
    (this.nsp.sockets as Map<string, unknown>).set(this.id, this);
    void this.join(this.data.user ? [this.id, userRoom(this.data.user.id)] : [this.id]);
  }

  get rooms(): Set<string> {
    return this.adapter.sids.get(this.id) ?? new Set();
  }

  join(rooms: string | string[]): Promise<void> | void {
    return this.adapter.addAll(this.id, new Set([rooms].flat()));
  }

  leave(room: string): Promise<void> | void {
    return this.adapter.del(this.id, room);
  }

  emit(event: string, payload?: unknown): boolean {
    for (const text of toSeedFrames(event, payload, this.clock)) this.sendText(text);
    return true;
  }

  /** A text frame as is (GatewayClient's messages are delivered byte for byte, as GatewayWorker did). */
  sendText(text: string | Buffer): void {
    if (this.connected && this.ws.readyState === this.ws.OPEN) this.ws.send(text, { binary: false });
  }

  sendError(code: Parameters<typeof errorFrame>[0], msg: string): void {
    this.sendText(errorFrame(code, msg));
  }

  /** Closes the page's connection (a final frame, when given, goes first) and leaves every room. */
  disconnect(): this {
    if (!this.connected) return this;
    this.ws.close(1000);
    this.forget();
    return this;
  }

  /** The connection is gone: leaving every room fires the adapter's leave-room events (presence follows). */
  forget(): void {
    if (!this.connected) return;
    this.connected = false;
    void this.adapter.delAll(this.id);
    (this.nsp.sockets as Map<string, unknown>).delete(this.id);
  }

  /** The shared listeners and the gateway see it as a socket. */
  asSocket(): IoSocket {
    return this as unknown as IoSocket;
  }

  private onPackets(packets: readonly unknown[]): void {
    const packet = decodePackets(packets);
    if (packet) this.emit(packet.event, packet.payload);
  }
}

/** The seed connection behind a namespace member, if it is one. */
export const asSeedSocket = (s: unknown): SeedSocket | undefined => (s instanceof SeedSocket ? s : undefined);
