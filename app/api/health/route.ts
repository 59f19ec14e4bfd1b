import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** 200 when the database answers (status "degraded" if Redis is configured but down), 503 otherwise. */
export async function GET() {
  const health = await getRuntime().health();
  return Response.json(health, { status: health.status === 'unavailable' ? 503 : 200, headers: { 'cache-control': 'no-store' } });
}
