import type { Config } from '../config.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { AckObserver } from '../metrics/metrics.ts';
import type { CommentService } from '../messages/comment.service.ts';
import type { MessagesModule } from '../messages/messages.module.ts';
import type { PresenceStore } from '../presence/presence.store.ts';
import type { RecentPresence } from '../presence/recent-presence.ts';
import type { RoomAccess } from '../rooms/room-access.ts';
import { JoinNoticeCoalescer } from './join-notices.ts';
import { PresenceBroadcaster } from './presence-broadcaster.ts';
import type { RedisConnections } from './redis.ts';
import type { EventRouter } from './event-router.ts';
import { roomListeners, trackLiveRoomLeaves } from './room.handlers.ts';
import type { RoomFrames } from './room-frames.ts';
import type { IoServer } from './types.ts';

export interface LiveRoomModuleDeps {
  io: IoServer;
  router: EventRouter;
  frames: RoomFrames;
  log: Logger;
  acks: AckObserver;
  config: Pick<Config, 'replayCap' | 'historyRateLimit'>;
  redis: RedisConnections | undefined;
  presence: PresenceStore;
  recent: RecentPresence;
  comments: CommentService;
  catchUp: MessagesModule['catchUp'];
  access: RoomAccess;
  events: DomainEventBus;
  isReady: () => boolean;
}

/** The live room over Socket.IO: join/say/history events, presence and join notices, cluster outages. */
export function createLiveRoomModule(d: LiveRoomModuleDeps) {
  const { io, frames, log, presence, events } = d;
  const broadcaster = new PresenceBroadcaster(
    presence,
    (p) => {
      frames.push(p.roomId, { type: 'presence', ...p });
      events.emit('presence', p.roomId, { connections: p.connections, users: p.users });
    },
    log,
  );
  const notices = new JoinNoticeCoalescer((n) => frames.push(n.roomId, n));
  presence.onExternalChange((roomIds) => roomIds.forEach((r) => broadcaster.markDirty(r)));

  const handlerDeps = { ...d, broadcaster, notices, replayCap: d.config.replayCap, historyRateLimit: d.config.historyRateLimit };
  d.router.add(roomListeners(handlerDeps));
  trackLiveRoomLeaves(handlerDeps);

  d.redis?.onLost(() => {
    io.local.emit('notice', {
      kind: 'warning',
      text: 'Lost contact with the other servers: the room may be incomplete until it is back.',
      sentAt: new Date().toISOString(),
    });
  });
  // Pub/sub dropped whatever was published while Redis was away: clients replay from the database.
  d.redis?.onRecovered(() => io.local.emit('resync', { reason: 'redis-recovered' }));

  return {
    broadcaster,
    close(): void {
      broadcaster.close();
      notices.close();
    },
  };
}
