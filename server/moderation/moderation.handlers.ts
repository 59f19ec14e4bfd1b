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
import { listener, type ListenerContext, type SharedListener } from '../realtime/handler.ts';
import type { ModerationService } from './moderation.service.ts';

/**
 * The `mod:*` socket events: validate → service (which authorises) → ack. Broadcasts happen in the
 * service's outbox. Built once; the same listeners serve every socket.
 */
export function moderationListeners(mod: ModerationService, ctx: ListenerContext): Record<string, SharedListener> {
  return {
    'mod:delete': listener(ctx, 'mod:delete', modDeletePayload, (s, p) => mod.deleteComments(s.data.user, p)),
    'mod:timeout': listener(ctx, 'mod:timeout', modTimeoutPayload, (s, p) => mod.timeout(s.data.user, p)),
    'mod:ban': listener(ctx, 'mod:ban', modBanPayload, (s, p) => mod.ban(s.data.user, p)),
    'mod:lift': listener(ctx, 'mod:lift', modLiftPayload, (s, p) => mod.lift(s.data.user, p)),
    'mod:purge': listener(ctx, 'mod:purge', modPurgePayload, (s, p) => mod.purge(s.data.user, p)),
    'mod:settings': listener(ctx, 'mod:settings', modSettingsPayload, (s, p) => mod.settings(s.data.user, p)),
    'mod:terms': listener(ctx, 'mod:terms', modTermsPayload, (s, p) => mod.terms(s.data.user, p)),
    'mod:close': listener(ctx, 'mod:close', modClosePayload, (s, p) => mod.close(s.data.user, p)),
    'mod:appoint': listener(ctx, 'mod:appoint', modAppointPayload, (s, p) => mod.appoint(s.data.user, p)),
  } satisfies Record<`mod:${string}`, SharedListener>;
}
