import { historyPayload, joinPayload, leavePayload, sayPayload } from '../../shared/schemas.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { ClientToServerEvents, JoinResult, RoomSummary } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { AckObserver } from '../metrics/metrics.ts';
import type { CommentInput, CommentService } from '../messages/comment.service.ts';
import type { MessagesModule } from '../messages/messages.module.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { RecentPresence } from '../presence/recent-presence.ts';
import type { RoomAccess } from '../rooms/room-access.ts';
import { createLimiter } from '../limits/rate-limits.ts';
import { listener, type SharedListener } from './handler.ts';
import { sharedJson } from './packet-encoder.ts';
import type { JoinNoticeCoalescer } from './join-notices.ts';
import type { PresenceBroadcaster } from './presence-broadcaster.ts';
import type { RoomFrames } from './room-frames.ts';
import { groupOf, groupRoom, isGroupRoom, userRoom, type IoServer, type IoSocket } from './types.ts';

export interface RoomHandlerDeps {
  io: IoServer;
  frames: RoomFrames;
  log: Logger;
  acks: AckObserver;
  comments: CommentService;
  catchUp: MessagesModule['catchUp'];
  presence: PresenceStore;
  /** Who was here within the last minute: not announced again. */
  recent: RecentPresence;
  broadcaster: PresenceBroadcaster;
  notices: JoinNoticeCoalescer;
  events: DomainEventBus;
  access: RoomAccess;
  replayCap: number;
  /** History pages per connection per 10 s (HISTORY_RATE_LIMIT). */
  historyRateLimit: number;
  /** False until the database is migrated and reachable. */
  isReady: () => boolean;
}

type Page = Pick<JoinResult, 'messages' | 'truncated' | 'hasMoreBefore'>;

/**
 * The live-room socket events (join, leave, say, history), built once per server: the same listeners
 * serve every socket (see `listener`), so a connection costs no closures of its own.
 */
export function roomListeners(d: RoomHandlerDeps): Record<string, SharedListener> {
  const ensureReady = () => {
    if (!d.isReady()) throw new AppError('unavailable', 'The server is starting; retrying shortly.');
  };
  /**
   * History pages per connection (by default a burst of 40, then 4/s): enough for a gap fill of thousands and for
   * scrolling back, while a reader that asks for 200-comment pages without end (and perhaps never reads
   * the answers) cannot keep the database and everyone's acks busy. Per connection, so in memory.
   */
  const historyPages = createLimiter({ prefix: 'history', points: d.historyRateLimit, durationSeconds: 10 });

  /** Joins the broadcast group and, the first time, the room's presence (with its join notice). */
  async function enter(socket: IoSocket, room: RoomSummary): Promise<void> {
    await socket.join(groupRoom(room.id));
    if (socket.data.liveRooms.includes(room.id)) return;
    const user = socket.data.user;
    // concat sizes the new array exactly; a spread grows it to 17 slots (152 B per viewer, heap snapshots).
    socket.data.liveRooms = socket.data.liveRooms.concat(room.id);
    await d.presence.add(room.id, { socketId: socket.id, userId: user?.id ?? null, name: user?.name ?? '', tag: user?.tag ?? '' });
    d.broadcaster.markDirty(room.id);
    d.events.emit('join', room.id, user);
    if (user && !(await wasHere(d, socket, room.id, user.id))) d.notices.join(room.id, user);
  }



  /** What the client missed since lastSeq (capped), or the latest page on a first join. */
  async function catchUp(roomId: string, lastSeq: number | null | undefined): Promise<Page> {
    if (lastSeq !== null && lastSeq !== undefined) {
      const replay = await d.catchUp.missedSince(roomId, lastSeq, d.replayCap);
      return { ...replay, hasMoreBefore: replay.truncated };
    }
    const latest = await d.catchUp.latestPage(roomId);
    return { messages: latest.messages, truncated: false, hasMoreBefore: latest.hasMore };
  }

  async function join(socket: IoSocket, { roomId, lastSeq }: { roomId: string; lastSeq?: number | null | undefined }): Promise<JoinResult> {
    ensureReady();
    const room = await d.comments.requireRoom(roomId);
    const user = socket.data.user;
    // Join the broadcast group before reading history: anything committed after the read is then
    // delivered live, so the replay and the live stream leave no gap (the client drops duplicates by seq).
    await enter(socket, room);
    const [page, presence, restriction, canModerate] = await Promise.all([
      catchUp(room.id, lastSeq),
      d.broadcaster.current(room.id),
      d.access.restrictionFor(user, room.id),
      d.access.canModerate(user, room.id),
    ]);
    return { room, ...page, presence, you: user, restriction, canModerate };
  }

  async function say(socket: IoSocket, input: CommentInput) {
    ensureReady();
    if (!socket.data.liveRooms.includes(input.roomId)) {
      // Unknown rooms get unknown_room even when not joined, so a client learns the real problem.
      await d.comments.requireRoom(input.roomId);
      throw new AppError('not_joined', 'Join the room before commenting.');
    }
    return d.comments.submit(socket.data.user, input);
  }

  return {
    join: listener(d, 'join', joinPayload, join, { encode: joinResultJson }),
    // Presence follows through the adapter's leave-room event (see trackLiveRoomLeaves).
    leave: listener(d, 'leave', leavePayload, async (socket, { roomId }) => {
      await socket.leave(groupRoom(roomId));
      return null;
    }),
    // Broadcast only what was stored, after the sender's ack; a retry of a stored comment (its ack was
    // lost) is acked again to the sender only: the room already has it.
    say: listener(d, 'say', sayPayload, say, {
      ack: (r) => r.comment,
      after: (r) => r.fresh && d.frames.push(r.comment.roomId, r.comment),
      holdAck: true,
    }),
    history: listener(d, 'history', historyPayload, async (socket, p) => {
      ensureReady();
      const waitMs = await historyPages.take(socket.id);
      if (waitMs !== null) throw new AppError('rate_limited', 'Too many history requests; wait a moment.', { retryAfterMs: waitMs });
      return d.comments.history(p.roomId, { ...p, limit: p.limit ?? LIMITS.historyPageSize });
    }),
  } satisfies Record<keyof ClientToServerEvents & ('join' | 'leave' | 'say' | 'history'), SharedListener>;
}

