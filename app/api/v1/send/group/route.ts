import { apiRoute } from '@/server/gateway/http/api-route';
import { sendToGroupBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

export const POST = apiRoute({ body: sendToGroupBody }, ({ gateway, body }) =>
  gateway.sendToGroup(body.groups, body.message, body.exclude),
);
