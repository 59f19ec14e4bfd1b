import { getRuntime } from '@/server/runtime';
import { currentUser } from '@/app/_lib/current-user';
import { errorResponse, ok, readJson } from '@/server/http/respond';
import { parseOrThrow } from '@/shared/schemas';
import { modAppointPayload } from '@/shared/moderation';

export const dynamic = 'force-dynamic';

/** Appoint (or with remove: true, dismiss) a room moderator: the room owner or an admin only. */
export async function POST(req: Request, ctx: { params: Promise<{ slug: string }> }) {
  try {
    const rt = getRuntime();
    const body = await readJson(req);
    const p = parseOrThrow(modAppointPayload, { ...(body as object), roomId: (await ctx.params).slug });
    const user = await currentUser();
    return ok(await rt.console.appoint(user, p));
  } catch (err) {
    return errorResponse(err);
  }
}
