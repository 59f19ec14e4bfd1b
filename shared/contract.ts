import type { z } from 'zod';
import type { Ack } from './errors.ts';
import type { historyPayload, joinPayload, leavePayload, sayPayload } from './schemas.ts';

/**
 * The socket protocol, typed once for the server (`Server<ClientToServer, ServerToClient, InterServer,
 * SocketData>`) and the browser (`Socket<ServerToClient, ClientToServer>`). docs/protocol.md describes
 * the same events for people writing other clients. Times are ISO 8601 strings in UTC, set by the server.
 */
export const PROTOCOL_VERSION = 1;

export interface PublicUser {
  id: string;
  name: string;
  /** Short tag derived from the user id, shown next to the name so nobody can pass as someone else. */
  tag: string;
  role: 'guest' | 'moderator' | 'admin';
}

export interface RoomSummary {
  /** The URL slug, also the room's group id for the gateway API. */
  id: string;
  title: string;
  ownerId: string | null;
  lastSeq: number;
  lastActivityAt: string;
  slowModeSeconds: number;
  readOnly: boolean;
}

export interface RoomListing extends RoomSummary {
  online: number;
}

/** The seed's `say` frame plus ids and the room sequence number. */
export interface Comment {
  type: 'say';
  id: string;
  roomId: string;
  seq: number;
  userId: string;
  userName: string;
  userTag: string;
  content: string;
  /** Server time of the insert. */
  commentTime: string;
  clientMsgId: string;
}

/** The seed's `join` frame; several joins within a second are coalesced into one notice. */
export interface JoinNotice {
  type: 'join';
  roomId: string;
  userName: string;
  userId: string | null;
  msg: string;
  joinTime: string;
  /** Everyone in this notice (up to 5 names), userName being the first. */
  names: string[];
  /** How many more joined beyond `names`. */
  others: number;
}

export interface OnlineUser {
  userId: string;
  name: string;
  tag: string;
  connections: number;
}

export interface Presence {
  roomId: string;
  /** Open connections (tabs) in the room, watchers included. */
  connections: number;
  /** Distinct signed-in users in the room. */
  users: number;
  /** Up to LIMITS.onlineListMax users, one entry per user however many tabs. */
  list: OnlineUser[];
  /** True when some instance did not answer; numbers may be low. */
  partial: boolean;
}

export interface Restriction {
  kind: 'timeout' | 'ban';
  until: string | null;
  reason: string | null;
}

export interface JoinResult {
  room: RoomSummary;
  /** Latest page (no lastSeq) or everything after lastSeq, ascending by seq. */
  messages: Comment[];
  /** The replay hit REPLAY_CAP: older missed comments must be paged with `history`. */
  truncated: boolean;
  /** True when more history exists before messages[0]. */
  hasMoreBefore: boolean;
  presence: Presence;
  you: PublicUser | null;
  restriction: Restriction | null;
  canModerate: boolean;
}

export interface HistoryPage {
  messages: Comment[];
  hasMore: boolean;
}

export interface InitFrame {
  type: 'init';
  client_id: string;
  msg: 'connect is success';
  serverTime: string;
  protocolVersion: number;
  instanceId: string;
  user: PublicUser | null;
}

export interface CommentsDeleted {
  roomId: string;
  seqs: number[];
}

export interface Notice {
  /** announcement: a banner in the room; info/warning/error: a toast. */
  kind: 'announcement' | 'info' | 'warning' | 'error';
  text: string;
  roomId?: string;
  sentAt: string;
}

export interface PushFrame {
  event: string;
  data: unknown;
  sentAt: string;
}

export interface RoomSettings {
  roomId: string;
  slowModeSeconds: number;
  readOnly: boolean;
}

export interface SanctionFrame extends Restriction {
  roomId: string;
}

export interface ServerToClientEvents {
  init: (frame: InitFrame) => void;
  join: (notice: JoinNotice) => void;
  say: (comment: Comment) => void;
  presence: (presence: Presence) => void;
  'comments:deleted': (payload: CommentsDeleted) => void;
  'room:settings': (settings: RoomSettings) => void;
  sanction: (frame: SanctionFrame) => void;
  notice: (notice: Notice) => void;
  /** Anything the backend pushes through the gateway API. */
  push: (frame: PushFrame) => void;
  /** The cluster lost messages (e.g. Redis came back): re-join rooms to replay from the database. */
  resync: (payload: { reason: string }) => void;
  /** The server is shutting down; reconnect (to another instance) after the delay. */
  'server:shutdown': (payload: { reconnectInMs: number }) => void;
  /** Sent right before the server closes this connection on purpose. */
  'server:close': (payload: { reason: string; message?: unknown }) => void;
}

export type JoinPayload = z.input<typeof joinPayload>;
export type SayPayload = z.input<typeof sayPayload>;
export type HistoryPayload = z.input<typeof historyPayload>;
export type LeavePayload = z.input<typeof leavePayload>;

export type AckFn<T> = (ack: Ack<T>) => void;

export interface ClientToServerEvents {
  join: (payload: JoinPayload, ack: AckFn<JoinResult>) => void;
  leave: (payload: LeavePayload, ack: AckFn<null>) => void;
  say: (payload: SayPayload, ack: AckFn<Comment>) => void;
  history: (payload: HistoryPayload, ack: AckFn<HistoryPage>) => void;
}

/** Between instances through the adapter (serverSideEmit). */
export interface InterServerEvents {
  /** Drop a user's local rate/slow-mode caches after a moderator changed them. */
  'mod:invalidate': (payload: { roomId: string }) => void;
}

export interface SocketData {
  user: PublicUser | null;
  /** Free-form per-connection data (GatewayWorker's session), set through the gateway API. */
  session: Record<string, unknown>;
  /** Bound user id (GatewayWorker's bindUid); the signed-in user's id unless rebound. */
  uid: string | null;
  /** Live rooms this connection joined with `join` (presence is kept for these). */
  liveRooms: string[];
  connectedAt: number;
}
