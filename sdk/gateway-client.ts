import type { z } from 'zod';
import type { AckError, ErrorCode, FieldIssue } from '../shared/errors.ts';
import type { StreamState, StreamUpdate } from '../shared/stream.ts';
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
  messageSchema,
} from '../server/gateway/gateway.schemas.ts';

/**
 * The push API for other Node processes (PHP's GatewayClient, typed): the same operations as the
 * in-process gateway service, over HTTP with an API key. Depends on nothing but fetch (Node 18+).
 *
 *   const gw = new GatewayClient({ baseUrl: 'http://liveroom:3000', apiKey: process.env.LIVEROOM_API_KEY! });
 *   await gw.sendToUid('user-42', { event: 'order:shipped', data: { id: 7 } });
 */
export interface GatewayClientOptions {
  /** The app's origin, e.g. http://127.0.0.1:3000 (the /api/v1 prefix is added). */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export type MessageInput = z.input<typeof messageSchema>;

/** A refused request: the HTTP status and the API's error body. */
export class GatewayApiError extends Error {
  override name = 'GatewayApiError';
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly status: number,
    body: AckError,
  ) {
    super(`${status} ${body.code}: ${body.message}`);
    this.code = body.code;
    this.issues = body.issues;
    this.retryAfterMs = body.retryAfterMs;
  }
}

const seg = encodeURIComponent;

export class GatewayClient {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: GatewayClientOptions) {
    this.base = `${o.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.fetchFn = o.fetch ?? globalThis.fetch;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchFn(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.o.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
    });
    const parsed = (await res.json().catch(() => null)) as { ok: true; data: T } | AckError | null;
    if (!parsed || !parsed.ok) {
      throw new GatewayApiError(res.status, parsed ?? { ok: false, code: 'internal', message: `HTTP ${res.status} without a JSON body` });
    }
    return parsed.data;
  }

  sendToClient(clientId: string, message: MessageInput): Promise<SentResult> {
    return this.request('POST', '/send/client', { clientId, message });
  }
  sendToUid(uids: string | string[], message: MessageInput): Promise<SentResult> {
    return this.request('POST', '/send/uid', { uids: [uids].flat(), message });
  }
  sendToGroup(groups: string | string[], message: MessageInput, exclude?: string[]): Promise<SentResult> {
    return this.request('POST', '/send/group', { groups: [groups].flat(), message, exclude });
  }
  sendToAll(message: MessageInput, clientIds?: string[], exclude?: string[]): Promise<SentResult> {
    return this.request('POST', '/send/all', { message, clientIds, exclude });
  }
  announce(roomId: string, text: string): Promise<SentResult> {
    return this.request('POST', `/rooms/${seg(roomId)}/announcements`, { text });
  }
  /** A room's stream source (null removes it) and/or status; open room pages switch at once. */
  setStream(roomId: string, update: StreamUpdate): Promise<StreamState> {
    return this.request('PUT', `/rooms/${seg(roomId)}/stream`, update);
  }
  joinGroup(clientId: string, group: string): Promise<AppliedResult> {
    return this.request('PUT', `/groups/${seg(group)}/clients/${seg(clientId)}`);
  }
  leaveGroup(clientId: string, group: string): Promise<AppliedResult> {
    return this.request('DELETE', `/groups/${seg(group)}/clients/${seg(clientId)}`);
  }
  ungroup(group: string): Promise<AppliedResult> {
    return this.request('DELETE', `/groups/${seg(group)}`);
  }
  bindUid(clientId: string, uid: string): Promise<AppliedResult> {
    return this.request('PUT', `/uids/${seg(uid)}/clients/${seg(clientId)}`);
  }
  unbindUid(clientId: string, uid: string): Promise<AppliedResult> {
    return this.request('DELETE', `/uids/${seg(uid)}/clients/${seg(clientId)}`);
  }
  client(clientId: string): Promise<ClientInfo> {
    return this.request('GET', `/clients/${seg(clientId)}`);
  }
  async isOnline(clientId: string): Promise<boolean> {
    return (await this.client(clientId)).online;
  }
  async getUidByClientId(clientId: string): Promise<string | null> {
    return (await this.client(clientId)).uid;
  }
  uid(uid: string): Promise<UidInfo> {
    return this.request('GET', `/uids/${seg(uid)}`);
  }
  async isUidOnline(uid: string): Promise<boolean> {
    return (await this.uid(uid)).online;
  }
  async getClientIdByUid(uid: string): Promise<string[]> {
    return (await this.uid(uid)).clientIds;
  }
  group(group: string): Promise<GroupInfo> {
    return this.request('GET', `/groups/${seg(group)}`);
  }
  getClientSessionsByGroup(group: string): Promise<GroupSessions> {
    return this.request('GET', `/groups/${seg(group)}/sessions`);
  }
  stats(): Promise<OverallStats> {
    return this.request('GET', '/stats');
  }
  async getSession(clientId: string): Promise<Session> {
    return (await this.request<SessionResult>('GET', `/clients/${seg(clientId)}/session`)).session;
  }
  setSession(clientId: string, session: Session): Promise<AppliedResult> {
    return this.request('PUT', `/clients/${seg(clientId)}/session`, session);
  }
  updateSession(clientId: string, session: Session): Promise<AppliedResult> {
    return this.request('PATCH', `/clients/${seg(clientId)}/session`, session);
  }
  closeClient(clientId: string, message?: unknown): Promise<AppliedResult> {
    return this.request('POST', `/clients/${seg(clientId)}/close`, message === undefined ? {} : { message });
  }
}

export type { GatewayMessage };
