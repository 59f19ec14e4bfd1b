import { phpSerialize, phpUnserialize, type PhpValue } from './php-serialize.ts';

/**
 * GatewayWorker's binary GatewayProtocol (src/Protocols/GatewayProtocol.php), the packets GatewayClient
 * sends to a gateway's inner port. Header, 28 bytes, big-endian:
 *
 *   u32 pack_len (whole packet) | u8 cmd | u32 local_ip | u16 local_port | u32 client_ip |
 *   u16 client_port | u32 connection_id | u8 flag | u16 gateway_port | u32 ext_len
 *
 * then ext_len bytes of ext_data, then the body: raw bytes when flag bit 0x01 (scalar body) is set,
 * else a PHP-serialised value. Replies are u32 length + a PHP-serialised value.
 */
export const HEAD_LEN = 28;
/** Largest packet accepted: GatewayClient messages are pushes, not uploads. */
export const MAX_PACKET = 2 * 1024 * 1024;

export const CMD = {
  SEND_TO_ONE: 5,
  SEND_TO_ALL: 6,
  KICK: 7,
  DESTROY: 8,
  UPDATE_SESSION: 9,
  GET_ALL_CLIENT_SESSIONS: 10,
  IS_ONLINE: 11,
  BIND_UID: 12,
  UNBIND_UID: 13,
  SEND_TO_UID: 14,
  GET_CLIENT_ID_BY_UID: 15,
  JOIN_GROUP: 20,
  LEAVE_GROUP: 21,
  SEND_TO_GROUP: 22,
  GET_CLIENT_SESSIONS_BY_GROUP: 23,
  GET_CLIENT_COUNT_BY_GROUP: 24,
  SELECT: 25,
  GET_GROUP_ID_LIST: 26,
  UNGROUP: 27,
  WORKER_CONNECT: 200,
  PING: 201,
  GATEWAY_CLIENT_CONNECT: 202,
  GET_SESSION_BY_CLIENT_ID: 203,
  SET_SESSION: 204,
} as const;

export const FLAG_BODY_IS_SCALAR = 0x01;
export const FLAG_NOT_CALL_ENCODE = 0x02;

export interface GatewayPacket {
  cmd: number;
  localIp: number;
  localPort: number;
  clientIp: number;
  clientPort: number;
  connectionId: number;
  flag: number;
  gatewayPort: number;
  extData: Buffer;
  /** Raw bytes (scalar body) or the unserialised value. */
  body: Buffer | PhpValue;
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function decodePacket(buf: Buffer): GatewayPacket {
  if (buf.length < HEAD_LEN) throw new ProtocolError('packet shorter than its header');
  const extLen = buf.readUInt32BE(24);
  if (HEAD_LEN + extLen > buf.length) throw new ProtocolError('ext_len past the end of the packet');
  const flag = buf.readUInt8(21);
  const rawBody = buf.subarray(HEAD_LEN + extLen);
  return {
    cmd: buf.readUInt8(4),
    localIp: buf.readUInt32BE(5),
    localPort: buf.readUInt16BE(9),
    clientIp: buf.readUInt32BE(11),
    clientPort: buf.readUInt16BE(15),
    connectionId: buf.readUInt32BE(17),
    flag,
    gatewayPort: buf.readUInt16BE(22),
    extData: buf.subarray(HEAD_LEN, HEAD_LEN + extLen),
    body: flag & FLAG_BODY_IS_SCALAR ? rawBody : phpUnserialize(rawBody),
  };
}

/** Encodes a packet as GatewayClient does (tests, and anyone driving a gateway from Node). */
export function encodePacket(p: Partial<Omit<GatewayPacket, 'body' | 'extData'>> & { cmd: number; body?: string | Buffer | PhpValue; extData?: string | Buffer }): Buffer {
  const scalar = p.body === undefined || typeof p.body !== 'object' || Buffer.isBuffer(p.body) || p.body === null;
  const body =
    p.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(p.body) ? p.body : scalar ? Buffer.from(String(p.body)) : phpSerialize(p.body);
  const ext = p.extData === undefined ? Buffer.alloc(0) : Buffer.from(p.extData);
  const head = Buffer.alloc(HEAD_LEN);
  head.writeUInt32BE(HEAD_LEN + ext.length + body.length, 0);
  head.writeUInt8(p.cmd, 4);
  head.writeUInt32BE(p.localIp ?? 0, 5);
  head.writeUInt16BE(p.localPort ?? 0, 9);
  head.writeUInt32BE(p.clientIp ?? 0, 11);
  head.writeUInt16BE(p.clientPort ?? 0, 15);
  head.writeUInt32BE(p.connectionId ?? 0, 17);
  head.writeUInt8((p.flag ?? 0) | (scalar ? FLAG_BODY_IS_SCALAR : 0), 21);
  head.writeUInt16BE(p.gatewayPort ?? 0, 22);
  head.writeUInt32BE(ext.length, 24);
  return Buffer.concat([head, ext, body]);
}

/** A reply: u32 length, then the serialised value (GatewayClient reads `unserialize(substr($buf, 4))`). */
export function encodeReply(value: unknown): Buffer {
  const body = Buffer.isBuffer(value) ? value : phpSerialize(value);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}

/** Cuts a TCP stream into packets; throws ProtocolError on a length no packet can have. */
export class PacketSplitter {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len < HEAD_LEN || len > MAX_PACKET) throw new ProtocolError(`bad pack_len ${len}`);
      if (this.buf.length < len) break;
      out.push(this.buf.subarray(0, len));
      this.buf = this.buf.subarray(len);
    }
    return out;
  }
}
