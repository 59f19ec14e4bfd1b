import { LIMITS } from '../../shared/limits.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { DomainEventBus } from '../events.ts';
import type { KnownUsers } from '../identity/known-users.ts';
import type { Logger } from '../logger.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import { createCommentService, type CommentCheck } from './comment.service.ts';
import { LatestPages } from './latest-pages.ts';
import { createMessageRepository, type NewComment, type StoredComment } from './message.repository.ts';
import { WriteBatcher } from './write-batcher.ts';

export interface MessagesModuleDeps {
  config: Pick<Config, 'writeBatch' | 'writeQueueMax'>;
  log: Logger;
  db: Database;
  events: DomainEventBus;
  rooms: RoomCache;
  /** The comment pipeline, in order (see server/app.ts). */
  checks: readonly CommentCheck[];
  /** Other instances write too: history cannot be cached in this process. */
  clustered: boolean;
  /** Users whose row exists, shared with the user repository. */
  knownUsers: KnownUsers;
  /** Told of every write batch (metrics). */
  onBatch?: (size: number, failed: boolean) => void;
}

/** Comments: the batched, gap-free store, history, and the pipeline every comment goes through. */
export function createMessagesModule(d: MessagesModuleDeps) {
  const repository = createMessageRepository(d.db.prisma, d.db, d.knownUsers);
  const pageSize = LIMITS.historyPageSize;
  const latest = d.clustered ? undefined : new LatestPages({ load: (roomId) => repository.before(roomId, undefined, pageSize), size: pageSize });
  d.events.on('commentsDeleted', (roomId) => latest?.forget(roomId));
  const batcher = new WriteBatcher<NewComment, StoredComment>({
    write: async (items) => {
      const results = await repository.insertBatch(items);
      latest?.stored(results.filter((r) => !r.retried).map((r) => r.comment));
      return results;
    },
    maxBatch: d.config.writeBatch.max,
    maxQueued: d.config.writeQueueMax,
    // Below the web client's 10 s ack timeout: past it, the sender has given up and will retry.
    maxWaitMs: 8_000,
    // At moderate rates every comment found a free connection and went in a transaction of its own;
    // waiting for the write in flight (a few ms) lets them share one. PostgreSQL CPU per comment
    // 345–370 → 290–318 µs in fan-out 10×100 @500/s; a backlog or a slow statement still opens the
    // other connections (bench/README.md, change 24).
    spareFrom: 16,
    lingerMs: 10,
    // PGlite has one connection: parallel transactions would only queue behind each other.
    concurrency: d.db.kind === 'pglite' ? 1 : d.config.writeBatch.concurrency,
    onBatch: (size, ms, error) => {
      d.onBatch?.(size, Boolean(error));
      if (error) d.log.error({ size, ms, err: (error as Error).message }, 'comment batch failed');
    },
  });
  const comments = createCommentService({ rooms: d.rooms, messages: repository, batcher, checks: d.checks, events: d.events });
  return {
    repository,
    comments,
    /** What a join needs, from memory when this process sees every write (one instance). */
    catchUp: {
      latestPage: (roomId: string) => (latest ? latest.get(roomId) : repository.before(roomId, undefined, pageSize)),
      async missedSince(roomId: string, lastSeq: number, cap: number) {
        const cached = latest?.after(roomId, lastSeq);
        if (cached && cached.length <= cap) return { messages: cached, truncated: false };
        return repository.after(roomId, lastSeq, cap);
      },
    },
    /** Resolves once every accepted comment is stored (graceful stop). */
    drain: () => batcher.drain(),
    /** Comments waiting for a write slot. */
    queueDepth: () => batcher.queued,
  };
}

export type MessagesModule = ReturnType<typeof createMessagesModule>;
