import type { Comment, PublicUser, RoomSummary } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { normalizeComment } from '../../shared/schemas.ts';
import type { DomainEventBus } from '../events.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import type { MessageRepository, NewComment, StoredComment } from './message.repository.ts';
import { WriteShed, type WriteBatcher } from './write-batcher.ts';

/** A comment as a client sends it. */
export interface CommentInput {
  roomId: string;
  content: string;
  clientMsgId: string;
  /** Seq of the comment this one replies to. */
  replyTo?: number | null | undefined;
}

/** What a check sees of a comment about to be stored. */
export interface CommentDraft {
  user: PublicUser;
  room: RoomSummary;
  content: string;
}

/**
 * One step of the comment pipeline, run before the comment is stored; refuses by throwing an AppError
 * (or by rejecting). A check that can answer at once (from a cache) returns nothing: no promise, no
 * microtask hop per comment.
 */
export type CommentCheck = (draft: CommentDraft) => void | Promise<void>;

export interface CommentServiceDeps {
  rooms: Pick<RoomCache, 'get'>;
  messages: Pick<MessageRepository, 'findSent' | 'before' | 'from'>;
  batcher: Pick<WriteBatcher<NewComment, StoredComment>, 'submit'>;
  /** Run in this order on every comment; the first refusal wins. */
  checks: readonly CommentCheck[];
  events: DomainEventBus;
}

const removedError = () => new AppError('conflict', 'This comment was removed by a moderator.');

export function createCommentService(deps: CommentServiceDeps) {
  async function requireRoom(roomId: string): Promise<RoomSummary> {
    const room = await deps.rooms.get(roomId);
    if (!room) throw new AppError('unknown_room', `There is no room "${roomId}".`);
    return room;
  }

  /**
   * Runs the checks. A retry of a comment that was stored but whose ack was lost must get that comment
   * back, not a slow-mode or rate-limit refusal: the stored row is looked up only on refusals, so the
   * normal path stays read-free.
   */
  async function check(draft: CommentDraft, clientMsgId: string): Promise<Comment | null> {
    try {
      for (const run of deps.checks) {
        const pending = run(draft);
        if (pending) await pending;
      }
      return null;
    } catch (refusal) {
      const sent = await deps.messages.findSent(draft.room.id, draft.user.id, clientMsgId).catch(() => null);
      if (!sent) throw refusal;
      if (sent.removed) throw removedError();
      return sent.comment;
    }
  }

  /**
   * Sends being written, by (room, user, clientMsgId). A retry that arrives while its first send is still
   * queued or in flight joins it: in two concurrent batches the same id would end in a unique violation
   * that fails the whole batch, and every neighbour would be written again one by one.
   */
  const inFlight = new Map<string, Promise<StoredComment>>();

  function store(item: NewComment): Promise<StoredComment> {
    const key = `${item.roomId}\u0000${item.userId}\u0000${item.clientMsgId}`;
    const first = inFlight.get(key);
    // The joined retry is answered like a retry of a stored comment: ack only, no second broadcast.
    if (first) return first.then((stored) => ({ ...stored, retried: true }));
    const written = write(item).finally(() => inFlight.delete(key));
    inFlight.set(key, written);
    return written;
  }

  async function write(item: NewComment): Promise<StoredComment> {
    try {
      return await deps.batcher.submit(item);
    } catch (err) {
      // Shed (queue over its bound, or waited past the sender's ack timeout): waiting would only make a
      // retry storm longer. Jittered, so the retries of a spike do not all come back in the same instant.
      if (err instanceof WriteShed) {
        throw new AppError('unavailable', 'Busy right now: your comment was not saved. Retrying shortly.', { retryAfterMs: 500 + Math.floor(Math.random() * 1_500) });
      }
      throw new AppError('unavailable', 'Your comment could not be saved. Please retry.');
    }
  }

  /**
   * Validates, checks and stores. `fresh` is false for a retry of a comment already stored (its ack was
   * lost): the sender gets it back, and nobody else needs it again. Broadcasting is the caller's job,
   * after this resolves.
   */
  async function submit(user: PublicUser | null, input: CommentInput): Promise<{ comment: Comment; fresh: boolean }> {
    if (!user) throw new AppError('unauthenticated', 'Pick a display name before commenting.');
    const normalized = normalizeComment(input.content);
    if (!normalized.ok) throw new AppError(normalized.code, normalized.message);
    const room = await requireRoom(input.roomId);
    const earlier = await check({ user, room, content: normalized.content }, input.clientMsgId);
    if (earlier) return { comment: earlier, fresh: false };
    const stored = await store({
      roomId: room.id,
      userId: user.id,
      userName: user.name,
      userRole: user.role,
      content: normalized.content,
      clientMsgId: input.clientMsgId,
      replyTo: input.replyTo ?? null,
    });
    // A retry of a send whose comment a moderator has deleted since: it stays deleted.
    if (stored.removed) throw removedError();
    // A retry returns the stored comment again; count each comment once.
    if (!stored.retried) deps.events.emit('comment', stored.comment);
    return { comment: stored.comment, fresh: !stored.retried };
  }

  return {
    requireRoom,

    /** `submit` for callers that only need the stored comment. */
    async post(user: PublicUser | null, input: CommentInput): Promise<Comment> {
      return (await submit(user, input)).comment;
    },
    submit,

    async history(roomId: string, page: { beforeSeq?: number | undefined; afterSeq?: number | undefined; limit: number }) {
      const room = await requireRoom(roomId);
      // Forward from afterSeq (a gap fill pages on from the last comment it got), back from beforeSeq.
      if (page.afterSeq !== undefined) return deps.messages.from(room.id, page.afterSeq, page.limit);
      return deps.messages.before(room.id, page.beforeSeq, page.limit);
    },
  };
}

export type CommentService = ReturnType<typeof createCommentService>;
