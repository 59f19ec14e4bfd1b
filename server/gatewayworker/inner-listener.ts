import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { CMD, decodePacket, encodeReply, PacketSplitter, type GatewayPacket } from './gateway-protocol.ts';
import type { CommandResult } from './inner-commands.ts';
import { closeServer, listenOn } from './listen.ts';

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The gateway's inner port: GatewayClient connects, sends (with a secret, first an auth packet)
 * one or more packets, and reads the reply of a query. A malformed packet, an unknown command or a
 * wrong or missing secret closes that TCP connection with a log line; nothing reaches a browser.
 */
export function createInnerListener(o: { run: (p: GatewayPacket) => CommandResult; secretKey: string | undefined; log: Logger }) {
  const server = net.createServer((conn) => {
    const peer = `${conn.remoteAddress}:${conn.remotePort}`;
    let authorized = o.secretKey === undefined;
    const splitter = new PacketSplitter();
    const refuse = (why: string) => {
      o.log.warn({ peer, why }, 'gatewayworker: inner gateway connection closed');
      conn.destroy();
    };
    // A client that connects and says nothing is gone after a while (GatewayClient waits 1 s for replies).
    conn.setTimeout(30_000, () => conn.destroy());
    conn.on('error', () => {});
    conn.on('data', (chunk: Buffer) => {
      try {
        for (const raw of splitter.push(chunk)) {
          const p = decodePacket(raw);
          if (p.cmd === CMD.GATEWAY_CLIENT_CONNECT) {
            const given = (JSON.parse(Buffer.isBuffer(p.body) ? p.body.toString() : '{}') as { secret_key?: unknown }).secret_key;
            if (!sameSecret(typeof given === 'string' ? given : '', o.secretKey ?? '')) return refuse('secret key does not match');
            authorized = true;
            continue;
          }
          if (!authorized) return refuse('unauthenticated packet (a secret key is set)');
          if (p.cmd === CMD.WORKER_CONNECT) return refuse('BusinessWorker processes are not supported; use GatewayClient');
          const result = o.run(p);
          if (result) conn.write(encodeReply(result.reply));
        }
      } catch (err) {
        refuse(`malformed packet: ${(err as Error).message}`);
      }
    });
  });
  return {
    listen: (port: number, host: string) => listenOn(server, port, host),
    close: () => closeServer(server),
  };
}
