import type {
  Comment,
  JoinNotice,
  Notice,
  Presence,
  PublicUser,
  Restriction,
  RoomEvent,
  RoomFrame,
  RoomSummary,
  StreamState,
} from '@/shared/contract';
import type { Ack, AckError } from '@/shared/errors';
import { LIMITS } from '../../shared/limits';
import type { LiveSocket } from './socket';
import { localOutboxStore, type OutboxStore } from './outbox-store';

/** sending: awaiting the ack; pending: will be resent automatically; failed: the user decides. */
export type OutgoingState = 'sending' | 'pending' | 'failed';

export interface Outgoing {
  clientMsgId: string;
  content: string;
  state: OutgoingState;
  error?: string;
  /** Sends tried so far (automatic resends back off exponentially). */
  attempts: number;
  /** Seq of the comment this one replies to. */
  replyTo?: number | null;
}

/** What a reply shows of its original when that is not in the feed: loading, the comment, or removed. */
export type Quote = 'loading' | 'removed' | Comment;

export interface FeedJoin {
  key: string;
  /** Shown after this comment (the newest known when the notice arrived). */
  afterSeq: number;
  notice: JoinNotice;
}

export interface RoomView {
  phase: 'joining' | 'joined' | 'error';
  joinError: AckError | null;
  room: RoomSummary | null;
  messages: Comment[];
  joins: FeedJoin[];
  outbox: Outgoing[];
  hasMoreBefore: boolean;
  loadingOlder: boolean;
  presence: Presence | null;
  you: PublicUser | null;
  restriction: Restriction | null;
  canModerate: boolean;
  /** Catching up after a reconnect or a cluster resync. */
  resyncing: boolean;
  announcement: Notice | null;
  warning: Notice | null;
  /** Originals of replies that are not in `messages`, by seq (see `loadQuote`). */
  quotes: Readonly<Record<number, Quote>>;
}

const ACK_TIMEOUT_MS = 10_000;
/** A join notice received before the first page: placed after that page once it arrives. */
const AFTER_FIRST_PAGE = Number.MAX_SAFE_INTEGER;
/** A jump to a reply's original pages back at most this many full history pages (1,000 comments). */
const REVEAL_MAX_PAGES = 5;
const MAX_KEPT = 1_500;

/** Errors the user must act on (the composer gets its text back); others are retried from the outbox. */
const REJECTIONS = new Set(['empty_comment', 'comment_too_long', 'rate_limited', 'slow_mode', 'timed_out', 'banned',
  'read_only', 'blocked_term', 'unauthenticated', 'forbidden', 'invalid_payload', 'unknown_room', 'conflict']);

/** Automatic resends before a comment is handed to the user as failed (about a minute of backoff). */
const MAX_ATTEMPTS = 7;

/**
 * When to resend: the server's retryAfterMs if it gave one, else exponential backoff from 1 s (capped
 * at 20 s), with ±30 % jitter so the tabs of a whole room do not come back in the same instant.
 */
export function resendDelayMs(attempts: number, retryAfterMs?: number): number {
  const base = retryAfterMs ?? Math.min(20_000, 1_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.7 + Math.random() * 0.6));
}

/** The latest comments as the server rendered them into the page's HTML. */
export interface FirstPage {
  messages: Comment[];
  hasMoreBefore: boolean;
}

/** What the danmaku overlay follows: comments as they arrive live (never replays) and deletions. */
export type LiveEvent = { kind: 'comments'; comments: Comment[] } | { kind: 'deleted'; seqs: number[] };

export type SendResult = { ok: true } | { ok: false; rejected: boolean; error: AckError };

/**
 * A room's client-side state, independent of React: joins (and re-joins with the last seen sequence
 * so the server replays what was missed), merges live comments with replays by sequence number (no
 * duplicates, no reordering) and fills any gap it notices.
 */
export class RoomClient {
  private bySeq = new Map<number, Comment>();
  /** Highest seq up to which the feed is known to be complete; null until the first join. */
  private contiguous: number | null = null;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();
  private liveListeners = new Set<(e: LiveEvent) => void>();
  private joinSeq = 0;
  private joinCounter = 0;
  /** Scheduled automatic resends, by clientMsgId. */
  private resendTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Seqs a moderator deleted while this page was open: a reply to one shows the original as removed. */
  private removed = new Set<number>();
  view: RoomView = {
    phase: 'joining',
    joinError: null,
    room: null,
    messages: [],
    joins: [],
    outbox: [],
    hasMoreBefore: false,
    loadingOlder: false,
    presence: null,
    you: null,
    restriction: null,
    canModerate: false,
    resyncing: false,
    announcement: null,
    warning: null,
    quotes: {},
  };

