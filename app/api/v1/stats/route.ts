import { apiRoute } from '@/server/gateway/http/api-route';

export const dynamic = 'force-dynamic';

/** Counts and lists over every instance. */
export const GET = apiRoute({}, ({ gateway }) => gateway.overall());
