import type { PublicUser, Restriction } from '../../shared/contract.ts';

/**
 * What a room's rules say about a user: the sanction in force and whether they moderate the room.
 * Moderation implements it (server/moderation/moderation.access.ts); the room handlers depend on this
 * contract, not on moderation.
 */
export interface RoomAccess {
  restrictionFor(user: PublicUser | null, roomId: string): Promise<Restriction | null>;
  canModerate(user: PublicUser | null, roomId: string): Promise<boolean>;
}
