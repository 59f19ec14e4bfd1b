import { getRuntime } from '@/server/runtime';
import { currentUser } from '@/app/_lib/current-user';
import { errorResponse, ok } from '@/server/http/respond';

export const dynamic = 'force-dynamic';

/** Rooms the caller moderates, with live stats (401 without a session, 403 without any room to moderate). */
export async function GET() {
  try {
    const rt = getRuntime();
    const user = await currentUser();
    return ok(await rt.console.listRooms(user));
  } catch (err) {
    return errorResponse(err);
  }
}
