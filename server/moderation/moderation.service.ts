import type { PublicUser, RoomSettings } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import type { BlockedTerms, SanctionRecord } from '../../shared/moderation.ts';
import type { ModInvalidate } from '../../shared/contract.ts';
import type { Logger } from '../logger.ts';
import type { UserRepository } from '../identity/user.repository.ts';
import type { RoomRepository } from '../rooms/room.repository.ts';
import type { StatsService } from '../stats/stats.service.ts';
import type { ModerationAccess } from './moderation.access.ts';
import type { ModerationRepository } from './moderation.repository.ts';

/** How the service reaches connected clients; implemented over Socket.IO in moderation.handlers.ts. */
export interface ModerationOutbox {
  commentsDeleted(roomId: string, seqs: number[]): void;
  sanction(userId: string, frame: { roomId: string; kind: 'timeout' | 'ban'; until: string | null; reason: string | null }): void;
  settings(settings: RoomSettings): void;
  /** Closes the user's connections that are in the room, on every instance; resolves with how many. */
  close(roomId: string, userId: string, reason: string): Promise<number>;
  /** Tells every instance to drop cached state; resolves once they have (or gave up waiting). */
  invalidate(msg: ModInvalidate): Promise<void>;
}

export interface ModerationDeps {
  repo: ModerationRepository;
  access: ModerationAccess;
  rooms: RoomRepository;
  users: UserRepository;
  stats: StatsService;
  outbox: ModerationOutbox;
  log: Logger;
}

type Actor = PublicUser | null;

/** What every action shares: who may act, on whom, and the record of what was done. */
function createActionSteps(d: ModerationDeps) {
  async function authorise(actor: Actor, roomId: string): Promise<PublicUser> {
    if (!actor) throw new AppError('unauthenticated', 'Sign in to moderate.');
    if (!(await d.rooms.findById(roomId))) throw new AppError('unknown_room', `There is no room "${roomId}".`);
    if (!(await d.access.canModerate(actor, roomId))) throw new AppError('forbidden', 'You cannot moderate this room.');
    return actor;
  }

  /** Staff cannot sanction themselves or an admin, nor a moderator of the room unless they are admin. */
  async function checkTarget(actor: PublicUser, roomId: string, userId: string): Promise<void> {
    if (userId === actor.id) throw new AppError('forbidden', 'You cannot moderate yourself.');
    const target = await d.users.findById(userId);
    if (!target) throw new AppError('not_found', 'There is no such user.');
    if (target.role === 'admin') throw new AppError('forbidden', 'Admins cannot be sanctioned.');
    const targetUser: PublicUser = { id: target.id, name: target.name, role: target.role, tag: '' };
    if (actor.role !== 'admin' && (await d.access.canModerate(targetUser, roomId))) {
      throw new AppError('forbidden', 'Only an admin can sanction a moderator of this room.');
    }
  }

  async function record(actor: PublicUser, roomId: string, action: string, targetId: string | null, reason: string | undefined, detail?: object) {
    d.stats.recordModAction(roomId);
    try {
      // The target's name as it was then, so the log stays readable after renames.
      const targetName = targetId ? ((await d.users.findById(targetId))?.name ?? null) : null;
      await d.repo.audit({ roomId, actorId: actor.id, actorName: actor.name, action, targetId, detail: { ...detail, targetName }, reason: reason || null });
    } catch (err) {
      // The action already took effect; a missing audit row must be visible in the logs.
      d.log.error({ err: (err as Error).message, roomId, action, actor: actor.id }, 'audit write failed');
    }
  }

  return { authorise, checkTarget, record };
}

type ActionSteps = ReturnType<typeof createActionSteps>;

/** Timeouts, bans, lifting them, and closing a user's connections to the room. */
function createSanctionActions(d: ModerationDeps, { authorise, checkTarget, record }: ActionSteps) {
  async function sanction(actor: Actor, p: { roomId: string; userId: string; kind: 'timeout' | 'ban'; minutes?: number; reason?: string | undefined }): Promise<SanctionRecord> {
    const me = await authorise(actor, p.roomId);
    await checkTarget(me, p.roomId, p.userId);
    const until = p.kind === 'timeout' && p.minutes ? new Date(Date.now() + p.minutes * 60_000) : null;
    const rec = await d.repo.addSanction({ roomId: p.roomId, userId: p.userId, kind: p.kind, until, reason: p.reason || null, createdBy: me.id });
    await d.outbox.invalidate({ roomId: p.roomId, userId: p.userId, scope: 'sanction' });
    d.outbox.sanction(p.userId, { roomId: p.roomId, kind: rec.kind, until: rec.until, reason: rec.reason });
    await record(me, p.roomId, p.kind, p.userId, p.reason, p.minutes ? { minutes: p.minutes } : undefined);
    return rec;
  }

  return {
    timeout: (actor: Actor, p: { roomId: string; userId: string; minutes: number; reason?: string | undefined }) =>
      sanction(actor, { ...p, kind: 'timeout' }),
    ban: (actor: Actor, p: { roomId: string; userId: string; reason?: string | undefined }) => sanction(actor, { ...p, kind: 'ban' }),
    async lift(actor: Actor, p: { roomId: string; userId: string; reason?: string | undefined }) {
      const me = await authorise(actor, p.roomId);
      const lifted = await d.repo.liftSanctions(p.roomId, p.userId);
      await d.outbox.invalidate({ roomId: p.roomId, userId: p.userId, scope: 'sanction' });
      // The client clears a restriction whose end has passed: "until now" means lifted.
      d.outbox.sanction(p.userId, { roomId: p.roomId, kind: 'timeout', until: new Date().toISOString(), reason: null });
      await record(me, p.roomId, 'lift', p.userId, p.reason, { lifted });
      return { lifted };
    },
    async close(actor: Actor, p: { roomId: string; userId: string; reason?: string | undefined }) {
      const me = await authorise(actor, p.roomId);
      await checkTarget(me, p.roomId, p.userId);
      const closed = await d.outbox.close(p.roomId, p.userId, p.reason || 'Closed by a moderator');
      await record(me, p.roomId, 'close', p.userId, p.reason, { closed });
      return { closed };
    },
  };
}

