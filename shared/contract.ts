import type { z } from 'zod';
import type { Ack } from './errors.ts';
import type { historyPayload, joinPayload, leavePayload, sayPayload } from './schemas.ts';
import type {
  BlockedTerms,
  ModAppointPayload,
  ModBanPayload,
  ModDeletePayload,
  ModPurgePayload,
  ModSettingsPayload,
  ModTermsPayload,
  ModTimeoutPayload,
  SanctionRecord,
} from './moderation.ts';
import type { StreamSetPayload, StreamState } from './stream.ts';

/**
 * The socket protocol, typed once for the server (`Server<ClientToServer, ServerToClient, InterServer,
 * SocketData>`) and the browser (`Socket<ServerToClient, ClientToServer>`). docs/protocol.md describes
 * the same events for people writing other clients. Times are ISO 8601 strings in UTC, set by the server.
 */
export const PROTOCOL_VERSION = 4;

export type { StreamKind, StreamState, StreamStatus } from './stream.ts';

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
  /** The room's stream (protocol 4): source and on-air status. */
  stream: StreamState;
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
  /**
   * Protocol 3: the `seq` of the earlier comment in this room this one replies to, or null. The quote
   * (author, text) is not copied: clients show it from their feed or load it with `history`; a reply
   * whose original is gone (deleted) shows it as removed.
   */
  replyTo: number | null;
  /** Protocol 3: the `@tokens` of `content`, lower case without `@` (see shared/mentions.ts). */
  mentions: string[];
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

/** One item of a room frame; `type` tells which. */
export type RoomEvent =
  | Comment
  | JoinNotice
  | ({ type: 'presence' } & Presence)
  | ({ type: 'deleted' } & CommentsDeleted)
  | StreamChange;

/** The room's stream source or status changed (protocol 4): pages switch the player without a reload. */
export type StreamChange = { type: 'stream'; roomId: string } & StreamState;

/**
 * Everything one room's members receive within one broadcast window, as ONE frame (protocol 2+):
 * comments in `seq` order, join notices, presence and deletions in the order they happened. A quiet
 * room's frame goes out at once; a busy room's traffic is gathered for BROADCAST_WINDOW_MS.
 */
export interface RoomFrame {
  roomId: string;
  events: RoomEvent[];
}

export interface ServerToClientEvents {
  init: (frame: InitFrame) => void;
  /** A room's traffic (comments, join notices, presence, deletions), coalesced. */
  room: (frame: RoomFrame) => void;
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
  /** `reason: 'slow_consumer'`: this connection fell too far behind; reconnect and resume by seq. */
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
  // Moderation (server/moderation): each acks `forbidden` unless the sender moderates the room.
  /** Soft-deletes comments; the room gets `comments:deleted`. */
  'mod:delete': (payload: ModDeletePayload, ack: AckFn<{ seqs: number[] }>) => void;
  /** Timeout for N minutes; the user's tabs get `sanction`, their sends ack `timed_out` + retryAfterMs. */
  'mod:timeout': (payload: ModTimeoutPayload, ack: AckFn<SanctionRecord>) => void;
  'mod:ban': (payload: ModBanPayload, ack: AckFn<SanctionRecord>) => void;
  /** Lifts every timeout/ban of the user in the room. */
  'mod:lift': (payload: ModBanPayload, ack: AckFn<{ lifted: number }>) => void;
  /** Deletes the user's comments of the last N minutes (default 10). */
  'mod:purge': (payload: ModPurgePayload, ack: AckFn<{ seqs: number[] }>) => void;
  /** Slow mode seconds (0 = off) and/or read-only; the room gets `room:settings`. */
  'mod:settings': (payload: ModSettingsPayload, ack: AckFn<RoomSettings>) => void;
  'mod:terms': (payload: ModTermsPayload, ack: AckFn<BlockedTerms>) => void;
  /** Closes the user's connections in the room (they get `server:close` first). */
  'mod:close': (payload: ModBanPayload, ack: AckFn<{ closed: number }>) => void;
  /** Room owner or admin only: set the room's stream source and/or status; the room gets a `stream` item. */
  'stream:set': (payload: StreamSetPayload, ack: AckFn<StreamState>) => void;
  /** Room owner or admin only: appoint (or with remove: dismiss) a room moderator. */
  'mod:appoint': (payload: ModAppointPayload, ack: AckFn<{ roomId: string; userId: string; moderator: boolean }>) => void;
}

/** What moderation tells every instance to forget (its caches reload from the database). */
export interface ModInvalidate {
  roomId: string;
  userId?: string;
  scope: 'sanction' | 'terms' | 'moderators' | 'settings' | 'stream';
}

/**
 * A change to one connection requested through the gateway API. It is applied by the instance that
 * owns the connection (socket.data lives there), which acks `true`; the others ack `false`.
 */
export type GatewayMutation =
  | { op: 'join' | 'leave'; clientId: string; group: string }
  | { op: 'bind' | 'unbind'; clientId: string; uid: string }
  | { op: 'session:set' | 'session:update'; clientId: string; session: Record<string, unknown> }
  | { op: 'close'; clientId: string; message?: unknown };

/** Between instances through the adapter (serverSideEmit). */
export interface InterServerEvents {
  /** Gateway API: apply a change to a connection held by whichever instance has it. */
  'gateway:apply': (mutation: GatewayMutation, ack: (applied: boolean) => void) => void;
  /** Drop cached moderation state (sanctions, terms, appointments, room settings); ack once dropped. */
  'mod:invalidate': (payload: ModInvalidate, ack: (done: true) => void) => void;
}

export interface SocketData {
  user: PublicUser | null;
  /** Free-form per-connection data (GatewayWorker's session), set through the gateway API. */
  session: Record<string, unknown>;
  /** Bound user id (GatewayWorker's bindUid); the signed-in user's id unless rebound. */
  uid: string | null;
  /** Live rooms this connection joined with `join` (presence is kept for these). */
  liveRooms: readonly string[];
}
