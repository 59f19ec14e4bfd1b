import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushFrame } from '../../shared/contract.ts';
import { call, closeAllClients, collect, collectRoom, createTempDatabase, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { requireService } from '../support/services.ts';
import { ownedRoom } from '../support/moderation.ts';
import { closeAllSeedPages, openSeedPage } from '../support/seed-page.ts';
import { addressToClientId, exchange, packet, PhpGatewayClient } from '../support/php-gateway-client.ts';

/**
 * Two instances on one Redis and one PostgreSQL, reached the GatewayWorker ways: seed pages over the
 * raw WebSocket and an unchanged PHP backend's GatewayClient over the register and inner ports
 * (byte for byte, see test/support/php-gateway-client.ts).
 */
const ready = (await requireService('postgresql')) && (await requireService('redis'));
const SECRET = 'gw-secret-0123';
const run = Math.random().toString(36).slice(2, 8);

describe.skipIf(!ready)('GatewayWorker drop-in across two instances', () => {
  let a: TestServer;
  let b: TestServer;
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let room: string;
  let php: PhpGatewayClient;
  const seedUrl = (s: TestServer) => `${s.url.replace('http', 'ws')}/gw`;

  beforeAll(async () => {
    db = await createTempDatabase();
    const env = { REDIS_CLUSTER_PREFIX: `lr:gw-${run}`, GW_SECRET_KEY: SECRET, GW_TIMEZONE: 'UTC' };
    a = await startTestServer({ database: { url: db.url }, redis: true, env });
    b = await startTestServer({ database: { url: db.url }, redis: true, env });
    room = await ownedRoom(a, (await a.guest('Owner')).user, `gw-${run}`);
    php = new PhpGatewayClient(`127.0.0.1:${a.runtime.gatewayWorker.ports.register}`, SECRET);
  });
  afterEach(() => {
    closeAllClients();
    closeAllSeedPages();
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('the register lists both instances\' inner gateways', async () => {
    const expected = [a, b].map((s) => `127.0.0.1:${s.runtime.gatewayWorker.ports.inner}`).sort();
    expect((await php.addresses()).sort()).toEqual(expected);
  });

  it('a seed page on A and a web client on B meet in one room, both ways', async () => {
    const ana = await b.guest('Ana');
    const web = await b.client(ana.token);
    const comments = collectRoom(web.socket, 'say');
    expect((await call(web.socket, 'join', { roomId: room })).ok).toBe(true);
    const page = await openSeedPage(seedUrl(a));
    page.send({ type: 'join', roomId: room, userId: 1, userName: 'Seed Sam' });
    await page.next((f) => f.type === 'join' && f.userName === 'Seed Sam');
    page.send({ type: 'say', roomId: room, userId: 1, userName: 'Seed Sam', content: 'from the old page' });
    await waitFor(() => comments.some((c) => c.content === 'from the old page'), 5_000, 'seed comment on B');
    expect(comments.find((c) => c.content === 'from the old page')!.seq).toBeGreaterThan(0);
    expect((await call(web.socket, 'say', { roomId: room, content: 'from the web app', clientMsgId: `web-${run}-1` })).ok).toBe(true);
    const got = await page.next((f) => f.type === 'say' && f.content === 'from the web app');
    expect(got).toEqual({ type: 'say', roomId: room, userName: 'Ana', content: 'from the web app', commentTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
  });

  it('client_id-addressed commands reach the instance that holds the connection: seed pages and web clients alike', async () => {
    const page = await openSeedPage(seedUrl(b));
    const web = await a.client();
    const pushes = collect(web.socket, 'push');

    await php.bindUid(page.clientId, 'u-42');
    await php.bindUid(web.init.client_id, 'u-42');
    await php.joinGroup(page.clientId, `grp-${run}`);
    await php.joinGroup(web.init.client_id, `grp-${run}`);
    expect(await php.isOnline(page.clientId)).toBe(1);
    expect(await php.isOnline(web.init.client_id)).toBe(1);
    expect(await php.isUidOnline('u-42')).toBe(1);
    expect((await php.getClientIdByUid('u-42')).sort()).toEqual([page.clientId, web.init.client_id].sort());
    expect(await php.getUidByClientId(page.clientId)).toBe('u-42');
    expect(await php.getClientCountByGroup(`grp-${run}`)).toBe(2);
    expect(await php.getAllGroupIdList()).toContain(`grp-${run}`);
    const uids = await php.select(['uid', 'groups'], { groups: [`grp-${run}`] });
    expect(Object.keys(uids).sort()).toEqual([page.clientId, web.init.client_id].sort());
    expect(uids[page.clientId]).toEqual({ uid: 'u-42', groups: { [`grp-${run}`]: `grp-${run}` } });

    // Messages: bytes as sent to seed pages, a `push` for web clients.
    const msg = '{"type":"say","msg":"Hello ThinkPHP5"}';
    await php.sendToUid(['u-42'], msg);
    await page.next((f) => f.msg === 'Hello ThinkPHP5');
    expect(page.raw.filter((r) => r === msg)).toHaveLength(1); // once, although both gateways got the command
    await waitFor(() => pushes.length === 1, 3_000, 'push on web');
    expect(pushes[0]).toMatchObject({ event: 'say', data: { type: 'say', msg: 'Hello ThinkPHP5' } } satisfies Partial<PushFrame>);

    await php.sendToGroup([`grp-${run}`], 'to the group', [web.init.client_id]);
    await waitFor(() => page.raw.includes('to the group'), 3_000, 'group send to the page');
    await php.sendToClient(web.init.client_id, 'just you');
    await waitFor(() => pushes.some((p) => p.data === 'just you'), 3_000, 'sendToClient on web');
    expect(pushes.some((p) => p.data === 'to the group')).toBe(false);

    await php.sendToAllClients('listed', [page.clientId]);
    await php.sendToAllClients('everyone but the page', undefined, [page.clientId]);
    await waitFor(() => pushes.some((p) => p.data === 'everyone but the page'), 3_000, 'sendToAll with exclude');
    expect(pushes.some((p) => p.data === 'listed')).toBe(false);

    await php.leaveGroup(web.init.client_id, `grp-${run}`);
    expect(await php.getClientCountByGroup(`grp-${run}`)).toBe(1);
    await php.unbindUid(web.init.client_id, 'u-42');
    expect(await php.getClientIdByUid('u-42')).toEqual([page.clientId]);
    await php.ungroup(`grp-${run}`);
    expect(await php.getClientCountByGroup(`grp-${run}`)).toBe(0);
  });

  it('group sends with an exclude list, byte for byte, counted once across gateways', async () => {
    const p1 = await openSeedPage(seedUrl(a));
    const p2 = await openSeedPage(seedUrl(b));
    const g = `ex-${run}`;
    await php.joinGroup(p1.clientId, g);
    await php.joinGroup(p2.clientId, g);
    await php.sendToGroup([g], 'hi group \u{1F600}', [p1.clientId]);
    await waitFor(() => p2.raw.includes('hi group \u{1F600}'), 3_000, 'group send');
    await new Promise((r) => setTimeout(r, 100));
    expect(p1.raw).not.toContain('hi group \u{1F600}');
    expect(await php.getAllClientCount()).toBeGreaterThanOrEqual(2);
  });

  it('sessions: setSession replaces, updateSession merges recursively, getSession and the group sessions decode as PHP arrays', async () => {
    const page = await openSeedPage(seedUrl(a));
    const web = await b.client();
    await php.joinGroup(page.clientId, `s-${run}`);
    await php.joinGroup(web.init.client_id, `s-${run}`);
    expect(await php.getSession(page.clientId)).toEqual([]);
    await php.setSession(page.clientId, { uid: 7, profile: { name: 'Sam', level: 1 } });
    await php.updateSession(page.clientId, { profile: { level: 2 }, vip: true });
    expect(await php.getSession(page.clientId)).toEqual({ uid: 7, profile: { name: 'Sam', level: 2 }, vip: true });
    await php.setSession(web.init.client_id, { room: 'x' });
    expect(await b.runtime.gateway.service.getSession(web.init.client_id)).toEqual({ session: { room: 'x' }, clientId: web.init.client_id });
    expect(await php.getClientSessions(`s-${run}`)).toEqual({ [page.clientId]: { uid: 7, profile: { name: 'Sam', level: 2 }, vip: true }, [web.init.client_id]: { room: 'x' } });
    expect(Object.keys(await php.getClientSessions())).toEqual(expect.arrayContaining([page.clientId, web.init.client_id]));
    // Connection number 0 is never handed out: nobody holds it.
    expect(await php.getSession(addressToClientId(`127.0.0.1:${a.runtime.gatewayWorker.ports.inner}`, 0))).toBeNull();
  });

  it('closeClient with a final message, and without; destroyClient', async () => {
    const p1 = await openSeedPage(seedUrl(a));
    await php.closeClient(p1.clientId, '{"type":"bye"}');
    await p1.closed;
    expect(p1.raw).toContain('{"type":"bye"}');
    const p2 = await openSeedPage(seedUrl(b));
    await php.closeClient(p2.clientId);
    await p2.closed;
    const web = await a.client();
    const closes = collect(web.socket, 'server:close');
    await php.closeClient(web.init.client_id, 'kicked');
    await waitFor(() => closes.length === 1, 3_000, 'server:close');
    expect(closes[0]).toMatchObject({ message: 'kicked' });
    const p3 = await openSeedPage(seedUrl(b));
    await php.destroyClient(p3.clientId);
    await p3.closed;
  });

  it('wrong secret, no secret, malformed packets and unknown commands close the TCP connection; the server carries on', async () => {
    const inner = `127.0.0.1:${a.runtime.gatewayWorker.ports.inner}`;
    const count = packet({ cmd: 24 });
    const wrong = Buffer.concat([packet({ cmd: 202, body: JSON.stringify({ secret_key: 'nope' }) }), count]);
    expect(await exchange(inner, wrong, true)).toEqual({ reply: null, closed: true });
    expect(await exchange(inner, count, true)).toEqual({ reply: null, closed: true });
    const auth = packet({ cmd: 202, body: JSON.stringify({ secret_key: SECRET }) });
    const badLen = Buffer.alloc(8);
    badLen.writeUInt32BE(5, 0);
    expect((await exchange(inner, Buffer.concat([auth, badLen]), true)).closed).toBe(true);
    const badExt = packet({ cmd: 24 });
    badExt.writeUInt32BE(999, 24);
    expect((await exchange(inner, Buffer.concat([auth, badExt]), true)).closed).toBe(true);
    expect((await exchange(inner, Buffer.concat([auth, packet({ cmd: 99 })]), true)).closed).toBe(true);
    const badBody = packet({ cmd: 9, connectionId: 1 });
    badBody.writeUInt8(0, 21); // says the body is serialised, and it is not
    expect((await exchange(inner, Buffer.concat([auth, badBody, Buffer.from('zz')]), true)).closed).toBe(true);
    expect(await new PhpGatewayClient(php.registerAddress, 'wrong').addresses().catch(() => 'refused')).toBe('refused');
    expect(await php.getAllClientCount()).toBeGreaterThanOrEqual(0);
  });
});
