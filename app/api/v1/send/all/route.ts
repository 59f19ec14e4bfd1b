import { apiRoute } from '@/server/gateway/http/api-route';
import { sendToAllBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

export const POST = apiRoute({ body: sendToAllBody }, ({ gateway, body }) =>
  gateway.sendToAll(body.message, body.clientIds, body.exclude),
);
