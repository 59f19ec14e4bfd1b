/**
 * The baseline: a bare Socket.IO 4.8 server with the seed's GatewayWorker flow and nothing else —
 * no auth, no validation, no storage, no presence. `join` adds the socket to the room and tells the room;
 * `say` broadcasts the comment to the room. Acks exist only so the load generator drives both servers
 * with the same client code (the product acks, and acks cost the baseline one tiny frame).
 * Run as its own process so its CPU and RSS can be read from /proc.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { installBenchHooks } from '../lib/server-hooks.ts';

const port = Number(process.env.PORT ?? 3700);
const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
const io = new Server(httpServer, { serveClient: false });

const serverTime = () => new Date().toISOString();

io.on('connection', (socket) => {
  socket.emit('init', { type: 'init', client_id: socket.id, msg: 'connect is success' });
  socket.on('join', (p: { roomId: string; userName?: string; quiet?: boolean }, ack?: (a: unknown) => void) => {
    void socket.join(p.roomId);
    // `quiet` (bench-only): the stream and heap scenarios fill one room of 5,000, where the seed's notice
    // to the whole room per join would be 12.5 M frames of set-up; they measure after the joins.
    if (!p.quiet) io.to(p.roomId).emit('join', { type: 'join', roomId: p.roomId, userName: p.userName ?? socket.id, msg: 'enters the Room', joinTime: serverTime() });
    ack?.({ ok: true });
  });
  socket.on('say', (p: { roomId: string; content?: string; userName?: string }, ack?: (a: unknown) => void) => {
    ack?.({ ok: true });
    io.to(p.roomId).emit('say', { type: 'say', roomId: p.roomId, userName: p.userName ?? socket.id, content: p.content ?? 'default content', commentTime: serverTime() });
  });
});

httpServer.listen(port, '127.0.0.1', () => {
  const address = httpServer.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : port}`);
});
// The bench asks for a full GC before reading RSS (the launcher passes --expose-gc).
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
installBenchHooks(); // heap snapshots and memory figures on request (stdin)
process.once('SIGTERM', () => io.close(() => process.exit(0)));
