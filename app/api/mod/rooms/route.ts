import { cookies } from 'next/headers';
import { getRuntime } from '@/server/runtime';
import { SESSION_COOKIE } from '@/server/identity/session';
import { errorResponse, ok } from '@/server/http/respond';

export const dynamic = 'force-dynamic';

/** Rooms the caller moderates, with live stats (401 without a session, 403 without any room to moderate). */
export async function GET() {
  try {
    const rt = getRuntime();
    const user = await rt.authenticate((await cookies()).get(SESSION_COOKIE)?.value);
    return ok(await rt.modConsole.listRooms(user));
  } catch (err) {
    return errorResponse(err);
  }
}
