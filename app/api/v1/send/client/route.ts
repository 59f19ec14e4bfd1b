import { apiRoute } from '@/server/gateway/http/api-route';
import { sendToClientBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

export const POST = apiRoute({ body: sendToClientBody }, ({ gateway, body }) => gateway.sendToClient(body.clientId, body.message));
