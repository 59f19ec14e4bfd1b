import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoomFrame } from '../../shared/contract.ts';
import { directFrameCount } from '../../server/realtime/direct-frames.ts';
import { call, closeAllClients, startTestServer, waitFor, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
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

  it('falls back to engine.io while it holds packets for a connection, so nothing overtakes them', async () => {
    const author = await server.client((await server.guest('Queued')).token);
    const viewer = await server.client();
    for (const c of [author, viewer]) expect((await call(c.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const serverSide = server.runtime.io.of('/').sockets.get(viewer.socket.id!)!;
    const conn = serverSide.conn as unknown as EngineSide & { transport: { writable: boolean } };
    // Hold engine.io's queue: a transport that is not writable keeps packets in writeBuffer.
    conn.transport.writable = false;
    serverSide.emit('server:shutdown', { reconnectInMs: 60_000 });
    expect(conn.writeBuffer.length).toBe(1);
    const order: string[] = [];
    viewer.socket.on('server:shutdown', () => order.push('notice'));
    viewer.socket.on('room', (f: RoomFrame) => {
      for (const e of f.events) if (e.type === 'say') order.push(`say ${e.content}`);
    });
    const before = directFrameCount();
    expect((await call(author.socket, 'say', { roomId: 'main-stage', content: 'after the notice', clientMsgId: 'queued-0001' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    // The author's frame went direct; the viewer's queued behind the notice.
    expect(conn.writeBuffer.length).toBe(2);
    expect(directFrameCount()).toBe(before + 1);
    conn.transport.writable = true;
    (serverSide.conn as unknown as { flush(): void }).flush();
    await waitFor(() => order.length >= 2, 3_000, 'queued packets');
    expect(order).toEqual(['notice', 'say after the notice']);
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
    // One writev: the ack's frame (header + payload) and the room frame (header + payload).
    expect(writes).toEqual([4]);
  });
});
