import { getRuntime } from '@/server/runtime';
import { currentUser } from '@/app/_lib/current-user';
import { enforceLimit, errorResponse, ok, readJson } from '@/server/http/respond';
import { createRoomBody, parseOrThrow } from '@/shared/schemas';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    return ok(await getRuntime().rooms.list());
  } catch (err) {
    return errorResponse(err);
  }
}

/** Creates a room owned by the caller (who must have picked a name). */
export async function POST(req: Request) {
  try {
    const rt = getRuntime();
    const user = await currentUser();
    const body = parseOrThrow(createRoomBody, await readJson(req));
    if (user) await enforceLimit(rt.rooms.limit, user.id);
    return ok(await rt.rooms.create(user, body), 201);
  } catch (err) {
    return errorResponse(err);
  }
}
