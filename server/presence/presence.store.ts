import type { OnlineUser } from '../../shared/contract.ts';

export interface PresenceEntry {
  socketId: string;
  /** Null for a viewer who has not picked a name (counts as a connection, not as a user). */
  userId: string | null;
  name: string;
  tag: string;
}

export interface RoomCounts {
  connections: number;
  users: number;
}

export interface PresenceSnapshot extends RoomCounts {
  list: OnlineUser[];
  partial: boolean;
}

/**
 * Who is in which room. The in-memory store is the truth for one instance; the Redis store shares it
 * across instances and forgets an instance that stops heartbeating.
 */
export interface PresenceStore {
  readonly kind: 'memory' | 'redis';
  add(roomId: string, entry: PresenceEntry): Promise<void>;
  remove(roomId: string, socketId: string): Promise<void>;
  snapshot(roomId: string, listMax: number): Promise<PresenceSnapshot>;
  counts(roomIds: string[]): Promise<Map<string, RoomCounts>>;
  /** Every room with at least one connection (for GatewayWorker's getAllGroupIdList). */
  rooms(): Promise<string[]>;
  /** Called with rooms whose presence changed without a local event (an instance died). */
  onExternalChange(listener: (roomIds: string[]) => void): void;
  /** Starts background work (the Redis store's heartbeat and reaper). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Folds per-connection entries into one entry per user, most connections first. */
export function summarize(entries: Iterable<PresenceEntry>, listMax: number): Omit<PresenceSnapshot, 'partial'> {
  let connections = 0;
  const users = new Map<string, OnlineUser>();
  for (const e of entries) {
    connections++;
    if (!e.userId) continue;
    const u = users.get(e.userId);
    if (u) u.connections++;
    else users.set(e.userId, { userId: e.userId, name: e.name, tag: e.tag, connections: 1 });
  }
  const list = [...users.values()].sort((a, b) => b.connections - a.connections || a.name.localeCompare(b.name));
  return { connections, users: users.size, list: list.slice(0, listMax) };
}

export class MemoryPresenceStore implements PresenceStore {
  readonly kind = 'memory' as const;
  private readonly byRoom = new Map<string, Map<string, PresenceEntry>>();

  async add(roomId: string, entry: PresenceEntry): Promise<void> {
    let room = this.byRoom.get(roomId);
    if (!room) this.byRoom.set(roomId, (room = new Map()));
    room.set(entry.socketId, entry);
  }

  async remove(roomId: string, socketId: string): Promise<void> {
    const room = this.byRoom.get(roomId);
    if (!room) return;
    room.delete(socketId);
    if (room.size === 0) this.byRoom.delete(roomId);
  }

  async snapshot(roomId: string, listMax: number): Promise<PresenceSnapshot> {
    return { ...summarize(this.byRoom.get(roomId)?.values() ?? [], listMax), partial: false };
  }

  async counts(roomIds: string[]): Promise<Map<string, RoomCounts>> {
    const out = new Map<string, RoomCounts>();
    for (const id of roomIds) {
      const { connections, users } = summarize(this.byRoom.get(id)?.values() ?? [], 0);
      out.set(id, { connections, users });
    }
    return out;
  }

  async rooms(): Promise<string[]> {
    return [...this.byRoom.keys()];
  }

  has(roomId: string, socketId: string): boolean {
    return this.byRoom.get(roomId)?.has(socketId) ?? false;
  }

  /** Local entries, for re-publishing to Redis after it comes back. */
  entries(): [string, PresenceEntry][] {
    const out: [string, PresenceEntry][] = [];
    for (const [roomId, room] of this.byRoom) for (const e of room.values()) out.push([roomId, e]);
    return out;
  }

  onExternalChange(): void {
    // A single instance has no one else to change its presence.
  }

  async start(): Promise<void> {
    // Nothing runs in the background.
  }

  async close(): Promise<void> {
    this.byRoom.clear();
  }
}
