import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directQuery } from '../../server/db/client.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { PrismaClient } from '../../server/db/generated/client.ts';
import { KnownUsers } from '../../server/identity/known-users.ts';
import { createUserRepository } from '../../server/identity/user.repository.ts';
import { createMessageRepository } from '../../server/messages/message.repository.ts';
import { createTempDatabase, requireService } from '../support/services.ts';

/**
 * Two independent clients (two pools, as two instances would have) write into one room at once: the
 * room-row lock must still hand out every sequence number exactly once, with no gap.
 */
describe('per-room sequence numbers with several writers (PostgreSQL)', () => {
  let available = true;
  let drop: (() => Promise<void>) | undefined;
  let url = '';
  const clients: PrismaClient[] = [];

  beforeAll(async () => {
    available = await requireService('postgresql');
    if (!available) return;
    const db = await createTempDatabase('lrseq');
    drop = db.drop;
    url = db.url;
    await applyMigrations({ adapterFactory: new PrismaPg({ connectionString: db.url, max: 1 }) });
    for (let i = 0; i < 2; i++) clients.push(new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 4 }) }));
    await clients[0]!.user.create({ data: { id: 'writer', name: 'Writer' } });
    await clients[0]!.room.createMany({ data: [{ id: 'busy', title: 'Busy' }, { id: 'other', title: 'Other' }] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect()));
    await drop?.();
  });

  it('is strictly increasing, unique and gap-free across instances and rooms', async (ctx) => {
    if (!available) return ctx.skip();
    const repos = clients.map((c) => createMessageRepository(c));
    let n = 0;
    const batch = (size: number) =>
      Array.from({ length: size }, () => {
        const i = n++;
        return { roomId: i % 3 === 0 ? 'other' : 'busy', userId: 'writer', userName: 'Writer', userRole: 'guest' as const, content: `m${i}`, clientMsgId: `seq-test-${i}` };
      });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => repos[i % 2]!.insertBatch(batch(1 + (i % 7)))));
    const stored = results.flat().map((r) => r.comment);
    for (const room of ['busy', 'other']) {
      const seqs = stored.filter((c) => c.roomId === room).map((c) => c.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      const row = await clients[1]!.room.findUniqueOrThrow({ where: { id: room } });
      expect(row.lastSeq).toBe(seqs.length);
    }
    // A retried batch (same client ids) returns the stored rows and consumes no numbers.
    const again = await repos[1]!.insertBatch(stored.slice(0, 5).map((c) => ({ roomId: c.roomId, userId: 'writer', userName: 'Writer', userRole: 'guest' as const, content: c.content, clientMsgId: c.clientMsgId })));
    expect(again.every((r) => r.retried)).toBe(true);
    expect(again.map((r) => r.comment.seq)).toEqual(stored.slice(0, 5).map((c) => c.seq));
    expect(await clients[0]!.message.count()).toBe(stored.length);
  });

  it("creates a first-time author's row in the comment's own statement, and keeps an existing one as it is", async (ctx) => {
    if (!available) return ctx.skip();
    const repo = createMessageRepository(clients[0]!);
    const [first, second] = await repo.insertBatch([
      { roomId: 'other', userId: 'newcomer', userName: 'Newcomer', userRole: 'guest', content: 'hi', clientMsgId: 'author-0001' },
      { roomId: 'busy', userId: 'newcomer', userName: 'Newcomer', userRole: 'guest', content: 'again', clientMsgId: 'author-0002' },
    ]);
    expect(first!.comment.userId).toBe('newcomer');
    expect(second!.retried).toBe(false);
    expect(await clients[0]!.user.findUnique({ where: { id: 'newcomer' } })).toMatchObject({ name: 'Newcomer', role: 'guest' });
    // A known author under another name: the row is not touched (renames go through the rename path).
    await repo.insertBatch([{ roomId: 'busy', userId: 'writer', userName: 'Renamed', userRole: 'guest', content: 'x', clientMsgId: 'author-0003' }]);
    expect((await clients[0]!.user.findUniqueOrThrow({ where: { id: 'writer' } })).name).toBe('Writer');
  });

  it("writes a known author's comment even when its User row was removed behind the process's back", async (ctx) => {
    if (!available) return ctx.skip();
    const repo = createMessageRepository(clients[0]!);
    const item = (n: number) => ({ roomId: 'other', userId: 'ghost', userName: 'Ghost', userRole: 'guest' as const, content: `g${n}`, clientMsgId: `ghost-000${n}` });
    await repo.insertBatch([item(1)]);
    await clients[1]!.user.delete({ where: { id: 'ghost' } }); // cascades to its messages
    const [again] = await repo.insertBatch([item(2)]);
    expect(again!.comment.content).toBe('g2');
    expect(await clients[0]!.user.findUnique({ where: { id: 'ghost' } })).not.toBeNull();
  });

  it('shares the users it knows with the user repository: a row one ensured, the other does not insert again', async (ctx) => {
    if (!available) return ctx.skip();
    const client = clients[0]!;
    const known = new KnownUsers();
    const users = createUserRepository(client, known);
    // The authors the insert statement was asked to create ($7, the ids of unknown authors).
    const asked: unknown[] = [];
    const query = (sql: string, values: unknown[]) => {
      asked.push(values[6]);
      return client.$queryRawUnsafe<never[]>(sql, ...values);
    };
    const repo = createMessageRepository(client, { query: query as never }, known);
    const item = (n: number) => ({ roomId: 'other', userId: 'shared', userName: 'Shared', userRole: 'guest' as const, content: `s${n}`, clientMsgId: `shared-000${n}` });
    await users.ensure({ id: 'shared', name: 'Shared', role: 'guest', tag: '0000' });
    await repo.insertBatch([item(1)]);
    expect(asked).toEqual([[]]);
    // Removed behind both: the insert finds out, creates it, and the set is refilled for both.
    await clients[1]!.user.delete({ where: { id: 'shared' } });
    const [again] = await repo.insertBatch([item(2)]);
    expect(again!.comment.content).toBe('s2');
    expect(asked.slice(1)).toEqual([[], ['shared']]);
    expect(known.has('shared')).toBe(true);
  });

  it('reads the same pages straight through the driver as through Prisma: order, bounds, deleted rows, types', async (ctx) => {
    if (!available) return ctx.skip();
    // Outside UTC, so that a local-time parse of the zone-less timestamps would show (CI runs in UTC).
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    ctx.onTestFinished(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    const client = clients[0]!;
    await client.room.create({ data: { id: 'pages', title: 'Pages' } });
    const prismaRepo = createMessageRepository(client);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const direct = createMessageRepository(client, { read: directQuery(pool) });
      const items = Array.from({ length: 30 }, (_, i) => ({ roomId: 'pages', userId: 'writer', userName: 'Writer', userRole: 'guest' as const, content: `p${i}`, clientMsgId: `pages-${i}`, replyTo: i > 3 && i % 5 === 0 ? i - 2 : null }));
      await prismaRepo.insertBatch(items);
      // Deleted comments are never read back, whichever the path.
      await client.message.updateMany({ where: { roomId: 'pages', seq: { in: [3, 17, 29] } }, data: { deletedAt: new Date() } });
      const reads = (r: typeof direct) =>
        Promise.all([r.before('pages', undefined, 10), r.before('pages', 20, 5), r.before('pages', 4, 10), r.after('pages', 12, 5), r.after('pages', 25, 50), r.from('pages', 0, 7), r.from('pages', 28, 7)]);
      const [viaDriver, viaPrisma] = await Promise.all([reads(direct), reads(prismaRepo)]);
      expect(viaDriver).toEqual(viaPrisma);
      const [newest, beforeTwenty, , afterTwelve, , fromStart] = viaDriver;
      expect(newest.messages.map((m) => m.seq)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 30]);
      expect(newest.hasMore).toBe(true);
      expect(beforeTwenty.messages.map((m) => m.seq)).toEqual([14, 15, 16, 18, 19]);
      expect(afterTwelve).toMatchObject({ truncated: true });
      expect(afterTwelve.messages.map((m) => m.seq)).toEqual([25, 26, 27, 28, 30]);
      expect(fromStart.messages.map((m) => m.seq)).toEqual([1, 2, 4, 5, 6, 7, 8]);
      // Ids, times and replies come back as the contract's strings and numbers.
      const first = fromStart.messages[0]!;
      expect(first.id).toMatch(/^\d+$/);
      // Prisma keeps UTC in a column without zone: the time must read back as that UTC text, whatever
      // the process's own zone (a local-time parse would shift it).
      const [stored] = await client.$queryRaw<{ at: string }[]>`SELECT to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM "Message" WHERE "roomId" = 'pages' AND seq = 1`;
      expect(first.commentTime).toBe(stored!.at);
      expect(fromStart.messages.find((m) => m.seq === 6)?.replyTo).toBe(3); // item 5 replied to seq 3
    } finally {
      await pool.end();
    }
  });

  // Whatever the insert's answer is built from (the row it returns, or the input for what the database did
  // not make: tried in round 9), it must be the stored comment, field for field, in input order, for new
  // comments and every kind of retry, through the driver and through Prisma.
  it.for(['driver', 'prisma'] as const)('answers every input with its stored comment, retries included (%s)', async (path, ctx) => {
    if (!available) return ctx.skip();
    const client = clients[0]!;
    const room = `answers-${path}`;
    await client.room.create({ data: { id: room, title: 'Answers' } });
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    ctx.onTestFinished(() => pool.end());
    const repo = path === 'driver' ? createMessageRepository(client, { query: directQuery(pool) }) : createMessageRepository(client);
    const item = (id: string, content: string, replyTo: number | null = null) => ({ roomId: room, userId: 'writer', userName: 'Writer', userRole: 'guest' as const, content, clientMsgId: `${room}-${id}`, replyTo });
    const first = await repo.insertBatch([item('a', 'first, hi @Writer'), item('b', 'second')]);
    await client.message.updateMany({ where: { roomId: room, seq: 2 }, data: { deletedAt: new Date() } });
    const batch = [
      item('c', 'replies back', 1),
      item('a', 'a retry of a stored one'), // stored before: comes back as stored, not as sent
      item('d', 'replies forward', 99), // a reply can only point back: stored as none
      item('c', 'replies back', 1), // the same send twice in one batch
      item('b', 'a retry of a deleted one'),
    ];
    const answers = await repo.insertBatch(batch);

    const asStored = async (clientMsgId: string) => (await repo.findSent(room, 'writer', clientMsgId))!.comment;
    expect(answers.map((a) => a.comment)).toEqual(await Promise.all(batch.map((b) => asStored(b.clientMsgId))));
    expect(answers.map((a) => [a.comment.seq, a.retried, a.removed])).toEqual([
      [3, false, false],
      [1, true, false],
      [4, false, false],
      [3, true, false],
      [2, true, true],
    ]);
    expect(answers[0]!.comment).toMatchObject({ replyTo: 1, content: 'replies back', userName: 'Writer' });
    expect(answers[1]!.comment.content).toBe('first, hi @Writer');
    expect(answers[1]!.comment.mentions).toEqual(['writer']);
    expect(answers[2]!.comment.replyTo).toBeNull();
    expect(first.map((a) => a.comment)).toEqual([await asStored(`${room}-a`), await asStored(`${room}-b`)]);
  });
});
