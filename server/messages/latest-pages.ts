import type { Comment } from '../../shared/contract.ts';

export interface LatestPage {
  /** The newest visible comments, ascending by seq. */
  messages: Comment[];
  /** Older visible comments exist. */
  hasMore: boolean;
}

export interface LatestPagesOptions {
  load: (roomId: string) => Promise<LatestPage>;
  /** Comments kept per room (the join page size). */
  size: number;
  /** Rooms kept; the least recently filled are dropped first. @default 1000 */
  maxRooms?: number;
}

/**
 * Each room's latest page of comments, kept in memory so a join (and most re-joins) reads no database.
 * Only valid while this process sees every write and delete of the room: one instance. The writes come
 * from this process's own write batcher (appended in the same turn the batch resolves, before any
 * broadcast), deletions through `forget`.
 *
 * A fill races with writes: a page read from the database before a write committed but stored after
 * the write was appended would lose that comment. Every change bumps the room's version, and a fill is
 * kept only if the version did not move while it was reading.
 */
export class LatestPages {
  private readonly pages = new Map<string, LatestPage>();
  private readonly versions = new Map<string, number>();
  /** Bumped when `versions` is cleared (bounded memory), so no fill in flight can match a reset count. */
  private generation = 0;
  private readonly maxRooms: number;

  constructor(private readonly o: LatestPagesOptions) {
    this.maxRooms = o.maxRooms ?? 1_000;
  }

  /**
   * Fills in flight, by room. The joins of a room's first seconds (a stream starting) share one read;
   * only while no write came in since it started, else a joiner could get a page older than a comment
   * whose broadcast it missed.
   */
  private readonly loading = new Map<string, { version: string; page: Promise<LatestPage> }>();

  async get(roomId: string): Promise<LatestPage> {
    const cached = this.pages.get(roomId);
    if (cached) return cached;
    const version = this.version(roomId);
    const inFlight = this.loading.get(roomId);
    if (inFlight?.version === version) return inFlight.page;
    const page = this.o.load(roomId);
    this.loading.set(roomId, { version, page });
    try {
      const loaded = await page;
      if (this.version(roomId) === version) this.keep(roomId, loaded);
      return loaded;
    } finally {
      if (this.loading.get(roomId)?.page === page) this.loading.delete(roomId);
    }
  }

  /**
   * What a client that saw everything up to `lastSeq` missed, when the cached page is sure to hold all
   * of it: the page reaches back to lastSeq + 1, or holds the room's whole history. Else null.
   */
  after(roomId: string, lastSeq: number): Comment[] | null {
    const page = this.pages.get(roomId);
    const first = page?.messages[0];
    if (!page || (page.hasMore && (!first || first.seq > lastSeq + 1))) return null;
    return page.messages.filter((m) => m.seq > lastSeq);
  }

  /** Newly stored comments (not retries), in any order. */
  stored(comments: readonly Comment[]): void {
    for (const c of comments) {
      this.bump(c.roomId);
      const page = this.pages.get(c.roomId);
      if (!page) continue;
      // Batches almost always resolve in seq order: sort only when this one did not.
      const last = page.messages.at(-1);
      const messages = [...page.messages, c];
      if (last && last.seq > c.seq) messages.sort((a, b) => a.seq - b.seq);
      const overflow = messages.length - this.o.size;
      this.pages.set(c.roomId, { messages: overflow > 0 ? messages.slice(overflow) : messages, hasMore: page.hasMore || overflow > 0 });
    }
  }

  /** Comments of the room were deleted: the page reloads on the next join. */
  forget(roomId: string): void {
    this.bump(roomId);
    this.pages.delete(roomId);
  }

  private keep(roomId: string, page: LatestPage): void {
    if (this.pages.size >= this.maxRooms) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    this.pages.set(roomId, page);
  }

  private version(roomId: string): string {
    return `${this.generation}:${this.versions.get(roomId) ?? 0}`;
  }

  private bump(roomId: string): void {
    if (this.versions.size >= this.maxRooms * 10) {
      this.versions.clear();
      this.generation++;
    }
    this.versions.set(roomId, (this.versions.get(roomId) ?? 0) + 1);
  }
}
