import type { PublicUser } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import type { ModRoomDetail, ModRoomRow } from '../../shared/moderation.ts';
import type { RoomRepository } from '../rooms/room.repository.ts';
import type { StatsService } from '../stats/stats.service.ts';
import type { ModerationRepository } from './moderation.repository.ts';
import type { ModerationService } from './moderation.service.ts';

const CONSOLE_ROOMS_MAX = 200;

/** Read side of the moderator console (/mod): the rooms a user moderates with their live numbers. */
export function createConsoleService(d: { rooms: RoomRepository; stats: StatsService; repo: ModerationRepository; moderation: ModerationService }) {
  return {
    /** Admins and global moderators see every room; room moderators and owners see theirs; others get forbidden. */
    async listRooms(actor: PublicUser | null): Promise<ModRoomRow[]> {
      if (!actor) throw new AppError('unauthenticated', 'Sign in to open the console.');
      let rooms;
      if (actor.role === 'admin' || actor.role === 'moderator') {
        rooms = await d.rooms.listRecent(CONSOLE_ROOMS_MAX);
      } else {
        const ids = await d.repo.moderatedRoomIds(actor.id);
        if (ids.length === 0) throw new AppError('forbidden', 'You do not moderate any room.');
        rooms = (await Promise.all(ids.slice(0, CONSOLE_ROOMS_MAX).map((id) => d.rooms.findById(id)))).filter((r) => r !== null);
      }
      const stats = await d.stats.read(rooms.map((r) => r.id));
      return rooms.flatMap((r) => {
        const s = stats.get(r.id);
        return s ? [{ id: r.id, title: r.title, slowModeSeconds: r.slowModeSeconds, readOnly: r.readOnly, stats: s }] : [];
      });
    },

    async roomDetail(actor: PublicUser | null, roomId: string, range: '1h' | '24h'): Promise<ModRoomDetail> {
      await d.moderation.authorise(actor, roomId);
      const room = await d.rooms.findById(roomId);
      if (!room) throw new AppError('unknown_room', `There is no room "${roomId}".`);
      const [stats, topChatters, series, audit, sanctions, terms] = await Promise.all([
        d.stats.read([roomId]),
        d.stats.topChatters(roomId, 10),
        d.stats.series(roomId, range),
        d.repo.auditLog(roomId, 100),
        d.repo.listActiveSanctions(roomId),
        d.repo.blockedTerms(roomId),
      ]);
      const s = stats.get(roomId);
      if (!s) throw new AppError('internal', 'stats missing');
      return {
        id: room.id,
        title: room.title,
        ownerId: room.ownerId,
        slowModeSeconds: room.slowModeSeconds,
        readOnly: room.readOnly,
        stats: s,
        topChatters,
        series,
        audit,
        sanctions,
        terms: { roomId, ...terms },
      };
    },
  };
}

export type ConsoleService = ReturnType<typeof createConsoleService>;
