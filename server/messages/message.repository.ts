import type { PrismaClient, SqlQuery } from '../db/client.ts';
import type { Comment, PublicUser } from '../../shared/contract.ts';
import { userTag } from '../identity/session.ts';
import { KnownUsers } from '../identity/known-users.ts';
import { findMentions } from '../../shared/mentions.ts';

export interface NewComment {
  roomId: string;
  userId: string;
  userName: string;
  /** The author's role: the batch creates the author's User row if it is missing (see INSERT_BATCH_SQL). */
  userRole: PublicUser['role'];
  content: string;
  clientMsgId: string;
  /** Seq of the comment replied to; kept only if it is earlier in the same room (else stored as null). */
  replyTo?: number | null;
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
  deletedAt?: Date | null;
  replyToSeq: number | null;
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
    replyTo: row.replyToSeq,
    mentions: findMentions(row.content),
  };
}

type InsertedRow = MessageRow & { retried: boolean };

/**
 * The batch insert (see insertBatch). $1–$5: the batch's room ids, user ids, user names, contents and
 * client ids, as parallel text arrays; $6: the seqs replied to (null for none), as an int array; $7–$9:
 * ids, names and roles of the authors whose User row may be missing (see insertBatch).
 *
 * Authors are created in the same statement (`authors`; a user's first comment needs its row for the
 * foreign key, which PostgreSQL checks at the end of the statement, after every CTE ran). Before, each new
 * sender cost a Prisma insert first: in a spike of first comments those hundreds of inserts filled the
 * pool and the comment batches queued behind them (p99 370–570 ms at 500 comments/s, bench/README.md).
 * ON CONFLICT DO NOTHING on a known user is one index probe and writes nothing.
 *
 * Rooms are locked FOR NO KEY UPDATE, the lock an UPDATE of non-key columns takes: it serialises the
 * writers of a room's seq as FOR UPDATE did, but does not wait for (or block) the foreign-key checks of
 * other tables' inserts that reference the room.
 */
const INSERT_BATCH_SQL = `
        WITH input AS (
          SELECT * FROM unnest(
            $1::text[], $2::text[],
            $3::text[], $4::text[],
            $5::text[], $6::int[]
          ) WITH ORDINALITY AS t("roomId", "userId", "userName", content, "clientMsgId", "replyTo", ord)
        ),
        authors AS (
          INSERT INTO "User" (id, name, role)
          SELECT * FROM unnest($7::text[], $8::text[], $9::text[]::"Role"[])
          ON CONFLICT (id) DO NOTHING
        ),
        locked AS (
          SELECT id, "lastSeq" FROM "Room" WHERE id IN (SELECT "roomId" FROM input) ORDER BY id FOR NO KEY UPDATE
        ),
        existing AS (
          SELECT m.id, m."roomId", m.seq, m."userId", m."userName", m.content, m."clientMsgId", m."createdAt", m."deletedAt", m."replyToSeq"
          FROM "Message" m
          JOIN (SELECT DISTINCT "roomId", "userId", "clientMsgId" FROM input) k
            ON m."roomId" = k."roomId" AND m."userId" = k."userId" AND m."clientMsgId" = k."clientMsgId"
        ),
        fresh AS (
          SELECT DISTINCT ON ("roomId", "userId", "clientMsgId") * FROM input i
          WHERE NOT EXISTS (
            SELECT 1 FROM existing e
            WHERE e."roomId" = i."roomId" AND e."userId" = i."userId" AND e."clientMsgId" = i."clientMsgId")
          ORDER BY "roomId", "userId", "clientMsgId", ord
        ),
        numbered AS (
          SELECT f.*, (l."lastSeq" + row_number() OVER (PARTITION BY f."roomId" ORDER BY f.ord))::int AS seq
          FROM fresh f JOIN locked l ON l.id = f."roomId"
        ),
        inserted AS (
          INSERT INTO "Message" ("roomId", seq, "userId", "userName", content, "clientMsgId", "replyToSeq")
          -- A reply can only point back: a seq at or after its own is dropped, not stored.
          SELECT "roomId", seq, "userId", "userName", content, "clientMsgId", CASE WHEN "replyTo" < seq THEN "replyTo" END
          FROM numbered ORDER BY ord
          RETURNING id, "roomId", seq, "userId", "userName", content, "clientMsgId", "createdAt", "deletedAt", "replyToSeq"
        ),
        bumped AS (
          UPDATE "Room" AS r SET "lastSeq" = l."lastSeq" + c.n, "lastActivityAt" = now()
          FROM (SELECT "roomId", count(*)::int AS n FROM numbered GROUP BY "roomId") c
          JOIN locked l ON l.id = c."roomId"
          WHERE r.id = c."roomId"
          RETURNING r.id
        )
        SELECT *, false AS "retried" FROM inserted UNION ALL SELECT *, true FROM existing`;

