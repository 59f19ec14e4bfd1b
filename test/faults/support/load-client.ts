import { io as ioc } from 'socket.io-client';
import { resendDelayMs } from '../../../app/_lib/room-client.ts';
import type { Comment, HistoryPage, JoinResult } from '../../../shared/contract.ts';
import type { Ack, AckError } from '../../../shared/errors.ts';
import type { TestSocket } from '../../support/client.ts';

/**
 * How a user resends a comment that got no ack, `unavailable` or `internal`: `backoff` is the web
 * client's rule (retryAfterMs when given, else exponential backoff with jitter); `fixed` is a hostile
 * client that ignores retryAfterMs and retries every 100–500 ms.
 */
export type RetryPolicy = 'backoff' | 'fixed';

export interface LoadOptions {
  roomId: string;
  users: number;
  /** The instances up right now; a user reconnects to its home instance when up, else to another (a load balancer). */
  urls: () => string[];
  /** Signed session tokens, one per user. */
  token: (index: number) => Promise<string>;
  retry: RetryPolicy;
  /** Mean time between two new comments of one user. @default 200 */
  intervalMs?: number;
  /** How long a send waits for its ack before it counts as lost in transit. @default 5000 */
  ackTimeoutMs?: number;
  /** A user stops typing new comments while this many of its own are unacknowledged. @default 20 */
  maxPending?: number;
}

/** What the load saw, for the figures and assertions. */
export interface LoadRecord {
  /** clientMsgId → seq of every acknowledged comment. */
  acked: Map<string, number>;
  /** When each ack arrived (ms since the epoch), in arrival order. */
  ackTimes: number[];
  /** A clientMsgId acked twice with different seqs (a duplicate the sender could see). */
  ackMismatches: string[];
  /** Error acks by code, plus `timeout` for sends that got no ack in time. */
  failures: Map<string, number>;
  /** Comments refused for a reason a retry cannot fix (none are expected). */
  rejected: Map<string, number>;
  /** Failed joins by code (`timeout`: no ack in time); the user retries them. */
  joinFailures: Map<string, number>;
  /** `resync` frames received (the cluster may have dropped broadcasts: Redis came back). */
  resyncs: number;
  sends: number;
}

const RETRYABLE = new Set(['unavailable', 'internal']);
const JOIN_RETRY_MS = 300;

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** One user in one tab: the web client's duties (docs/protocol.md, "Client duties") in a few lines. */
class LoadUser {
  private socket: TestSocket | undefined;
  private joined = false;
  private stopped = false;
  private typing: NodeJS.Timeout | undefined;
  private reconnectAfterMs: number | undefined;
  private filling = false;
  private written = 0;
  /** Highest seq below which this user has every comment (or was told by history there is none). */
  contig = 0;
  /** Every seq this user received (acks, live frames, replays, history pages). */
  readonly seen = new Set<number>();
  /** Numbers the client skipped because a complete history page did not have them (taken as deleted). */
  skipped = 0;
  private readonly pending = new Map<string, { attempts: number; inFlight: boolean }>();

