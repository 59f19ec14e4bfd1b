/**
 * Just enough of engine.io v4 + socket.io v5 to drive a server over `ws`: the load generator must
 * receive ≥ 200k frames/s on one core, which socket.io-client (EventEmitter, full JSON.parse of
 * every frame) cannot. Frames are text: "0{…}" open, "2"/"3" ping/pong, "40{…}" connect (with the
 * auth payload), "42[event,…]" event, "42<id>[…]" event wanting an ack, "43<id>[…]" ack, "44{…}"
 * connect error.
 */
export const WS_PATH = '/socket.io/?EIO=4&transport=websocket';

export const C_2 = 0x32; // '2'
export const C_3 = 0x33;
export const C_4 = 0x34;
export const C_0 = 0x30;
export const C_9 = 0x39;
export const C_DOT = 0x2e;

export const SAY_PREFIX = Buffer.from('42["say"');
/** The product's coalesced room frame (protocol 2): one or more comments, each with its content mark. */
export const ROOM_PREFIX = Buffer.from('42["room"');
export const INIT_PREFIX = Buffer.from('42["init"');
/** The bench puts `m<sender>.<n>.<sentAtMicros>` in every comment's content. */
export const CONTENT_MARK = Buffer.from('"content":"m');
export const ACK_OK = Buffer.from('[{"ok":true');

export function startsWith(buf: Buffer, prefix: Buffer): boolean {
  if (buf.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[i] !== prefix[i]) return false;
  return true;
}

/** Reads an unsigned decimal at `pos`; returns [value, index after it]. */
export function readInt(buf: Buffer, pos: number): [number, number] {
  let v = 0;
  let i = pos;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (c < C_0 || c > C_9) break;
    v = v * 10 + (c - C_0);
  }
  return [v, i];
}

export const connectFrame = (token?: string) => (token ? `40${JSON.stringify({ token })}` : '40');
export const eventFrame = (ackId: number, event: string, payload: unknown) => `42${ackId}${JSON.stringify([event, payload])}`;

/** Microseconds on CLOCK_MONOTONIC, which every process on the host shares. */
export function nowMicros(): number {
  const t = process.hrtime();
  return t[0] * 1e6 + t[1] / 1e3;
}
