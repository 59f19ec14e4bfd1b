import type { PublicUser, RoomListing, RoomSummary } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { slugify } from '../../shared/schemas.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { UserRepository } from '../identity/user.repository.ts';
import type { RoomRepository } from './room.repository.ts';

export const DEFAULT_ROOM = { id: 'main-stage', title: 'Main stage' } as const;

/** Every lobby tab polls the list; one computation serves them all for this long. */
const LIST_TTL_MS = 2_000;

export function createLobbyService(deps: { rooms: RoomRepository; users: UserRepository; presence: PresenceStore }) {
  let cached: { at: number; limit: number; list: Promise<RoomListing[]> } | undefined;
  return {
    async ensureDefaultRoom(): Promise<void> {
      await deps.rooms.ensure(DEFAULT_ROOM);
    },

    /** Rooms on air first, then newest activity first, with live online counts. */
    list(limit = 100): Promise<RoomListing[]> {
      if (cached && cached.limit === limit && Date.now() - cached.at < LIST_TTL_MS) return cached.list;
      const list = (async () => {
        const rooms = await deps.rooms.listRecent(limit);
        const counts = await deps.presence.counts(rooms.map((r) => r.id));
        const listed = rooms.map((r) => ({ ...r, online: counts.get(r.id)?.connections ?? 0 }));
        return liveFirst(listed);
      })();
      cached = { at: Date.now(), limit, list };
      list.catch(() => (cached = undefined));
      return list;
    },

    /** A room changed in a way the lobby shows (its stream went live): the next list reads again. */
    forget(): void {
      cached = undefined;
    },

    async create(user: PublicUser | null, input: { title: string; slug?: string | undefined }): Promise<RoomSummary> {
      if (!user) throw new AppError('unauthenticated', 'Pick a display name before creating a room.');
      const id = input.slug ?? slugify(input.title);
      await deps.users.ensure(user);
      const room = await deps.rooms.create({ id, title: input.title, ownerId: user.id });
      if (!room) throw new AppError('conflict', `The address "${id}" is taken; choose another.`);
      cached = undefined;
      return room;
    },
  };
}

/** Live rooms first; the order within each part (newest activity first) is kept. */
export function liveFirst<T extends RoomSummary>(rooms: T[]): T[] {
  return [...rooms.filter((r) => r.stream.status === 'live'), ...rooms.filter((r) => r.stream.status !== 'live')];
}

export type LobbyService = ReturnType<typeof createLobbyService>;
