import { apiRoute } from '@/server/gateway/http/api-route';
import { groupMembershipBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

/** joinGroup */
export const PUT = apiRoute({ params: groupMembershipBody }, ({ gateway, params }) => gateway.joinGroup(params.clientId, params.group));

/** leaveGroup */
export const DELETE = apiRoute({ params: groupMembershipBody }, ({ gateway, params }) =>
  gateway.leaveGroup(params.clientId, params.group),
);
