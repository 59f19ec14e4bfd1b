import { apiRoute } from '@/server/gateway/http/api-route';
import { sendToUidBody } from '@/server/gateway/gateway.schemas';

export const dynamic = 'force-dynamic';

export const POST = apiRoute({ body: sendToUidBody }, ({ gateway, body }) => gateway.sendToUid(body.uids, body.message));
