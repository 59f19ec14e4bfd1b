import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublicUser, Restriction, RoomSummary } from '../../shared/contract.ts';
import { ModerationAccess, ROOM_LOAD_CAP, type AccessRepository } from '../../server/moderation/moderation.access.ts';
import { strongestRestriction } from '../../server/moderation/moderation.repository.ts';

type Row = { roomId: string; userId: string; kind: 'timeout' | 'ban'; until: Date | null; reason: string | null };

/** The database as the access rules see it, counting every query. */
function fakeRepository() {
  const sanctions: Row[] = [];
  const moderators = new Set<string>(); // `${roomId}/${userId}`
  const queries = { roomSanctions: 0, userSanction: 0, roomModerators: 0, userModerator: 0 };
  const inForce = (roomId: string, now: Date) => sanctions.filter((s) => s.roomId === roomId && (!s.until || s.until > now));
  const repo: AccessRepository = {
    async activeRestriction(roomId, userId, now = new Date()) {
      queries.userSanction++;
      return strongestRestriction(inForce(roomId, now).filter((s) => s.userId === userId));
    },
    async activeRestrictionsByUser(roomId, limit, now = new Date()) {
      queries.roomSanctions++;
      const rows = inForce(roomId, now);
      if (rows.length > limit) return null;
      const users = new Set(rows.map((r) => r.userId));
      return new Map([...users].map((u) => [u, strongestRestriction(rows.filter((r) => r.userId === u)) as Restriction]));
    },
    async isRoomModerator(roomId, userId) {
      queries.userModerator++;
      return moderators.has(`${roomId}/${userId}`);
    },
    async roomModeratorIds(roomId, limit) {
      queries.roomModerators++;
      const ids = [...moderators].filter((m) => m.startsWith(`${roomId}/`)).map((m) => m.slice(roomId.length + 1));
      return ids.length > limit ? null : new Set(ids);
    },
    async blockedTerms() {
      return { room: ['spam'], global: ['scam link'] };
    },
  };
  return { repo, sanctions, moderators, queries };
}

function fakeRooms(owners: Record<string, string>) {
  const invalidated: string[] = [];
  return {
    invalidated,
    async get(id: string) {
      return (owners[id] ? { id, ownerId: owners[id] } : null) as RoomSummary | null;
    },
    invalidate: (id: string) => void invalidated.push(id),
  };
}

const guest = (id: string, role: PublicUser['role'] = 'guest'): PublicUser => ({ id, name: id, role, tag: id.slice(0, 4) });
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000);

let db: ReturnType<typeof fakeRepository>;
let rooms: ReturnType<typeof fakeRooms>;
let access: ModerationAccess;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-01T12:00:00Z'));
  db = fakeRepository();
  rooms = fakeRooms({ r1: 'owner', r2: 'owner2' });
  access = new ModerationAccess(db.repo, rooms);
});
afterEach(() => vi.useRealTimers());

describe('ModerationAccess: one load per room, not per user', () => {
  it('answers N different users joining one room with 1 sanctions query and 1 moderators query', async () => {
    db.sanctions.push({ roomId: 'r1', userId: 'u7', kind: 'ban', until: null, reason: 'spam' });
    db.moderators.add('r1/u9');
    const users = Array.from({ length: 500 }, (_, i) => guest(`u${i}`));
    // A join storm: every join asks both questions at once.
    const answers = await Promise.all(users.map(async (u) => [await access.restrictionFor(u, 'r1'), await access.canModerate(u, 'r1')] as const));
    expect(db.queries).toEqual({ roomSanctions: 1, userSanction: 0, roomModerators: 1, userModerator: 0 });
    expect(answers.filter(([r]) => r !== null).map(([r]) => r?.kind)).toEqual(['ban']);
    expect(answers[7]?.[0]).toEqual({ kind: 'ban', until: null, reason: 'spam' });
    expect(answers.filter(([, m]) => m).length).toBe(1);
    expect(answers[9]?.[1]).toBe(true);
    // Later joins within the TTL read nothing.
    await access.restrictionFor(guest('late'), 'r1');
    await access.canModerate(guest('late'), 'r1');
    expect(db.queries.roomSanctions + db.queries.roomModerators).toBe(2);
  });

  it('loads each room once and reloads after the TTL', async () => {
    await Promise.all(['a', 'b', 'c'].flatMap((u) => [access.restrictionFor(guest(u), 'r1'), access.restrictionFor(guest(u), 'r2')]));
    expect(db.queries.roomSanctions).toBe(2);
    vi.setSystemTime(Date.now() + 5_001);
    await access.restrictionFor(guest('a'), 'r1');
    expect(db.queries.roomSanctions).toBe(3);
  });

  it('shares one query among lookups that arrive while the room is being loaded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = db.repo.activeRestrictionsByUser;
    db.repo.activeRestrictionsByUser = async (...args) => (await gate, load(...args));
    const lookups = Array.from({ length: 100 }, (_, i) => access.restrictionFor(guest(`u${i}`), 'r1'));
    release();
    await Promise.all(lookups);
    expect(db.queries.roomSanctions).toBe(1);
  });
});

