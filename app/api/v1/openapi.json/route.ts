import { buildOpenApiDocument } from '@/server/gateway/http/openapi';

export const dynamic = 'force-static';

/** The push API's description (no key needed). docs/openapi.json holds the same document. */
export function GET() {
  return Response.json(buildOpenApiDocument());
}
