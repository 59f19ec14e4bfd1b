import { Prisma, type PrismaClient } from '../db/client.ts';
import type { StatsPoint } from '../../shared/moderation.ts';
import type { SeriesRow } from './stats-math.ts';

/** One instance's counts for one room and minute, added to what the other instances stored. */
export type MinuteDelta = StatsPoint<Date> & { roomId: string };

/** Minute rollups (RoomStatsMinute): every instance adds its own counts, peaks merge with GREATEST. */
export function createStatsRepository(prisma: PrismaClient) {
  return {
    async addMinutes(rows: MinuteDelta[]): Promise<void> {
      if (rows.length === 0) return;
      const values = Prisma.join(
        rows.map((r) => Prisma.sql`(${r.roomId}, ${r.minute.toISOString()}::timestamp, ${r.comments}::int, ${r.joins}::int, ${r.onlinePeak}::int, ${r.rateLimited}::int)`),
      );
      // Prisma keeps DateTime as UTC in "timestamp without time zone": the zone suffix is dropped by the cast.
      // Rooms deleted meanwhile would fail the foreign key: only rows for existing rooms are inserted.
      await prisma.$executeRaw`
        INSERT INTO "RoomStatsMinute" ("roomId", "minute", "comments", "joins", "onlinePeak", "rateLimited")
        SELECT v.* FROM (VALUES ${values}) AS v("roomId", "minute", "comments", "joins", "onlinePeak", "rateLimited")
        WHERE EXISTS (SELECT 1 FROM "Room" WHERE "Room".id = v."roomId")
        ON CONFLICT ("roomId", "minute") DO UPDATE SET
          "comments" = "RoomStatsMinute"."comments" + EXCLUDED."comments",
          "joins" = "RoomStatsMinute"."joins" + EXCLUDED."joins",
          "onlinePeak" = GREATEST("RoomStatsMinute"."onlinePeak", EXCLUDED."onlinePeak"),
          "rateLimited" = "RoomStatsMinute"."rateLimited" + EXCLUDED."rateLimited"`;
    },
    async minutes(roomId: string, since: Date): Promise<SeriesRow[]> {
      const rows = await prisma.roomStatsMinute.findMany({ where: { roomId, minute: { gte: since } }, orderBy: { minute: 'asc' } });
      return rows.map((r) => ({ minute: r.minute.getTime(), comments: r.comments, joins: r.joins, onlinePeak: r.onlinePeak, rateLimited: r.rateLimited }));
    },
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
