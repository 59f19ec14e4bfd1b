import { cookies } from 'next/headers';
import { getRuntime } from '@/server/runtime';
import { SESSION_COOKIE } from '@/server/identity/session';
import { clientAddress, enforceLimit, errorResponse, ok, readJson } from '@/server/http/respond';
import { parseOrThrow, sessionBody } from '@/shared/schemas';

export const dynamic = 'force-dynamic';

/** The current guest identity, or null. */
export async function GET() {
  const user = await getRuntime().authenticate((await cookies()).get(SESSION_COOKIE)?.value);
  return ok(user);
}

/** Picks a display name: creates a guest identity and sets the signed, httpOnly session cookie. */
export async function POST(req: Request) {
  try {
    const rt = getRuntime();
    const { name } = parseOrThrow(sessionBody, await readJson(req));
    const current = await rt.authenticate((await cookies()).get(SESSION_COOKIE)?.value);
    // Renaming keeps the same id (and tag); staff accounts keep their role.
    if (!current) await enforceLimit(rt.httpLimits.newSession, clientAddress(req));
    const user = current ? await rt.users.rename(current, name) : await rt.users.createGuest(name);
    (await cookies()).set(SESSION_COOKIE, await rt.signer.sign(user), rt.signer.cookieOptions);
    return ok(user, current ? 200 : 201);
  } catch (err) {
    return errorResponse(err);
  }
}

export async function DELETE() {
  (await cookies()).delete(SESSION_COOKIE);
  return ok(null);
}
