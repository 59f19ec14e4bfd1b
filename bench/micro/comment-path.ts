/**
 * Micro-measure behind change 33 (bench/README.md): the CPU of one comment through the product's own
 * pipeline — validation, the room, the moderation checks and the rate limit, the write (here an
 * in-memory store that answers at once, mapping the row as the repository does), the stats counters —
 * without sockets or the database, whose costs the full bench measures. 100 rooms of 10 authors, every
 * cache warm, as in the small-rooms scenario.
 *
 *   node --import tsx bench/micro/comment-path.ts [comments per pass=100000]
 *
 * Prints user µs per comment for each of ten passes. Run it on two checkouts, alternating, to compare.
 */
import { DomainEventBus } from '../../server/events.ts';
import { createCommentService } from '../../server/messages/comment.service.ts';
import { toComment, type NewComment, type StoredComment } from '../../server/messages/message.repository.ts';
import { commentRateLimit } from '../../server/messages/rate-limit.check.ts';
import { ModerationAccess, type AccessRepository } from '../../server/moderation/moderation.access.ts';
import { createModerationChecks } from '../../server/moderation/moderation.checks.ts';
import { RoomCache } from '../../server/rooms/room-cache.ts';
import { StatsService } from '../../server/stats/stats.service.ts';
import type { PublicUser, RoomSummary } from '../../shared/contract.ts';
import { NO_STREAM } from '../../shared/stream.ts';

const perPass = Number(process.argv[2] ?? 100_000);
const ROOMS = 100;
const AUTHORS = 10;

const room = (i: number): RoomSummary => ({ id: `room-${i}`, title: `Room ${i}`, ownerId: null, lastSeq: 0, lastActivityAt: new Date(0).toISOString(), slowModeSeconds: 0, readOnly: false, stream: NO_STREAM });
const rooms = new Map(Array.from({ length: ROOMS }, (_, i) => [`room-${i}`, room(i)]));
const authors: PublicUser[] = Array.from({ length: ROOMS * AUTHORS }, (_, i) => ({ id: `user-${i}-abcdefgh`, name: `Viewer ${i}`, role: 'guest', tag: 'ab12' }));

const repo: AccessRepository = {
  activeRestriction: async () => null,
  activeRestrictionsByUser: async () => new Map(),
  isRoomModerator: async () => false,
  roomModeratorIds: async () => new Set(),
  blockedTerms: async () => ({ room: ['spam'], global: ['scam link'] }),
};
const roomCache = new RoomCache({ findById: async (id) => rooms.get(id) ?? null }, 600_000);
const access = new ModerationAccess(repo, roomCache, 600_000);
const events = new DomainEventBus();
new StatsService({ events, store: {} as never, repo: {} as never, presence: {} as never, log: {} as never });
const { sanctions, roomRules } = createModerationChecks(access, undefined);
const rateLimit = commentRateLimit({ config: { commentRate: { points: 10_000, windowSeconds: 86_400 } }, redis: undefined, events });

let seq = 0;
const store = async (item: NewComment): Promise<StoredComment> => {
  const row = { id: BigInt(++seq), roomId: item.roomId, seq, userId: item.userId, userName: item.userName, content: item.content, clientMsgId: item.clientMsgId, createdAt: new Date(), deletedAt: null, replyToSeq: null };
  return { comment: toComment(row), retried: false, removed: false };
};
const service = createCommentService({
  rooms: roomCache,
  messages: { findSent: async () => null, before: async () => ({ messages: [], hasMore: false }), from: async () => ({ messages: [], hasMore: false }) },
  batcher: { submit: store },
  checks: [sanctions, roomRules, rateLimit],
  events,
});

let sent = 0;
async function pass(n: number): Promise<number> {
  const before = process.cpuUsage();
  // A hundred comments in flight at a time, one per room, as the bench's senders keep them.
  for (let done = 0; done < n; done += ROOMS) {
    await Promise.all(
      Array.from({ length: ROOMS }, (_, r) => {
        const author = authors[r * AUTHORS + (sent % AUTHORS)]!;
        sent++;
        return service.submit(author, { roomId: `room-${r}`, content: `comment number ${sent} in a small room`, clientMsgId: `micro-${sent}-xxxx` });
      }),
    );
  }
  return process.cpuUsage(before).user / n;
}

await pass(perPass / 4); // warm-up: caches filled, code optimised
for (let i = 0; i < 10; i++) console.log(`${(await pass(perPass)).toFixed(2)} user µs per comment`);
