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
import { listener, type SharedListener } from '../realtime/handler.ts';
import type { ModerationService } from './moderation.service.ts';

/**
 * The `mod:*` socket events: validate → service (which authorises) → ack. Broadcasts happen in the
 * service's outbox. Built once; the same listeners serve every socket.
 */
export function moderationListeners(mod: ModerationService, log: Logger): Record<string, SharedListener> {
  return {
    'mod:delete': listener(log, 'mod:delete', modDeletePayload, (s, p) => mod.deleteComments(s.data.user, p)),
    'mod:timeout': listener(log, 'mod:timeout', modTimeoutPayload, (s, p) => mod.timeout(s.data.user, p)),
    'mod:ban': listener(log, 'mod:ban', modBanPayload, (s, p) => mod.ban(s.data.user, p)),
    'mod:lift': listener(log, 'mod:lift', modLiftPayload, (s, p) => mod.lift(s.data.user, p)),
    'mod:purge': listener(log, 'mod:purge', modPurgePayload, (s, p) => mod.purge(s.data.user, p)),
    'mod:settings': listener(log, 'mod:settings', modSettingsPayload, (s, p) => mod.settings(s.data.user, p)),
    'mod:terms': listener(log, 'mod:terms', modTermsPayload, (s, p) => mod.terms(s.data.user, p)),
    'mod:close': listener(log, 'mod:close', modClosePayload, (s, p) => mod.close(s.data.user, p)),
    'mod:appoint': listener(log, 'mod:appoint', modAppointPayload, (s, p) => mod.appoint(s.data.user, p)),
  } satisfies Record<`mod:${string}`, SharedListener>;
}
