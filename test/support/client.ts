/**
 * Live clients of a server under test, in process or in a child process (test/support/spawn-instance.ts).
 * Only the socket client and the contract's types: Playwright specs can load it too.
 */
import { io as ioc, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, InitFrame, PublicUser, ServerToClientEvents } from '../../shared/contract.ts';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What every test needs from a server under test, wherever it runs. */
export interface ServerUnderTest {
  url: string;
  /** Creates a guest and returns its session token (what the cookie holds). */
  guest(name: string): Promise<{ user: PublicUser; token: string }>;
  /** A connected client; resolves after the `init` frame. */
  client(token?: string): Promise<{ socket: TestSocket; init: InitFrame }>;
}

const sockets = new Set<TestSocket>();

/** A client of the server at `url` (a guest's session `token`, or anonymous); resolves after the `init` frame. */
export async function connectClient(url: string, token?: string): Promise<{ socket: TestSocket; init: InitFrame }> {
  const socket: TestSocket = ioc(url, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true });
  sockets.add(socket);
  const init = await new Promise<InitFrame>((resolve, reject) => {
    socket.once('init', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, init };
}

/** Disconnects every client connectClient opened (an afterEach). */
export function closeAllClients(): void {
  for (const s of sockets) s.disconnect();
  sockets.clear();
}
