import net from 'node:net';
import { phpSerialize, phpUnserialize, type PhpValue } from '../../server/gatewayworker/php-serialize.ts';

/**
 * What walkor/GatewayClient (PHP) does on the wire, rebuilt for tests from its documented behaviour:
 * the register's JSON line, the 28-byte GatewayProtocol header written field by field here (not with
 * the server's encoder, so a shared mistake cannot pass), one TCP connection per call, broadcasts to
 * every gateway, replies read as u32 length + PHP serialize() and summed or merged across gateways.
 */
export interface Header {
  cmd: number;
  connectionId?: number;
  flag?: number;
  ext?: string | Buffer;
  body?: string | Buffer;
  /** Serialised (non-scalar) body instead of raw bytes. */
  serializedBody?: PhpValue;
}

export function packet(h: Header): Buffer {
  const ext = Buffer.from(h.ext ?? '');
  const scalar = h.serializedBody === undefined;
  const body = scalar ? Buffer.from(h.body ?? '') : phpSerialize(h.serializedBody);
  const head = Buffer.alloc(28);
  head.writeUInt32BE(28 + ext.length + body.length, 0); // pack_len
  head.writeUInt8(h.cmd, 4); // cmd
  // local_ip (5), local_port (9), client_ip (11), client_port (15): zero, as GatewayClient leaves them
  head.writeUInt32BE(h.connectionId ?? 0, 17); // connection_id
  head.writeUInt8((h.flag ?? 0) | (scalar ? 1 : 0), 21); // flag: 0x01 body is scalar
  // gateway_port (22): zero
  head.writeUInt32BE(ext.length, 24); // ext_len
  return Buffer.concat([head, ext, body]);
}

export const authPacket = (secret: string) => packet({ cmd: 202, body: JSON.stringify({ secret_key: secret }) });

/** Context::clientIdToAddress. */
export function clientIdToAddress(clientId: string): { address: string; connectionId: number } {
  const b = Buffer.from(clientId, 'hex');
  if (clientId.length !== 20) throw new Error(`client_id ${clientId} is invalid`);
  return { address: `${[...b.subarray(0, 4)].join('.')}:${b.readUInt16BE(4)}`, connectionId: b.readUInt32BE(6) };
}

/** Context::addressToClientId. */
export function addressToClientId(address: string, connectionId: number): string {
  const [ip, port] = address.split(':') as [string, string];
  const b = Buffer.alloc(10);
  ip.split('.').forEach((o, i) => b.writeUInt8(Number(o), i));
  b.writeUInt16BE(Number(port), 4);
  b.writeUInt32BE(connectionId, 6);
  return b.toString('hex');
}

/** Sends bytes and reads until the peer closes or `wantReply` bytes of one reply arrived. */
export function exchange(address: string, bytes: Buffer, wantReply: boolean, timeoutMs = 1_500): Promise<{ reply: Buffer | null; closed: boolean }> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port: Number(port) }, () => s.write(bytes));
    let buf = Buffer.alloc(0);
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve({ reply: buf.length >= 4 ? buf.subarray(4) : null, closed });
    };
    const timer = setTimeout(done, wantReply ? timeoutMs : 150);
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (wantReply && buf.length >= 4 && buf.length >= buf.readUInt32BE(0) + 4) done();
    });
    s.on('close', () => {
      closed = true;
      done();
    });
    s.on('error', reject);
  });
}

export class PhpGatewayClient {
  constructor(
    readonly registerAddress: string,
    readonly secretKey = '',
  ) {}