/**
 * A join's result as JSON, its presence and page from their cached encodings: every joiner of a room
 * gets the same snapshot and, while no comment arrives, the same page (packet-encoder.ts).
 */
function joinResultJson({ presence, messages, ...rest }: JoinResult): string {
  return `{"presence":${sharedJson(presence)},"messages":${sharedJson(messages)},${JSON.stringify(rest).slice(1)}`;
}

/** A reload, a reconnect or a second tab is not a new arrival: no notice for it. */
async function wasHere(d: Pick<RoomHandlerDeps, 'io' | 'recent'>, socket: IoSocket, roomId: string, userId: string): Promise<boolean> {
  const recently = await d.recent.arrive(roomId, userId).catch(() => false);
  if (recently) return true;
  const sockets = d.io.of('/').sockets;
  for (const id of d.io.of('/').adapter.rooms.get(userRoom(userId)) ?? []) {
    if (id !== socket.id && sockets.get(id)?.data.liveRooms.includes(roomId)) return true;
  }
  return false;
}

/**
 * Takes a connection out of a live room's presence whenever it leaves the room's group, whatever the
 * cause: the `leave` event, a disconnect (Socket.IO leaves every room before forgetting the socket), or
 * the gateway API's leaveGroup/ungroup, possibly requested on another instance. One place, at the
 * adapter, so no path can forget it. Called once per server.
 */
export function trackLiveRoomLeaves(d: Pick<RoomHandlerDeps, 'io' | 'presence' | 'recent' | 'broadcaster' | 'log'>): void {
  d.io.of('/').adapter.on('leave-room', (room: string, socketId: string) => {
    if (!isGroupRoom(room)) return;
    const socket = d.io.of('/').sockets.get(socketId);
    const roomId = groupOf(room);
    if (!socket?.data.liveRooms.includes(roomId)) return;
    socket.data.liveRooms = socket.data.liveRooms.filter((r) => r !== roomId);
    const userId = socket.data.user?.id;
    if (userId) d.recent.leave(roomId, userId).catch(() => {});
    d.presence.remove(roomId, socketId).then(
      () => d.broadcaster.markDirty(roomId),
      (err: Error) => d.log.warn({ err: err.message, roomId }, 'presence removal failed'),
    );
  });
}