/** PostgreSQL's foreign_key_violation, as pg (code) or Prisma (meta, message) reports it. */
function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string }; message?: string };
  return e?.code === '23503' || e?.meta?.code === '23503' || /foreign key/i.test(e?.message ?? '');
}

const dedupeKey = (c: { roomId: string; userId: string; clientMsgId: string }) =>
  `${c.roomId}\u0000${c.userId}\u0000${c.clientMsgId}`;

const visible = { deletedAt: null } as const;

/** A stored comment and what the store knows about the send that asked for it. */
export interface StoredComment {
  comment: Comment;
  /** The (room, user, clientMsgId) was already stored: a retry, not a new comment (stats count it once). */
  retried: boolean;
  /** A moderator has deleted it since: the retried send must be refused, not acked and broadcast again. */
  removed: boolean;
}

/**
 * `sql.query`: PostgreSQL's write connections for the hot insert, `sql.read`: its shared pool for the
 * comment reads (Database.query / read); without them (PGlite), Prisma.
 * `knownAuthors`: users whose row exists (shared with the user repository, see KnownUsers). Their
 * comments skip the `authors` insert: at 100 senders per batch, its probes were measurable PostgreSQL
 * CPU. A row removed behind our back fails the batch on the foreign key; the set is then forgotten and
 * the batch runs once more, creating every author's row.
 */
export function createMessageRepository(prisma: PrismaClient, sql: { query?: SqlQuery; read?: SqlQuery } = {}, knownAuthors = new KnownUsers()) {
  return { ...commentWrites(prisma, sql.query, knownAuthors), ...commentReads(prisma, sql.read) };
}

function commentWrites(prisma: PrismaClient, query: SqlQuery | undefined, knownAuthors: KnownUsers) {
  function authorsToEnsure(items: NewComment[]): [string[], string[], string[]] {
    const ids: string[] = [];
    const names: string[] = [];
    const roles: string[] = [];
    const seen = new Set<string>();
    for (const i of items) {
      if (knownAuthors.has(i.userId) || seen.has(i.userId)) continue;
      seen.add(i.userId);
      ids.push(i.userId);
      names.push(i.userName);
      roles.push(i.userRole);
    }
    return [ids, names, roles];
  }
  return {
    /**
     * Stores a batch and returns, for each input in order, the stored comment — in ONE SQL statement
     * (one round trip, no interactive transaction): the comment write is the product's hottest query.
     * Sequence numbers come from Room.lastSeq under a row lock taken in id order (no deadlock between
     * instances), so they are gap-free and unique even with several writers; the statement is atomic,
     * so a failure un-bumps them. An input whose (room, user, clientMsgId) already exists returns the
     * existing row (idempotent retry). The one race the single snapshot leaves — the same client id
     * committed by another writer while this statement waited for the room lock — ends in a unique
     * violation, and the write batcher retries each item alone, which then finds the stored row.
     */
    async insertBatch(items: NewComment[]): Promise<StoredComment[]> {
      const run = (authors: [string[], string[], string[]]) => {
        const values = [items.map((i) => i.roomId), items.map((i) => i.userId), items.map((i) => i.userName), items.map((i) => i.content), items.map((i) => i.clientMsgId), items.map((i) => i.replyTo ?? null), ...authors];
        return query ? query<InsertedRow>(INSERT_BATCH_SQL, values) : prisma.$queryRawUnsafe<InsertedRow[]>(INSERT_BATCH_SQL, ...values);
      };
      const authors = authorsToEnsure(items);
      let rows: InsertedRow[];
      try {
        rows = await run(authors);
      } catch (err) {
        const skipped = authors[0].length < new Set(items.map((i) => i.userId)).size;
        knownAuthors.forgetAll();
        // A known author's row is gone (foreign key): once more, creating every author's row.
        if (!skipped || !isForeignKeyViolation(err)) throw err;
        rows = await run(authorsToEnsure(items));
      }
      for (const i of items) knownAuthors.add(i.userId);
      const byKey = new Map<string, StoredComment>(
        rows.map((row) => [dedupeKey(row), { comment: toComment(row), retried: row.retried, removed: Boolean(row.deletedAt) }]),
      );
      const handedOut = new Set<string>();
      return items.map((item) => {
        const key = dedupeKey(item);
        const stored = byKey.get(key);
        if (!stored) throw new Error(`comment for room ${item.roomId} not stored (room missing?)`);
        if (handedOut.has(key)) return { ...stored, retried: true }; // the same send twice in one batch
        handedOut.add(key);
        return stored;
      });
    },

  };
}

