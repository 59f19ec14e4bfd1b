import { cookies } from 'next/headers';
import { getRuntime } from '@/server/runtime';
import { SESSION_COOKIE } from '@/server/identity/session';
import type { PublicUser } from '@/shared/contract';

/** The user of this request's session cookie (route handlers and server components only), or null. */
export async function currentUser(): Promise<PublicUser | null> {
  return getRuntime().authenticate((await cookies()).get(SESSION_COOKIE)?.value);
}
