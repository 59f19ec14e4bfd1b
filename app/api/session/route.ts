import { cookies } from 'next/headers';
import { getRuntime } from '@/server/runtime';
import { currentUser } from '@/app/_lib/current-user';
import { SESSION_COOKIE } from '@/server/identity/session';
import { clientAddress, enforceLimit, errorResponse, ok, readJson } from '@/server/http/respond';
import { parseOrThrow, sessionBody } from '@/shared/schemas';

export const dynamic = 'force-dynamic';

/** The current guest identity, or null. */
export async function GET() {
  const user = await currentUser();
  return ok(user);
}

/**
 * Picks a display name (or renames: same id and tag): creates a guest identity and sets the signed,
 * httpOnly session cookie. With `?token=1` (the embedded chat) the signed token is also returned, as
 * `{ user, token }`, for the Authorization header and the socket's `auth.token`.
 */
export async function POST(req: Request) {
  try {
    const rt = getRuntime();
    const { name } = parseOrThrow(sessionBody, await readJson(req));
    const current = await currentUser();
    // Renaming keeps the same id (and tag); staff accounts keep their role.
    if (!current) await enforceLimit(rt.sessions.limit, clientAddress(req));
    const user = current ? await rt.sessions.rename(current, name) : await rt.sessions.createGuest(name);
    const token = await rt.sessions.sign(user);
    (await cookies()).set(SESSION_COOKIE, token, rt.sessions.cookieOptions);
    const wantsToken = new URL(req.url).searchParams.get('token') === '1';
    return ok(wantsToken ? { user, token } : user, current ? 200 : 201);
  } catch (err) {
    return errorResponse(err);
  }
}

export async function DELETE() {
  (await cookies()).delete(SESSION_COOKIE);
  return ok(null);
}
