import type { PrismaClient } from '../db/client.ts';
import type { RoomSummary } from '../../shared/contract.ts';
import type { StreamKind, StreamStatus } from '../../shared/stream.ts';

type RoomRow = {
  id: string;
  title: string;
  ownerId: string | null;
  lastSeq: number;
  lastActivityAt: Date;
  slowModeSeconds: number;
  readOnly: boolean;
  streamKind: StreamKind | null;
  streamUrl: string | null;
  streamStatus: StreamStatus;
  streamUpdatedAt: Date | null;
};

export function toRoomSummary(r: RoomRow): RoomSummary {
  return {
    id: r.id,
    title: r.title,
    ownerId: r.ownerId,
    lastSeq: r.lastSeq,
    lastActivityAt: r.lastActivityAt.toISOString(),
    slowModeSeconds: r.slowModeSeconds,
    readOnly: r.readOnly,
    stream: {
      kind: r.streamKind,
      url: r.streamUrl,
      status: r.streamStatus,
      updatedAt: r.streamUpdatedAt?.toISOString() ?? null,
    },
  };
}

export function createRoomRepository(prisma: PrismaClient) {
  return {
    async findById(id: string): Promise<RoomSummary | null> {
      const row = await prisma.room.findUnique({ where: { id } });
      return row ? toRoomSummary(row) : null;
    },
    async listRecent(limit: number): Promise<RoomSummary[]> {
      const rows = await prisma.room.findMany({ orderBy: { lastActivityAt: 'desc' }, take: limit });
      return rows.map(toRoomSummary);
    },
    /** Returns null when the slug is taken. */
    async create(input: { id: string; title: string; ownerId: string | null }): Promise<RoomSummary | null> {
      try {
        const row = await prisma.room.create({ data: input });
        return toRoomSummary(row);
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') return null;
        throw err;
      }
    },
    async ensure(input: { id: string; title: string }): Promise<RoomSummary> {
      try {
        const row = await prisma.room.upsert({
          where: { id: input.id },
          create: input,
          update: {},
        });
        return toRoomSummary(row);
      } catch (err) {
        // Upsert is read-then-insert: two instances starting together can both insert; the loser reads.
        if ((err as { code?: string }).code !== 'P2002') throw err;
        return toRoomSummary(await prisma.room.findUniqueOrThrow({ where: { id: input.id } }));
      }
    },
    /** Sets whichever of source and status is given; returns the room as stored. Null: no such room. */
    async updateStream(
      id: string,
      change: { source?: { kind: StreamKind; url: string } | null; status?: StreamStatus },
    ): Promise<RoomSummary | null> {
      const data = {
        ...(change.source !== undefined ? { streamKind: change.source?.kind ?? null, streamUrl: change.source?.url ?? null } : {}),
        ...(change.status !== undefined ? { streamStatus: change.status } : {}),
        streamUpdatedAt: new Date(),
      };
      try {
        return toRoomSummary(await prisma.room.update({ where: { id }, data }));
      } catch (err) {
        if ((err as { code?: string }).code === 'P2025') return null;
        throw err;
      }
    },
    async updateSettings(id: string, settings: { slowModeSeconds?: number; readOnly?: boolean }): Promise<RoomSummary> {
      return toRoomSummary(await prisma.room.update({ where: { id }, data: settings }));
    },
  };
}

export type RoomRepository = ReturnType<typeof createRoomRepository>;
