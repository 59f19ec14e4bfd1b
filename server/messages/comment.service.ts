import type { Comment, PublicUser, RoomSummary } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { normalizeComment } from '../../shared/schemas.ts';
import type { DomainEventBus } from '../events.ts';
import type { UserRepository } from '../identity/user.repository.ts';
import type { Limiter } from '../limits/rate-limits.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import { wasRemoved, wasRetried, type MessageRepository, type NewComment } from './message.repository.ts';
import type { WriteBatcher } from './write-batcher.ts';

/** A check a comment must pass before it is stored (moderation plugs in here); throws AppError. */
export type CommentGuard = (ctx: { user: PublicUser; room: RoomSummary; content: string }) => Promise<void>;

export interface CommentServiceDeps {
  rooms: RoomCache;
  users: UserRepository;
  messages: MessageRepository;
  batcher: WriteBatcher<NewComment, Comment>;
  limiter: Limiter;
  events: DomainEventBus;
  replayCap: number;
}

export function createCommentService(deps: CommentServiceDeps) {
  const guards: CommentGuard[] = [];

  async function requireRoom(roomId: string): Promise<RoomSummary> {
    const room = await deps.rooms.get(roomId);
    if (!room) throw new AppError('unknown_room', `There is no room "${roomId}".`);
    return room;
  }

  return {
    addGuard(guard: CommentGuard): void {
      guards.push(guard);
    },
    requireRoom,

    /** Validates, stores and returns the stored comment. Broadcasting is the caller's job, after this resolves. */
    async post(user: PublicUser | null, input: { roomId: string; content: string; clientMsgId: string }): Promise<Comment> {
      if (!user) throw new AppError('unauthenticated', 'Pick a display name before commenting.');
      const check = normalizeComment(input.content);
      if (!check.ok) throw new AppError(check.code, check.message);
      const room = await requireRoom(input.roomId);
      try {
        for (const guard of guards) await guard({ user, room, content: check.content });
        const wait = await deps.limiter.take(`${user.id}:${room.id}`);
        if (wait !== null) {
          deps.events.emit('rateLimited', room.id, user.id);
          throw new AppError('rate_limited', `Slow down: you can comment again in ${Math.ceil(wait / 1000)} s.`, {
            retryAfterMs: wait,
          });
        }
      } catch (refusal) {
        // A retry of a comment that was stored but whose ack was lost must get that comment back, not a
        // slow-mode or rate-limit refusal. Looked up only on refusals, so the normal path stays read-free.
        const sent = await deps.messages.findSent(room.id, user.id, input.clientMsgId).catch(() => null);
        if (!sent) throw refusal;
        if (wasRemoved(sent)) throw new AppError('conflict', 'This comment was removed by a moderator.');
        return sent;
      }
      await deps.users.ensure(user);
      let stored: Comment;
      try {
        stored = await deps.batcher.submit({
          roomId: room.id,
          userId: user.id,
          userName: user.name,
          content: check.content,
          clientMsgId: input.clientMsgId,
        });
      } catch {
        throw new AppError('unavailable', 'Your comment could not be saved. Please retry.');
      }
      // A retry of a send whose comment a moderator has deleted since: it stays deleted.
      if (wasRemoved(stored)) throw new AppError('conflict', 'This comment was removed by a moderator.');
      // A retry returns the stored comment again; count each comment once.
      if (!wasRetried(stored)) deps.events.emit('comment', stored);
      return stored;
    },

    async history(roomId: string, page: { beforeSeq?: number | undefined; afterSeq?: number | undefined; limit: number }) {
      const room = await requireRoom(roomId);
      if (page.afterSeq !== undefined) {
        const { messages, truncated } = await deps.messages.after(room.id, page.afterSeq, page.limit);
        return { messages, hasMore: truncated };
      }
      return deps.messages.before(room.id, page.beforeSeq, page.limit);
    },
  };
}

export type CommentService = ReturnType<typeof createCommentService>;