  constructor(
    private readonly socket: LiveSocket,
    readonly roomId: string,
    private readonly store: OutboxStore = localOutboxStore(),
    initial?: FirstPage,
  ) {
    if (initial && initial.messages.length > 0) {
      // The server-rendered page: shown at once, and the first join resumes after it (like a re-join),
      // so the socket adds only what is newer and nothing is drawn twice.
      for (const c of initial.messages) this.bySeq.set(c.seq, c);
      this.contiguous = this.maxSeq();
      this.view = { ...this.view, messages: [...initial.messages], hasMoreBefore: initial.hasMoreBefore };
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): RoomView => this.view;

  /**
   * Live traffic only (a join's replay is history, not something happening now). The sender's own
   * comment comes twice, from its ack and from the room frame: listeners keep it once by `seq`.
   */
  onLive = (listener: (e: LiveEvent) => void): (() => void) => {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  };

  private emitLive(e: LiveEvent): void {
    this.liveListeners.forEach((l) => l(e));
  }

  private set(patch: Partial<RoomView>): void {
    if (patch.outbox && patch.outbox !== this.view.outbox) this.store.save(this.roomId, patch.outbox);
    this.view = { ...this.view, ...patch };
    this.listeners.forEach((l) => l());
  }

  /**
   * Comments not acknowledged before the last page load come back as pending: the join sends them with
   * their original clientMsgId, so each is stored once whether or not the lost page's send landed. Here,
   * not in the constructor: the server-rendered page has none, and hydration must match it.
   */
  private restoreOutbox(): void {
    const known = new Set(this.view.outbox.map((o) => o.clientMsgId));
    const kept = this.store.load(this.roomId).filter((o) => !known.has(o.clientMsgId));
    if (kept.length > 0) this.set({ outbox: [...kept.map((o): Outgoing => ({ ...o, state: 'pending', attempts: 0 })), ...this.view.outbox] });
  }

  start(): () => void {
    this.restoreOutbox();
    const s = this.socket;
    const onConnect = () => this.join();
    const onDisconnect = () => this.set({ resyncing: this.contiguous !== null });
    const onRoom = (frame: RoomFrame) => frame.roomId === this.roomId && this.receiveFrame(frame.events);
    const onSettings = (p: { roomId: string; slowModeSeconds: number; readOnly: boolean }) => {
      if (p.roomId === this.roomId && this.view.room) this.set({ room: { ...this.view.room, ...p, id: p.roomId } });
    };
    const onSanction = (p: Restriction & { roomId: string }) => {
      if (p.roomId === this.roomId) this.set({ restriction: p.until && Date.parse(p.until) < Date.now() ? null : p });
    };
    const onNotice = (n: Notice) => {
      if (n.roomId && n.roomId !== this.roomId) return;
      if (n.kind === 'announcement') this.set({ announcement: n });
      else this.set({ warning: n });
    };
    const onResync = () => {
      this.set({ warning: null });
      this.join();
    };
    s.on('connect', onConnect);
    s.on('disconnect', onDisconnect);
    s.on('room', onRoom);
    s.on('room:settings', onSettings);
    s.on('sanction', onSanction);
    s.on('notice', onNotice);
    s.on('resync', onResync);
    if (s.connected) this.join();
    return () => {
      clearTimeout(this.gapTimer);
      this.resendTimers.forEach((t) => clearTimeout(t));
      this.resendTimers.clear();
      s.off('connect', onConnect);
      s.off('disconnect', onDisconnect);
      s.off('room', onRoom);
      s.off('room:settings', onSettings);
      s.off('sanction', onSanction);
      s.off('notice', onNotice);
      s.off('resync', onResync);
      if (s.connected) s.emit('leave', { roomId: this.roomId }, () => {});
    };
  }

  /**
   * One room frame: its events in order. Consecutive comments are merged in one step (one render for a
   * whole frame of comments); the same seq/gap rules apply as to any live comment.
   */
  private receiveFrame(events: RoomEvent[]): void {
    let comments: Comment[] = [];
    const flushComments = () => {
      if (comments.length > 0) {
        this.receive(comments, true);
        this.emitLive({ kind: 'comments', comments });
      }
      comments = [];
    };
    for (const e of events) {
      if (e.type === 'say') {
        comments.push(e);
        continue;
      }
      flushComments();
      if (e.type === 'presence') this.set({ presence: e });
      else if (e.type === 'join') this.addJoin(e);
      else if (e.type === 'stream') this.setStream(e);
      else {
        this.removeComments(e.seqs);
        this.emitLive({ kind: 'deleted', seqs: e.seqs });
      }
    }
    flushComments();
  }

  private setStream({ kind, url, status, updatedAt }: StreamState): void {
    if (this.view.room) this.set({ room: { ...this.view.room, stream: { kind, url, status, updatedAt } } });
  }

  private addJoin(notice: JoinNotice): void {
    // Before the first join's ack (our own join notice races it) the page is not here yet: the notice
    // belongs after it, not before all history. join() pins it to the page's last seq.
    const afterSeq = this.contiguous === null && this.view.phase === 'joining' ? AFTER_FIRST_PAGE : this.maxSeq();
    const joins = [...this.view.joins, { key: `j${this.joinCounter++}`, afterSeq, notice }].slice(-30);
    this.set({ joins });
  }

  private removeComments(seqs: number[]): void {
    seqs.forEach((seq) => {
      this.bySeq.delete(seq);
      this.removed.add(seq);
    });
    const quotes = { ...this.view.quotes };
    for (const seq of seqs) if (quotes[seq]) quotes[seq] = 'removed';
    this.set({ quotes });
    this.publishMessages();
  }

  private maxSeq(): number {
    let max = 0;
    for (const seq of this.bySeq.keys()) if (seq > max) max = seq;
    return max;
  }

  /** (Re-)joins; with a known position the server replays only what came after it. */
  join(): void {
    const attempt = ++this.joinSeq;
    this.set({ resyncing: this.contiguous !== null });
    this.socket.timeout(ACK_TIMEOUT_MS).emit('join', { roomId: this.roomId, lastSeq: this.contiguous }, (err, ack) => {
      if (attempt !== this.joinSeq) return;
      if (err || !ack.ok) {
        const error = err ? null : (ack as AckError);
        if (error && error.code !== 'unavailable' && error.code !== 'internal') {
          this.set({ phase: 'error', joinError: error, resyncing: false });
          return;
        }
        setTimeout(() => this.socket.connected && attempt === this.joinSeq && this.join(), 1_000);
        return;
      }
      const d = ack.data;
      if (d.truncated) {
        // Too much was missed to replay: show the newest part; older comments load on scroll.
        this.bySeq.clear();
      }
      const previous = this.contiguous;
      this.contiguous = null;
      this.set({
        phase: 'joined',
        joinError: null,
        room: d.room,
        presence: d.presence,
        you: d.you,
        restriction: d.restriction,
        canModerate: d.canModerate,
        hasMoreBefore: previous === null || d.truncated ? d.hasMoreBefore : this.view.hasMoreBefore,
        resyncing: false,
      });
      this.receive(d.messages, false);
      this.contiguous = Math.max(d.truncated ? 0 : (previous ?? 0), this.maxSeq());
      const pinned = this.view.joins.map((j) => (j.afterSeq === AFTER_FIRST_PAGE ? { ...j, afterSeq: this.contiguous ?? 0 } : j));
      if (pinned.some((j, i) => j !== this.view.joins[i])) this.set({ joins: pinned });
      this.publishMessages();
      // Comments written while away go out now that the room is joined again (before, they would be
      // refused as not_joined), with their original clientMsgId: the server stores each once.
      for (const o of this.view.outbox) if (o.state === 'pending') this.resendNow(o.clientMsgId);
    });
  }

  private receive(comments: Comment[], live: boolean): void {
    for (const c of comments) this.bySeq.set(c.seq, c);
    if (live && this.contiguous !== null) {
      const max = this.maxSeq();
      if (max > this.contiguous) {
        let next = this.contiguous;
        while (this.bySeq.has(next + 1)) next++;
        this.contiguous = next;
        if (next < max) this.scheduleGapFill();
      }
    }
    this.publishMessages();
  }

  /** A later comment arrived before an earlier one (another instance's broadcast): fetch what is missing. */
  private scheduleGapFill(): void {
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      const from = this.contiguous;
      if (from === null) return;
      this.fillFrom(from);
    }, 400);
  }

  /** Pages forward from `from` until the feed is contiguous up to the newest comment known. */
  private fillFrom(from: number): void {
    this.socket.timeout(ACK_TIMEOUT_MS).emit('history', { roomId: this.roomId, afterSeq: from, limit: 200 }, (err, ack) => {
      if (err || !ack.ok) return this.scheduleGapFill();
      const page = ack.data.messages;
      for (const c of page) this.bySeq.set(c.seq, c);
      // The page is every visible comment after `from` up to its last one: numbers missing in it were
      // deleted. With more after it, the feed is complete up to the page's end only; ask again from there.
      const last = page.at(-1)?.seq;
      const upTo = ack.data.hasMore && last !== undefined ? last : this.maxSeq();
      let next = Math.max(this.contiguous ?? 0, upTo);
      while (this.bySeq.has(next + 1)) next++;
      this.contiguous = next;
      this.publishMessages();
      if (ack.data.hasMore && next < this.maxSeq()) this.fillFrom(next);
    });
  }

  private publishMessages(): void {
    let messages = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    if (messages.length > MAX_KEPT) {
      messages = messages.slice(-MAX_KEPT);
      this.bySeq = new Map(messages.map((m) => [m.seq, m]));
    }
    const outbox = this.view.outbox.filter((o) => !messages.some((m) => m.clientMsgId === o.clientMsgId));
    // The same outbox when nothing in it was acknowledged: no storage write on every live frame.
    this.set(outbox.length === this.view.outbox.length ? { messages } : { messages, outbox });
  }

  loadOlder(): void {
    const first = this.view.messages[0];
    if (this.view.loadingOlder || !this.view.hasMoreBefore) return;
    this.set({ loadingOlder: true });
    const beforeSeq = first ? first.seq : (this.view.room?.lastSeq ?? 0) + 1;
    this.socket.timeout(ACK_TIMEOUT_MS).emit('history', { roomId: this.roomId, beforeSeq }, (err, ack) => {
      if (err || !ack.ok) return this.set({ loadingOlder: false });
      for (const c of ack.data.messages) this.bySeq.set(c.seq, c);
      this.set({ loadingOlder: false, hasMoreBefore: ack.data.hasMore });
      this.publishMessages();
    });
  }

  send(content: string, clientMsgId: string = newClientMsgId(), replyTo: number | null = null): Promise<SendResult> {
    const previous = this.view.outbox.find((o) => o.clientMsgId === clientMsgId);
    const attempts = (previous?.attempts ?? 0) + 1;
    const others = this.view.outbox.filter((o) => o.clientMsgId !== clientMsgId);
    this.set({ outbox: [...others, { clientMsgId, content, state: 'sending', attempts, replyTo }] });
    return new Promise((resolve) => {
      this.socket.timeout(ACK_TIMEOUT_MS).emit('say', { roomId: this.roomId, content, clientMsgId, ...(replyTo === null ? {} : { replyTo }) }, (err, ack: Ack<Comment>) => {
        if (!err && ack.ok) {
          this.receive([ack.data], true);
          this.emitLive({ kind: 'comments', comments: [ack.data] });
          return resolve({ ok: true });
        }
        const error: AckError = err
          ? { ok: false, code: 'unavailable', message: 'No answer from the server.' }
          : (ack as AckError);
        const rejected = REJECTIONS.has(error.code);
        if (rejected) this.discard(clientMsgId);
        else if (attempts < MAX_ATTEMPTS) this.scheduleResend(clientMsgId, resendDelayMs(attempts, error.retryAfterMs), error.message);
        else this.markOutgoing(clientMsgId, { state: 'failed', error: error.message });
        if (error.code === 'timed_out' || error.code === 'banned') {
          this.set({ restriction: { kind: error.code === 'banned' ? 'ban' : 'timeout', until: error.retryAfterMs ? new Date(Date.now() + error.retryAfterMs).toISOString() : null, reason: null } });
        }
        resolve({ ok: false, rejected, error });
      });
    });
  }

  private markOutgoing(clientMsgId: string, patch: Partial<Outgoing>): void {
    this.set({ outbox: this.view.outbox.map((o) => (o.clientMsgId === clientMsgId ? { ...o, ...patch } : o)) });
  }

  /** Resends later; while disconnected, the re-join sends it instead (see join). */
  private scheduleResend(clientMsgId: string, delayMs: number, error: string): void {
    this.markOutgoing(clientMsgId, { state: 'pending', error });
    clearTimeout(this.resendTimers.get(clientMsgId));
    this.resendTimers.set(
      clientMsgId,
      setTimeout(() => {
        this.resendTimers.delete(clientMsgId);
        if (this.socket.connected && this.view.phase === 'joined' && !this.view.resyncing) this.resendNow(clientMsgId);
      }, delayMs),
    );
  }

  private resendNow(clientMsgId: string): void {
    clearTimeout(this.resendTimers.get(clientMsgId));
    this.resendTimers.delete(clientMsgId);
    const o = this.view.outbox.find((x) => x.clientMsgId === clientMsgId);
    if (o && o.state !== 'sending') void this.send(o.content, o.clientMsgId, o.replyTo ?? null);
  }

  /** The user's retry: a fresh round of automatic resends. */
  retry(clientMsgId: string): void {
    const o = this.view.outbox.find((x) => x.clientMsgId === clientMsgId);
    if (!o) return;
    this.markOutgoing(clientMsgId, { attempts: 0 });
    this.resendNow(clientMsgId);
  }

  discard(clientMsgId: string): void {
    clearTimeout(this.resendTimers.get(clientMsgId));
    this.resendTimers.delete(clientMsgId);
    this.set({ outbox: this.view.outbox.filter((o) => o.clientMsgId !== clientMsgId) });
  }

  /**
   * The original of a reply that is not in the feed, for its quote: one `history` read of the comment
   * itself (`afterSeq: seq - 1, limit: 1`); the page starting past it means it was deleted.
   */
  loadQuote(seq: number): void {
    if (this.view.quotes[seq] || this.bySeq.has(seq)) return;
    if (this.removed.has(seq)) return this.set({ quotes: { ...this.view.quotes, [seq]: 'removed' } });
    this.set({ quotes: { ...this.view.quotes, [seq]: 'loading' } });
    this.socket.timeout(ACK_TIMEOUT_MS).emit('history', { roomId: this.roomId, afterSeq: seq - 1, limit: 1 }, (err, ack) => {
      if (err || !ack.ok) {
        const { [seq]: _dropped, ...rest } = this.view.quotes; // forget the attempt: a later render asks again
        return this.set({ quotes: rest });
      }
      const found = ack.data.messages[0];
      this.set({ quotes: { ...this.view.quotes, [seq]: found?.seq === seq ? found : 'removed' } });
    });
  }

  /**
   * Makes sure comment `seq` is in the feed, for a jump to a reply's original: pages back (contiguously,
   * so the feed has no hole) until the feed reaches it. Resolves false when it is gone or too far back.
   */
  async reveal(seq: number): Promise<boolean> {
    for (let pages = 0; pages < REVEAL_MAX_PAGES; pages++) {
      if (this.bySeq.has(seq)) return true;
      const first = this.view.messages[0]?.seq;
      if (this.removed.has(seq) || first === undefined || first < seq || !this.view.hasMoreBefore) return false;
      const page = await this.olderPage(first, LIMITS.historyMaxPage);
      if (!page) return false;
    }
    return this.bySeq.has(seq);
  }

  private olderPage(beforeSeq: number, limit: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.set({ loadingOlder: true });
      this.socket.timeout(ACK_TIMEOUT_MS).emit('history', { roomId: this.roomId, beforeSeq, limit }, (err, ack) => {
        if (err || !ack.ok) {
          this.set({ loadingOlder: false });
          return resolve(false);
        }
        for (const c of ack.data.messages) this.bySeq.set(c.seq, c);
        this.set({ loadingOlder: false, hasMoreBefore: ack.data.hasMore });
        this.publishMessages();
        resolve(true);
      });
    });
  }

  dismissAnnouncement(): void {
    this.set({ announcement: null });
  }
}

export function newClientMsgId(): string {
  return crypto.randomUUID();
}
