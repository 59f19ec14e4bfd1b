/**
 * Client self-test peer: a minimal WebSocket endpoint that plays a Socket.IO server and writes
 * pre-encoded product-sized `say` frames as fast as the socket drains, so the load generator's receive
 * path can be measured alone (frames per CPU-second of one worker process).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';

const port = Number(process.env.PORT ?? 3799);

function wsFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, len]) : Buffer.from([0x81, 126, len >> 8, len & 0xff]);
  return Buffer.concat([head, payload]);
}

const sayFrame = (n: number) =>
  wsFrame(
    `42["say",{"type":"say","id":"${1_000_000 + n}","roomId":"selftest","seq":${n + 1},"userId":"bench-u-1",` +
      `"userName":"bench user 1","userTag":"aB3d","content":"m0.${n}.1","commentTime":"2026-11-25T21:00:00.000Z",` +
      `"clientMsgId":"selftest-1-${n}"}]`,
  );
const burst = Buffer.concat(Array.from({ length: 1000 }, (_, n) => sayFrame(n)));

function blast(socket: Duplex): void {
  const pump = () => {
    while (!socket.destroyed && socket.write(burst));
  };
  socket.on('drain', pump);
  pump();
}

const server = http.createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', (req, socket: Duplex) => {
  const key = req.headers['sec-websocket-key'];
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  socket.write(wsFrame('0{"sid":"selftest","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'));
  socket.once('data', () => {
    // The client's "40" connect packet: answer like Socket.IO, then flood.
    socket.write(wsFrame('40{"sid":"selftest"}'));
    socket.write(wsFrame('42["init",{"type":"init"}]'));
    blast(socket);
  });
  socket.on('error', () => socket.destroy());
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : port}`);
});
process.once('SIGTERM', () => process.exit(0));
