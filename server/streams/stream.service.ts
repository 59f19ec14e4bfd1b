import type { PublicUser } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { checkStreamSource, type StreamState, type StreamStatus } from '../../shared/stream.ts';
import type { Logger } from '../logger.ts';
import type { RoomRepository } from '../rooms/room.repository.ts';

/** How the service reaches other instances and the room's members; over Socket.IO in stream.outbox.ts. */
export interface StreamOutbox {
  /** Every instance drops its cached copy of the room (joins must not hand out the old stream). */
  invalidate(roomId: string): Promise<void>;
  /** The room's members switch their player. */
  changed(roomId: string, stream: StreamState): void;
}

export interface StreamServiceDeps {
  rooms: Pick<RoomRepository, 'updateStream' | 'findById'>;
  /** Room owners and admins manage a room's stream (the same right as appointing moderators). */
  canManage: (user: PublicUser, roomId: string) => Promise<boolean>;
  outbox: StreamOutbox;
  audit: (entry: { roomId: string; actorId: string; actorName: string; action: string; targetId: null; detail: object; reason: null }) => Promise<void>;
  log: Logger;
}

export interface StreamChangeRequest {
  roomId: string;
  /** A new source; null removes it; undefined keeps it. */
  source?: string | null | undefined;
  status?: StreamStatus | undefined;
}

/** Who asked: a signed-in user (authorised here) or a push-API key (authorised by the key). */
export type StreamActor = { user: PublicUser | null } | { apiKey: string };

/**
 * Setting a room's stream: authorise → validate the source → store → every instance forgets its cached
 * room → the room's members get a `stream` item → audit. Nothing of this is on the comment path.
 */
export function createStreamService(d: StreamServiceDeps) {
  async function authorise(actor: StreamActor, roomId: string): Promise<{ id: string; name: string }> {
    if ('apiKey' in actor) return { id: `api:${actor.apiKey}`, name: `API key ${actor.apiKey}` };
    const user = actor.user;
    if (!user) throw new AppError('unauthenticated', 'Sign in to manage the stream.');
    if (!(await d.rooms.findById(roomId))) throw new AppError('unknown_room', `There is no room "${roomId}".`);
    if (!(await d.canManage(user, roomId))) throw new AppError('forbidden', 'Only the room owner or an admin can manage the stream.');
    return { id: user.id, name: user.name };
  }

  return {
    async set(actor: StreamActor, req: StreamChangeRequest): Promise<StreamState> {
      const who = await authorise(actor, req.roomId);
      let source: { kind: 'hls' | 'embed'; url: string } | null | undefined = req.source === null ? null : undefined;
      if (typeof req.source === 'string') {
        const checked = checkStreamSource(req.source);
        if (!checked.ok) throw new AppError('invalid_stream_source', checked.message, { issues: [{ path: 'source', message: checked.message }] });
        source = { kind: checked.kind, url: checked.url };
      }
      const room = await d.rooms.updateStream(req.roomId, {
        ...(source !== undefined ? { source } : {}),
        ...(req.status !== undefined ? { status: req.status } : {}),
      });
      if (!room) throw new AppError('unknown_room', `There is no room "${req.roomId}".`);
      await d.outbox.invalidate(room.id);
      d.outbox.changed(room.id, room.stream);
      d.audit({ roomId: room.id, actorId: who.id, actorName: who.name, action: 'stream', targetId: null, detail: { ...room.stream }, reason: null }).catch(
        // The change already took effect; a missing audit row must be visible in the logs.
        (err: Error) => d.log.error({ err: err.message, roomId: room.id }, 'audit write failed'),
      );
      return room.stream;
    },
  };
}

export type StreamService = ReturnType<typeof createStreamService>;