  constructor(
    private readonly index: number,
    private readonly token: string,
    private readonly o: Required<LoadOptions>,
    private readonly record: LoadRecord,
    private readonly prefix: string,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  start(): void {
    this.connect();
    const tick = () => {
      if (this.stopped) return;
      if (this.joined && this.pending.size < this.o.maxPending) this.write();
      this.typing = setTimeout(tick, this.o.intervalMs * (0.5 + Math.random()));
    };
    this.typing = setTimeout(tick, Math.random() * this.o.intervalMs);
  }

  /** Stops typing new comments; pending ones are still resent until acked. */
  stopTyping(): void {
    clearTimeout(this.typing);
    this.typing = undefined;
  }

  close(): void {
    this.stopped = true;
    this.stopTyping();
    this.socket?.disconnect();
  }

  private connect(): void {
    if (this.stopped) return;
    const urls = this.o.urls();
    const url = urls[this.index % Math.max(1, urls.length)];
    if (!url) {
      setTimeout(() => this.connect(), 200);
      return;
    }
    const socket: TestSocket = ioc(url, { transports: ['websocket'], auth: { token: this.token }, reconnection: false, forceNew: true });
    this.socket = socket;
    socket.on('connect', () => this.join(socket));
    socket.on('connect_error', () => this.reconnect(socket, 200 + Math.random() * 300));
    socket.on('disconnect', () => this.reconnect(socket, this.reconnectAfterMs ?? 200 + Math.random() * 300));
    socket.on('server:shutdown', ({ reconnectInMs }) => (this.reconnectAfterMs = reconnectInMs));
    socket.on('server:close', () => (this.reconnectAfterMs = 200));
    socket.on('resync', () => {
      this.record.resyncs++;
      this.join(socket);
    });
    socket.on('room', (frame) => {
      for (const e of frame.events) if (e.type === 'say' && e.roomId === this.o.roomId) this.receive(e);
      this.checkGap(socket);
    });
  }

  private reconnect(socket: TestSocket, delayMs: number): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.joined = false;
    this.reconnectAfterMs = undefined;
    socket.removeAllListeners();
    socket.disconnect();
    setTimeout(() => this.connect(), delayMs);
  }

  /** Joins with the last contiguous seq (the server replays what was missed), then resends the outbox. */
  private join(socket: TestSocket): void {
    socket.timeout(this.o.ackTimeoutMs).emit('join', { roomId: this.o.roomId, lastSeq: this.contig }, (err: Error | null, ack: Ack<JoinResult>) => {
      if (socket !== this.socket || this.stopped) return;
      if (err || !ack.ok) {
        count(this.record.joinFailures, err ? 'timeout' : (ack as AckError).code);
        setTimeout(() => socket === this.socket && this.join(socket), JOIN_RETRY_MS);
        return;
      }
      for (const c of ack.data.messages) this.receive(c);
      this.joined = true;
      if (ack.data.truncated || this.hasGap()) void this.fillGap(socket);
      for (const [id, p] of this.pending) if (!p.inFlight) this.send(id);
    });
  }

  private write(): void {
    const id = `${this.prefix}-${this.index}-${this.written++}`;
    this.pending.set(id, { attempts: 0, inFlight: false });
    this.send(id);
  }

  private send(clientMsgId: string): void {
    const socket = this.socket;
    const p = this.pending.get(clientMsgId);
    if (!p || p.inFlight || !socket || !this.joined) return; // the next join resends it
    p.inFlight = true;
    p.attempts++;
    this.record.sends++;
    const payload = { roomId: this.o.roomId, content: `load comment ${clientMsgId}`, clientMsgId };
    socket.timeout(this.o.ackTimeoutMs).emit('say', payload, (err: Error | null, ack: Ack<Comment>) => {
      p.inFlight = false;
      if (!err && ack.ok) return this.acked(clientMsgId, ack.data);
      const error: AckError = err ? { ok: false, code: 'unavailable', message: 'timeout' } : (ack as AckError);
      count(this.record.failures, err ? 'timeout' : error.code);
      if (error.code === 'not_joined') return; // a reconnect raced the send: the re-join resends it
      if (!RETRYABLE.has(error.code)) {
        count(this.record.rejected, error.code);
        this.pending.delete(clientMsgId);
        return;
      }
      const delay = this.o.retry === 'fixed' ? 100 + Math.random() * 400 : resendDelayMs(p.attempts, error.retryAfterMs);
      setTimeout(() => this.send(clientMsgId), delay);
    });
  }

  private acked(clientMsgId: string, comment: Comment): void {
    this.pending.delete(clientMsgId);
    const before = this.record.acked.get(clientMsgId);
    if (before !== undefined && before !== comment.seq) this.record.ackMismatches.push(clientMsgId);
    if (before === undefined) {
      this.record.acked.set(clientMsgId, comment.seq);
      this.record.ackTimes.push(Date.now());
    }
    this.receive(comment);
  }

  private receive(c: Comment): void {
    this.seen.add(c.seq);
    while (this.seen.has(this.contig + 1)) this.contig++;
  }

  private hasGap(): boolean {
    for (const seq of this.seen) if (seq > this.contig) return true;
    return false;
  }