describe('ModerationAccess: same answers as before', () => {
  it('a ban beats a timeout; among timeouts the one ending last wins; no sanction is null', async () => {
    db.sanctions.push(
      { roomId: 'r1', userId: 'both', kind: 'timeout', until: inMinutes(60), reason: 't' },
      { roomId: 'r1', userId: 'both', kind: 'ban', until: null, reason: 'b' },
      { roomId: 'r1', userId: 'two', kind: 'timeout', until: inMinutes(5), reason: 'short' },
      { roomId: 'r1', userId: 'two', kind: 'timeout', until: inMinutes(30), reason: 'long' },
      { roomId: 'r2', userId: 'other-room', kind: 'ban', until: null, reason: null },
    );
    expect(await access.restrictionFor(guest('both'), 'r1')).toMatchObject({ kind: 'ban', reason: 'b' });
    expect(await access.restrictionFor(guest('two'), 'r1')).toEqual({ kind: 'timeout', until: inMinutes(30).toISOString(), reason: 'long' });
    expect(await access.restrictionFor(guest('none'), 'r1')).toBeNull();
    expect(await access.restrictionFor(guest('other-room'), 'r1')).toBeNull();
    expect(await access.restrictionFor(null, 'r1')).toBeNull();
  });

  it('a timeout that runs out while cached is over, without another query', async () => {
    db.sanctions.push({ roomId: 'r1', userId: 'u', kind: 'timeout', until: new Date(Date.now() + 1_000), reason: null });
    expect(await access.restrictionFor(guest('u'), 'r1')).toMatchObject({ kind: 'timeout' });
    vi.setSystemTime(Date.now() + 1_000);
    expect(await access.restrictionFor(guest('u'), 'r1')).toBeNull();
    expect(db.queries.roomSanctions).toBe(1);
  });

  it('global roles, the owner and appointed moderators moderate; others and anonymous do not', async () => {
    db.moderators.add('r1/appointed');
    expect(await access.canModerate(guest('adm', 'admin'), 'r1')).toBe(true);
    expect(await access.canModerate(guest('gm', 'moderator'), 'r2')).toBe(true);
    expect(await access.canModerate(guest('owner'), 'r1')).toBe(true);
    expect(await access.canModerate(guest('owner'), 'r2')).toBe(false);
    expect(await access.canModerate(guest('appointed'), 'r1')).toBe(true);
    expect(await access.canModerate(guest('appointed'), 'r2')).toBe(false);
    expect(await access.canModerate(guest('plain'), 'r1')).toBe(false);
    expect(await access.canModerate(null, 'r1')).toBe(false);
    expect(await access.canAppoint(guest('owner'), 'r1')).toBe(true);
    expect(await access.canAppoint(guest('appointed'), 'r1')).toBe(false);
  });
});

