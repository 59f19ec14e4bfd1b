import type { GatewayMutation, Notice, PushFrame, SocketData } from '../../shared/contract.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';
import type { RoomCache } from '../rooms/room-cache.ts';
import { groupOf, groupRoom, isGroupRoom, userRoom, type IoServer } from '../realtime/types.ts';
import type {
  AppliedResult,
  ClientInfo,
  GatewayMessage,
  GroupInfo,
  GroupSessions,
  OverallStats,
  SentResult,
  Session,
  SessionResult,
  UidInfo,
} from './gateway.schemas.ts';
import { applyLocally } from './socket-mutations.ts';

export interface GatewayOptions {
  io: IoServer;
  log: Logger;
  rooms: RoomCache;
  /** True with the Redis adapter: other instances may hold the connection. */
  clustered: boolean;
  /** Whether the other instances can be reached now (Redis up). */
  clusterReachable: () => boolean;
  /**
   * Longest wait for the other instances; past it, queries answer with what this instance knows and
   * `partial: true`. Slightly above the adapter's requestsTimeout so its own timeout normally fires first.
   * @default 3500
   */
  clusterDeadlineMs?: number;
}

interface FetchedSocket {
  id: string;
  data: SocketData;
  rooms: Set<string>;
}

function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const distinctUids = (sockets: FetchedSocket[]) => [...new Set(sockets.flatMap((s) => (s.data.uid ? [s.data.uid] : [])))];

type Target = ReturnType<IoServer['to']>;

function deliver(target: Target, message: GatewayMessage): SentResult {
  const sentAt = new Date().toISOString();
  if (message.event !== undefined) {
    const frame: PushFrame = { event: message.event, data: message.data ?? null, sentAt };
    target.emit('push', frame);
  }
  if (message.notice) {
    const notice: Notice = { ...message.notice, sentAt };
    target.emit('notice', notice);
  }
  return { sentAt };
}

/** Sends go through the adapter, so they reach every instance without waiting for an answer. */
function createSends({ io, rooms }: Pick<GatewayOptions, 'io' | 'rooms'>) {
  return {
    /** GatewayWorker sendToClient. */
    sendToClient(clientId: string, message: GatewayMessage): SentResult {
      return deliver(io.to(clientId), message);
    },
    /** sendToUid: every connection (tab, device) bound to any of the uids. */
    sendToUid(uids: string | string[], message: GatewayMessage): SentResult {
      return deliver(io.to([uids].flat().map(userRoom)), message);
    },
    /** sendToGroup: every connection in any of the groups (once each), minus the excluded ones. */
    sendToGroup(groups: string | string[], message: GatewayMessage, exclude: string[] = []): SentResult {
      return deliver(io.to([groups].flat().map(groupRoom)).except(exclude), message);
    },
    /** sendToAll: everyone, or only the listed connections, minus the excluded ones. */
    sendToAll(message: GatewayMessage, clientIds?: string[], exclude: string[] = []): SentResult {
      return deliver(clientIds ? io.to(clientIds).except(exclude) : io.except(exclude), message);
    },
    /** A banner on the room page of a stored room (unknown_room otherwise). */
    async announce(roomId: string, text: string): Promise<SentResult> {
      if (!(await rooms.get(roomId))) throw new AppError('unknown_room', `There is no room "${roomId}".`);
      return deliver(io.to(groupRoom(roomId)), { notice: { kind: 'announcement', text, roomId } });
    },
  };
}

/** Changes to a connection run on the instance that holds it: here, or asked of the others. */
function createConnectionChanges(o: GatewayOptions, deadlineMs: number) {
  const { io } = o;

  async function mutate(m: GatewayMutation): Promise<AppliedResult> {
    if (applyLocally(io, m)) return { applied: true };
    const notFound = () => new AppError('not_found', `No connection "${m.clientId}" is online.`);
    if (!o.clustered) throw notFound();
    // While Redis is away a request would be queued and applied whenever it returns: refuse instead.
    if (!o.clusterReachable()) throw new AppError('unavailable', 'The other servers cannot be reached right now; retry shortly.');
    const { responses, timedOut } = await deadline(
      new Promise<{ responses: boolean[]; timedOut: boolean }>((resolve) =>
        io.serverSideEmit('gateway:apply', m, (err: Error | null, responses: boolean[]) =>
          resolve({ responses: responses ?? [], timedOut: Boolean(err) }),
        ),
      ),
      deadlineMs,
    ).catch(() => ({ responses: [] as boolean[], timedOut: true }));
    if (responses.includes(true)) return { applied: true };
    if (timedOut) throw new AppError('unavailable', 'Some server did not answer; the connection may be there. Retry shortly.');
    throw notFound();
  }

  return {
    joinGroup: (clientId: string, group: string) => mutate({ op: 'join', clientId, group }),
    leaveGroup: (clientId: string, group: string) => mutate({ op: 'leave', clientId, group }),
    /** Empties a group on every instance. */
    ungroup(group: string): AppliedResult {
      io.in(groupRoom(group)).socketsLeave(groupRoom(group));
      return { applied: true };
    },
    bindUid: (clientId: string, uid: string) => mutate({ op: 'bind', clientId, uid }),
    unbindUid: (clientId: string, uid: string) => mutate({ op: 'unbind', clientId, uid }),
    /** setSession: replaces the connection's session. */
    setSession: (clientId: string, session: Session) => mutate({ op: 'session:set', clientId, session }),
    /** updateSession: merges into the connection's session (top-level keys). */
    updateSession: (clientId: string, session: Session) => mutate({ op: 'session:update', clientId, session }),
    /** closeClient: the client gets `server:close` with the message, then the connection is closed. */
    closeClient: (clientId: string, message?: unknown) => mutate({ op: 'close', clientId, message }),
  };
}

