import { describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../support/fake-socket.ts';
import { RoomClient } from '../../app/_lib/room-client.ts';
import type { LiveSocket } from '../../app/_lib/socket.ts';
import { localOutboxStore, memoryOutboxStore, type OutboxStore } from '../../app/_lib/outbox-store.ts';
import type { Comment, JoinResult, RoomEvent } from '../../shared/contract.ts';
import type { Ack } from '../../shared/errors.ts';
import { NO_STREAM } from '../../shared/stream.ts';


const comment = (seq: number): Comment => ({
  type: 'say', replyTo: null, mentions: [], id: String(seq), roomId: 'r', seq, userId: 'u', userName: 'U', userTag: 'abcd',
  content: `c${seq}`, commentTime: new Date().toISOString(), clientMsgId: `cid-${seq}-xxxx`,
});

function joinResult(messages: Comment[], lastSeq: number, extra: Partial<JoinResult> = {}): Ack<JoinResult> {
  return {
    ok: true,
    data: {
      room: { id: 'r', title: 'R', ownerId: null, lastSeq, lastActivityAt: new Date().toISOString(), slowModeSeconds: 0, readOnly: false, stream: NO_STREAM },
      messages, truncated: false, hasMoreBefore: false,
      presence: { roomId: 'r', connections: 1, users: 1, list: [], partial: false },
      you: null, restriction: null, canModerate: false, ...extra,
    },
  };
}

/** One `room` frame, as the server sends it (protocol 2). */
const frame = (...events: RoomEvent[]) => ({ roomId: 'r', events });

function setup(store: OutboxStore = memoryOutboxStore()) {
  const socket = new FakeSocket();
  const client = new RoomClient(socket as unknown as LiveSocket, 'r', store);
  const stop = client.start();
  return { socket, client, stop, seqs: () => client.view.messages.map((m) => m.seq) };
}

describe('RoomClient merge logic', () => {
  it('joins without a position first, then resumes from the last contiguous seq', () => {
    const { socket, client, seqs } = setup();
    expect(socket.last('join').payload).toEqual({ roomId: 'r', lastSeq: null });
    socket.last('join').ack(null, joinResult([comment(1), comment(2)], 2));
    expect(seqs()).toEqual([1, 2]);
    socket.push('disconnect', 'transport close');
    expect(client.view.resyncing).toBe(true);
    socket.push('connect', undefined);
    expect(socket.last('join').payload).toEqual({ roomId: 'r', lastSeq: 2 });
    socket.last('join').ack(null, joinResult([comment(3), comment(4)], 4));
    expect(seqs()).toEqual([1, 2, 3, 4]);
    expect(client.view.resyncing).toBe(false);
  });

  it('keeps a live comment that arrives before its replay once, in order', () => {
    const { socket, seqs } = setup();
    socket.last('join').ack(null, joinResult([comment(1)], 1));
    socket.push('connect', undefined);
    socket.push('room', frame(comment(3))); // live frame overtakes the replay of 2..3
    socket.last('join').ack(null, joinResult([comment(2), comment(3)], 3));
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('asks for the missing range when a later comment arrives first', async () => {
    const { socket, seqs } = setup();
    socket.last('join').ack(null, joinResult([comment(1)], 1));
    socket.push('room', frame(comment(3)));
    await new Promise((r) => setTimeout(r, 450));
    const fill = socket.last('history');
    expect(fill.payload).toMatchObject({ roomId: 'r', afterSeq: 1 });
    fill.ack(null, { ok: true, data: { messages: [comment(2), comment(3)], hasMore: false } });
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('drops the outbox entry once acked, and resends a failed send automatically with the same id', async () => {
    vi.useFakeTimers();
    try {
      const { socket, client } = setup();
      socket.last('join').ack(null, joinResult([], 0));
      const sending = client.send('hello', 'fixed-id-123');
      expect(client.view.outbox).toMatchObject([{ clientMsgId: 'fixed-id-123', state: 'sending' }]);
      socket.last('say').ack(new Error('timeout'), undefined as never);
      expect(await sending).toMatchObject({ ok: false, rejected: false });
      expect(client.view.outbox).toMatchObject([{ state: 'pending', attempts: 1 }]);
      const says = () => socket.sent.filter((x) => x.event === 'say').length;
      expect(says()).toBe(1);
      await vi.advanceTimersByTimeAsync(1_300); // first backoff: 1 s ± 30 %
      expect(says()).toBe(2);
      expect(socket.last('say').payload).toMatchObject({ clientMsgId: 'fixed-id-123', content: 'hello' });
      socket.last('say').ack(null, { ok: true, data: { ...comment(1), clientMsgId: 'fixed-id-123' } });
      expect(client.view.outbox).toEqual([]);
      expect(client.view.messages.map((m) => m.seq)).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits the server\'s retryAfterMs (jittered) before resending an unavailable comment', async () => {
    vi.useFakeTimers();
    try {
      const { socket, client } = setup();
      socket.last('join').ack(null, joinResult([], 0));
      void client.send('later', 'later-id-1234');
      socket.last('say').ack(null, { ok: false, code: 'unavailable', message: 'Busy', retryAfterMs: 10_000 });
      await vi.advanceTimersByTimeAsync(6_900);
      expect(socket.sent.filter((x) => x.event === 'say')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(6_200);
      expect(socket.sent.filter((x) => x.event === 'say')).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends what was written while disconnected only after the re-join (never refused as not_joined)', async () => {
    vi.useFakeTimers();
    try {
      const { socket, client } = setup();
      socket.last('join').ack(null, joinResult([comment(1)], 1));
      socket.connected = false;
      socket.push('disconnect', 'transport close');
      void client.send('typed offline', 'offline-id-1234');
      socket.last('say').ack(new Error('timeout'), undefined as never);
      await vi.advanceTimersByTimeAsync(30_000); // resends wait for the connection
      expect(socket.sent.filter((x) => x.event === 'say')).toHaveLength(1);
      socket.connected = true;
      socket.push('connect', undefined);
      expect(socket.sent.filter((x) => x.event === 'say')).toHaveLength(1); // not before the join's ack
      socket.last('join').ack(null, joinResult([], 1));
      expect(socket.last('say').payload).toMatchObject({ clientMsgId: 'offline-id-1234', content: 'typed offline' });
      expect(client.view.outbox).toMatchObject([{ state: 'sending' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps unacknowledged comments across a page reload and sends them after the join, under their first id', () => {
    const store = memoryOutboxStore();
    const first = setup(store);
    first.socket.last('join').ack(null, joinResult([comment(1)], 1));
    void first.client.send('typed before the reload', 'reload-id-1234');
    void first.client.send('landed before the reload', 'cid-2-xxxx');
    first.stop(); // the page goes away with both unacknowledged

    const second = setup(store);
    expect(second.client.view.outbox).toMatchObject([
      { clientMsgId: 'reload-id-1234', content: 'typed before the reload', state: 'pending' },
      { clientMsgId: 'cid-2-xxxx', state: 'pending' },
    ]);
    expect(second.socket.sent.filter((x) => x.event === 'say')).toHaveLength(0); // not before the join's ack
    // The second one was stored before the reload: the join's page has it, so it is not sent again.
    second.socket.last('join').ack(null, joinResult([comment(1), comment(2)], 2));
    const says = second.socket.sent.filter((x) => x.event === 'say');
    expect(says.map((x) => x.payload)).toEqual([{ roomId: 'r', content: 'typed before the reload', clientMsgId: 'reload-id-1234' }]);
    says[0]!.ack(null, { ok: true, data: { ...comment(3), clientMsgId: 'reload-id-1234' } });
    expect(second.client.view.outbox).toEqual([]);
    expect(store.load('r')).toEqual([]);
  });

  it('keeps a discarded comment out of storage, and survives storage that throws or holds garbage', () => {
    const store = memoryOutboxStore();
    const { socket, client } = setup(store);
    socket.last('join').ack(null, joinResult([], 0));
    void client.send('never mind', 'discard-id-1234');
    expect(store.load('r')).toHaveLength(1);
    client.discard('discard-id-1234');
    expect(store.load('r')).toEqual([]);

    const broken = localOutboxStore({
      getItem: () => '{"not": "a list"',
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    });
    expect(broken.load('r')).toEqual([]);
    expect(() => broken.save('r', [{ clientMsgId: 'x-12345678', content: 'y' }])).not.toThrow();
  });

  it('hands a comment to the user as failed after about a minute of resends; Retry starts again', async () => {
    vi.useFakeTimers();
    try {
      const { socket, client } = setup();
      socket.last('join').ack(null, joinResult([], 0));
      void client.send('stubborn', 'stubborn-id-12');
      for (let i = 0; i < 7; i++) {
        socket.last('say').ack(null, { ok: false, code: 'internal', message: 'Oops' });
        await vi.advanceTimersByTimeAsync(30_000);
      }
      expect(socket.sent.filter((x) => x.event === 'say')).toHaveLength(7);
      expect(client.view.outbox).toMatchObject([{ state: 'failed', error: 'Oops' }]);
      client.retry('stubborn-id-12');
      expect(socket.sent.filter((x) => x.event === 'say')).toHaveLength(8);
      expect(client.view.outbox).toMatchObject([{ state: 'sending', attempts: 1 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands rejected comments back to the composer with the code', async () => {
    const { socket, client } = setup();
    socket.last('join').ack(null, joinResult([], 0));
    const sending = client.send('spam');
    socket.last('say').ack(null, { ok: false, code: 'rate_limited', message: 'Slow down', retryAfterMs: 5000 });
    expect(await sending).toMatchObject({ ok: false, rejected: true, error: { code: 'rate_limited', retryAfterMs: 5000 } });
    expect(client.view.outbox).toEqual([]);
  });

  it('removes deleted comments live', () => {
    const { socket, seqs } = setup();
    socket.last('join').ack(null, joinResult([comment(1), comment(2)], 2));
    socket.push('room', frame({ type: 'deleted', roomId: 'r', seqs: [1] }));
    expect(seqs()).toEqual([2]);
  });

  it('loads older comments before the first one, once at a time, until there are no more', () => {
    const { socket, client, seqs } = setup();
    socket.last('join').ack(null, joinResult([comment(51), comment(52)], 52, { hasMoreBefore: true }));
    client.loadOlder();
    client.loadOlder(); // ignored while the first request is in flight
    expect(socket.sent.filter((x) => x.event === 'history')).toHaveLength(1);
    expect(socket.last('history').payload).toEqual({ roomId: 'r', beforeSeq: 51 });
    expect(client.view.loadingOlder).toBe(true);
    socket.last('history').ack(null, { ok: true, data: { messages: [comment(49), comment(50)], hasMore: false } });
    expect(seqs()).toEqual([49, 50, 51, 52]);
    expect(client.view).toMatchObject({ loadingOlder: false, hasMoreBefore: false });
    client.loadOlder();
    expect(socket.sent.filter((x) => x.event === 'history')).toHaveLength(1);
  });

  describe('room frames (protocol 2)', () => {
    it('applies a frame of several comments, a join notice, presence and a deletion in order', () => {
      const { socket, client, seqs } = setup();
      socket.last('join').ack(null, joinResult([comment(1)], 1));
      const notice = { type: 'join' as const, roomId: 'r', userName: 'Ana', userId: 'a', msg: 'enters the Room', joinTime: new Date().toISOString(), names: ['Ana'], others: 0 };
      const presence = { type: 'presence' as const, roomId: 'r', connections: 7, users: 5, list: [], partial: false };
      socket.push('room', frame(comment(2), comment(3), notice, { type: 'deleted', roomId: 'r', seqs: [2] }, comment(4), presence));
      expect(seqs()).toEqual([1, 3, 4]);
      // The notice is placed after the newest comment known when it arrived (3), not after 4.
      expect(client.view.joins).toMatchObject([{ afterSeq: 3, notice: { userName: 'Ana' } }]);
      expect(client.view.presence).toMatchObject({ connections: 7, users: 5 });
    });

    it('ignores another room\'s frame', () => {
      const { socket, seqs } = setup();
      socket.last('join').ack(null, joinResult([comment(1)], 1));
      socket.push('room', { roomId: 'other', events: [{ ...comment(2), roomId: 'other' }] });
      expect(seqs()).toEqual([1]);
    });

    it('keeps comments once when a frame repeats the tail of the previous one (duplicates across a batch boundary)', () => {
      const { socket, seqs } = setup();
      socket.last('join').ack(null, joinResult([comment(1)], 1));
      socket.push('room', frame(comment(2), comment(3)));
      socket.push('room', frame(comment(3), comment(4)));
      expect(seqs()).toEqual([1, 2, 3, 4]);
      expect(socket.sent.filter((x) => x.event === 'history')).toHaveLength(0);
    });

    it('fills a gap between two frames from history, and none within a contiguous frame', async () => {
      const { socket, seqs } = setup();
      socket.last('join').ack(null, joinResult([comment(1)], 1));
      socket.push('room', frame(comment(2), comment(3)));
      socket.push('room', frame(comment(6), comment(7))); // 4..5 went out in a frame this client missed
      await new Promise((r) => setTimeout(r, 450));
      const fill = socket.last('history');
      expect(fill.payload).toMatchObject({ roomId: 'r', afterSeq: 3 });
      fill.ack(null, { ok: true, data: { messages: [comment(4), comment(5), comment(6), comment(7)], hasMore: false } });
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('fills a gap longer than one history page by asking again from the end of each page', async () => {
      const { socket, seqs } = setup();
      socket.last('join').ack(null, joinResult([comment(1)], 1));
      socket.push('room', frame(comment(500))); // 2..499 missed
      await new Promise((r) => setTimeout(r, 450));
      const first = socket.last('history');
      expect(first.payload).toMatchObject({ roomId: 'r', afterSeq: 1, limit: 200 });
      first.ack(null, { ok: true, data: { messages: Array.from({ length: 200 }, (_, i) => comment(2 + i)), hasMore: true } });
      const second = socket.last('history');
      expect(second.payload).toMatchObject({ afterSeq: 201 });
      second.ack(null, { ok: true, data: { messages: Array.from({ length: 200 }, (_, i) => comment(202 + i)), hasMore: true } });
      const third = socket.last('history');
      expect(third.payload).toMatchObject({ afterSeq: 401 });
      third.ack(null, { ok: true, data: { messages: Array.from({ length: 99 }, (_, i) => comment(402 + i)), hasMore: false } });
      expect(seqs()).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      expect(socket.sent.filter((x) => x.event === 'history')).toHaveLength(3);
    });

    it('resumes after a reconnect from the last seq of the last complete frame', () => {
      const { socket } = setup();
      socket.last('join').ack(null, joinResult([comment(1)], 1));
      socket.push('room', frame(comment(2), comment(3), comment(4)));
      socket.push('disconnect', 'transport close');
      socket.push('connect', undefined);
      expect(socket.last('join').payload).toEqual({ roomId: 'r', lastSeq: 4 });
    });
  });
});