  /** getAllGatewayAddressesFromRegister. */
  async addresses(): Promise<string[]> {
    const [host, port] = this.registerAddress.split(':') as [string, string];
    const line = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host, port: Number(port) }, () => s.write(`{"event":"worker_connect","secret_key":"${this.secretKey}"}\n`));
      let buf = '';
      s.on('data', (c: Buffer) => {
        buf += c.toString();
        if (buf.includes('\n')) {
          s.destroy();
          resolve(buf.slice(0, buf.indexOf('\n')));
        }
      });
      s.on('close', () => resolve(buf));
      s.on('error', reject);
    });
    const data = JSON.parse(line) as { addresses: string[] };
    return data.addresses;
  }

  private framed(p: Buffer): Buffer {
    return this.secretKey ? Buffer.concat([authPacket(this.secretKey), p]) : p;
  }

  /** sendToGateway: one-way. */
  async send(address: string, h: Header): Promise<void> {
    await exchange(address, this.framed(packet(h)), false);
  }

  /** sendToAllGateway. */
  async sendToAll(h: Header): Promise<void> {
    for (const a of await this.addresses()) await this.send(a, h);
  }

  /** sendAndRecv: one gateway, one unserialised reply. */
  async ask(address: string, h: Header): Promise<PhpValue> {
    const { reply } = await exchange(address, this.framed(packet(h)), true);
    if (!reply) throw new Error(`no reply from ${address}`);
    return phpUnserialize(reply);
  }

  /** getBufferFromAllGateway: address → unserialised reply. */
  async askAll(h: Header): Promise<Map<string, PhpValue>> {
    const out = new Map<string, PhpValue>();
    for (const a of await this.addresses()) out.set(a, await this.ask(a, h));
    return out;
  }

  // ---- The Gateway:: API, as GatewayClient implements it on top of the above ----

  sendToClient = (clientId: string, message: string) => this.toClient(clientId, 5, message);
  bindUid = (clientId: string, uid: string) => this.toClient(clientId, 12, '', uid);
  unbindUid = (clientId: string, uid: string) => this.toClient(clientId, 13, '', uid);
  joinGroup = (clientId: string, group: string) => this.toClient(clientId, 20, '', group);
  leaveGroup = (clientId: string, group: string) => this.toClient(clientId, 21, '', group);
  closeClient = (clientId: string, message = '') => this.toClient(clientId, 7, message);
  destroyClient = (clientId: string) => this.toClient(clientId, 8, '');
  setSession = (clientId: string, session: PhpValue) => this.toClient(clientId, 204, '', phpSerialize(session));
  updateSession = (clientId: string, session: PhpValue) => this.toClient(clientId, 9, '', phpSerialize(session));
  ungroup = (group: string) => this.sendToAll({ cmd: 27, ext: group });
  sendToUid = (uids: string[], message: string) => this.sendToAll({ cmd: 14, body: message, ext: JSON.stringify(uids) });

  private toClient(clientId: string, cmd: number, body: string, ext?: string | Buffer): Promise<void> {
    const { address, connectionId } = clientIdToAddress(clientId);
    return this.send(address, { cmd, connectionId, body, ...(ext === undefined || ext === '' ? {} : { ext }) });
  }

  async sendToGroup(groups: string[], message: string, exclude: string[] = []): Promise<void> {
    const byAddress = new Map<string, Record<number, number>>();
    for (const id of exclude) {
      const { address, connectionId } = clientIdToAddress(id);
      byAddress.set(address, { ...byAddress.get(address), [connectionId]: connectionId });
    }
    for (const a of await this.addresses()) {
      await this.send(a, { cmd: 22, body: message, ext: JSON.stringify({ group: groups, exclude: byAddress.get(a) ?? null }) });
    }
  }

  async sendToAllClients(message: string, clientIds?: string[], exclude: string[] = []): Promise<void> {
    if (clientIds) {
      const byAddress = new Map<string, Record<number, number>>();
      for (const id of clientIds.filter((c) => !exclude.includes(c))) {
        const { address, connectionId } = clientIdToAddress(id);
        byAddress.set(address, { ...byAddress.get(address), [connectionId]: connectionId });
      }
      for (const [a, connections] of byAddress) await this.send(a, { cmd: 6, body: message, ext: JSON.stringify({ connections }) });
      return;
    }
    const byAddress = new Map<string, Record<number, number>>();
    for (const id of exclude) {
      const { address, connectionId } = clientIdToAddress(id);
      byAddress.set(address, { ...byAddress.get(address), [connectionId]: connectionId });
    }
    for (const a of await this.addresses()) {
      await this.send(a, { cmd: 6, body: message, ext: byAddress.has(a) ? JSON.stringify({ exclude: byAddress.get(a) }) : '' });
    }
  }

  async isOnline(clientId: string): Promise<number> {
    const { address, connectionId } = clientIdToAddress(clientId);
    return Number(await this.ask(address, { cmd: 11, connectionId }));
  }

  async getSession(clientId: string): Promise<PhpValue> {
    const { address, connectionId } = clientIdToAddress(clientId);
    return this.ask(address, { cmd: 203, connectionId });
  }

  async getClientCountByGroup(group = ''): Promise<number> {
    let total = 0;
    for (const v of (await this.askAll({ cmd: 24, ext: group })).values()) total += Number(v);
    return total;
  }

  getAllClientCount = () => this.getClientCountByGroup('');

  async getClientIdByUid(uid: string): Promise<string[]> {
    const out: string[] = [];
    for (const [a, v] of await this.askAll({ cmd: 15, ext: uid })) for (const c of Object.values(v ?? {})) out.push(addressToClientId(a, Number(c)));
    return out;
  }

  isUidOnline = async (uid: string) => ((await this.getClientIdByUid(uid)).length ? 1 : 0);

  /** getAllClientSessions / getClientSessionsByGroup: sessions arrive serialised inside the reply. */
  async getClientSessions(group?: string): Promise<Record<string, PhpValue>> {
    const out: Record<string, PhpValue> = {};
    const replies = await this.askAll(group ? { cmd: 23, ext: group } : { cmd: 10 });
    for (const [a, v] of replies) {
      for (const [c, s] of Object.entries((v ?? {}) as Record<string, PhpValue>)) {
        out[addressToClientId(a, Number(c))] = typeof s === 'string' && s ? phpUnserialize(s) : [];
      }
    }
    return out;
  }

  /** CMD_SELECT, as GatewayClient's select() sends it (fields, where) and merges it. */
  async select(fields: string[], where: Record<string, unknown[]>): Promise<Record<string, Record<string, PhpValue>>> {
    const out: Record<string, Record<string, PhpValue>> = {};
    for (const [a, v] of await this.askAll({ cmd: 25, ext: JSON.stringify({ fields, where }) })) {
      for (const [c, row] of Object.entries((v ?? {}) as Record<string, Record<string, PhpValue>>)) out[addressToClientId(a, Number(c))] = row;
    }
    return out;
  }

  async getUidByClientId(clientId: string): Promise<PhpValue> {
    const { address, connectionId } = clientIdToAddress(clientId);
    const v = (await this.ask(address, { cmd: 25, ext: JSON.stringify({ fields: ['uid'], where: { connection_id: [connectionId] } }) })) as Record<string, { uid: PhpValue }>;
    return v[String(connectionId)]?.uid ?? null;
  }

  async getAllGroupIdList(): Promise<string[]> {
    const groups = new Set<string>();
    for (const v of (await this.askAll({ cmd: 26 })).values()) for (const g of Object.values(v ?? {})) groups.add(String(g));
    return [...groups];
  }
}
