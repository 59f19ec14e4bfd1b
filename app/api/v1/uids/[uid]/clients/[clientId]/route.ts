import { apiRoute } from '@/server/gateway/http/api-route';
import { uidBindingBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

/** bindUid */
export const PUT = apiRoute({ params: uidBindingBody }, ({ gateway, params }) => gateway.bindUid(params.clientId, params.uid));

/** unbindUid */
export const DELETE = apiRoute({ params: uidBindingBody }, ({ gateway, params }) => gateway.unbindUid(params.clientId, params.uid));
