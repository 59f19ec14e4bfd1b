import { apiRoute } from '@/server/gateway/http/api-route';
import { announcementBody, roomParams } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

/** A banner on the page of a stored room. */
export const POST = apiRoute({ params: roomParams, body: announcementBody }, ({ gateway, params, body }) =>
  gateway.announce(params.roomId, body.text),
);
