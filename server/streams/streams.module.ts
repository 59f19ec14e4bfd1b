import type { PublicUser } from '../../shared/contract.ts';
import type { Logger } from '../logger.ts';
import type { AckObserver } from '../metrics/metrics.ts';
import type { EventRouter } from '../realtime/event-router.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import type { RoomFrames } from '../realtime/room-frames.ts';
import type { IoServer } from '../realtime/types.ts';
import type { RoomsModule } from '../rooms/rooms.module.ts';
import { streamListeners } from './stream.handlers.ts';
import { createStreamOutbox } from './stream.outbox.ts';
import { createStreamService, type StreamServiceDeps } from './stream.service.ts';

/** A room's stream (source and on-air status): the `stream:set` socket event and the service the push API calls. */
export function createStreamsModule(d: {
  io: IoServer;
  router: EventRouter;
  frames: RoomFrames;
  log: Logger;
  acks: AckObserver;
  redis: RedisConnections | undefined;
  rooms: RoomsModule;
  canManage: (user: PublicUser, roomId: string) => Promise<boolean>;
  audit: StreamServiceDeps['audit'];
}) {
  const outbox = createStreamOutbox(d.io, d.frames, {
    clustered: Boolean(d.redis),
    log: d.log,
    forgetLocally: (roomId) => {
      d.rooms.cache.invalidate(roomId);
      d.rooms.lobby.forget();
    },
  });
  const service = createStreamService({ rooms: d.rooms.repository, canManage: d.canManage, outbox, audit: d.audit, log: d.log });
  d.router.add(streamListeners(service, { log: d.log, acks: d.acks }));
  return { service };
}

export type StreamsModule = ReturnType<typeof createStreamsModule>;