  /** Frames from two instances may cross: a gap that is still open a moment later is filled from history. */
  private checkGap(socket: TestSocket): void {
    if (!this.hasGap() || this.filling) return;
    setTimeout(() => {
      if (this.hasGap() && socket === this.socket) void this.fillGap(socket);
    }, 150);
  }

  /** `history {afterSeq}` page by page while `hasMore`; a number missing inside a page counts as skipped. */
  async fillGap(socket: TestSocket | undefined = this.socket): Promise<void> {
    if (this.filling || !socket) return;
    this.filling = true;
    try {
      for (;;) {
        const page = await new Promise<HistoryPage | undefined>((resolve) => {
          socket.timeout(this.o.ackTimeoutMs).emit('history', { roomId: this.o.roomId, afterSeq: this.contig, limit: 200 }, (err: Error | null, ack: Ack<HistoryPage>) =>
            resolve(!err && ack.ok ? ack.data : undefined),
          );
        });
        if (!page) return; // the connection went away; the re-join resumes from contig
        for (const c of page.messages) this.receive(c);
        const last = page.messages.at(-1)?.seq;
        if (last !== undefined && last > this.contig) {
          // What the page lacks below its last seq does not exist (deleted); this suite deletes nothing.
          for (let seq = this.contig + 1; seq < last; seq++) if (!this.seen.has(seq)) this.skipped++;
          this.contig = Math.max(this.contig, last);
          while (this.seen.has(this.contig + 1)) this.contig++;
        }
        if (!page.hasMore) return;
      }
    } finally {
      this.filling = false;
    }
  }
}

/** A room full of users on the cluster, each typing a comment every ~200 ms and resending until acked. */
export class LoadClient {
  readonly record: LoadRecord = { acked: new Map(), ackTimes: [], ackMismatches: [], failures: new Map(), rejected: new Map(), joinFailures: new Map(), resyncs: 0, sends: 0 };
  private readonly users: LoadUser[] = [];

  private constructor(private readonly o: Required<LoadOptions>) {}

  static async start(options: LoadOptions): Promise<LoadClient> {
    const o: Required<LoadOptions> = { intervalMs: 200, ackTimeoutMs: 5_000, maxPending: 20, ...options };
    const load = new LoadClient(o);
    for (let i = 0; i < o.users; i++) load.users.push(new LoadUser(i, await o.token(i), o, load.record, o.roomId));
    for (const u of load.users) u.start();
    return load;
  }

  /** Acks received per second over the last `windowMs`. */
  ackRate(windowMs = 1_000): number {
    const since = Date.now() - windowMs;
    let n = 0;
    for (let i = this.record.ackTimes.length - 1; i >= 0 && (this.record.ackTimes[i] ?? 0) >= since; i--) n++;
    return (n * 1_000) / windowMs;
  }

  /** Stops new comments and waits until every comment is acked (false when some are still pending at the deadline). */
  async drain(timeoutMs: number): Promise<boolean> {
    for (const u of this.users) u.stopTyping();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.pending() === 0) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.pending() === 0;
  }

  pending(): number {
    return this.users.reduce((n, u) => n + u.pendingCount, 0);
  }

  /**
   * Every user catches up to `lastSeq` the way a resuming client does (history from its contiguous seq),
   * then reports the numbers up to `lastSeq` it never received: the gaps a user would see.
   */
  async gapsAfterResume(lastSeq: number, timeoutMs: number): Promise<{ gaps: number; skipped: number; behind: number }> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.users.some((u) => u.contig < lastSeq)) {
      await Promise.all(this.users.filter((u) => u.contig < lastSeq).map((u) => u.fillGap()));
      await new Promise((r) => setTimeout(r, 100));
    }
    let gaps = 0;
    let skipped = 0;
    let behind = 0;
    for (const u of this.users) {
      for (let seq = 1; seq <= lastSeq; seq++) if (!u.seen.has(seq)) gaps++;
      skipped += u.skipped;
      if (u.contig < lastSeq) behind++;
    }
    return { gaps, skipped, behind };
  }

  close(): void {
    for (const u of this.users) u.close();
  }
}
