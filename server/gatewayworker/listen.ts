import type net from 'node:net';

/** Listens and resolves with the port actually bound (the system's pick when `port` is 0). */
export function listenOn(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

/** Stops accepting and resolves once every connection has ended. */
export const closeServer = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
