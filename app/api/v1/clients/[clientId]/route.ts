import { apiRoute } from '@/server/gateway/http/api-route';
import { clientParams } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

/** isOnline + getUidByClientId + the connection's groups */
export const GET = apiRoute({ params: clientParams }, ({ gateway, params }) => gateway.client(params.clientId));
