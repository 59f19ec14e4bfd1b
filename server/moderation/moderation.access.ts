import type { PublicUser, Restriction } from '../../shared/contract.ts';
import type { ModInvalidate } from '../../shared/contract.ts';
import type { RoomAccess } from '../rooms/room-access.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import { TtlCache } from './moderation.cache.ts';
import type { ModerationRepository } from './moderation.repository.ts';

const CACHE_TTL_MS = 5_000;
const key = (roomId: string, userId: string) => `${roomId}\u0000${userId}`;

/**
 * Who may do what in a room. Admins and global moderators (User.role) moderate every room; a room's
 * owner and its appointed moderators (RoomModerator) moderate that room. Only owners and admins appoint.
 */
export class ModerationAccess implements RoomAccess {
  private readonly restrictions = new TtlCache<Restriction | null>(CACHE_TTL_MS);
  private readonly appointed = new TtlCache<boolean>(CACHE_TTL_MS);
  private readonly terms = new TtlCache<string[]>(CACHE_TTL_MS, 10_000);

  constructor(
    private readonly repo: ModerationRepository,
    private readonly rooms: RoomCache,
  ) {}

  async restrictionFor(user: PublicUser | null, roomId: string): Promise<Restriction | null> {
    if (!user) return null;
    const r = await this.restrictions.get(key(roomId, user.id), () => this.repo.activeRestriction(roomId, user.id));
    // A timeout that ran out while cached is over.
    if (r?.until && Date.parse(r.until) <= Date.now()) return null;
    return r;
  }

  async canModerate(user: PublicUser | null, roomId: string): Promise<boolean> {
    if (!user) return false;
    if (user.role === 'admin' || user.role === 'moderator') return true;
    if (await this.isOwner(user, roomId)) return true;
    return this.appointed.get(key(roomId, user.id), () => this.repo.isRoomModerator(roomId, user.id));
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

  invalidate(msg: ModInvalidate): void {
    this.rooms.invalidate(msg.roomId);
    if (msg.scope === 'terms') this.terms.delete(msg.roomId);
    const target = msg.userId ? key(msg.roomId, msg.userId) : undefined;
    if (msg.scope === 'sanction') {
      if (target) this.restrictions.delete(target);
      else this.restrictions.deletePrefix(`${msg.roomId}\u0000`);
    }
    if (msg.scope === 'moderators') {
      if (target) this.appointed.delete(target);
      else this.appointed.deletePrefix(`${msg.roomId}\u0000`);
    }
  }

  private async isOwner(user: PublicUser, roomId: string): Promise<boolean> {
    const room = await this.rooms.get(roomId);
    return room?.ownerId === user.id;
  }
}
