import { cookies, headers } from 'next/headers';
import { getRuntime } from '@/server/runtime';
import { SESSION_COOKIE } from '@/server/identity/session';
import type { PublicUser } from '@/shared/contract';

/**
 * The user of this request (route handlers and server components only), or null: the session cookie,
 * else `Authorization: Bearer <token>` — the embedded chat's sign-in, where a third-party iframe gets no
 * SameSite=Lax cookie (see docs/embedding.md).
 */
export async function currentUser(): Promise<PublicUser | null> {
  return getRuntime().authenticate(await sessionToken());
}

export async function sessionToken(): Promise<string | undefined> {
  const bearer = /^Bearer (\S+)$/.exec((await headers()).get('authorization') ?? '')?.[1];
  return bearer ?? (await cookies()).get(SESSION_COOKIE)?.value;
}
