import type http from 'node:http';
import type { Config } from '../config.ts';
import type { Authenticate } from '../identity/authenticate.ts';
import type { Logger } from '../logger.ts';
import type { EventRouter } from '../realtime/event-router.ts';
import type { IoServer } from '../realtime/types.ts';
import { assignClientIds, ClientIds } from './client-id.ts';
import { createSeedEndpoint } from './seed-endpoint.ts';

export interface GatewayWorkerModuleDeps {
  io: IoServer;
  httpServer: http.Server;
  router: EventRouter;
  config: Pick<Config, 'gatewayWorker' | 'host'>;
  log: Logger;
  authenticate: Authenticate;
}

/**
 * GatewayWorker compatibility: the seed's WebSocket endpoint for old pages, GatewayWorker client ids
 * for every connection. Built after the live-room module (it runs that module's join/say listeners).
 */
export function createGatewayWorkerModule(d: GatewayWorkerModuleDeps) {
  const gw = d.config.gatewayWorker;
  const ids = new ClientIds(gw.inner?.host ?? '127.0.0.1');
  assignClientIds(d.io, ids);
  const join = d.router.get('join');
  const say = d.router.get('say');
  if (!join || !say) throw new Error('gatewayworker: build it after the live-room module (needs its join and say listeners)');
  const seed = createSeedEndpoint({ io: d.io, httpServer: d.httpServer, config: gw, host: d.config.host, log: d.log, authenticate: d.authenticate, ids, listeners: { join, say } });

  return {
    ids,
    seed,
    /** Opens the listeners; runs before the main port accepts connections, so every id has its port. */
    async start(): Promise<void> {
      await seed.start();
    },
    async close(): Promise<void> {
      await seed.close();
    },
  };
}

export type GatewayWorkerModule = ReturnType<typeof createGatewayWorkerModule>;
