import { apiRoute } from '@/server/gateway/http/api-route';
import { roomParams } from '@/server/gateway/gateway.schemas';
import { streamUpdateBody } from '@/shared/stream';

export const dynamic = 'force-dynamic';

/** Sets a room's stream source and/or status; open room pages switch at once. */
export const PUT = apiRoute({ params: roomParams, body: streamUpdateBody }, ({ streams, params, body, caller }) =>
  streams.set({ apiKey: caller.name }, { roomId: params.roomId, ...body }),
);
