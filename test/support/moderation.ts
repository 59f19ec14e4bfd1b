import type { PublicUser } from '../../shared/contract.ts';
import type { TestServer } from './server.ts';

/** A staff account created through the product's own service, signed in like /api/auth/login does. */
export async function staffToken(server: TestServer, login: string, role: 'moderator' | 'admin'): Promise<{ user: PublicUser; token: string }> {
  await server.runtime.staff.upsert(login, 'correct horse battery', role);
  const user = await server.runtime.staff.login(login, 'correct horse battery');
  return { user, token: await server.runtime.identity.signer.sign(user) };
}

/** A room owned by the given user (created like POST /api/rooms does). */
export async function ownedRoom(server: TestServer, owner: PublicUser, slug: string): Promise<string> {
  const room = await server.runtime.rooms.lobby.create(owner, { title: `Room ${slug}`, slug });
  return room.id;
}

let n = 0;
export const msgId = (prefix = 'm') => `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}`;
