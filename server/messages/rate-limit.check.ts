import { AppError } from '../../shared/errors.ts';
import type { Config } from '../config.ts';
import type { DomainEventBus } from '../events.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import type { CommentCheck } from './comment.service.ts';

/**
 * COMMENT_RATE_LIMIT comments per user per room per window, shared through Redis when configured. Put
 * it last in the pipeline: taking a point spends it, so a comment refused by an earlier check must not.
 */
export function commentRateLimit(d: { config: Pick<Config, 'commentRate'>; redis: RedisConnections | undefined; events: DomainEventBus }): CommentCheck {
  const limiter = createLimiter({
    prefix: 'comment',
    points: d.config.commentRate.points,
    durationSeconds: d.config.commentRate.windowSeconds,
    redis: d.redis?.cmd,
  });
  return async ({ user, room }) => {
    const wait = await limiter.take(`${user.id}:${room.id}`);
    if (wait === null) return;
    d.events.emit('rateLimited', room.id, user.id);
    throw new AppError('rate_limited', `Slow down: you can comment again in ${Math.ceil(wait / 1000)} s.`, { retryAfterMs: wait });
  };
}
