import { apiRoute } from '@/server/gateway/http/api-route';
import { uidParams } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

/** isUidOnline + getClientIdByUid */
export const GET = apiRoute({ params: uidParams }, ({ gateway, params }) => gateway.uid(params.uid));
