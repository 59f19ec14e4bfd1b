import { apiRoute } from '@/server/gateway/http/api-route';
import { groupParams } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ params: groupParams }, ({ gateway, params }) => gateway.groupSessions(params.group));
