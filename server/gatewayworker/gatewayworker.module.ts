import type http from 'node:http';
import type { Config } from '../config.ts';
import type { Authenticate } from '../identity/authenticate.ts';
import type { Logger } from '../logger.ts';
import type { EventRouter } from '../realtime/event-router.ts';
import type { RedisConnections } from '../realtime/redis.ts';
import type { IoServer } from '../realtime/types.ts';
import { assignClientIds, ClientIds } from './client-id.ts';
import { createInnerCommands } from './inner-commands.ts';
import { createInnerListener } from './inner-listener.ts';
import { createRegister, memoryDirectory, redisDirectory } from './register.ts';
import { createSeedEndpoint } from './seed-endpoint.ts';

export interface GatewayWorkerModuleDeps {
  io: IoServer;
  httpServer: http.Server;
  router: EventRouter;
  config: Pick<Config, 'gatewayWorker' | 'host' | 'clusterPrefix'>;
  log: Logger;
  redis: RedisConnections | undefined;
  authenticate: Authenticate;
  /** The start-up gate Socket.IO handshakes pass: seed pages wait for it too. */
  accepting: () => boolean;
}

/**
 * GatewayWorker compatibility: the seed's WebSocket endpoint for old pages, GatewayWorker client ids
 * for every connection, and for unchanged PHP backends (GatewayClient) the Register service and this
 * instance's inner Gateway port. Built after the live-room module (it runs that module's join/say
 * listeners).
 */
export function createGatewayWorkerModule(d: GatewayWorkerModuleDeps) {
  const gw = d.config.gatewayWorker;
  const ids = new ClientIds(gw.inner?.host ?? '127.0.0.1');
  assignClientIds(d.io, ids);
  const join = d.router.get('join');
  const say = d.router.get('say');
  if (!join || !say) throw new Error('gatewayworker: build it after the live-room module (needs its join and say listeners)');
  const seed = createSeedEndpoint({ io: d.io, httpServer: d.httpServer, config: gw, host: d.config.host, log: d.log, authenticate: d.authenticate, ids, listeners: { join, say }, accepting: d.accepting });

  const directory = d.redis ? redisDirectory(d.redis.cmd, `${d.config.clusterPrefix}:gw:gateways`, d.log) : memoryDirectory();
  const inner = createInnerListener({ run: createInnerCommands(d.io, ids), secretKey: gw.secretKey, log: d.log });
  const register = createRegister({ directory, secretKey: gw.secretKey, log: d.log });
  const ports = { inner: undefined as number | undefined, register: undefined as number | undefined };

  async function openRegister(at: { host: string; port: number }): Promise<void> {
    try {
      ports.register = await register.listen(at.port, at.host);
      d.log.info({ address: `${at.host}:${ports.register}` }, 'gatewayworker: register listening');
    } catch (err) {
      // Several instances on one host: one serves the register, from the list every instance shares.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      d.log.warn({ address: `${at.host}:${at.port}` }, 'gatewayworker: register port taken (another instance serves it); not serving it here');
    }
  }

  return {
    ids,
    seed,
    ports,
    /** Opens the listeners; runs before the main port accepts connections, so every id has its port. */
    async start(): Promise<void> {
      if (gw.inner) {
        ports.inner = await inner.listen(gw.inner.port, gw.inner.host);
        ids.setPort(ports.inner);
        await directory.announce(`${gw.inner.host}:${ports.inner}`);
        d.log.info({ address: `${gw.inner.host}:${ports.inner}` }, 'gatewayworker: inner gateway listening');
      }
      if (gw.register) await openRegister(gw.register);
      await seed.start();
    },
    async close(): Promise<void> {
      await seed.close();
      await directory.close();
      if (ports.register !== undefined) await register.close();
      if (ports.inner !== undefined) await inner.close();
    },
  };
}

export type GatewayWorkerModule = ReturnType<typeof createGatewayWorkerModule>;
