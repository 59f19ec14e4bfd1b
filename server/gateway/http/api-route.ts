import type { z } from 'zod';
import { errorResponse, ok, readJson } from '../../http/respond.ts';
import { getRuntime } from '../../runtime.ts';
import { parseOrThrow } from '../../../shared/schemas.ts';
import type { WebRuntime } from '../../web-runtime.ts';
import type { GatewayService } from '../gateway.service.ts';
import type { ApiCaller } from './api-keys.ts';

interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

interface ApiRouteSpec<B extends z.ZodType | undefined, P extends z.ZodType | undefined> {
  body?: B;
  params?: P;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One push-API endpoint: API key → rate limit → body and params through zod (all before anything is
 * done, so a refused request changes nothing) → the gateway call → `{ ok: true, data }`. Errors use the
 * same body as socket acks, with the status from server/http/respond.ts.
 */
export function apiRoute<B extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined>(
  spec: ApiRouteSpec<B, P>,
  run: (input: { gateway: GatewayService; streams: WebRuntime['streams']; body: Parsed<B>; params: Parsed<P>; caller: ApiCaller }) => unknown,
) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    try {
      const rt = getRuntime();
      const caller = await rt.apiAuth.authenticate(req.headers.get('authorization'));
      const params = (spec.params ? parseOrThrow(spec.params, await ctx.params) : undefined) as Parsed<P>;
      const body = (spec.body ? parseOrThrow(spec.body, await readJson(req)) : undefined) as Parsed<B>;
      return ok(await run({ gateway: rt.gateway, streams: rt.streams, body, params, caller }));
    } catch (err) {
      return errorResponse(err);
    }
  };
}
