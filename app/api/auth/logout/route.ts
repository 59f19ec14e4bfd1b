import { cookies } from 'next/headers';
import { SESSION_COOKIE } from '@/server/identity/session';
import { ok } from '@/server/http/respond';

export const dynamic = 'force-dynamic';

export async function POST() {
  (await cookies()).delete(SESSION_COOKIE);
  return ok(null);
}