type SeqBound = { op: '<' | '>'; seq: number } | undefined;

/** pageSql's statements by shape. */
const PAGE_SQL = new Map<string, string>();

/**
 * A page of visible comments as SQL, for the direct path (Database.read): the statement Prisma builds
 * for the findMany below, on the (roomId, seq) index. `$1` room, `$2` rows, `$3` the seq bound.
 */
function pageSql(bound: SeqBound, order: 'ASC' | 'DESC'): string {
  // Built once per shape (four at most), not per read: joins and gap fills read on every reconnect.
  const key = `${bound?.op ?? ''}${order}`;
  let sql = PAGE_SQL.get(key);
  if (sql === undefined) {
    sql =
      `SELECT id, "roomId", seq, "userId", "userName", content, "clientMsgId", "createdAt", "deletedAt", "replyToSeq" ` +
      `FROM "Message" WHERE "roomId" = $1 AND "deletedAt" IS NULL${bound ? ` AND seq ${bound.op} $3` : ''} ORDER BY seq ${order} LIMIT $2`;
    PAGE_SQL.set(key, sql);
  }
  return sql;
}

function commentReads(prisma: PrismaClient, read: SqlQuery | undefined) {
  /** Visible comments of a room past `bound`, in `order` of seq, at most `take`. */
  const page = (roomId: string, bound: SeqBound, order: 'ASC' | 'DESC', take: number): Promise<MessageRow[]> => {
    if (read) return read<MessageRow>(pageSql(bound, order), bound ? [roomId, take, bound.seq] : [roomId, take]);
    const seq = bound && { seq: bound.op === '<' ? { lt: bound.seq } : { gt: bound.seq } };
    return prisma.message.findMany({ where: { roomId, ...visible, ...seq }, orderBy: { seq: order === 'DESC' ? 'desc' : 'asc' }, take });
  };
  return {
    /**
     * A keyset page of visible comments older than `beforeSeq` (the newest page without it), ascending.
     * Keyset rather than cursor+skip: it does not need the cursor row to still exist.
     */
    async before(roomId: string, beforeSeq: number | undefined, limit: number): Promise<{ messages: Comment[]; hasMore: boolean }> {
      const rows = await page(roomId, beforeSeq === undefined ? undefined : { op: '<', seq: beforeSeq }, 'DESC', limit + 1);
      return { messages: rows.slice(0, limit).reverse().map(toComment), hasMore: rows.length > limit };
    },

    /**
     * Visible comments after `afterSeq`, ascending. When more than `limit` exist, returns the newest
     * `limit` and `truncated: true` (the client pages back for the rest).
     */
    async after(roomId: string, afterSeq: number, limit: number): Promise<{ messages: Comment[]; truncated: boolean }> {
      const rows = await page(roomId, { op: '>', seq: afterSeq }, 'DESC', limit + 1);
      return { messages: rows.slice(0, limit).reverse().map(toComment), truncated: rows.length > limit };
    },

    /** Visible comments right after `afterSeq`, ascending, at most `limit` (a gap fill pages forward). */
    async from(roomId: string, afterSeq: number, limit: number): Promise<{ messages: Comment[]; hasMore: boolean }> {
      const rows = await page(roomId, { op: '>', seq: afterSeq }, 'ASC', limit + 1);
      return { messages: rows.slice(0, limit).map(toComment), hasMore: rows.length > limit };
    },

    /** The comment a user already sent with this client id, deleted or not, or null. */
    async findSent(roomId: string, userId: string, clientMsgId: string): Promise<StoredComment | null> {
      const row = await prisma.message.findUnique({ where: { roomId_userId_clientMsgId: { roomId, userId, clientMsgId } } });
      return row && { comment: toComment(row), retried: true, removed: Boolean(row.deletedAt) };
    },
  };
}

export type MessageRepository = ReturnType<typeof createMessageRepository>;
