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

    /** Rooms, newest activity first, with live online counts. */
    list(limit = 100): Promise<RoomListing[]> {
      if (cached && cached.limit === limit && Date.now() - cached.at < LIST_TTL_MS) return cached.list;
      const list = (async () => {
        const rooms = await deps.rooms.listRecent(limit);
        const counts = await deps.presence.counts(rooms.map((r) => r.id));
        return rooms.map((r) => ({ ...r, online: counts.get(r.id)?.connections ?? 0 }));
      })();
      cached = { at: Date.now(), limit, list };
      list.catch(() => (cached = undefined));
      return list;
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

export type LobbyService = ReturnType<typeof createLobbyService>;
