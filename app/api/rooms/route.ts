import { cookies } from 'next/headers';
import { getRuntime } from '@/server/runtime';
import { SESSION_COOKIE } from '@/server/identity/session';
import { enforceLimit, errorResponse, ok, readJson } from '@/server/http/respond';
import { createRoomBody, parseOrThrow } from '@/shared/schemas';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    return ok(await getRuntime().lobby.list());
  } catch (err) {
    return errorResponse(err);
  }
}

/** Creates a room owned by the caller (who must have picked a name). */
export async function POST(req: Request) {
  try {
    const rt = getRuntime();
    const user = await rt.authenticate((await cookies()).get(SESSION_COOKIE)?.value);
    const body = parseOrThrow(createRoomBody, await readJson(req));
    if (user) await enforceLimit(rt.httpLimits.newRoom, user.id);
    return ok(await rt.lobby.create(user, body), 201);
  } catch (err) {
    return errorResponse(err);
  }
}
