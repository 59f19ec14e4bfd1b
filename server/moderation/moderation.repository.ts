import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/client.ts';
import type { Restriction } from '../../shared/contract.ts';
import type { AuditRecord, SanctionRecord } from '../../shared/moderation.ts';

type SanctionRow = {
  id: string;
  userId: string;
  kind: 'timeout' | 'ban';
  until: Date | null;
  reason: string | null;
  createdBy: string;
  createdAt: Date;
};

const toSanction = (r: SanctionRow & { user?: { name: string } | null }): SanctionRecord => ({
  id: r.id,
  userId: r.userId,
  userName: r.user?.name ?? null,
  kind: r.kind,
  until: r.until?.toISOString() ?? null,
  reason: r.reason,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
});

/** Only sanctions still in force: not lifted and (bans without end or) ending in the future. */
const inForce = (now: Date) => ({ liftedAt: null, OR: [{ until: null }, { until: { gt: now } }] });

type RestrictionRow = Pick<SanctionRow, 'userId' | 'kind' | 'until' | 'reason'>;
const restrictionFields = { userId: true, kind: true, until: true, reason: true } as const;

/** The strongest of one user's sanctions in force: a ban beats a timeout, a later end beats an earlier one. */
export function strongestRestriction(rows: RestrictionRow[]): Restriction | null {
  const ban = rows.find((r) => r.kind === 'ban');
  const pick = ban ?? [...rows].sort((a, b) => (b.until?.getTime() ?? Infinity) - (a.until?.getTime() ?? Infinity))[0];
  return pick ? { kind: pick.kind, until: pick.until?.toISOString() ?? null, reason: pick.reason } : null;
}

function groupByUser(rows: RestrictionRow[]): Map<string, Restriction> {
  const byUser = new Map<string, RestrictionRow[]>();
  for (const r of rows) {
    const own = byUser.get(r.userId);
    if (own) own.push(r);
    else byUser.set(r.userId, [r]);
  }
  const out = new Map<string, Restriction>();
  for (const [userId, own] of byUser) {
    const strongest = strongestRestriction(own);
    if (strongest) out.set(userId, strongest);
  }
  return out;
}

function createSanctionQueries(prisma: PrismaClient) {
  return {
    /** The strongest sanction in force for one user (see strongestRestriction). */
    async activeRestriction(roomId: string, userId: string, now = new Date()): Promise<Restriction | null> {
      return strongestRestriction(await prisma.sanction.findMany({ where: { roomId, userId, ...inForce(now) }, select: restrictionFields }));
    },
    /**
     * Every user's strongest sanction in force in a room (users without one are absent), or null when
     * more than `limit` sanctions are in force: the caller then asks per user (activeRestriction).
     */
    async activeRestrictionsByUser(roomId: string, limit: number, now = new Date()): Promise<Map<string, Restriction> | null> {
      const rows = await prisma.sanction.findMany({ where: { roomId, ...inForce(now) }, select: restrictionFields, take: limit + 1 });
      return rows.length > limit ? null : groupByUser(rows);
    },
    async listActiveSanctions(roomId: string, now = new Date()): Promise<SanctionRecord[]> {
      const rows = await prisma.sanction.findMany({
        where: { roomId, ...inForce(now) },
        orderBy: { createdAt: 'desc' },
        take: 200,
      });
      const names = await prisma.user.findMany({ where: { id: { in: rows.map((r) => r.userId) } }, select: { id: true, name: true } });
      const byId = new Map(names.map((n) => [n.id, n]));
      return rows.map((r) => toSanction({ ...r, user: byId.get(r.userId) ?? null }));
    },
    async addSanction(input: { roomId: string; userId: string; kind: 'timeout' | 'ban'; until: Date | null; reason: string | null; createdBy: string }) {
      // The target may never have written (no User row yet); sanctions reference users by id only.
      return toSanction(await prisma.sanction.create({ data: { id: randomUUID(), ...input } }));
    },
    /** Lifts every sanction in force; returns how many. */
    async liftSanctions(roomId: string, userId: string, now = new Date()): Promise<number> {
      const res = await prisma.sanction.updateMany({ where: { roomId, userId, ...inForce(now) }, data: { liftedAt: now } });
      return res.count;
    },
  };
}

