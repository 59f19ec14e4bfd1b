import { describe, expect, it } from 'vitest';
import { FakeSocket } from '../support/fake-socket.ts';
import { RoomClient } from '../../app/_lib/room-client.ts';
import type { LiveSocket } from '../../app/_lib/socket.ts';
import { memoryOutboxStore } from '../../app/_lib/outbox-store.ts';
import type { Comment, JoinNotice, JoinResult, RoomEvent } from '../../shared/contract.ts';
import type { Ack } from '../../shared/errors.ts';
import { NO_STREAM } from '../../shared/stream.ts';


const comment = (seq: number, replyTo: number | null = null): Comment => ({
  type: 'say', id: String(seq), roomId: 'r', seq, userId: 'u', userName: 'U', userTag: 'abcd', content: `c${seq}`,
  commentTime: new Date().toISOString(), clientMsgId: `cid-${seq}-xxxx`, replyTo, mentions: [],
});

function joinResult(messages: Comment[], hasMoreBefore = false): Ack<JoinResult> {
  return {
    ok: true,
    data: {
      room: { id: 'r', title: 'R', ownerId: null, lastSeq: messages.at(-1)?.seq ?? 0, lastActivityAt: new Date().toISOString(), slowModeSeconds: 0, readOnly: false, stream: NO_STREAM },
      messages, truncated: false, hasMoreBefore,
      presence: { roomId: 'r', connections: 1, users: 1, list: [], partial: false },
      you: null, restriction: null, canModerate: false,
    },
  };
}

const frame = (...events: RoomEvent[]) => ({ roomId: 'r', events });
const notice = (name: string): JoinNotice => ({ type: 'join', roomId: 'r', userName: name, userId: name, msg: 'enters the Room', joinTime: new Date().toISOString(), names: [name], others: 0 });

function setup() {
  const socket = new FakeSocket();
  const client = new RoomClient(socket as unknown as LiveSocket, 'r', memoryOutboxStore());
  client.start();
  return { socket, client };
}

describe('RoomClient replies, quotes and join placement', () => {
  it('sends replyTo with the comment, and again on an automatic resend', async () => {
    const { socket, client } = setup();
    socket.last('join').ack(null, joinResult([comment(1)]));
    const sent = client.send('answer', 'cid-answer-1', 1);
    expect(socket.last('say').payload).toEqual({ roomId: 'r', content: 'answer', clientMsgId: 'cid-answer-1', replyTo: 1 });
    socket.last('say').ack(null, { ok: true, data: comment(2, 1) });
    await sent;
    expect(client.view.messages.at(-1)?.replyTo).toBe(1);
  });

  it('places our own join notice after the first page, not before all history', () => {
    const { socket, client } = setup();
    socket.push('room', frame(notice('Me'))); // our own notice overtakes the join ack
    socket.last('join').ack(null, joinResult([comment(1), comment(2)]));
    expect(client.view.joins.map((j) => j.afterSeq)).toEqual([2]);
    socket.push('room', frame(comment(3), notice('Later')));
    expect(client.view.joins.map((j) => j.afterSeq)).toEqual([2, 3]);
  });

  it('loads a quote that is not in the feed, and reports a deleted original as removed', () => {
    const { socket, client } = setup();
    socket.last('join').ack(null, joinResult([comment(50, 7), comment(51, 9)], true));
    client.loadQuote(7);
    expect(socket.last('history').payload).toEqual({ roomId: 'r', afterSeq: 6, limit: 1 });
    expect(client.view.quotes[7]).toBe('loading');
    socket.last('history').ack(null, { ok: true, data: { messages: [comment(7)], hasMore: true } });
    expect(client.view.quotes[7]).toMatchObject({ seq: 7, content: 'c7' });

    client.loadQuote(9);
    socket.last('history').ack(null, { ok: true, data: { messages: [comment(12)], hasMore: true } }); // 9 was deleted
    expect(client.view.quotes[9]).toBe('removed');
  });

  it('shows an original deleted live as removed', () => {
    const { socket, client } = setup();
    socket.last('join').ack(null, joinResult([comment(1), comment(2, 1)]));
    socket.push('room', frame({ type: 'deleted', roomId: 'r', seqs: [1] }));
    const before = socket.sent.length;
    client.loadQuote(1);
    expect(socket.sent.length).toBe(before); // no read needed: it was deleted before our eyes
    expect(client.view.quotes[1]).toBe('removed');
  });

  it('reveals an older original by paging back contiguously until the feed reaches it', async () => {
    const { socket, client } = setup();
    socket.last('join').ack(null, joinResult([comment(400), comment(401, 150)], true));
    const revealed = client.reveal(150);
    expect(socket.last('history').payload).toEqual({ roomId: 'r', beforeSeq: 400, limit: 200 });
    socket.last('history').ack(null, { ok: true, data: { messages: [comment(300), comment(399)], hasMore: true } });
    await Promise.resolve();
    expect(socket.last('history').payload).toEqual({ roomId: 'r', beforeSeq: 300, limit: 200 });
    socket.last('history').ack(null, { ok: true, data: { messages: [comment(150), comment(299)], hasMore: true } });
    await expect(revealed).resolves.toBe(true);
    expect(client.view.messages.map((m) => m.seq)).toEqual([150, 299, 300, 399, 400, 401]);
  });

  it('takes over a server-rendered first page: shows it at once, joins after it, draws nothing twice', () => {
    const socket = new FakeSocket();
    const client = new RoomClient(socket as unknown as LiveSocket, 'r', memoryOutboxStore(), { messages: [comment(8), comment(9)], hasMoreBefore: true });
    expect(client.view.messages.map((m) => m.seq)).toEqual([8, 9]);
    client.start();
    expect(socket.last('join').payload).toEqual({ roomId: 'r', lastSeq: 9 });
    socket.last('join').ack(null, joinResult([comment(9), comment(10)]));
    expect(client.view.messages.map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(client.view.hasMoreBefore).toBe(true); // from the page, not the replay
  });
});