/** Per group: how many connections and distinct users it holds. */
function groupCounts(sockets: FetchedSocket[]): OverallStats['groups'] {
  const byGroup = new Map<string, FetchedSocket[]>();
  for (const s of sockets) {
    for (const room of s.rooms) {
      if (!isGroupRoom(room)) continue;
      const list = byGroup.get(groupOf(room)) ?? [];
      list.push(s);
      byGroup.set(groupOf(room), list);
    }
  }
  return [...byGroup].map(([group, members]) => ({ group, connections: members.length, users: distinctUids(members).length }));
}

/** Queries ask every instance and degrade to a flagged partial answer instead of hanging. */
function createQueries(o: GatewayOptions, deadlineMs: number) {
  const { io } = o;

  async function fetch(target: (local: boolean) => { fetchSockets(): Promise<FetchedSocket[]> }) {
    try {
      return { sockets: await deadline(target(false).fetchSockets(), deadlineMs), partial: false };
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'gateway: an instance did not answer; answering from this one');
      return { sockets: await target(true).fetchSockets(), partial: true };
    }
  }
  const inRoom = (room: string) => (local: boolean) => (local ? io.in(room).local : io.in(room));

  return {
    /** isOnline + getUidByClientId + the connection's groups. */
    async client(clientId: string): Promise<ClientInfo> {
      const { sockets, partial } = await fetch(inRoom(clientId));
      const s = sockets.find((x) => x.id === clientId);
      return {
        clientId,
        online: Boolean(s),
        uid: s?.data.uid ?? null,
        groups: s ? [...s.rooms].filter(isGroupRoom).map(groupOf) : [],
        partial,
      };
    },
    async getSession(clientId: string): Promise<SessionResult> {
      const { sockets } = await fetch(inRoom(clientId));
      const s = sockets.find((x) => x.id === clientId);
      if (!s) throw new AppError('not_found', `No connection "${clientId}" is online.`);
      return { clientId, session: s.data.session as Session };
    },
    /** isUidOnline + getClientIdByUid. */
    async uid(uid: string): Promise<UidInfo> {
      const { sockets, partial } = await fetch(inRoom(userRoom(uid)));
      return { uid, online: sockets.length > 0, clientIds: sockets.map((s) => s.id), partial };
    },
    /** getClientCountByGroup, getClientIdListByGroup, getUidListByGroup, getUidCountByGroup. */
    async group(group: string): Promise<GroupInfo> {
      const { sockets, partial } = await fetch(inRoom(groupRoom(group)));
      const uids = distinctUids(sockets);
      return { group, connections: sockets.length, users: uids.length, clientIds: sockets.map((s) => s.id), uids, partial };
    },
    async groupSessions(group: string): Promise<GroupSessions> {
      const { sockets, partial } = await fetch(inRoom(groupRoom(group)));
      return { group, sessions: Object.fromEntries(sockets.map((s) => [s.id, s.data.session as Session])), partial };
    },
    /** getAllClientCount/IdList, getAllUidList/Count, getAllGroupIdList, getAllGroupUidCount. */
    async overall(): Promise<OverallStats> {
      const { sockets, partial } = await fetch((local) => (local ? io.local : io));
      const uids = distinctUids(sockets);
      return { connections: sockets.length, users: uids.length, clientIds: sockets.map((s) => s.id), uids, groups: groupCounts(sockets), partial };
    },
  };
}

/**
 * GatewayWorker's Gateway API over Socket.IO, for route handlers, server actions and the HTTP API.
 * Sends go through the adapter (every instance); changes to a connection run on the instance that holds
 * it; queries ask every instance and degrade to a flagged partial answer instead of hanging.
 */
export function createGatewayService(o: GatewayOptions) {
  const deadlineMs = o.clusterDeadlineMs ?? 3_500;
  return { ...createSends(o), ...createConnectionChanges(o, deadlineMs), ...createQueries(o, deadlineMs) };
}

export type GatewayService = ReturnType<typeof createGatewayService>;
