import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllClients, collect, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { msgId, ownedRoom, staffToken } from '../support/moderation.ts';

let server: TestServer;
let room: string;
let mod: { token: string; user: { id: string } };

beforeAll(async () => {
  server = await startTestServer();
  const owner = await server.guest('Owner');
  room = await ownedRoom(server, owner.user, 'mod-room');
  mod = await staffToken(server, 'mia', 'moderator');
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

async function joined(token?: string, roomId = room) {
  const c = await server.client(token);
  const ack = await call(c.socket, 'join', { roomId });
  if (!ack.ok) throw new Error(ack.code);
  return { ...c, join: ack.data };
}

async function say(socket: Awaited<ReturnType<typeof joined>>['socket'], content: string, roomId = room) {
  return call(socket, 'say', { roomId, content, clientMsgId: msgId() });
}

describe('staff sign-in', () => {
  it('accepts the right password and rejects a wrong one with the same vague error', async () => {
    await server.runtime.staff.upsert('sam', 'right password 1', 'admin');
    const user = await server.runtime.staff.login('sam', 'right password 1');
    expect(user.role).toBe('admin');
    const row = await server.runtime.db.prisma.user.findUnique({ where: { login: 'sam' } });
    expect(row?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(server.runtime.staff.login('sam', 'wrong password')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(server.runtime.staff.login('nobody', 'whatever')).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('limits password guessing per login', async () => {
    await server.runtime.staff.upsert('guessme', 'right password 1', 'moderator');
    for (let i = 0; i < 10; i++) {
      await expect(server.runtime.staff.login('guessme', `wrong ${i}`)).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    await expect(server.runtime.staff.login('guessme', 'right password 1')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('limits sign-in attempts per client address across logins', async () => {
    const address = '203.0.113.7';
    for (let i = 0; i < 30; i++) {
      await expect(server.runtime.staff.login(`spray-${i}`, 'Winter2026!', address)).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    await expect(server.runtime.staff.login('spray-last', 'Winter2026!', address)).rejects.toMatchObject({ code: 'rate_limited' });
    // Another address is unaffected.
    await server.runtime.staff.upsert('elsewhere', 'right password 1', 'moderator');
    expect((await server.runtime.staff.login('elsewhere', 'right password 1', '198.51.100.1')).role).toBe('moderator');
  });
});

describe('authorisation', () => {
  it('answers forbidden to a guest for every moderation event', async () => {
    const guest = await server.guest('Gus');
    const victim = await server.guest('Vic');
    const { socket } = await joined(guest.token);
    const target = { roomId: room, userId: victim.user.id };
    const attempts: [Parameters<typeof call>[1], unknown][] = [
      ['mod:delete', { roomId: room, seqs: [1] }],
      ['mod:timeout', { ...target, minutes: 5 }],
      ['mod:ban', target],
      ['mod:lift', target],
      ['mod:purge', target],
      ['mod:settings', { roomId: room, slowModeSeconds: 10 }],
      ['mod:terms', { roomId: room, add: ['spam'] }],
      ['mod:close', target],
      ['mod:appoint', { roomId: room, userId: guest.user.id }],
    ];
    for (const [event, payload] of attempts) {
      const ack = await call(socket, event, payload);
      expect({ event, ack: ack.ok ? 'ok' : ack.code }).toEqual({ event, ack: 'forbidden' });
    }
    expect(await server.runtime.db.prisma.sanction.count({ where: { roomId: room } })).toBe(0);
    expect((await server.runtime.rooms.repository.findById(room))?.slowModeSeconds).toBe(0);
  });

  it('answers unauthenticated without a session and forbidden to a moderator appointing', async () => {
    const anon = await joined();
    const ack = await call(anon.socket, 'mod:ban', { roomId: room, userId: 'x' });
    expect(ack.ok ? 'ok' : ack.code).toBe('unauthenticated');
    const m = await joined(mod.token);
    const guest = await server.guest('Gil');
    const appoint = await call(m.socket, 'mod:appoint', { roomId: room, userId: guest.user.id });
    expect(appoint.ok ? 'ok' : appoint.code).toBe('forbidden');
  });

  it('tells the room page who can moderate', async () => {
    expect((await joined(mod.token)).join.canModerate).toBe(true);
    expect((await joined((await server.guest('Plain')).token)).join.canModerate).toBe(false);
  });

  it('lets the owner appoint a moderator, who can then act, and dismiss them', async () => {
    const owner = await server.guest('Olga');
    const slug = await ownedRoom(server, owner.user, 'olga-room');
    const helper = await server.guest('Hal');
    const o = await joined(owner.token, slug);
    expect((await joined(helper.token, slug)).join.canModerate).toBe(false);
    const ack = await call(o.socket, 'mod:appoint', { roomId: slug, userId: helper.user.id });
    expect(ack.ok).toBe(true);
    const h = await joined(helper.token, slug);
    expect(h.join.canModerate).toBe(true);
    expect((await call(h.socket, 'mod:settings', { roomId: slug, readOnly: false })).ok).toBe(true);
    // Appointed in one room only.
    const elsewhere = await call(h.socket, 'mod:settings', { roomId: room, readOnly: true });
    expect(elsewhere.ok ? 'ok' : elsewhere.code).toBe('forbidden');
    await call(o.socket, 'mod:appoint', { roomId: slug, userId: helper.user.id, remove: true });
    const after = await call(h.socket, 'mod:settings', { roomId: slug, readOnly: false });
    expect(after.ok ? 'ok' : after.code).toBe('forbidden');
  });

  it('refuses to sanction an admin', async () => {
    const admin = await staffToken(server, 'ada', 'admin');
    const m = await joined(mod.token);
    const ack = await call(m.socket, 'mod:ban', { roomId: room, userId: admin.user.id });
    expect(ack.ok ? 'ok' : ack.code).toBe('forbidden');
  });
});

describe('room-level lookups (what joins read)', () => {
  it('load every user\'s strongest sanction in force and the appointed moderators, up to a cap', async () => {
    const repo = server.runtime.moderation.repository;
    const owner = await server.guest('Rhea');
    const roomId = await ownedRoom(server, owner.user, 'lookup-room');
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    const add = (userId: string, kind: 'timeout' | 'ban', until: Date | null, reason: string) =>
      repo.addSanction({ roomId, userId, kind, until, reason, createdBy: owner.user.id });
    await add('both', 'timeout', at(10), 'timeout');
    await add('both', 'ban', null, 'ban');
    await add('two', 'timeout', at(5), 'short');
    await add('two', 'timeout', at(30), 'long');
    await add('ended', 'timeout', at(-1), 'over');
    await add('lifted', 'ban', null, 'lifted');
    await repo.liftSanctions(roomId, 'lifted');

    const byUser = await repo.activeRestrictionsByUser(roomId, 4);
    expect([...(byUser?.keys() ?? [])].sort()).toEqual(['both', 'two']);
    for (const userId of ['both', 'two', 'ended', 'lifted', 'nobody']) {
      expect(byUser?.get(userId) ?? null).toEqual(await repo.activeRestriction(roomId, userId));
    }
    expect(byUser?.get('two')?.reason).toBe('long');
    expect(await repo.activeRestrictionsByUser(roomId, 3)).toBeNull();

    const [a, b] = [await server.guest('Ann'), await server.guest('Ben')];
    await repo.appoint(roomId, a.user.id);
    await repo.appoint(roomId, b.user.id);
    expect(await repo.roomModeratorIds(roomId, 2)).toEqual(new Set([a.user.id, b.user.id]));
    expect(await repo.roomModeratorIds(roomId, 1)).toBeNull();
  });
});

describe('moderation actions', () => {
  it('deletes a comment live and from history, keeping it in the audit', async () => {
    const author = await server.guest('Ari');
    const a = await joined(author.token);
    const viewer = await joined();
    const deleted = collectRoom(viewer.socket, 'deleted');
    const sent = await say(a.socket, 'something rude');
    if (!sent.ok) throw new Error(sent.code);
    const m = await joined(mod.token);
    const ack = await call(m.socket, 'mod:delete', { roomId: room, seqs: [sent.data.seq], reason: 'rude' });
    expect(ack).toEqual({ ok: true, data: { seqs: [sent.data.seq] } });
    await waitFor(() => deleted.length > 0, 3_000, 'comments:deleted');
    expect(deleted[0]).toEqual({ type: 'deleted', roomId: room, seqs: [sent.data.seq] });
    const history = await call(viewer.socket, 'history', { roomId: room });
    expect(history.ok && history.data.messages.some((c) => c.seq === sent.data.seq)).toBe(false);
    const audit = await server.runtime.db.prisma.auditEntry.findFirst({ where: { roomId: room, action: 'delete' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actorId: mod.user.id, targetId: author.user.id, reason: 'rude' });
    expect(JSON.stringify(audit?.detail)).toContain('something rude');
  });

  it('does not bring a deleted comment back when its send is retried with the same client id', async () => {
    const author = await server.guest('Rex');
    const a = await joined(author.token);
    const viewer = await joined();
    const payload = { roomId: room, content: 'deleted then retried', clientMsgId: msgId('retry') };
    const seen = collectRoom(viewer.socket, 'say');
    const sent = await call(a.socket, 'say', payload);
    if (!sent.ok) throw new Error(sent.code);
    const m = await joined(mod.token);
    expect((await call(m.socket, 'mod:delete', { roomId: room, seqs: [sent.data.seq] })).ok).toBe(true);
    // The same send again (a retry after a lost ack, or a replay on purpose).
    const retry = await call(a.socket, 'say', payload);
    expect(retry).toMatchObject({ ok: false, code: 'conflict' });
    const probe = await call(a.socket, 'say', { roomId: room, content: 'after the retry', clientMsgId: msgId('probe') });
    expect(probe.ok).toBe(true);
    await waitFor(() => seen.some((c) => c.content === 'after the retry'), 3_000, 'the probe comment');
    // The first send's own broadcast, then the probe: the refused retry is not broadcast again.
    expect(seen.map((c) => c.content)).toEqual(['deleted then retried', 'after the retry']);
    const rows = await server.runtime.db.prisma.message.count({ where: { roomId: room, clientMsgId: payload.clientMsgId } });
    expect(rows).toBe(1);
  });

  it('times a user out: their tabs are told, sends ack timed_out with the wait, lifting restores them', async () => {
    const user = await server.guest('Tim');
    const t = await joined(user.token);
    const second = await joined(user.token);
    const frames = collect(second.socket, 'sanction');
    const m = await joined(mod.token);
    const ack = await call(m.socket, 'mod:timeout', { roomId: room, userId: user.user.id, minutes: 2, reason: 'cool off' });
    expect(ack.ok).toBe(true);
    await waitFor(() => frames.length > 0, 3_000, 'sanction frame');
    expect(frames[0]).toMatchObject({ roomId: room, kind: 'timeout', reason: 'cool off' });
    const blocked = await say(t.socket, 'let me talk');
    expect(blocked.ok).toBe(false);
    if (blocked.ok) return;
    expect(blocked.code).toBe('timed_out');
    expect(blocked.retryAfterMs).toBeGreaterThan(100_000);
    expect(blocked.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(blocked.message).toMatch(/2 min/);
    expect((await joined(user.token)).join.restriction).toMatchObject({ kind: 'timeout' });
    expect((await call(m.socket, 'mod:lift', { roomId: room, userId: user.user.id })).ok).toBe(true);
    expect((await say(t.socket, 'thanks')).ok).toBe(true);
  });

  it('bans a user: sends ack banned', async () => {
    const user = await server.guest('Ben');
    const b = await joined(user.token);
    const m = await joined(mod.token);
    expect((await call(m.socket, 'mod:ban', { roomId: room, userId: user.user.id })).ok).toBe(true);
    const ack = await say(b.socket, 'hello?');
    expect(ack.ok ? 'ok' : ack.code).toBe('banned');
    await call(m.socket, 'mod:lift', { roomId: room, userId: user.user.id });
  });

  it('purges a user\'s recent comments', async () => {
    const user = await server.guest('Pam');
    const p = await joined(user.token);
    const seqs: number[] = [];
    for (const text of ['one', 'two', 'three']) {
      const a = await say(p.socket, text);
      if (a.ok) seqs.push(a.data.seq);
    }
    const m = await joined(mod.token);
    const ack = await call(m.socket, 'mod:purge', { roomId: room, userId: user.user.id, minutes: 5 });
    expect(ack).toEqual({ ok: true, data: { seqs } });
    expect(await server.runtime.db.prisma.message.count({ where: { roomId: room, userId: user.user.id, deletedAt: null } })).toBe(0);
  });

  it('enforces slow mode per user, with moderators exempt, and announces the setting', async () => {
    const slug = await ownedRoom(server, (await server.guest('S-owner')).user, 'slow-room');
    const user = await server.guest('Sly');
    const s = await joined(user.token, slug);
    const settings = collect(s.socket, 'room:settings');
    const m = await joined(mod.token, slug);
    expect((await call(m.socket, 'mod:settings', { roomId: slug, slowModeSeconds: 30 })).ok).toBe(true);
    await waitFor(() => settings.length > 0, 3_000, 'room:settings');
    expect(settings[0]).toEqual({ roomId: slug, slowModeSeconds: 30, readOnly: false });
    expect((await say(s.socket, 'first', slug)).ok).toBe(true);
    const second = await say(s.socket, 'second', slug);
    expect(second.ok ? 'ok' : second.code).toBe('slow_mode');
    if (!second.ok) expect(second.retryAfterMs).toBeGreaterThan(20_000);
    expect((await say(m.socket, 'mod one', slug)).ok).toBe(true);
    expect((await say(m.socket, 'mod two', slug)).ok).toBe(true);
  });

  it('makes a room read-only for viewers but not for moderators', async () => {
    const slug = await ownedRoom(server, (await server.guest('R-owner')).user, 'quiet-room');
    const user = await server.guest('Rea');
    const r = await joined(user.token, slug);
    const m = await joined(mod.token, slug);
    await call(m.socket, 'mod:settings', { roomId: slug, readOnly: true });
    const ack = await say(r.socket, 'hi', slug);
    expect(ack.ok ? 'ok' : ack.code).toBe('read_only');
    expect((await say(m.socket, 'announcement', slug)).ok).toBe(true);
    await call(m.socket, 'mod:settings', { roomId: slug, readOnly: false });
    expect((await say(r.socket, 'hi again', slug)).ok).toBe(true);
  });

  it('rejects comments containing a blocked term, whatever the case or width', async () => {
    const user = await server.guest('Ted');
    const t = await joined(user.token);
    const m = await joined(mod.token);
    const ack = await call(m.socket, 'mod:terms', { roomId: room, add: ['Spoiler'] });
    expect(ack.ok && ack.data.room).toEqual(['spoiler']);
    for (const text of ['big SPOILER here', 'ｓｐｏｉｌｅｒ alert']) {
      const r = await say(t.socket, text);
      expect(r.ok ? 'ok' : r.code).toBe('blocked_term');
    }
    expect((await say(t.socket, 'harmless')).ok).toBe(true);
    await call(m.socket, 'mod:terms', { roomId: room, remove: ['spoiler'] });
    expect((await say(t.socket, 'spoiler now fine')).ok).toBe(true);
  });

  it('closes a user\'s connection in the room', async () => {
    const user = await server.guest('Cal');
    const c = await joined(user.token);
    const closes = collect(c.socket, 'server:close');
    const m = await joined(mod.token);
    const ack = await call(m.socket, 'mod:close', { roomId: room, userId: user.user.id, reason: 'bye' });
    expect(ack).toEqual({ ok: true, data: { closed: 1 } });
    await waitFor(() => !c.socket.connected, 3_000, 'disconnect');
    expect(closes[0]).toMatchObject({ reason: 'moderator', message: 'bye' });
  });
});

describe('stats', () => {
  it('counts page views, viewers, comments, chatters and actions, and rolls minutes into the database', async () => {
    const slug = await ownedRoom(server, (await server.guest('St-owner')).user, 'stats-room');
    const a = await server.guest('Ann');
    const b = await server.guest('Bob');
    const ca = await joined(a.token, slug);
    const cb = await joined(b.token, slug);
    await joined(a.token, slug); // a second tab: one more page view, same viewer
    await joined(undefined, slug); // anonymous: a page view, not a viewer
    await say(ca.socket, 'a1', slug);
    await say(ca.socket, 'a2', slug);
    await say(cb.socket, 'b1', slug);
    const m = await joined(mod.token, slug);
    await call(m.socket, 'mod:settings', { roomId: slug, slowModeSeconds: 0 });
    await server.runtime.stats.flush();
    const stats = (await server.runtime.stats.read([slug])).get(slug);
    expect(stats).toMatchObject({
      pageViews: 5,
      uniqueViewers: 3,
      commentsTotal: 3,
      commentsPerMinute: expect.any(Number),
      uniqueChatters: 2,
      moderationActions: 1,
      online: { connections: 5, users: 3 },
    });
    expect(stats?.commentsPerMinute).toBeGreaterThanOrEqual(1);
    expect(await server.runtime.stats.topChatters(slug)).toEqual([
      { userId: a.user.id, name: 'Ann', comments: 2 },
      { userId: b.user.id, name: 'Bob', comments: 1 },
    ]);
    await server.runtime.stats.rollup();
    const rows = await server.runtime.db.prisma.roomStatsMinute.findMany({ where: { roomId: slug } });
    expect(rows.reduce((s, r) => s + r.comments, 0)).toBe(3);
    expect(rows.reduce((s, r) => s + r.joins, 0)).toBe(5);
    expect(Math.max(...rows.map((r) => r.onlinePeak))).toBe(5);
    const series = await server.runtime.stats.series(slug, '1h');
    expect(series).toHaveLength(60);
    expect(series.reduce((s, p) => s + p.comments, 0)).toBe(3);
  });
});
