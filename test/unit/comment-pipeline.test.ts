import { describe, expect, it } from 'vitest';
import type { Comment, PublicUser, Restriction, RoomSummary } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { LIMITS } from '../../shared/limits.ts';
import { DomainEventBus } from '../../server/events.ts';
import { createCommentService, type CommentCheck, type CommentDraft } from '../../server/messages/comment.service.ts';
import type { NewComment, StoredComment } from '../../server/messages/message.repository.ts';
import { commentRateLimit } from '../../server/messages/rate-limit.check.ts';
import { createModerationChecks } from '../../server/moderation/moderation.checks.ts';
import { WriteShed } from '../../server/messages/write-batcher.ts';
import { NO_STREAM } from '../../shared/stream.ts';

const alice: PublicUser = { id: 'u-alice', name: 'Alice', tag: 'a1', role: 'guest' };
const mod: PublicUser = { id: 'u-mod', name: 'Mo', tag: 'm1', role: 'moderator' };

function roomNamed(id: string, rules: Partial<RoomSummary> = {}): RoomSummary {
  return { id, title: id, ownerId: null, lastSeq: 0, lastActivityAt: new Date(0).toISOString(), slowModeSeconds: 0, readOnly: false, stream: NO_STREAM, ...rules };
}

function commentOf(item: NewComment, seq: number): Comment {
  return {
    type: 'say',
    id: String(seq),
    roomId: item.roomId,
    seq,
    userId: item.userId,
    userName: item.userName,
    userTag: 't',
    content: item.content,
    commentTime: new Date(0).toISOString(),
    clientMsgId: item.clientMsgId,
    replyTo: item.replyTo ?? null,
    mentions: [],
  };
}

const refuse =
  (code: AppError['code'], extra: AppError['extra'] = {}): CommentCheck =>
  async () => {
    throw new AppError(code, `refused: ${code}`, extra);
  };

/**
 * The comment service over in-memory fakes. `calls` records every dependency call in order, so a test
 * can assert what ran, what did not, and in which order.
 */
function pipeline(opts: { checks?: CommentCheck[]; sent?: StoredComment | null; findSentFails?: boolean; storeAs?: Partial<StoredComment>; storeFails?: boolean; queueFull?: boolean } = {}) {
  const calls: string[] = [];
  const drafts: CommentDraft[] = [];
  const stored: NewComment[] = [];
  const rooms = new Map([['lobby', roomNamed('lobby')]]);
  const events = new DomainEventBus();
  const emitted: Comment[] = [];
  events.on('comment', (c) => emitted.push(c));
  const pages = { before: [] as unknown[], after: [] as unknown[] };
  const service = createCommentService({
    rooms: { get: async (id) => rooms.get(id) ?? null },
    messages: {
      findSent: async (roomId, userId, clientMsgId) => {
        calls.push(`findSent:${roomId}:${userId}:${clientMsgId}`);
        if (opts.findSentFails) throw new Error('database away');
        return opts.sent ?? null;
      },
      before: async (roomId, beforeSeq, limit) => {
        pages.before.push([roomId, beforeSeq, limit]);
        return { messages: [], hasMore: true };
      },
      from: async (roomId, afterSeq, limit) => {
        pages.after.push([roomId, afterSeq, limit]);
        return { messages: [], hasMore: true };
      },
    },
    batcher: {
      submit: async (item) => {
        calls.push('submit');
        if (opts.storeFails) throw new Error('connection reset');
        if (opts.queueFull) throw new WriteShed('full');
        stored.push(item);
        return { comment: commentOf(item, stored.length), retried: false, removed: false, ...opts.storeAs };
      },
    },
    // Keeps each check's own form: one that answers at once stays synchronous.
    checks: (opts.checks ?? []).map((run, i) => (draft: CommentDraft) => {
      calls.push(`check${i}`);
      drafts.push(draft);
      return run(draft);
    }),
    events,
  });
  return { service, calls, drafts, stored, emitted, pages };
}

const say = (content = 'hello', clientMsgId = 'msg-0001') => ({ roomId: 'lobby', content, clientMsgId });
const pass: CommentCheck = async () => {};

