import { cookies } from 'next/headers';
import { getRuntime } from '@/server/runtime';
import { SESSION_COOKIE } from '@/server/identity/session';
import { clientAddress, errorResponse, ok, readJson } from '@/server/http/respond';
import { parseOrThrow } from '@/shared/schemas';
import { loginBody } from '@/shared/moderation';

export const dynamic = 'force-dynamic';

/** Staff sign-in: a correct login and password set the same session cookie guests get, with the staff role. */
export async function POST(req: Request) {
  try {
    const rt = getRuntime();
    const { login, password } = parseOrThrow(loginBody, await readJson(req));
    const user = await rt.staff.login(login, password, clientAddress(req));
    (await cookies()).set(SESSION_COOKIE, await rt.sessions.sign(user), rt.sessions.cookieOptions);
    return ok(user);
  } catch (err) {
    return errorResponse(err);
  }
}
