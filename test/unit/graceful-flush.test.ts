import { describe, expect, it } from 'vitest';
import { holdWrites, releaseHeldWrites, releaseHeldWritesAfterFrames } from '../../server/realtime/hold-writes.ts';
import { queuesFlushed } from '../../server/realtime/slow-consumers.ts';
import type { IoServer, IoSocket } from '../../server/realtime/types.ts';

/** The parts of a Socket.IO socket the two modules read: engine.io's queue, ws, and the TCP socket's cork count. */
function fakeSocket() {
  const tcp = { corked: 0, cork: () => void tcp.corked++, uncork: () => void tcp.corked-- };
  const conn = { writeBuffer: [] as { data: string }[], transport: { name: 'websocket', socket: { bufferedAmount: 0, _socket: tcp } } };
  return { tcp, conn, socket: { conn } as unknown as IoSocket };
}

const ioOf = (...sockets: IoSocket[]) => ({ of: () => ({ sockets: new Map(sockets.map((s, i) => [String(i), s])) }) }) as unknown as IoServer;

describe('graceful stop: held writes and queued packets', () => {
  it('releases held writes at once when asked, without waiting for the scheduled release', () => {
    const a = fakeSocket();
    holdWrites(a.socket);
    holdWrites(a.socket);
    releaseHeldWritesAfterFrames(); // scheduled for the check phase, which a stop may never reach
    expect(a.tcp.corked).toBe(2);
    releaseHeldWrites();
    expect(a.tcp.corked).toBe(0);
  });

  it('waits until every connection has handed its queue to the kernel', async () => {
    const a = fakeSocket();
    a.conn.writeBuffer.push({ data: '2["server:shutdown",{}]' });
    setTimeout(() => a.conn.writeBuffer.splice(0), 30);
    const started = performance.now();
    await queuesFlushed(ioOf(a.socket), 5_000);
    expect(a.conn.writeBuffer).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives up after maxMs on a reader that stopped reading', async () => {
    const stuck = fakeSocket();
    stuck.conn.transport.socket.bufferedAmount = 4_096;
    const started = performance.now();
    await queuesFlushed(ioOf(stuck.socket), 60);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});