describe('comment pipeline (createCommentService)', () => {
  it('refuses an anonymous sender before anything else runs', async () => {
    const p = pipeline({ checks: [pass] });
    await expect(p.service.post(null, say())).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(p.calls).toEqual([]);
  });

  it('codes empty and over-long content, and stores the normalised text', async () => {
    const p = pipeline({ checks: [pass] });
    await expect(p.service.post(alice, say(' \n\t\u0007 '))).rejects.toMatchObject({ code: 'empty_comment' });
    await expect(p.service.post(alice, say('x'.repeat(LIMITS.commentMaxChars + 1)))).rejects.toMatchObject({ code: 'comment_too_long' });
    expect(p.calls).toEqual([]);

    const posted = await p.service.post(alice, say('  hi\u0007\r\nthere\u202E '));
    expect(posted.content).toBe('hi there');
    expect(p.drafts[0]?.content).toBe('hi there');
    expect(p.stored[0]?.content).toBe('hi there');
  });

  it('refuses an unknown room without running the checks', async () => {
    const p = pipeline({ checks: [pass] });
    await expect(p.service.post(alice, { ...say(), roomId: 'nowhere' })).rejects.toMatchObject({ code: 'unknown_room' });
    expect(p.calls).toEqual([]);
  });

  it('runs the checks in order, then stores (the author row comes with the insert)', async () => {
    const p = pipeline({ checks: [pass, pass, pass] });
    await p.service.post(alice, say());
    expect(p.calls).toEqual(['check0', 'check1', 'check2', 'submit']);
    expect(p.drafts[0]).toMatchObject({ user: alice, room: { id: 'lobby' }, content: 'hello' });
  });

  it('joins a retry that arrives while its first send is still being written: one write, one broadcast', async () => {
    const p = pipeline({ checks: [pass] });
    const [first, retry] = await Promise.all([p.service.submit(alice, say('hi', 'msg-0042')), p.service.submit(alice, say('hi', 'msg-0042'))]);
    expect(p.stored).toHaveLength(1);
    expect(first).toMatchObject({ fresh: true, comment: { seq: 1 } });
    expect(retry).toMatchObject({ fresh: false, comment: { seq: 1 } });
    expect(p.emitted.map((c) => c.seq)).toEqual([1]);
    // Once written, the same id goes to the store again (which answers it as a retry).
    await p.service.submit(alice, say('hi', 'msg-0042'));
    expect(p.calls.filter((c) => c === 'submit')).toHaveLength(2);
  });

  it('stops at the first refusal and rethrows it as is when nothing was stored', async () => {
    const p = pipeline({ checks: [pass, refuse('slow_mode', { retryAfterMs: 1234 }), refuse('banned')] });
    const err = await p.service.post(alice, say('hello', 'msg-0002')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'slow_mode', extra: { retryAfterMs: 1234 } });
    expect(p.calls).toEqual(['check0', 'check1', 'findSent:lobby:u-alice:msg-0002']);
  });

  it('takes a check that answers at once (no promise) like one that resolves or rejects', async () => {
    const syncPass: CommentCheck = () => undefined;
    const syncRefuse: CommentCheck = () => {
      throw new AppError('blocked_term', 'refused at once');
    };
    const passing = pipeline({ checks: [syncPass, pass] });
    await expect(passing.service.post(alice, say('hello', 'msg-0003'))).resolves.toMatchObject({ seq: 1 });
    expect(passing.calls).toEqual(['check0', 'check1', 'submit']);

    const refusing = pipeline({ checks: [syncPass, syncRefuse, refuse('banned')] });
    await expect(refusing.service.post(alice, say('hello', 'msg-0004'))).rejects.toMatchObject({ code: 'blocked_term' });
    // The refusal still looks for a stored send (a lost ack), and stops the pipeline.
    expect(refusing.calls).toEqual(['check0', 'check1', 'findSent:lobby:u-alice:msg-0004']);
  });

  it("rethrows the refusal's own code when the stored-send lookup fails", async () => {
    const p = pipeline({ checks: [refuse('rate_limited')], findSentFails: true });
    await expect(p.service.post(alice, say())).rejects.toMatchObject({ code: 'rate_limited' });
    expect(p.calls).not.toContain('submit');
  });

  it('answers a refused retry of an already stored send with the stored comment (lost ack)', async () => {
    const earlier = commentOf({ roomId: 'lobby', userId: alice.id, userName: alice.name, userRole: 'guest', content: 'hello', clientMsgId: 'msg-0001' }, 7);
    const p = pipeline({ checks: [refuse('slow_mode')], sent: { comment: earlier, retried: true, removed: false } });
    await expect(p.service.post(alice, say())).resolves.toEqual(earlier);
    expect(p.calls).toEqual(['check0', 'findSent:lobby:u-alice:msg-0001']);
    expect(p.emitted).toEqual([]);
  });

  it('answers a refused retry of a send a moderator removed with conflict', async () => {
    const earlier = commentOf({ roomId: 'lobby', userId: alice.id, userName: alice.name, userRole: 'guest', content: 'hello', clientMsgId: 'msg-0001' }, 7);
    const p = pipeline({ checks: [refuse('rate_limited')], sent: { comment: earlier, retried: true, removed: true } });
    await expect(p.service.post(alice, say())).rejects.toMatchObject({ code: 'conflict' });
    expect(p.emitted).toEqual([]);
  });

  it('sheds load at once when the write queue is full: unavailable with a retry time', async () => {
    const p = pipeline({ queueFull: true });
    const err = await p.service.post(alice, say()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as AppError).extra.retryAfterMs).toBeGreaterThanOrEqual(500);
    expect(p.emitted).toEqual([]);
  });

  it('turns a store failure into unavailable', async () => {
    const p = pipeline({ storeFails: true });
    const err = await p.service.post(alice, say()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect(p.emitted).toEqual([]);
  });

  it('emits a fresh comment exactly once and a retried one not at all', async () => {
    const fresh = pipeline();
    const posted = await fresh.service.post(alice, say());
    expect(fresh.emitted).toEqual([posted]);

    const retried = pipeline({ storeAs: { retried: true } });
    const again = await retried.service.post(alice, say());
    expect(again.content).toBe('hello');
    expect(retried.emitted).toEqual([]);
  });

  it('refuses with conflict when the store finds the send removed', async () => {
    const p = pipeline({ storeAs: { retried: true, removed: true } });
    await expect(p.service.post(alice, say())).rejects.toMatchObject({ code: 'conflict' });
    expect(p.emitted).toEqual([]);
  });

  it('history pages after afterSeq when given, before beforeSeq otherwise', async () => {
    const p = pipeline();
    await expect(p.service.history('lobby', { afterSeq: 5, limit: 20 })).resolves.toEqual({ messages: [], hasMore: true });
    await expect(p.service.history('lobby', { beforeSeq: 9, limit: 10 })).resolves.toEqual({ messages: [], hasMore: true });
    await p.service.history('lobby', { limit: 30 });
    expect(p.pages.after).toEqual([['lobby', 5, 20]]);
    expect(p.pages.before).toEqual([
      ['lobby', 9, 10],
      ['lobby', undefined, 30],
    ]);
    await expect(p.service.history('nowhere', { limit: 10 })).rejects.toMatchObject({ code: 'unknown_room' });
  });
});

