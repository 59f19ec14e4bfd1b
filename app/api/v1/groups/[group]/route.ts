import { apiRoute } from '@/server/gateway/http/api-route';
import { groupParams } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ params: groupParams }, ({ gateway, params }) => gateway.group(params.group));

/** ungroup: every connection leaves the group. */
export const DELETE = apiRoute({ params: groupParams }, ({ gateway, params }) => gateway.ungroup(params.group));
