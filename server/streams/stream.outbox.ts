import type { Logger } from '../logger.ts';
import type { RoomFrames } from '../realtime/room-frames.ts';
import type { IoServer } from '../realtime/types.ts';
import type { StreamOutbox } from './stream.service.ts';

/** Stream changes over Socket.IO: a `stream` item in the room's frame, and a cache drop on every instance. */
export function createStreamOutbox(
  io: IoServer,
  frames: RoomFrames,
  opts: { clustered: boolean; log: Logger; forgetLocally: (roomId: string) => void },
): StreamOutbox {
  return {
    changed: (roomId, stream) => frames.push(roomId, { type: 'stream', roomId, ...stream }),
    async invalidate(roomId) {
      opts.forgetLocally(roomId);
      if (!opts.clustered) return;
      try {
        // Moderation's invalidation message already makes every instance drop its cached room.
        await io.serverSideEmitWithAck('mod:invalidate', { roomId, scope: 'stream' });
      } catch (err) {
        // A silent instance falls back on the room cache's short TTL.
        opts.log.warn({ err: (err as Error).message, roomId }, 'stream invalidation not acknowledged by every instance');
      }
    },
  };
}
