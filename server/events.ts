import { EventEmitter } from 'node:events';
import type { Comment, PublicUser } from '../shared/contract.ts';

/**
 * Things that happened, for observers (stats, audit) that must not slow the path that caused them.
 * Listeners run synchronously: keep them cheap (counters), defer anything slow.
 */
export interface DomainEvents {
  comment: [comment: Comment];
  join: [roomId: string, user: PublicUser | null];
  rateLimited: [roomId: string, userId: string];
  /** A moderator deleted comments (caches of the room's history drop them). */
  commentsDeleted: [roomId: string, seqs: number[]];
  presence: [roomId: string, counts: { connections: number; users: number }];
}

export class DomainEventBus extends EventEmitter<DomainEvents> {}