function createTermQueries(prisma: PrismaClient) {
  return {
    /** Room terms plus global ones (roomId null), lower-cased. */
    async blockedTerms(roomId: string): Promise<{ room: string[]; global: string[] }> {
      const rows = await prisma.blockedTerm.findMany({ where: { OR: [{ roomId }, { roomId: null }] }, orderBy: { term: 'asc' } });
      return {
        room: rows.filter((r) => r.roomId === roomId).map((r) => r.term),
        global: rows.filter((r) => r.roomId === null).map((r) => r.term),
      };
    },
    async addTerms(roomId: string, terms: string[]): Promise<void> {
      if (terms.length === 0) return;
      await prisma.blockedTerm.createMany({ data: terms.map((term) => ({ id: randomUUID(), roomId, term })), skipDuplicates: true });
    },
    async removeTerms(roomId: string, terms: string[]): Promise<void> {
      if (terms.length === 0) return;
      await prisma.blockedTerm.deleteMany({ where: { roomId, term: { in: terms } } });
    },
  };
}

function createModeratorQueries(prisma: PrismaClient) {
  return {
    async isRoomModerator(roomId: string, userId: string): Promise<boolean> {
      return (await prisma.roomModerator.count({ where: { roomId, userId } })) > 0;
    },
    /** The ids of a room's appointed moderators, or null when it has more than `limit` (ask per user then). */
    async roomModeratorIds(roomId: string, limit: number): Promise<Set<string> | null> {
      const rows = await prisma.roomModerator.findMany({ where: { roomId }, select: { userId: true }, take: limit + 1 });
      return rows.length > limit ? null : new Set(rows.map((r) => r.userId));
    },
    async appoint(roomId: string, userId: string): Promise<void> {
      await prisma.roomModerator.upsert({ where: { roomId_userId: { roomId, userId } }, create: { roomId, userId }, update: {} });
    },
    async dismiss(roomId: string, userId: string): Promise<void> {
      await prisma.roomModerator.deleteMany({ where: { roomId, userId } });
    },
    async moderatedRoomIds(userId: string): Promise<string[]> {
      const [owned, appointed] = await Promise.all([
        prisma.room.findMany({ where: { ownerId: userId }, select: { id: true } }),
        prisma.roomModerator.findMany({ where: { userId }, select: { roomId: true } }),
      ]);
      return [...new Set([...owned.map((r) => r.id), ...appointed.map((r) => r.roomId)])];
    },
    async userExists(userId: string): Promise<boolean> {
      return (await prisma.user.count({ where: { id: userId } })) > 0;
    },
  };
}

/** What the broadcast and the audit need of a deleted comment. */
const deletedFields = { seq: true, userId: true, userName: true, content: true } as const;

function createCommentDeletion(prisma: PrismaClient) {
  async function softDelete<R extends { seq: number }>(roomId: string, rows: R[], by: string): Promise<R[]> {
    if (rows.length > 0) {
      await prisma.message.updateMany({ where: { roomId, seq: { in: rows.map((r) => r.seq) }, deletedAt: null }, data: { deletedAt: new Date(), deletedBy: by } });
    }
    return rows;
  }

  return {
    /** Soft-deletes visible comments by seq; returns what was deleted (for the broadcast and the audit). */
    async deleteBySeq(roomId: string, seqs: number[], by: string) {
      const rows = await prisma.message.findMany({ where: { roomId, seq: { in: seqs }, deletedAt: null }, select: deletedFields });
      return softDelete(roomId, rows, by);
    },
    /** Soft-deletes a user's comments in a room written since `since`. */
    async deleteRecentByUser(roomId: string, userId: string, since: Date, by: string) {
      const rows = await prisma.message.findMany({
        where: { roomId, userId, createdAt: { gte: since }, deletedAt: null },
        select: deletedFields,
        orderBy: { seq: 'asc' },
        take: 1_000,
      });
      return softDelete(roomId, rows, by);
    },
  };
}

function createAuditQueries(prisma: PrismaClient) {
  return {
    async audit(entry: { roomId: string | null; actorId: string; actorName: string; action: string; targetId: string | null; detail?: object; reason: string | null }): Promise<void> {
      await prisma.auditEntry.create({ data: { ...entry, detail: entry.detail ?? undefined } });
    },
    async auditLog(roomId: string, limit: number): Promise<AuditRecord[]> {
      const rows = await prisma.auditEntry.findMany({ where: { roomId }, orderBy: { createdAt: 'desc' }, take: limit });
      return rows.map((r) => ({
        id: r.id.toString(),
        actorId: r.actorId,
        actorName: r.actorName,
        action: r.action,
        targetId: r.targetId,
        detail: (r.detail ?? null) as Record<string, unknown> | null,
        reason: r.reason,
        at: r.createdAt.toISOString(),
      }));
    },
  };
}

/** Sanctions, blocked terms, appointments, comment deletion and the audit log. */
export function createModerationRepository(prisma: PrismaClient) {
  return {
    ...createSanctionQueries(prisma),
    ...createTermQueries(prisma),
    ...createModeratorQueries(prisma),
    ...createCommentDeletion(prisma),
    ...createAuditQueries(prisma),
  };
}

export type ModerationRepository = ReturnType<typeof createModerationRepository>;
