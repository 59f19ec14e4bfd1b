import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import {
  MemoryPresenceStore,
  summarize,
  type PresenceEntry,
  type PresenceSnapshot,
  type PresenceStore,
  type RoomCounts,
} from './presence.store.ts';

const keys = (p: string) => ({
  room: (roomId: string) => `${p}:presence:${roomId}`,
  alive: (instanceId: string) => `${p}:instance:${instanceId}`,
  instances: `${p}:instances`,
  instanceRooms: (instanceId: string) => `${p}:instance-rooms:${instanceId}`,
});

export interface RedisPresenceOptions {
  redis: Redis;
  instanceId: string;
  log: Logger;
  /** Prefix of the keys (REDIS_CLUSTER_PREFIX): only instances sharing it see each other. @default 'lr' */
  keyPrefix?: string;
  /** How long an instance stays "alive" without a heartbeat. @default 8000 */
  aliveTtlMs?: number;
  /** Heartbeat and reaper period. @default 2500 */
  tickMs?: number;
}

/**
 * Presence shared through Redis: each entry is tagged with its instance id, and every instance keeps a
 * short-lived liveness key. An instance that dies without goodbye stops refreshing its key; within
 * aliveTtl + tick the others stop counting its entries and delete them. A local mirror keeps this
 * instance's own sockets visible while Redis is away and is re-published when Redis returns.
 */
export class RedisPresenceStore implements PresenceStore {
  readonly kind = 'redis' as const;
  private readonly local = new MemoryPresenceStore();
  private readonly listeners: ((roomIds: string[]) => void)[] = [];
  /**
   * Instances seen without a heartbeat at the last tick. Entries are filtered by "not known dead" rather
   * than "known alive", so an instance that started since our last tick is counted at once.
   */
  private deadInstances = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly ttl: number;
  private readonly tickMs: number;
  /**
   * Redis may disagree with the local mirror: at start (a crashed process with the same INSTANCE_ID may
   * have left entries that our heartbeat would keep alive) and after a write failed. The next heartbeat
   * that reaches Redis then makes it match.
   */
  private republishNeeded = true;

  private readonly K: ReturnType<typeof keys>;

  constructor(private readonly o: RedisPresenceOptions) {
    this.K = keys(o.keyPrefix ?? 'lr');
    this.ttl = o.aliveTtlMs ?? 8_000;
    this.tickMs = o.tickMs ?? 2_500;
  }

  async start(): Promise<void> {
    await this.tick().catch((err: Error) => this.o.log.warn({ err: err.message }, 'presence: first heartbeat failed'));
    this.timer = setInterval(() => {
      this.tick().catch((err: Error) => this.o.log.warn({ err: err.message }, 'presence: heartbeat failed'));
    }, this.tickMs);
    this.timer.unref();
  }

  private field(socketId: string): string {
    return `${this.o.instanceId}|${socketId}`;
  }

  async add(roomId: string, entry: PresenceEntry): Promise<void> {
    await this.local.add(roomId, entry);
    await this.o.redis
      .multi()
      .hset(this.K.room(roomId), this.field(entry.socketId), JSON.stringify([entry.userId, entry.name, entry.tag]))
      .sadd(this.K.instanceRooms(this.o.instanceId), roomId)
      .exec()
      .catch((err: Error) => {
        this.republishNeeded = true;
        this.o.log.warn({ err: err.message, roomId }, 'presence: redis add failed (kept locally)');
      });
  }

  async remove(roomId: string, socketId: string): Promise<void> {
    await this.local.remove(roomId, socketId);
    await this.o.redis
      .hdel(this.K.room(roomId), this.field(socketId))
      .catch((err: Error) => {
        this.republishNeeded = true;
        this.o.log.warn({ err: err.message, roomId }, 'presence: redis remove failed');
      });
  }

  private async entriesOf(roomId: string): Promise<PresenceEntry[]> {
    const raw = await this.o.redis.hgetall(this.K.room(roomId));
    const out: PresenceEntry[] = [];
    for (const [field, value] of Object.entries(raw)) {
      const sep = field.indexOf('|');
      if (this.deadInstances.has(field.slice(0, sep))) continue;
      const [userId, name, tag] = JSON.parse(value) as [string | null, string, string];
      out.push({ socketId: field.slice(sep + 1), userId, name, tag });
    }
    return out;
  }

  async snapshot(roomId: string, listMax: number): Promise<PresenceSnapshot> {
    try {
      return { ...summarize(await this.entriesOf(roomId), listMax), partial: false };
    } catch {
      return { ...(await this.local.snapshot(roomId, listMax)), partial: true };
    }
  }

