import { describe, expect, it } from 'vitest';
import type { Comment } from '../../shared/contract.ts';
import { LatestPages, type LatestPage } from '../../server/messages/latest-pages.ts';

const comment = (seq: number, roomId = 'r'): Comment => ({
  type: 'say', replyTo: null, mentions: [], id: String(seq), roomId, seq, userId: 'u', userName: 'U', userTag: 'abcd',
  content: `c${seq}`, commentTime: new Date(0).toISOString(), clientMsgId: `cid-${seq}-xxxx`,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => comment(from + i));

/** A database stand-in: counts reads; each read can be held open to stage races. */
function fakeDb(pages: Record<string, LatestPage>) {
  const db = { reads: 0, hold: null as Promise<void> | null };
  const load = async (roomId: string) => {
    db.reads++;
    const page = pages[roomId] ?? { messages: [], hasMore: false };
    if (db.hold) await db.hold;
    return page;
  };
  return { db, load };
}

describe('LatestPages', () => {
  it('reads a room once, then serves joins from memory', async () => {
    const { db, load } = fakeDb({ r: { messages: range(1, 3), hasMore: false } });
    const pages = new LatestPages({ load, size: 3 });
    await pages.get('r');
    const again = await pages.get('r');
    expect(again.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(db.reads).toBe(1);
  });

  it('shares one read among the joins that arrive while it runs, but not across a write', async () => {
    const { db, load } = fakeDb({ r: { messages: range(1, 3), hasMore: false } });
    let release: () => void = () => {};
    db.hold = new Promise<void>((r) => (release = r));
    const pages = new LatestPages({ load, size: 5 });
    const first = [pages.get('r'), pages.get('r'), pages.get('r')];
    expect(db.reads).toBe(1);
    pages.stored([comment(4)]); // a write lands while the read runs: later joins must not get the older read
    const afterWrite = pages.get('r');
    expect(db.reads).toBe(2);
    release();
    for (const p of await Promise.all(first)) expect(p.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    await afterWrite;
  });

  it('appends stored comments in seq order and keeps the newest `size`, marking older ones', async () => {
    const { db, load } = fakeDb({ r: { messages: range(1, 3), hasMore: false } });
    const pages = new LatestPages({ load, size: 3 });
    await pages.get('r');
    pages.stored([comment(5), comment(4)]); // two batches resolved out of order
    const page = await pages.get('r');
    expect(page.messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(page.hasMore).toBe(true);
    expect(db.reads).toBe(1);
  });

  it('drops a fill that raced with a write (the write would otherwise be lost from the page)', async () => {
    const { db, load } = fakeDb({ r: { messages: range(1, 2), hasMore: false } });
    const pages = new LatestPages({ load, size: 5 });
    let release!: () => void;
    db.hold = new Promise((r) => (release = r));
    const filling = pages.get('r'); // reads the page without seq 3
    pages.stored([comment(3)]); // seq 3 commits meanwhile
    release();
    await filling;
    db.hold = null;
    const page = await pages.get('r'); // not the stale fill: read again
    expect(db.reads).toBe(2);
    expect(page).toEqual({ messages: range(1, 2), hasMore: false }); // the fake DB's page; the point is the re-read
  });

  it('forgets a room when comments are deleted', async () => {
    const { db, load } = fakeDb({ r: { messages: range(1, 3), hasMore: false } });
    const pages = new LatestPages({ load, size: 3 });
    await pages.get('r');
    pages.forget('r');
    await pages.get('r');
    expect(db.reads).toBe(2);
  });

  it('answers a replay from memory only when the page reaches back far enough', async () => {
    const { load } = fakeDb({ r: { messages: range(11, 15), hasMore: true }, whole: { messages: [comment(2, 'whole')], hasMore: false } });
    const pages = new LatestPages({ load, size: 5 });
    expect(pages.after('r', 12)).toBeNull(); // nothing cached yet
    await pages.get('r');
    await pages.get('whole');
    expect(pages.after('r', 12)?.map((m) => m.seq)).toEqual([13, 14, 15]);
    expect(pages.after('r', 10)?.map((m) => m.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(pages.after('r', 9)).toBeNull(); // seq 10 may exist: only the database knows
    expect(pages.after('whole', 0)?.map((m) => m.seq)).toEqual([2]); // the whole history is cached
    expect(pages.after('r', 15)).toEqual([]);
  });

  it('keeps at most maxRooms pages', async () => {
    const { db, load } = fakeDb({});
    const pages = new LatestPages({ load, size: 5, maxRooms: 2 });
    await pages.get('a');
    await pages.get('b');
    await pages.get('c'); // drops a
    await pages.get('b');
    await pages.get('a');
    expect(db.reads).toBe(4);
  });
});
