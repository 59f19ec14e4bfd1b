import { randomInt } from 'node:crypto';
import type { IoServer, IoSocket } from '../realtime/types.ts';

/**
 * GatewayWorker's client_id: 20 hex characters packing the gateway's inner address and the connection
 * number (IPv4 as 4 bytes, port as 2, connection id as 4, all big-endian). GatewayClient reads the
 * address out of the id to know which gateway to ask, so every id we hand out points at the inner
 * listener of the instance holding the connection.
 */
export interface ClientAddress {
  /** Dotted IPv4. */
  ip: string;
  port: number;
  connectionId: number;
}

const CLIENT_ID = /^[0-9a-f]{20}$/;

export const isClientId = (id: string): boolean => CLIENT_ID.test(id);

export function encodeClientId(a: ClientAddress): string {
  const buf = Buffer.alloc(10);
  a.ip.split('.').forEach((octet, i) => buf.writeUInt8(Number(octet), i));
  buf.writeUInt16BE(a.port, 4);
  buf.writeUInt32BE(a.connectionId >>> 0, 6);
  return buf.toString('hex');
}

export function decodeClientId(id: string): ClientAddress | null {
  if (!isClientId(id)) return null;
  const buf = Buffer.from(id, 'hex');
  return { ip: [...buf.subarray(0, 4)].join('.'), port: buf.readUInt16BE(4), connectionId: buf.readUInt32BE(6) };
}

/**
 * Hands out this instance's client ids. The counter starts at a random point so that an instance
 * restarted on the same address does not hand a stale id (still held by a PHP backend) to a new
 * connection at once, and two instances that share an address by mistake rarely collide.
 */
export class ClientIds {
  private next = randomInt(1, 2 ** 31);
  private port = 0;

  constructor(private readonly ip: string) {}

  /** Set once the inner listener knows its port (ids handed out before it say port 0). */
  setPort(port: number): void {
    this.port = port;
  }

  allocate(): string {
    const connectionId = this.next;
    this.next = this.next >= 0xffff_ffff ? 1 : this.next + 1;
    return encodeClientId({ ip: this.ip, port: this.port, connectionId });
  }

  /** The local client id of a connection number this instance handed out. */
  local(connectionId: number): string {
    return encodeClientId({ ip: this.ip, port: this.port, connectionId });
  }
}

interface NamespaceInternals {
  _createSocket(client: unknown, auth: unknown): Promise<IoSocket>;
}

/**
 * Gives every Socket.IO connection a GatewayWorker client_id as its socket id, so the id in the `init`
 * frame, the push API's client ids, `io.to(id)` and GatewayClient all name the same connection with no
 * mapping table. Hooks Socket.IO 4.8's Namespace#_createSocket (the id is set there and first used
 * right after); test/integration/gatewayworker-seed.test.ts fails if a Socket.IO upgrade moves it.
 */
export function assignClientIds(io: IoServer, ids: ClientIds): void {
  const nsp = io.of('/') as unknown as NamespaceInternals;
  const create = nsp._createSocket.bind(nsp);
  nsp._createSocket = async (client, auth) => {
    const socket = await create(client, auth);
    // A recovered session (connection state recovery, not enabled here) keeps its old id.
    if (!socket.recovered) (socket as { id: string }).id = ids.allocate();
    return socket;
  };
}
