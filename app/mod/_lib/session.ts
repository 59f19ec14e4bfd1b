import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getRuntime } from '@/server/runtime';
import { SESSION_COOKIE } from '@/server/identity/session';
import type { PublicUser } from '@/shared/contract';

/** The signed-in user for a console page; no session sends them to sign in and back. */
export async function requireSession(back: string): Promise<PublicUser> {
  const user = await getRuntime().authenticate((await cookies()).get(SESSION_COOKIE)?.value);
  if (!user) redirect(`/mod/login?next=${encodeURIComponent(back)}`);
  return user;
}
