import { redirect } from 'next/navigation';
import { currentUser } from '@/app/_lib/current-user';
import type { PublicUser } from '@/shared/contract';

/** The signed-in user for a console page; no session sends them to sign in and back. */
export async function requireSession(back: string): Promise<PublicUser> {
  const user = await currentUser();
  if (!user) redirect(`/mod/login?next=${encodeURIComponent(back)}`);
  return user;
}
