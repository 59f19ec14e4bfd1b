import {
  modAppointPayload,
  modBanPayload,
  modClosePayload,
  modDeletePayload,
  modLiftPayload,
  modPurgePayload,
  modSettingsPayload,
  modTermsPayload,
  modTimeoutPayload,
} from '../../shared/moderation.ts';
import type { Logger } from '../logger.ts';
import { handler } from '../realtime/handler.ts';
import type { IoSocket } from '../realtime/types.ts';
import type { ModerationService } from './moderation.service.ts';

/** The `mod:*` socket events: validate → service (which authorises) → ack. Broadcasts happen in the service's outbox. */
export function registerModerationHandlers(socket: IoSocket, mod: ModerationService, log: Logger): void {
  const me = () => socket.data.user;
  socket.on('mod:delete', handler(socket, log, 'mod:delete', modDeletePayload, (p) => mod.deleteComments(me(), p)));
  socket.on('mod:timeout', handler(socket, log, 'mod:timeout', modTimeoutPayload, (p) => mod.timeout(me(), p)));
  socket.on('mod:ban', handler(socket, log, 'mod:ban', modBanPayload, (p) => mod.ban(me(), p)));
  socket.on('mod:lift', handler(socket, log, 'mod:lift', modLiftPayload, (p) => mod.lift(me(), p)));
  socket.on('mod:purge', handler(socket, log, 'mod:purge', modPurgePayload, (p) => mod.purge(me(), p)));
  socket.on('mod:settings', handler(socket, log, 'mod:settings', modSettingsPayload, (p) => mod.settings(me(), p)));
  socket.on('mod:terms', handler(socket, log, 'mod:terms', modTermsPayload, (p) => mod.terms(me(), p)));
  socket.on('mod:close', handler(socket, log, 'mod:close', modClosePayload, (p) => mod.close(me(), p)));
  socket.on('mod:appoint', handler(socket, log, 'mod:appoint', modAppointPayload, (p) => mod.appoint(me(), p)));
}
