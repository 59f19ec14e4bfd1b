import { apiRoute } from '@/server/gateway/http/api-route';
import { clientParams, closeClientBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

/** closeClient: sends `server:close` with the message, then closes the connection. */
export const POST = apiRoute({ params: clientParams, body: closeClientBody }, ({ gateway, params, body }) =>
  gateway.closeClient(params.clientId, body.message),
);