const draft = (user: PublicUser, room: RoomSummary, content = 'hello'): CommentDraft => ({ user, room, content });
/** Runs a check as the pipeline does, a synchronous refusal included, and settles it as a promise. */
const settle = (check: CommentCheck, d: CommentDraft) => (async () => check(d))();

describe('comment rate limit (commentRateLimit)', () => {
  it('refuses the comment past the limit with rate_limited, a retry delay and a rateLimited event', async () => {
    const events = new DomainEventBus();
    const limited: [string, string][] = [];
    events.on('rateLimited', (roomId, userId) => limited.push([roomId, userId]));
    const check = commentRateLimit({ config: { commentRate: { points: 3, windowSeconds: 60 } }, redis: undefined, events });
    const room = roomNamed('rate-room');

    for (let i = 0; i < 3; i++) await check(draft(alice, room));
    expect(limited).toEqual([]);
    const err = await settle(check, draft(alice, room)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited' });
    const wait = (err as AppError).extra.retryAfterMs ?? 0;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(limited).toEqual([['rate-room', 'u-alice']]);

    // The budget is per user and per room.
    await check(draft(mod, room));
    await check(draft(alice, roomNamed('other-room')));
  });
});

describe.each([
  { how: 'answered from the cache', cached: true },
  { how: 'loaded', cached: false },
])('moderation checks (createModerationChecks), $how', ({ cached }) => {
  function checksWith(o: { restriction?: Restriction | null; terms?: string[] } = {}) {
    const loads = { count: 0 };
    const load = <T>(v: T) => {
      loads.count++;
      return Promise.resolve(v);
    };
    const checks = createModerationChecks(
      {
        restrictionFor: () => load(o.restriction ?? null),
        canModerate: (user) => load(user?.role === 'moderator'),
        blockedTerms: () => load(o.terms ?? []),
        cachedRestriction: () => (cached ? (o.restriction ?? null) : undefined),
        cachedCanModerate: (user) => (cached ? user.role === 'moderator' : undefined),
        cachedBlockedTerms: () => (cached ? (o.terms ?? []) : undefined),
      },
      undefined,
    );
    return { ...checks, loads };
  }
  const room = roomNamed('mod-room');

  it('lets an unrestricted user through', async () => {
    const { sanctions, roomRules, loads } = checksWith();
    await expect(settle(sanctions, draft(alice, room))).resolves.toBeUndefined();
    await expect(settle(roomRules, draft(alice, room))).resolves.toBeUndefined();
    // From the cache: answered in the same turn, with no promise and no lookup.
    const answers = [sanctions(draft(alice, room)), roomRules(draft(alice, room))];
    expect(answers.map((a) => a === undefined)).toEqual([cached, cached]);
    await Promise.all(answers);
    expect(loads.count).toBe(cached ? 0 : 6);
  });

  it('refuses a banned user with banned', async () => {
    const { sanctions } = checksWith({ restriction: { kind: 'ban', until: null, reason: null } });
    await expect(settle(sanctions, draft(alice, room))).rejects.toMatchObject({ code: 'banned' });
  });

  it('refuses a timed-out user with timed_out and the time left', async () => {
    const until = new Date(Date.now() + 120_000).toISOString();
    const { sanctions } = checksWith({ restriction: { kind: 'timeout', until, reason: 'spam' } });
    const err = (await settle(sanctions, draft(alice, room)).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('timed_out');
    expect(err.extra.retryAfterMs).toBeGreaterThan(110_000);
    expect(err.extra.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('refuses a read-only room to everyone but its moderators', async () => {
    const { roomRules } = checksWith();
    const readOnly = roomNamed('quiet', { readOnly: true });
    await expect(settle(roomRules, draft(alice, readOnly))).rejects.toMatchObject({ code: 'read_only' });
    await expect(settle(roomRules, draft(mod, readOnly))).resolves.toBeUndefined();
  });

  it('refuses blocked terms, whatever the case or width, moderators included', async () => {
    const { roomRules } = checksWith({ terms: ['bad word'] });
    await expect(settle(roomRules, draft(alice, room, 'a ＢＡＤ  Word here'))).rejects.toMatchObject({ code: 'blocked_term' });
    await expect(settle(roomRules, draft(mod, room, 'bad word'))).rejects.toMatchObject({ code: 'blocked_term' });
    await expect(settle(roomRules, draft(alice, room, 'a good word'))).resolves.toBeUndefined();
  });

  it('refuses a read-only room with read_only even when the blocked terms cannot be read', async () => {
    const checks = createModerationChecks(
      {
        restrictionFor: async () => null,
        canModerate: async () => false,
        blockedTerms: () => Promise.reject(new Error('database away')),
        cachedRestriction: () => (cached ? null : undefined),
        cachedCanModerate: () => (cached ? false : undefined),
        cachedBlockedTerms: () => undefined,
      },
      undefined,
    );
    await expect(settle(checks.roomRules, draft(alice, roomNamed('quiet', { readOnly: true })))).rejects.toMatchObject({ code: 'read_only' });
    // Elsewhere the failed read is the answer: the pipeline turns it into `unavailable`.
    await expect(settle(checks.roomRules, draft(alice, room))).rejects.toThrow('database away');
  });

  it('holds a user to one comment per slow-mode period, moderators exempt', async () => {
    const { roomRules } = checksWith();
    const slow = roomNamed('slow', { slowModeSeconds: 30 });
    await settle(roomRules, draft(alice, slow));
    const err = (await settle(roomRules, draft(alice, slow)).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('slow_mode');
    expect(err.extra.retryAfterMs).toBeGreaterThan(0);
    expect(err.extra.retryAfterMs).toBeLessThanOrEqual(30_000);
    for (let i = 0; i < 3; i++) await settle(roomRules, draft(mod, slow));
  });
});
