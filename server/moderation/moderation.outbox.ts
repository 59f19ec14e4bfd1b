import type { ModInvalidate } from '../../shared/contract.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { RoomFrames } from '../realtime/room-frames.ts';
import { groupRoom, userRoom, type IoServer } from '../realtime/types.ts';
import type { ModerationOutbox } from './moderation.service.ts';

/** Moderation's effects on connected clients and on the other instances, over Socket.IO (and its Redis adapter). */
export function createSocketOutbox(
  io: IoServer,
  frames: RoomFrames,
  opts: { clustered: boolean; log: Logger; events: DomainEventBus; onInvalidate: (msg: ModInvalidate) => void },
): ModerationOutbox {
  return {
    commentsDeleted(roomId, seqs) {
      opts.events.emit('commentsDeleted', roomId, seqs);
      frames.push(roomId, { type: 'deleted', roomId, seqs });
    },
    sanction: (userId, frame) => void io.to(userRoom(userId)).emit('sanction', frame),
    settings: (s) => void io.to(groupRoom(s.roomId)).emit('room:settings', s),
    async close(roomId, userId, reason) {
      let sockets;
      try {
        sockets = await io.in(userRoom(userId)).fetchSockets();
      } catch (err) {
        // An instance did not answer in time: close what the others reported.
        opts.log.warn({ err: (err as Error).message }, 'fetchSockets failed during close');
        return 0;
      }
      const inRoom = sockets.filter((s) => s.rooms.has(groupRoom(roomId)));
      for (const s of inRoom) {
        s.emit('server:close', { reason: 'moderator', message: reason });
        s.disconnect(true);
      }
      return inRoom.length;
    },
    async invalidate(msg) {
      opts.onInvalidate(msg);
      if (!opts.clustered) return;
      try {
        // Awaited: when the moderator's ack arrives, no instance still serves the old decision.
        await io.serverSideEmitWithAck('mod:invalidate', msg);
      } catch (err) {
        // A silent instance falls back on the caches' short TTL.
        opts.log.warn({ err: (err as Error).message, ...msg }, 'mod:invalidate not acknowledged by every instance');
      }
    },
  };
}
