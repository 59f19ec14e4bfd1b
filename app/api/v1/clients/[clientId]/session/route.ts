import { apiRoute } from '@/server/gateway/http/api-route';
import { clientParams, sessionBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ params: clientParams }, ({ gateway, params }) => gateway.getSession(params.clientId));

/** setSession: replaces the session. */
export const PUT = apiRoute({ params: clientParams, body: sessionBody }, ({ gateway, params, body }) =>
  gateway.setSession(params.clientId, body),
);

/** updateSession: merges the given keys into the session. */
export const PATCH = apiRoute({ params: clientParams, body: sessionBody }, ({ gateway, params, body }) =>
  gateway.updateSession(params.clientId, body),
);
