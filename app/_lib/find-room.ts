import { getRuntime } from '@/server/runtime';
import { slugSchema } from '@/shared/schemas';

/**
 * A room page's room (server side): null when there is no such room (the page answers 404), undefined
 * when the database is not ready yet (the page renders and the client's join reports it).
 */
export async function findRoom(slug: string) {
  if (!slugSchema.safeParse(slug).success) return null;
  try {
    return await getRuntime().rooms.find(slug);
  } catch {
    return undefined;
  }
}