describe('ModerationAccess: invalidation', () => {
  it('sanction scope: the very next lookup sees a new ban, and a lift', async () => {
    expect(await access.restrictionFor(guest('u'), 'r1')).toBeNull();
    const ban: Row = { roomId: 'r1', userId: 'u', kind: 'ban', until: null, reason: null };
    db.sanctions.push(ban);
    expect(await access.restrictionFor(guest('u'), 'r1')).toBeNull(); // cached, as intended
    access.invalidate({ roomId: 'r1', userId: 'u', scope: 'sanction' });
    expect(await access.restrictionFor(guest('u'), 'r1')).toMatchObject({ kind: 'ban' });
    db.sanctions.length = 0;
    access.invalidate({ roomId: 'r1', scope: 'sanction' });
    expect(await access.restrictionFor(guest('u'), 'r1')).toBeNull();
    expect(db.queries.roomSanctions).toBe(3);
    expect(db.queries.roomModerators).toBe(0);
  });

  it('a ban committed while the room is loading is seen by the next lookup', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = db.repo.activeRestrictionsByUser;
    db.repo.activeRestrictionsByUser = async (...args) => {
      const before = await load(...args);
      await gate;
      return before;
    };
    const inFlight = access.restrictionFor(guest('u'), 'r1');
    await Promise.resolve();
    db.sanctions.push({ roomId: 'r1', userId: 'u', kind: 'ban', until: null, reason: null });
    access.invalidate({ roomId: 'r1', userId: 'u', scope: 'sanction' });
    db.repo.activeRestrictionsByUser = load;
    const after = access.restrictionFor(guest('u'), 'r1');
    release();
    expect(await inFlight).toBeNull();
    expect(await after).toMatchObject({ kind: 'ban' });
    expect(await access.restrictionFor(guest('u'), 'r1')).toMatchObject({ kind: 'ban' });
  });

  it('moderators scope: appointment and dismissal show at once; other scopes keep the room loaded', async () => {
    expect(await access.canModerate(guest('h'), 'r1')).toBe(false);
    db.moderators.add('r1/h');
    access.invalidate({ roomId: 'r1', scope: 'sanction' });
    access.invalidate({ roomId: 'r1', scope: 'terms' });
    expect(await access.canModerate(guest('h'), 'r1')).toBe(false); // not this scope: still cached
    access.invalidate({ roomId: 'r1', userId: 'h', scope: 'moderators' });
    expect(await access.canModerate(guest('h'), 'r1')).toBe(true);
    db.moderators.delete('r1/h');
    access.invalidate({ roomId: 'r1', userId: 'h', scope: 'moderators' });
    expect(await access.canModerate(guest('h'), 'r1')).toBe(false);
    expect(db.queries.roomModerators).toBe(3);
  });

  it('terms and settings scopes drop the terms and the room', async () => {
    const terms = vi.spyOn(db.repo, 'blockedTerms');
    expect(await access.blockedTerms('r1')).toEqual(['scam link', 'spam']);
    await access.blockedTerms('r1');
    access.invalidate({ roomId: 'r1', scope: 'terms' });
    await access.blockedTerms('r1');
    expect(terms).toHaveBeenCalledTimes(2);
    access.invalidate({ roomId: 'r1', scope: 'settings' });
    expect(rooms.invalidated).toEqual(['r1', 'r1']);
  });
});

describe('ModerationAccess: a room over the load cap', () => {
  beforeEach(() => {
    for (let i = 0; i <= ROOM_LOAD_CAP; i++) db.sanctions.push({ roomId: 'r1', userId: `bad${i}`, kind: 'ban', until: null, reason: null });
    db.sanctions.push({ roomId: 'r1', userId: 'bad1', kind: 'timeout', until: inMinutes(9), reason: null });
    db.sanctions.push({ roomId: 'r1', userId: 't', kind: 'timeout', until: inMinutes(9), reason: 'x' });
    for (let i = 0; i <= ROOM_LOAD_CAP; i++) db.moderators.add(`r1/m${i}`);
  });

  it('falls back to per-user queries with the same answers, trying the room load once per TTL', async () => {
    expect(await access.restrictionFor(guest('bad1'), 'r1')).toMatchObject({ kind: 'ban' });
    expect(await access.restrictionFor(guest('t'), 'r1')).toMatchObject({ kind: 'timeout', reason: 'x' });
    expect(await access.restrictionFor(guest('fine'), 'r1')).toBeNull();
    expect(await access.restrictionFor(guest('fine'), 'r1')).toBeNull();
    expect(db.queries).toMatchObject({ roomSanctions: 1, userSanction: 3 });
    expect(await access.canModerate(guest('m5'), 'r1')).toBe(true);
    expect(await access.canModerate(guest('plain'), 'r1')).toBe(false);
    expect(db.queries).toMatchObject({ roomModerators: 1, userModerator: 2 });
  });

  it('invalidation reaches the per-user answers too', async () => {
    expect(await access.restrictionFor(guest('fine'), 'r1')).toBeNull();
    db.sanctions.push({ roomId: 'r1', userId: 'fine', kind: 'ban', until: null, reason: null });
    access.invalidate({ roomId: 'r1', userId: 'fine', scope: 'sanction' });
    expect(await access.restrictionFor(guest('fine'), 'r1')).toMatchObject({ kind: 'ban' });
    db.sanctions.splice(0); // lifted everything: the room fits again
    access.invalidate({ roomId: 'r1', scope: 'sanction' });
    expect(await access.restrictionFor(guest('fine'), 'r1')).toBeNull();
    expect(db.queries).toMatchObject({ roomSanctions: 3, userSanction: 2 });
  });
});

