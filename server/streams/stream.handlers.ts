import { streamSetPayload } from '../../shared/stream.ts';
import { listener, type ListenerContext, type SharedListener } from '../realtime/handler.ts';
import type { StreamService } from './stream.service.ts';

/** `stream:set`: validate → service (which authorises) → ack; the room hears of it through its frame. */
export function streamListeners(streams: StreamService, ctx: ListenerContext): Record<string, SharedListener> {
  return {
    'stream:set': listener(ctx, 'stream:set', streamSetPayload, (s, p) => streams.set({ user: s.data.user }, p)),
  };
}
