import type { PublicUser, Restriction, RoomSummary } from '../../shared/contract.ts';
import type { ModInvalidate } from '../../shared/contract.ts';
import type { RoomAccess } from '../rooms/room-access.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { ModerationRepository } from './moderation.repository.ts';

/**
 * At most this many sanctions (or appointments) are loaded for a room at once. A room normally has a
 * handful; one with more (a raid answered with mass bans, say) would make every refill a large query
 * and keep a large map per room on every instance, so past the cap that room is answered per user
 * instead, as before: one small indexed query per (room, user), cached for the TTL.
 */
export const ROOM_LOAD_CAP = 1_000;
/** Rooms whose sanctions and appointments are cached at once (each entry holds at most ROOM_LOAD_CAP). */
const MAX_ROOMS = 10_000;
const key = (roomId: string, userId: string) => `${roomId}\u0000${userId}`;
/** Admins and global moderators (User.role) moderate every room. */
const isGlobalStaff = (user: PublicUser): boolean => user.role === 'admin' || user.role === 'moderator';
/** A timeout that ran out while cached is over. */
const inForce = (r: Restriction | null): Restriction | null => (r?.until && Date.parse(r.until) <= Date.now() ? null : r);

export type AccessRepository = Pick<
  ModerationRepository,
  'activeRestriction' | 'activeRestrictionsByUser' | 'isRoomModerator' | 'roomModeratorIds' | 'blockedTerms'
>;

/**
 * Who may do what in a room. Admins and global moderators (User.role) moderate every room; a room's
 * owner and its appointed moderators (RoomModerator) moderate that room. Only owners and admins appoint.
 *
 * Sanctions and appointments are loaded per ROOM (all users at once, once per TTL) and answered per
 * user from memory, so a join storm of thousands of different users costs two queries per room, not
 * two per join. A null room entry means "over ROOM_LOAD_CAP": that room falls back to per-user queries.
 */
export class ModerationAccess implements RoomAccess {
  private readonly roomRestrictions: TtlCache<Map<string, Restriction> | null>;
  private readonly roomModerators: TtlCache<Set<string> | null>;
  /** Per-(room, user) answers, for rooms over the cap only. */
  private readonly restrictions: TtlCache<Restriction | null>;
  private readonly appointed: TtlCache<boolean>;
  private readonly terms: TtlCache<string[]>;

  /** `ttlMs`: see server/cache/hot-path-ttl.ts. */
  constructor(
    private readonly repo: AccessRepository,
    private readonly rooms: Pick<RoomCache, 'get' | 'invalidate'>,
    ttlMs = 5_000,
  ) {
    this.roomRestrictions = new TtlCache(ttlMs, MAX_ROOMS);
    this.roomModerators = new TtlCache(ttlMs, MAX_ROOMS);
    this.restrictions = new TtlCache(ttlMs);
    this.appointed = new TtlCache(ttlMs);
    this.terms = new TtlCache(ttlMs, MAX_ROOMS);
  }

  async restrictionFor(user: PublicUser | null, roomId: string): Promise<Restriction | null> {
    if (!user) return null;
    return inForce(await this.loadRestriction(roomId, user.id));
  }

  /**
   * `restrictionFor` from this instance's cache alone; undefined when what it needs is not cached (ask
   * `restrictionFor` then). The comment checks use the cached answers so that a comment costs no
   * promise per lookup in the common case (bench/README.md, change 33).
   */
  cachedRestriction(user: PublicUser, roomId: string): Restriction | null | undefined {
    const byUser = this.roomRestrictions.peek(roomId);
    if (byUser === undefined) return undefined;
    const r = byUser ? (byUser.get(user.id) ?? null) : this.restrictions.peek(key(roomId, user.id));
    return r === undefined ? undefined : inForce(r);
  }

  /** `canModerate` from the cache alone, for a room already in hand; undefined when not cached. */
  cachedCanModerate(user: PublicUser, room: Pick<RoomSummary, 'id' | 'ownerId'>): boolean | undefined {
    if (isGlobalStaff(user) || room.ownerId === user.id) return true;
    const ids = this.roomModerators.peek(room.id);
    if (ids === undefined) return undefined;
    return ids ? ids.has(user.id) : this.appointed.peek(key(room.id, user.id));
  }

  /** `blockedTerms` from the cache alone; undefined when not cached. */
  cachedBlockedTerms(roomId: string): string[] | undefined {
    return this.terms.peek(roomId);
  }

  async canModerate(user: PublicUser | null, roomId: string): Promise<boolean> {
    if (!user) return false;
    // Staff need no room lookup (and still moderate while the database is away).
    if (isGlobalStaff(user)) return true;
    // Who moderates is decided in one place, cachedCanModerate; only the appointments may need loading.
    const room = await this.rooms.get(roomId);
    return this.cachedCanModerate(user, { id: roomId, ownerId: room?.ownerId ?? null }) ?? this.isAppointed(roomId, user.id);
  }

  async canAppoint(user: PublicUser | null, roomId: string): Promise<boolean> {
    if (!user) return false;
    return user.role === 'admin' || (await this.isOwner(user, roomId));
  }

  /** Room and global terms, normalised, longest first. */
  blockedTerms(roomId: string): Promise<string[]> {
    return this.terms.get(roomId, async () => {
      const { room, global } = await this.repo.blockedTerms(roomId);
      return [...new Set([...room, ...global])].sort((a, b) => b.length - a.length);
    });
  }

  /** Forgets what this instance cached for the room in that scope; the very next lookup reads again. */
  invalidate(msg: ModInvalidate): void {
    this.rooms.invalidate(msg.roomId);
    if (msg.scope === 'terms') this.terms.delete(msg.roomId);
    if (msg.scope === 'sanction') this.forget(this.roomRestrictions, this.restrictions, msg);
    if (msg.scope === 'moderators') this.forget(this.roomModerators, this.appointed, msg);
  }

  private forget(room: TtlCache<unknown>, perUser: TtlCache<unknown>, msg: ModInvalidate): void {
    room.delete(msg.roomId);
    if (msg.userId) perUser.delete(key(msg.roomId, msg.userId));
    else perUser.deletePrefix(`${msg.roomId}\u0000`);
  }

  private async loadRestriction(roomId: string, userId: string): Promise<Restriction | null> {
    const byUser = await this.roomRestrictions.get(roomId, () => this.repo.activeRestrictionsByUser(roomId, ROOM_LOAD_CAP));
    if (byUser) return byUser.get(userId) ?? null;
    return this.restrictions.get(key(roomId, userId), () => this.repo.activeRestriction(roomId, userId));
  }

  private async isAppointed(roomId: string, userId: string): Promise<boolean> {
    const ids = await this.roomModerators.get(roomId, () => this.repo.roomModeratorIds(roomId, ROOM_LOAD_CAP));
    if (ids) return ids.has(userId);
    return this.appointed.get(key(roomId, userId), () => this.repo.isRoomModerator(roomId, userId));
  }

  private async isOwner(user: PublicUser, roomId: string): Promise<boolean> {
    const room = await this.rooms.get(roomId);
    return room?.ownerId === user.id;
  }
}