  async counts(roomIds: string[]): Promise<Map<string, RoomCounts>> {
    try {
      const out = new Map<string, RoomCounts>();
      const all = await Promise.all(roomIds.map((id) => this.entriesOf(id)));
      roomIds.forEach((id, i) => {
        const { connections, users } = summarize(all[i] ?? [], 0);
        out.set(id, { connections, users });
      });
      return out;
    } catch {
      return this.local.counts(roomIds);
    }
  }

  async rooms(): Promise<string[]> {
    try {
      const ids = (await this.o.redis.smembers(this.K.instances)).filter((id) => !this.deadInstances.has(id));
      const sets = await Promise.all(ids.map((id) => this.o.redis.smembers(this.K.instanceRooms(id))));
      const candidates = [...new Set(sets.flat())];
      const counts = await this.counts(candidates);
      return candidates.filter((id) => (counts.get(id)?.connections ?? 0) > 0);
    } catch {
      return this.local.rooms();
    }
  }

  onExternalChange(listener: (roomIds: string[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * After Redis was unreachable: drops the connections that left meanwhile (their removal could not
   * reach Redis) and re-publishes this instance's sockets (in case Redis lost them).
   */
  async republish(): Promise<void> {
    this.republishNeeded = true;
    await this.tick();
  }

  /** Makes Redis hold exactly this instance's local entries; returns the rooms touched. */
  private async republishEntries(): Promise<string[]> {
    const { redis, instanceId } = this.o;
    const mine = `${instanceId}|`;
    const published = new Map<string, string[]>();
    for (const roomId of await redis.smembers(this.K.instanceRooms(instanceId))) {
      published.set(roomId, (await redis.hkeys(this.K.room(roomId))).filter((f) => f.startsWith(mine)));
    }
    // From here to exec nothing awaits, so the local view and the commands agree (a connection added
    // later writes its own entry after this transaction on the same connection).
    const multi = redis.multi();
    const rooms = new Set<string>();
    for (const [roomId, fields] of published) {
      const gone = fields.filter((f) => !this.local.has(roomId, f.slice(mine.length)));
      if (gone.length) {
        multi.hdel(this.K.room(roomId), ...gone);
        rooms.add(roomId);
      }
    }
    for (const [roomId, e] of this.local.entries()) {
      multi.hset(this.K.room(roomId), this.field(e.socketId), JSON.stringify([e.userId, e.name, e.tag]));
      multi.sadd(this.K.instanceRooms(instanceId), roomId);
      rooms.add(roomId);
    }
    await multi.exec();
    return [...rooms];
  }

  /** Heartbeat, then forget instances whose heartbeat expired. */
  private async tick(): Promise<void> {
    const { redis, instanceId } = this.o;
    const beat = await redis.multi().set(this.K.alive(instanceId), '1', 'PX', this.ttl).sadd(this.K.instances, instanceId).exec();
    // Added back to the set: the others took this instance for dead (a pause longer than the TTL, or
    // Redis lost its data) and deleted its entries, so they are written again.
    const readded = beat?.[1]?.[1] === 1;
    if (readded || this.republishNeeded) {
      // Cleared first: a write failing meanwhile sets it again for the next heartbeat.
      this.republishNeeded = false;
      const rooms = await this.republishEntries().catch((err: unknown) => {
        this.republishNeeded = true;
        throw err;
      });
      if (rooms.length) this.listeners.forEach((l) => l(rooms));
    }
    const ids = await redis.smembers(this.K.instances);
    const alive = ids.length ? await redis.mget(...ids.map(this.K.alive)) : [];
    const dead = ids.filter((id, i) => !alive[i] && id !== instanceId);
    this.deadInstances = new Set(dead);
    const changed = new Set<string>();
    for (const id of dead) {
      for (const roomId of await redis.smembers(this.K.instanceRooms(id))) {
        const fields = (await redis.hkeys(this.K.room(roomId))).filter((f) => f.startsWith(`${id}|`));
        if (fields.length) await redis.hdel(this.K.room(roomId), ...fields);
        changed.add(roomId);
      }
      await redis.multi().del(this.K.instanceRooms(id)).srem(this.K.instances, id).exec();
      this.o.log.warn({ deadInstance: id, rooms: changed.size }, 'presence: removed a dead instance');
    }
    if (changed.size) this.listeners.forEach((l) => l([...changed]));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    const { redis, instanceId } = this.o;
    // Say goodbye so the others correct counts now rather than after the TTL.
    try {
      const multi = redis.multi();
      for (const [roomId, e] of this.local.entries()) multi.hdel(this.K.room(roomId), this.field(e.socketId));
      multi.del(this.K.instanceRooms(instanceId), this.K.alive(instanceId)).srem(this.K.instances, instanceId);
      await multi.exec();
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'presence: goodbye failed; others will expire us');
    }
    await this.local.close();
  }
}
