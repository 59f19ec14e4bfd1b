import { Prisma, type PrismaClient } from '../db/client.ts';
import type { Comment } from '../../shared/contract.ts';
import { userTag } from '../identity/session.ts';

export interface NewComment {
  roomId: string;
  userId: string;
  userName: string;
  content: string;
  clientMsgId: string;
}

type MessageRow = {
  id: bigint;
  roomId: string;
  seq: number;
  userId: string;
  userName: string;
  content: string;
  clientMsgId: string;
  createdAt: Date;
};

export function toComment(row: MessageRow): Comment {
  return {
    type: 'say',
    id: row.id.toString(),
    roomId: row.roomId,
    seq: row.seq,
    userId: row.userId,
    userName: row.userName,
    userTag: userTag(row.userId),
    content: row.content,
    commentTime: row.createdAt.toISOString(),
    clientMsgId: row.clientMsgId,
  };
}

const dedupeKey = (c: { roomId: string; userId: string; clientMsgId: string }) =>
  `${c.roomId}\u0000${c.userId}\u0000${c.clientMsgId}`;

const visible = { deletedAt: null } as const;

export function createMessageRepository(prisma: PrismaClient) {
  return {
    /**
     * Stores a batch in one transaction and returns, for each input in order, the stored comment.
     * Sequence numbers come from Room.lastSeq under a row lock taken in id order (no deadlock between
     * instances), so they are gap-free and unique even with several writers; a rollback un-bumps them.
     * An input whose (room, user, clientMsgId) already exists returns the existing row (idempotent retry).
     */
    async insertBatch(items: NewComment[]): Promise<Comment[]> {
      return prisma.$transaction(async (tx) => {
        const roomIds = [...new Set(items.map((i) => i.roomId))].sort();
        const locked = await tx.$queryRaw<{ id: string; lastSeq: number }[]>`
          SELECT id, "lastSeq" FROM "Room" WHERE id IN (${Prisma.join(roomIds)}) ORDER BY id FOR UPDATE`;
        const nextSeq = new Map(locked.map((r) => [r.id, r.lastSeq]));

        const existing = await tx.message.findMany({
          where: { OR: items.map((i) => ({ roomId: i.roomId, userId: i.userId, clientMsgId: i.clientMsgId })) },
        });
        const byKey = new Map<string, Comment>(existing.map((row) => [dedupeKey(row), toComment(row)]));

        const fresh: (NewComment & { seq: number })[] = [];
        const claimed = new Set<string>();
        for (const item of items) {
          const key = dedupeKey(item);
          if (byKey.has(key) || claimed.has(key)) continue;
          const last = nextSeq.get(item.roomId);
          if (last === undefined) throw new Error(`room ${item.roomId} vanished during write`);
          nextSeq.set(item.roomId, last + 1);
          claimed.add(key);
          fresh.push({ ...item, seq: last + 1 });
        }

        if (fresh.length > 0) {
          const rows = await tx.message.createManyAndReturn({ data: fresh });
          for (const row of rows) byKey.set(dedupeKey(row), toComment(row));
          const bumps = locked.filter((r) => nextSeq.get(r.id) !== r.lastSeq);
          const values = Prisma.join(bumps.map((r) => Prisma.sql`(${r.id}, ${nextSeq.get(r.id)}::int)`));
          await tx.$executeRaw`
            UPDATE "Room" AS r SET "lastSeq" = v.seq, "lastActivityAt" = now()
            FROM (VALUES ${values}) AS v(id, seq) WHERE r.id = v.id`;
        }
        return items.map((item) => {
          const stored = byKey.get(dedupeKey(item));
          if (!stored) throw new Error('stored comment missing from batch result');
          return stored;
        });
      });
    },

    /**
     * A keyset page of visible comments older than `beforeSeq` (the newest page without it), ascending.
     * Keyset rather than cursor+skip: it does not need the cursor row to still exist.
     */
    async before(roomId: string, beforeSeq: number | undefined, limit: number): Promise<{ messages: Comment[]; hasMore: boolean }> {
      const rows = await prisma.message.findMany({
        where: { roomId, ...visible, ...(beforeSeq === undefined ? {} : { seq: { lt: beforeSeq } }) },
        orderBy: { seq: 'desc' },
        take: limit + 1,
      });
      return { messages: rows.slice(0, limit).reverse().map(toComment), hasMore: rows.length > limit };
    },

    /**
     * Visible comments after `afterSeq`, ascending. When more than `limit` exist, returns the newest
     * `limit` and `truncated: true` (the client pages back for the rest).
     */
    async after(roomId: string, afterSeq: number, limit: number): Promise<{ messages: Comment[]; truncated: boolean }> {
      const rows = await prisma.message.findMany({
        where: { roomId, seq: { gt: afterSeq }, ...visible },
        orderBy: { seq: 'desc' },
        take: limit + 1,
      });
      return { messages: rows.slice(0, limit).reverse().map(toComment), truncated: rows.length > limit };
    },

    async exists(roomId: string, seq: number): Promise<boolean> {
      return (await prisma.message.count({ where: { roomId, seq } })) > 0;
    },
  };
}

export type MessageRepository = ReturnType<typeof createMessageRepository>;
