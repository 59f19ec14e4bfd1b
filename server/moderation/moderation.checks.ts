import type { Restriction } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { normalizeForMatch } from '../../shared/moderation.ts';
import { createLimiter, type Limiter } from '../limits/rate-limits.ts';
import type { CommentCheck, CommentDraft } from '../messages/comment.service.ts';
import type { Redis } from 'ioredis';
import type { ModerationAccess } from './moderation.access.ts';

const minutesText = (ms: number) => {
  const s = Math.ceil(ms / 1000);
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.ceil(s / 60)} min` : `${Math.ceil(s / 3600)} h`;
};

/**
 * The checks moderation adds to the comment pipeline, meant to run in this order: sanctions, then room
 * rules (read-only, blocked terms, slow mode — last, because it spends the user's slot). Moderators of the room are exempt
 * from read-only and slow mode, not from blocked terms.
 *
 * Blocked terms are REJECTED (code blocked_term), not held for review: the author sees at once why
 * the comment did not go out, and nothing sits in a queue nobody watches during a live event.
 */
export function createModerationChecks(
  access: Pick<ModerationAccess, 'restrictionFor' | 'canModerate' | 'blockedTerms' | 'cachedRestriction' | 'cachedCanModerate' | 'cachedBlockedTerms'>,
  redis: Redis | undefined,
): { sanctions: CommentCheck; roomRules: CommentCheck } {
  // Slow mode is "1 comment per N seconds": one limiter per N in use, shared through Redis when configured.
  const slowLimiters = new Map<number, Limiter>();
  const slowLimiter = (seconds: number) => {
    let l = slowLimiters.get(seconds);
    if (!l) slowLimiters.set(seconds, (l = createLimiter({ prefix: `slow:${seconds}`, points: 1, durationSeconds: seconds, redis })));
    return l;
  };

  const refuseSanctioned = (r: Restriction | null): void => {
    if (!r) return;
    if (r.kind === 'ban') throw new AppError('banned', 'You are banned from this room.');
    const waitMs = r.until ? Math.max(1, Date.parse(r.until) - Date.now()) : undefined;
    throw new AppError('timed_out', `You are timed out: you can comment again in ${minutesText(waitMs ?? 0)}.`, waitMs ? { retryAfterMs: waitMs } : {});
  };

  function applyRoomRules({ user, room, content }: CommentDraft, exempt: boolean, terms: readonly string[]): void | Promise<void> {
    if (room.readOnly && !exempt) throw new AppError('read_only', 'This room is read-only for now.');
    if (terms.length > 0) {
      const text = normalizeForMatch(content);
      if (terms.some((t) => text.includes(t))) throw new AppError('blocked_term', 'Your comment contains a blocked word and was not sent.');
    }
    if (room.slowModeSeconds > 0 && !exempt) {
      return slowLimiter(room.slowModeSeconds)
        .take(`${user.id}:${room.id}`)
        .then((wait) => {
          if (wait === null) return;
          throw new AppError('slow_mode', `Slow mode: one comment every ${room.slowModeSeconds} s. Wait ${minutesText(wait)}.`, { retryAfterMs: wait });
        });
    }
  }

  // Both answer from the cache without a promise when they can (every lookup a hit, no slow mode: the
  // common case), and fall back to the loading lookups otherwise.
  const sanctions: CommentCheck = ({ user, room }) => {
    const cached = access.cachedRestriction(user, room.id);
    if (cached !== undefined) return refuseSanctioned(cached);
    return access.restrictionFor(user, room.id).then(refuseSanctioned);
  };

  const roomRules: CommentCheck = (draft) => {
    const exempt = access.cachedCanModerate(draft.user, draft.room);
    const terms = access.cachedBlockedTerms(draft.room.id);
    if (exempt !== undefined && terms !== undefined) return applyRoomRules(draft, exempt, terms);
    return loadRoomRules(draft);
  };

  /** roomRules with what is not cached loaded, in the rules' own order. */
  async function loadRoomRules(draft: CommentDraft): Promise<void> {
    const exempt = await access.canModerate(draft.user, draft.room.id);
    // A read-only room refuses with read_only before the terms are read, so it does so even when they
    // cannot be (the database is away).
    const terms = draft.room.readOnly && !exempt ? [] : await access.blockedTerms(draft.room.id);
    return applyRoomRules(draft, exempt, terms);
  }

  return { sanctions, roomRules };
}
