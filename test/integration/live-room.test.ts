import type net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RoomFrame } from '../../shared/contract.ts';
import { directFrameCount } from '../../server/realtime/direct-frames.ts';
import { call, closeAllClients, collectFrames, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

describe('live room on the embedded database', () => {
  it('sends init with the client id on connect', async () => {
    const { socket, init } = await server.client();
    expect(init.type).toBe('init');
    expect(init.client_id).toBe(socket.id);
    expect(init.msg).toBe('connect is success');
  });

  it('announces a join to the room with the server time', async () => {
    const ana = await server.guest('Ana');
    const watcher = await server.client();
    const notices = collectRoom(watcher.socket, 'join');
    expect((await call(watcher.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const before = Date.now();
    const c = await server.client(ana.token);
    const ack = await call(c.socket, 'join', { roomId: 'main-stage' });
    expect(ack.ok).toBe(true);
    await waitFor(() => notices.some((n) => n.userName === 'Ana'), 3_000, 'join notice');
    const n = notices.find((x) => x.userName === 'Ana')!;
    expect(n.msg).toBe('enters the Room');
    expect(n.roomId).toBe('main-stage');
    expect(Math.abs(Date.parse(n.joinTime) - before)).toBeLessThan(5_000);
  });

  it('stores, acks and broadcasts a comment in order', async () => {
    const bo = await server.guest('Bo');
    const a = await server.client(bo.token);
    const b = await server.client();
    await call(a.socket, 'join', { roomId: 'main-stage' });
    await call(b.socket, 'join', { roomId: 'main-stage' });
    const seen = collectRoom(b.socket, 'say');
    const acks = await Promise.all(
      [1, 2, 3].map((i) => call(a.socket, 'say', { roomId: 'main-stage', content: `hello ${i}`, clientMsgId: `msg-order-${i}` })),
    );
    expect(acks.every((x) => x.ok)).toBe(true);
    const seqs = acks.map((x) => (x.ok ? x.data.seq : -1));
    expect(new Set(seqs).size).toBe(3);
    await waitFor(() => seen.length >= 3, 3_000, 'broadcasts');
    expect(seen.map((c) => c.content).sort()).toEqual(['hello 1', 'hello 2', 'hello 3']);
    const row = await server.runtime.db.prisma.message.findFirst({ where: { roomId: 'main-stage', clientMsgId: 'msg-order-1' } });
    expect(row?.content).toBe('hello 1');
  });
});

describe('join acks', () => {
  it("go out from the cached encodings of the room's presence and page, whole, with Socket.IO's own encoder never walking them", async () => {
    const { PacketType } = await import('socket.io-parser');
    // The server's encoder (Socket.IO's own text encoding, called through: it still encodes every other packet).
    const encoder = server.runtime.io.encoder as unknown as { encodeAsString(packet: { type: number; data?: unknown }): string };
    const encode = vi.spyOn(encoder, 'encodeAsString');
    try {
      const ana = await server.client((await server.guest('AckAna')).token);
      const bo = await server.client((await server.guest('AckBo')).token);
      const first = await call(ana.socket, 'join', { roomId: 'main-stage' });
      const second = await call(bo.socket, 'join', { roomId: 'main-stage' });
      for (const ack of [first, second]) {
        expect(ack.ok).toBe(true);
        if (!ack.ok) continue;
        expect(Object.keys(ack.data).sort()).toEqual(['canModerate', 'hasMoreBefore', 'messages', 'presence', 'restriction', 'room', 'truncated', 'you']);
        expect(ack.data.room.id).toBe('main-stage');
        expect(ack.data.presence.roomId).toBe('main-stage');
        expect(Array.isArray(ack.data.messages)).toBe(true);
      }
      expect(first.ok && first.data.you?.name).toBe('AckAna');
      expect(second.ok && second.data.you?.name).toBe('AckBo');
      // The presence of a join is the room's snapshot of the last interval (presence-broadcaster.ts): whole, not per joiner.
      for (const ack of [first, second]) expect(ack.ok && typeof ack.data.presence.connections === 'number' && Array.isArray(ack.data.presence.list)).toBe(true);
      // No join ack was handed to Socket.IO's encoder (which walks and stringifies all of it per packet).
      const acks = encode.mock.calls.map(([packet]) => packet).filter((p) => p.type === PacketType.ACK);
      expect(acks.filter((p) => JSON.stringify(p.data).includes('"presence"'))).toEqual([]);
    } finally {
      encode.mockRestore();
    }
  });
});

describe('join notices', () => {
  it('announce a person once: not again for a reload, a reconnect or a second tab within a minute', async () => {
    const watcher = await server.client();
    await call(watcher.socket, 'join', { roomId: 'main-stage' });
    const notices = collectRoom(watcher.socket, 'join');
    const hal = await server.guest('Hal');
    const first = await server.client(hal.token);
    await call(first.socket, 'join', { roomId: 'main-stage' });
    const secondTab = await server.client(hal.token);
    await call(secondTab.socket, 'join', { roomId: 'main-stage' });
    first.socket.disconnect(); // a reload: gone, then back
    await new Promise((r) => setTimeout(r, 100));
    const reloaded = await server.client(hal.token);
    await call(reloaded.socket, 'join', { roomId: 'main-stage' });
    await new Promise((r) => setTimeout(r, 1_300)); // past the notice coalescing window
    expect(notices.flatMap((n) => n.names).filter((name) => name === 'Hal')).toHaveLength(1);
  });
});

describe('coalesced room frames (protocol 2)', () => {
  it('delivers a burst as fewer frames than comments, each once, in seq order across frame boundaries', async () => {
    const senders = await Promise.all(['Cy', 'Di', 'Ed', 'Flo'].map(async (name) => {
      const g = await server.guest(name);
      const c = await server.client(g.token);
      await call(c.socket, 'join', { roomId: 'main-stage' });
      return c;
    }));
    const watcher = await server.client();
    await call(watcher.socket, 'join', { roomId: 'main-stage' });
    const frames = collectFrames(watcher.socket);
    const acks = await Promise.all(
      senders.flatMap((c, s) =>
        Array.from({ length: 10 }, (_, i) => call(c.socket, 'say', { roomId: 'main-stage', content: `burst ${s}.${i}`, clientMsgId: `burst-${s}-${i}-xx` })),
      ),
    );
    const acked = acks.map((a) => (a.ok ? a.data.seq : -1)).sort((x, y) => x - y);
    expect(acked).not.toContain(-1);
    const received = () => frames.flatMap((f) => f.events.flatMap((e) => (e.type === 'say' && e.content.startsWith('burst') ? [e.seq] : [])));
    await waitFor(() => received().length >= 40, 5_000, 'all 40 comments');
    await new Promise((r) => setTimeout(r, 200)); // nothing more (no duplicates) may follow
    expect(received()).toEqual(acked); // each exactly once, ascending across frame boundaries
    const framesWithBurst = frames.filter((f) => f.events.some((e) => e.type === 'say' && e.content.startsWith('burst')));
    expect(framesWithBurst.length).toBeLessThan(40);
    for (const f of frames) expect(f.roomId).toBe('main-stage');
  });

  it('sends a lone comment in a quiet room at once, without waiting for a window', async () => {
    const quiet = await startTestServer({ env: { BROADCAST_WINDOW_MS: '1000' } });
    try {
      const g = await quiet.guest('Gil');
      const c = await quiet.client(g.token);
      await call(c.socket, 'join', { roomId: 'main-stage' });
      // The join's notice goes out at once and its presence frame at the end of that window (1 s), which
      // opens one more: after 2 s without traffic the room is quiet.
      await new Promise((r) => setTimeout(r, 2_300));
      const seen = collectRoom(c.socket, 'say');
      const started = Date.now();
      expect((await call(c.socket, 'say', { roomId: 'main-stage', content: 'alone', clientMsgId: 'lone-comment-1' })).ok).toBe(true);
      await waitFor(() => seen.length === 1, 500, 'the lone comment (well before the 1 s window)');
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await quiet.stop();
    }
  });
});

describe('connection origin (production mode)', () => {
  it('refuses a browser connection from another site and accepts its own', async () => {
    const { io } = await import('socket.io-client');
    const prod = await startTestServer({ env: { NODE_ENV: 'production' } });
    try {
      const attempt = (origin: string) =>
        new Promise<boolean>((resolve) => {
          const s = io(prod.url, { transports: ['websocket'], extraHeaders: { origin }, reconnection: false, forceNew: true });
          s.once('init', () => {
            s.close();
            resolve(true);
          });
          s.once('connect_error', () => {
            s.close();
            resolve(false);
          });
        });
      expect(await attempt('https://evil.example')).toBe(false);
      expect(await attempt(prod.url)).toBe(true);
      // The refusal is an HTTP answer, not a dropped connection (the handshake's held writes must not swallow it).
      const { default: WebSocket } = await import('ws');
      const status = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${prod.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers: { origin: 'https://evil.example' } });
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once('error', reject);
      });
      expect(status).toBe(400);
    } finally {
      await prod.stop();
    }
  });
});

describe('session roles', () => {
  it('takes a staff role from the database, not from the token', async () => {
    const prisma = server.runtime.db.prisma;
    await prisma.user.create({ data: { id: 'staff-keep', name: 'Keeper', role: 'admin' } });
    await prisma.user.create({ data: { id: 'staff-demoted', name: 'Former', role: 'guest' } });
    const sign = (id: string, name: string) => server.runtime.identity.signer.sign({ id, name, role: 'admin' });

    const kept = await server.client(await sign('staff-keep', 'Keeper'));
    expect(kept.init.user?.role).toBe('admin');
    // Demoted after the token was issued: the token still says admin, the session does not.
    const demoted = await server.client(await sign('staff-demoted', 'Former'));
    expect(demoted.init.user?.role).toBe('guest');
    // A token for a user the database does not know is no staff session either.
    const unknown = await server.client(await sign('staff-unknown', 'Ghost'));
    expect(unknown.init.user?.role).toBe('guest');
  });
});

/** Engine.io's side of a server socket, as direct-frames.ts reads it. */
interface EngineSide {
  writeBuffer: unknown[];
}

describe('room frames written straight to the WebSocket', () => {
  it('takes the direct path for members with nothing queued, and every frame arrives once, in seq order', async () => {
    const author = await server.client((await server.guest('Direct')).token);
    const viewer = await server.client();
    for (const c of [author, viewer]) expect((await call(c.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const seqs: number[] = [];
    viewer.socket.on('room', (f: RoomFrame) => {
      for (const e of f.events) if (e.type === 'say') seqs.push(e.seq);
    });
    const before = directFrameCount();
    const acks = [];
    for (let i = 0; i < 20; i++) acks.push(await call(author.socket, 'say', { roomId: 'main-stage', content: `direct ${i}`, clientMsgId: `direct-${i}-xxxx` }));
    const acked = acks.map((a) => (a.ok ? a.data.seq : -1));
    await waitFor(() => seqs.length >= 20, 5_000, 'frames');
    expect(seqs).toEqual(acked);
    expect(directFrameCount()).toBeGreaterThan(before);
  });

  it("sends a connection's own packets (a comment's ack) direct too", async () => {
    const author = await server.client((await server.guest('DirectAck')).token);
    expect((await call(author.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const serverSide = server.runtime.io.of('/').sockets.get(author.socket.id!)!;
    const conn = serverSide.conn as unknown as { sendPacket(type: string, data?: unknown, ...rest: unknown[]): void };
    const viaEngine: string[] = [];
    const sendPacket = conn.sendPacket;
    conn.sendPacket = function (this: unknown, type: string, data?: unknown, ...rest: unknown[]) {
      viaEngine.push(String(data));
      sendPacket.call(this, type, data, ...rest);
    };
    const frames: RoomFrame[] = [];
    author.socket.on('room', (f: RoomFrame) => frames.push(f));
    const before = directFrameCount();
    const ack = await call(author.socket, 'say', { roomId: 'main-stage', content: 'acked direct', clientMsgId: 'directack-0001' });
    expect(ack.ok && ack.data.content).toBe('acked direct');
    expect(viaEngine.filter((d) => d.includes('acked direct'))).toEqual([]);
    expect(directFrameCount()).toBeGreaterThan(before);
    // Wait for this comment's own frame, so it is out before the next test's viewer joins the room.
    await waitFor(() => frames.some((f) => f.events.some((e) => e.type === 'say' && e.content === 'acked direct')), 3_000, 'own frame');
  });

  it('falls back to engine.io while it holds packets for a connection, so nothing overtakes them', async () => {
    const author = await server.client((await server.guest('Queued')).token);
    const viewer = await server.client();
    for (const c of [author, viewer]) expect((await call(c.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const serverSide = server.runtime.io.of('/').sockets.get(viewer.socket.id!)!;
    const conn = serverSide.conn as unknown as EngineSide & { transport: { writable: boolean }; write(data: string): void };
    // Hold engine.io's queue: a transport that is not writable keeps packets in writeBuffer. The notice is
    // handed to engine.io itself (Socket.IO's encoding of the event): Socket.IO's own emits go direct now.
    conn.transport.writable = false;
    conn.write(`2${JSON.stringify(['server:shutdown', { reconnectInMs: 60_000 }])}`);
    expect(conn.writeBuffer.length).toBe(1);
    // A packet of Socket.IO's own for this connection now queues behind it too, instead of going direct.
    serverSide.emit('notice', { kind: 'info', text: 'queued behind', sentAt: new Date().toISOString() });
    expect(conn.writeBuffer.length).toBe(2);
    const order: string[] = [];
    viewer.socket.on('server:shutdown', () => order.push('notice'));
    viewer.socket.on('notice', (n: { text: string }) => order.push(`notice ${n.text}`));
    viewer.socket.on('room', (f: RoomFrame) => {
      for (const e of f.events) if (e.type === 'say') order.push(`say ${e.content}`);
    });
    const before = directFrameCount();
    expect((await call(author.socket, 'say', { roomId: 'main-stage', content: 'after the notice', clientMsgId: 'queued-0001' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    // The author's frame went direct; the viewer's queued behind the notice (with whatever else its room
    // sent meanwhile, such as presence).
    const queued = (conn.writeBuffer as { data?: unknown }[]).map((p) => String(p.data));
    expect(queued[0]).toContain('server:shutdown');
    expect(queued.some((d) => d.includes('after the notice'))).toBe(true);
    expect(directFrameCount()).toBeGreaterThan(before);
    conn.transport.writable = true;
    (serverSide.conn as unknown as { flush(): void }).flush();
    await waitFor(() => order.length >= 3, 3_000, 'queued packets');
    expect(order).toEqual(['notice', 'notice queued behind', 'say after the notice']);
  });

  it("sends a comment's ack and the room frame carrying it to its sender in one write", async () => {
    const author = await server.client((await server.guest('OneWrite')).token);
    expect((await call(author.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100)); // the join's own frames are out
    const serverSide = server.runtime.io.of('/').sockets.get(author.socket.id!)!;
    const tcp = (serverSide.conn as unknown as { transport: { socket: { _socket: { _write: unknown; _writev: unknown } } } }).transport.socket._socket;
    const writes: number[] = [];
    const write = tcp._write as (...a: unknown[]) => void;
    const writev = tcp._writev as (...a: unknown[]) => void;
    tcp._write = function (this: unknown, ...a: unknown[]) {
      writes.push(1);
      write.apply(this, a);
    };
    tcp._writev = function (this: unknown, chunks: unknown[], ...rest: unknown[]) {
      writes.push(chunks.length);
      writev.apply(this, [chunks, ...rest]);
    };
    const frames: RoomFrame[] = [];
    author.socket.on('room', (f: RoomFrame) => frames.push(f));
    expect((await call(author.socket, 'say', { roomId: 'main-stage', content: 'one write', clientMsgId: 'onewrite-0001' })).ok).toBe(true);
    await waitFor(() => frames.some((f) => f.events.some((e) => e.type === 'say' && e.content === 'one write')), 3_000, 'own frame');
    // One writev: the ack's frame and the room frame, each one buffer (header and payload joined).
    expect(writes).toEqual([2]);
  });

  it("writes each of the handshake's two replies in one syscall: the 101 with engine.io's open packet, then the connect packet with init", async () => {
    const { token } = await server.guest('Handshake');
    // Every TCP socket the server accepts from now on: the chunks of each write that reaches the kernel
    // (one `_write` is one chunk; a corked socket's release is one `_writev` of all its chunks).
    const writes = new Map<net.Socket, string[][]>();
    const spy = (tcp: net.Socket) => {
      const log: string[][] = [];
      writes.set(tcp, log);
      const sock = tcp as unknown as { _write: (chunk: unknown, ...a: unknown[]) => void; _writev: (chunks: { chunk: unknown }[], ...a: unknown[]) => void };
      const write = sock._write;
      const writev = sock._writev;
      const text = (c: unknown) => (Buffer.isBuffer(c) ? c.toString('latin1') : String(c));
      sock._write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        log.push([text(chunk)]);
        write.apply(this, [chunk, ...rest]);
      };
      sock._writev = function (this: unknown, chunks: { chunk: unknown }[], ...rest: unknown[]) {
        log.push(chunks.map((c) => text(c.chunk)));
        writev.apply(this, [chunks, ...rest]);
      };
    };
    const httpServer = server.runtime.io.httpServer;
    httpServer.on('connection', spy);
    try {
      const c = await server.client(token);
      const serverSide = server.runtime.io.of('/').sockets.get(c.socket.id!)!;
      const tcp = (serverSide.conn as unknown as { transport: { socket: { _socket: net.Socket } } }).transport.socket._socket;
      await new Promise((r) => setTimeout(r, 50)); // init has arrived; let the server's write callbacks run
      const log = writes.get(tcp)!;
      const [first, second, ...more] = log.map((chunks) => chunks.join(''));
      expect(more).toEqual([]);
      expect(first).toMatch(/^HTTP\/1\.1 101 /);
      expect(first).toContain('0{"sid":');
      expect(second).toContain('40{"sid":');
      expect(second).toContain('42["init"');
    } finally {
      httpServer.off('connection', spy);
    }
  });

  it('writes a room frame to each member as one buffer: a plain write, not a writev of its parts', async () => {
    const author = await server.client((await server.guest('OneBuffer')).token);
    const viewer = await server.client();
    for (const c of [author, viewer]) expect((await call(c.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100)); // the joins' own frames are out
    const serverSide = server.runtime.io.of('/').sockets.get(viewer.socket.id!)!;
    const tcp = (serverSide.conn as unknown as { transport: { socket: { _socket: { write: (...a: unknown[]) => boolean } } } }).transport.socket._socket;
    const writes: string[] = [];
    const write = tcp.write;
    tcp.write = function (this: unknown, ...a: unknown[]) {
      writes.push(Buffer.isBuffer(a[0]) ? a[0].toString('latin1') : String(a[0]));
      return write.apply(this, a);
    };
    const frames: RoomFrame[] = [];
    viewer.socket.on('room', (f: RoomFrame) => frames.push(f));
    expect((await call(author.socket, 'say', { roomId: 'main-stage', content: 'one buffer', clientMsgId: 'onebuffer-0001' })).ok).toBe(true);
    await waitFor(() => frames.some((f) => f.events.some((e) => e.type === 'say' && e.content === 'one buffer')), 3_000, 'frame');
    const carrying = writes.filter((w) => w.includes('one buffer'));
    expect(carrying).toHaveLength(1);
    // The same write holds the frame's header: a text frame (0x81) before the engine.io message.
    expect(carrying[0]!.charCodeAt(0)).toBe(0x81);
    expect(carrying[0]).toContain('42["room"');
  });

  it('lets go of the upgrade request once connected, and the connection works on', async () => {
    const c = await server.client((await server.guest('Lean')).token);
    const serverSide = server.runtime.io.of('/').sockets.get(c.socket.id!)!;
    const conn = serverSide.conn as unknown as { request: unknown; transport: { socket: { _socket: { listeners(e: string): unknown[] } } } };
    expect(conn.request).toBeNull();
    expect(conn.transport.socket._socket.listeners('close').map(String)).not.toContain('() => this.emit("close")');
    expect(serverSide.handshake.headers).toBeDefined(); // what the handshake recorded stays
    expect(serverSide.data.user?.name).toBe('Lean');
    expect((await call(c.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    expect((await call(c.socket, 'say', { roomId: 'main-stage', content: 'still here', clientMsgId: 'lean-0001' })).ok).toBe(true);
  });
});
