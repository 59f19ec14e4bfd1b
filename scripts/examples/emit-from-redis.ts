// Pushes to browsers from any Node process that can reach the cluster's Redis, without HTTP and without
// an API key: @socket.io/redis-emitter publishes on the adapter's channels, and every instance delivers
// to its own sockets. Fire-and-forget (no acks, no queries). See docs/push-api.md for when to use it.
//
//   REDIS_URL=redis://127.0.0.1:6379 node --import tsx scripts/examples/emit-from-redis.ts main-stage "Hello"
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import type { ServerToClientEvents } from '../../shared/contract.ts';

const [roomId = 'main-stage', text = 'Hello from another process'] = process.argv.slice(2);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
// The key is the servers' REDIS_CLUSTER_PREFIX (default lr) + ':sio'; rooms are named as in server/realtime/types.ts.
const emitter = new Emitter<ServerToClientEvents>(redis, { key: `${process.env.REDIS_CLUSTER_PREFIX ?? 'lr'}:sio` });
const sentAt = new Date().toISOString();

emitter.to(`g:${roomId}`).emit('notice', { kind: 'announcement', text, roomId, sentAt });
emitter.to(`g:${roomId}`).emit('push', { event: 'example', data: { text }, sentAt });
// emitter.to(`u:${userId}`) reaches every tab of a user; emitter.emit(...) reaches everyone.

console.log(`published to room ${roomId}`);
await redis.quit();