/** Deleting comments: chosen ones, or everything a user wrote lately. */
function createCommentActions(d: ModerationDeps, { authorise, record }: ActionSteps) {
  async function deleteRows(me: PublicUser, roomId: string, rows: { seq: number; userId: string; userName: string; content: string }[], action: string, targetId: string | null, reason: string | undefined) {
    const seqs = rows.map((r) => r.seq);
    if (seqs.length > 0) d.outbox.commentsDeleted(roomId, seqs);
    // The audit keeps what was deleted (the row itself stays, marked deletedAt, out of every history).
    await record(me, roomId, action, targetId, reason, { comments: rows.map((r) => ({ seq: r.seq, userId: r.userId, userName: r.userName, content: r.content })) });
    return { seqs };
  }

  return {
    async deleteComments(actor: Actor, p: { roomId: string; seqs: number[]; reason?: string | undefined }) {
      const me = await authorise(actor, p.roomId);
      const rows = await d.repo.deleteBySeq(p.roomId, p.seqs, me.id);
      const target = rows.length > 0 && rows.every((r) => r.userId === rows[0]?.userId) ? (rows[0]?.userId ?? null) : null;
      return deleteRows(me, p.roomId, rows, 'delete', target, p.reason);
    },
    async purge(actor: Actor, p: { roomId: string; userId: string; minutes: number; reason?: string | undefined }) {
      const me = await authorise(actor, p.roomId);
      const rows = await d.repo.deleteRecentByUser(p.roomId, p.userId, new Date(Date.now() - p.minutes * 60_000), me.id);
      return deleteRows(me, p.roomId, rows, 'purge', p.userId, p.reason);
    },
  };
}

/** The room's rules: slow mode, read-only and blocked terms. */
function createRoomRuleActions(d: ModerationDeps, { authorise, record }: ActionSteps) {
  return {
    async settings(actor: Actor, p: { roomId: string; slowModeSeconds?: number | undefined; readOnly?: boolean | undefined; reason?: string | undefined }): Promise<RoomSettings> {
      const me = await authorise(actor, p.roomId);
      const room = await d.rooms.updateSettings(p.roomId, {
        ...(p.slowModeSeconds !== undefined ? { slowModeSeconds: p.slowModeSeconds } : {}),
        ...(p.readOnly !== undefined ? { readOnly: p.readOnly } : {}),
      });
      await d.outbox.invalidate({ roomId: p.roomId, scope: 'settings' });
      const settings = { roomId: room.id, slowModeSeconds: room.slowModeSeconds, readOnly: room.readOnly };
      d.outbox.settings(settings);
      await record(me, p.roomId, 'settings', null, p.reason, { slowModeSeconds: p.slowModeSeconds, readOnly: p.readOnly });
      return settings;
    },
    async terms(actor: Actor, p: { roomId: string; add: string[]; remove: string[] }): Promise<BlockedTerms> {
      const me = await authorise(actor, p.roomId);
      await d.repo.addTerms(p.roomId, p.add);
      await d.repo.removeTerms(p.roomId, p.remove);
      if (p.add.length || p.remove.length) {
        await d.outbox.invalidate({ roomId: p.roomId, scope: 'terms' });
        await record(me, p.roomId, 'terms', null, undefined, { add: p.add, remove: p.remove });
      }
      return { roomId: p.roomId, ...(await d.repo.blockedTerms(p.roomId)) };
    },
    /** Read access for the console (same authorisation as acting). */
    async listTerms(actor: Actor, roomId: string): Promise<BlockedTerms> {
      await authorise(actor, roomId);
      return { roomId, ...(await d.repo.blockedTerms(roomId)) };
    },
  };
}

/** Appointing and dismissing room moderators: a stricter right than moderating (owner or admin). */
function createAppointments(d: ModerationDeps, { record }: ActionSteps) {
  return {
    async appoint(actor: Actor, p: { roomId: string; userId: string; remove: boolean }) {
      if (!actor) throw new AppError('unauthenticated', 'Sign in to appoint moderators.');
      if (!(await d.rooms.findById(p.roomId))) throw new AppError('unknown_room', `There is no room "${p.roomId}".`);
      if (!(await d.access.canAppoint(actor, p.roomId))) throw new AppError('forbidden', 'Only the room owner or an admin can appoint moderators.');
      if (!(await d.repo.userExists(p.userId))) throw new AppError('not_found', 'There is no such user.');
      if (p.remove) await d.repo.dismiss(p.roomId, p.userId);
      else await d.repo.appoint(p.roomId, p.userId);
      await d.outbox.invalidate({ roomId: p.roomId, userId: p.userId, scope: 'moderators' });
      await record(actor, p.roomId, p.remove ? 'dismiss' : 'appoint', p.userId, undefined);
      return { roomId: p.roomId, userId: p.userId, moderator: !p.remove };
    },
  };
}

/**
 * Every moderation action: authorise on the server, change the database, make every instance drop
 * its cached view, tell the affected clients, then record who did what to whom (audit + stats).
 */
export function createModerationService(d: ModerationDeps) {
  const steps = createActionSteps(d);
  return {
    ...createCommentActions(d, steps),
    ...createSanctionActions(d, steps),
    ...createRoomRuleActions(d, steps),
    ...createAppointments(d, steps),
    authorise: steps.authorise,
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
