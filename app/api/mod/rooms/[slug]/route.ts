import { z } from 'zod';
import { getRuntime } from '@/server/runtime';
import { currentUser } from '@/app/_lib/current-user';
import { errorResponse, ok } from '@/server/http/respond';
import { parseOrThrow, roomIdSchema } from '@/shared/schemas';

export const dynamic = 'force-dynamic';

const query = z.strictObject({ slug: roomIdSchema, range: z.enum(['1h', '24h']).default('1h') });

/** One room for the console: live stats, chart series, top chatters, audit log, sanctions, blocked terms. */
export async function GET(req: Request, ctx: { params: Promise<{ slug: string }> }) {
  try {
    const rt = getRuntime();
    const range = new URL(req.url).searchParams.get('range') ?? undefined;
    const p = parseOrThrow(query, { slug: (await ctx.params).slug, ...(range ? { range } : {}) });
    const user = await currentUser();
    return ok(await rt.console.roomDetail(user, p.slug, p.range));
  } catch (err) {
    return errorResponse(err);
  }
}