describe('ModerationAccess: answers from the cache alone (the comment checks)', () => {
  const r1 = { id: 'r1', ownerId: 'owner' };

  it('knows nothing until a lookup loaded the room, then answers as the lookups do, without a query', async () => {
    db.sanctions.push({ roomId: 'r1', userId: 'banned', kind: 'ban', until: null, reason: null });
    db.moderators.add('r1/appointed');
    expect(access.cachedRestriction(guest('banned'), 'r1')).toBeUndefined();
    expect(access.cachedCanModerate(guest('appointed'), r1)).toBeUndefined();
    expect(access.cachedBlockedTerms('r1')).toBeUndefined();
    // Global roles and the owner need nothing loaded.
    expect(access.cachedCanModerate(guest('gm', 'moderator'), r1)).toBe(true);
    expect(access.cachedCanModerate(guest('owner'), r1)).toBe(true);

    const terms = vi.spyOn(db.repo, 'blockedTerms');
    await access.restrictionFor(guest('x'), 'r1');
    await access.canModerate(guest('x'), 'r1');
    await access.blockedTerms('r1');
    const queries = { ...db.queries };
    expect(access.cachedRestriction(guest('banned'), 'r1')).toMatchObject({ kind: 'ban' });
    expect(access.cachedRestriction(guest('free'), 'r1')).toBeNull();
    expect(access.cachedCanModerate(guest('appointed'), r1)).toBe(true);
    expect(access.cachedCanModerate(guest('plain'), r1)).toBe(false);
    expect(access.cachedBlockedTerms('r1')).toEqual(['scam link', 'spam']);
    expect(db.queries).toEqual(queries);
    expect(terms).toHaveBeenCalledTimes(1);
  });

  it('a timeout that runs out while cached is over here too', async () => {
    db.sanctions.push({ roomId: 'r1', userId: 'u', kind: 'timeout', until: new Date(Date.now() + 1_000), reason: null });
    await access.restrictionFor(guest('u'), 'r1');
    expect(access.cachedRestriction(guest('u'), 'r1')).toMatchObject({ kind: 'timeout' });
    vi.setSystemTime(Date.now() + 1_000);
    expect(access.cachedRestriction(guest('u'), 'r1')).toBeNull();
  });

  it('an invalidation makes the cache answer "not known" again, so the next comment reads the change', async () => {
    await access.restrictionFor(guest('u'), 'r1');
    await access.canModerate(guest('u'), 'r1');
    await access.blockedTerms('r1');
    access.invalidate({ roomId: 'r1', userId: 'u', scope: 'sanction' });
    access.invalidate({ roomId: 'r1', userId: 'u', scope: 'moderators' });
    access.invalidate({ roomId: 'r1', scope: 'terms' });
    expect(access.cachedRestriction(guest('u'), 'r1')).toBeUndefined();
    expect(access.cachedCanModerate(guest('u'), r1)).toBeUndefined();
    expect(access.cachedBlockedTerms('r1')).toBeUndefined();
  });

  it('a room over the load cap answers per user: known only for users already looked up', async () => {
    for (let i = 0; i <= ROOM_LOAD_CAP; i++) db.sanctions.push({ roomId: 'r1', userId: `b${i}`, kind: 'ban', until: null, reason: null });
    await access.restrictionFor(guest('b1'), 'r1');
    expect(access.cachedRestriction(guest('b1'), 'r1')).toMatchObject({ kind: 'ban' });
    expect(access.cachedRestriction(guest('b2'), 'r1')).toBeUndefined();
  });

  it('the same holds for appointments in a room over the cap', async () => {
    for (let i = 0; i <= ROOM_LOAD_CAP; i++) db.moderators.add(`r1/m${i}`);
    expect(await access.canModerate(guest('m1'), 'r1')).toBe(true);
    expect(await access.canModerate(guest('plain'), 'r1')).toBe(false);
    expect(access.cachedCanModerate(guest('m1'), r1)).toBe(true);
    expect(access.cachedCanModerate(guest('plain'), r1)).toBe(false);
    expect(access.cachedCanModerate(guest('m2'), r1)).toBeUndefined();
  });
});
