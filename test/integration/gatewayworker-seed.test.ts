import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeClientId, isClientId } from '../../server/gatewayworker/client-id.ts';
import { call, closeAllClients, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { closeAllSeedPages, openSeedPage, SEED_TIME } from '../support/seed-page.ts';

/** The seed's front-end protocol (raw WebSocket, JSON frames) on one instance, beside Socket.IO clients. */
let server: TestServer;
let gwUrl: string;
beforeAll(async () => {
  server = await startTestServer({ env: { GW_TIMEZONE: 'Asia/Shanghai', GW_WS_PORT: '0', COMMENT_RATE_LIMIT: '5' } });
  gwUrl = `${server.url.replace('http', 'ws')}/gw`;
});
afterEach(() => {
  closeAllClients();
  closeAllSeedPages();
});
afterAll(async () => {
  await server?.stop();
});

const ROOM = 'main-stage';

describe('seed page endpoint', () => {
  it('greets with init and a GatewayWorker client_id pointing at this instance; Socket.IO ids are the same kind', async () => {
    const page = await openSeedPage(gwUrl);
    expect(isClientId(page.clientId)).toBe(true);
    const { socket, init } = await server.client();
    expect(init.client_id).toBe(socket.id);
    expect(isClientId(init.client_id)).toBe(true);
    const a = decodeClientId(page.clientId)!;
    const b = decodeClientId(init.client_id)!;
    expect([a.ip, a.port]).toEqual([b.ip, b.port]);
    expect(a.connectionId).not.toBe(b.connectionId);
  });

  it('listens on its own port too (GW_WS_PORT), on any path', async () => {
    const port = server.runtime.gatewayWorker.seed.ownPort();
    expect(port).toBeGreaterThan(0);
    const page = await openSeedPage(`ws://127.0.0.1:${port}`);
    expect(isClientId(page.clientId)).toBe(true);
  });

  it('a seed comment is stored with a seq and reaches Socket.IO clients; theirs reach the page in seed format', async () => {
    const viewer = await server.client();
    const comments = collectRoom(viewer.socket, 'say');
    expect((await call(viewer.socket, 'join', { roomId: ROOM })).ok).toBe(true);

    const page = await openSeedPage(gwUrl);
    page.send({ type: 'join', roomId: ROOM, userId: 7, userName: 'Old Page' });
    const joined = await page.next((f) => f.type === 'join' && f.userName === 'Old Page');
    expect(Object.keys(joined)).toEqual(['type', 'roomId', 'userName', 'msg', 'joinTime']);
    expect(joined).toMatchObject({ roomId: ROOM, msg: 'enters the Room' });
    expect(joined.joinTime).toMatch(SEED_TIME);

    page.send({ type: 'say', roomId: ROOM, userId: 7, userName: 'Old Page', content: 'hello from 2018' });
    await waitFor(() => comments.some((c) => c.content === 'hello from 2018'), 5_000, 'seed comment on Socket.IO');
    const stored = comments.find((c) => c.content === 'hello from 2018')!;
    expect(stored.userName).toBe('Old Page');
    expect(stored.seq).toBeGreaterThan(0);
    const echoed = await page.next((f) => f.type === 'say' && f.content === 'hello from 2018');
    expect(Object.keys(echoed)).toEqual(['type', 'roomId', 'userName', 'content', 'commentTime']);

    const bo = await server.guest('Bo');
    const writer = await server.client(bo.token);
    await call(writer.socket, 'join', { roomId: ROOM });
    const ack = await call(writer.socket, 'say', { roomId: ROOM, content: 'hi old page', clientMsgId: 'msg-from-bo-1' });
    expect(ack.ok).toBe(true);
    const got = await page.next((f) => f.type === 'say' && f.content === 'hi old page');
    expect(got).toEqual({ type: 'say', roomId: ROOM, userName: 'Bo', content: 'hi old page', commentTime: got.commentTime });
    // Server time in the configured zone (Asia/Shanghai, UTC+8, no daylight saving).
    const commentTime = ack.ok ? (ack.data as { commentTime: string }).commentTime : '';
    const shanghai = new Date(Date.parse(commentTime) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(got.commentTime).toBe(shanghai);
  });

  it('refusals come back as seed error frames: bad JSON, unknown frame, unknown room, bad name, empty comment, rate limit', async () => {
    const page = await openSeedPage(gwUrl);
    page.send('{not json');
    expect(await page.next((f) => f.type === 'error')).toMatchObject({ code: 'invalid_payload' });
    page.frames.length = 0;
    page.send({ type: 'dance' });
    expect(await page.next((f) => f.type === 'error')).toMatchObject({ code: 'invalid_payload' });
    page.frames.length = 0;
    page.send({ type: 'join', roomId: 'no-such-room', userName: 'Cy' });
    expect(await page.next((f) => f.type === 'error')).toMatchObject({ code: 'unknown_room' });
    page.frames.length = 0;
    const other = await openSeedPage(gwUrl);
    other.send({ type: 'join', roomId: ROOM, userName: '\u202e' });
    expect(await other.next((f) => f.type === 'error')).toMatchObject({ code: 'invalid_payload' });
    page.send({ type: 'say', roomId: ROOM, userName: 'Cy', content: '   ' });
    expect(await page.next((f) => f.type === 'error')).toMatchObject({ code: 'empty_comment' });
    for (let i = 0; i < 7; i++) page.send({ type: 'say', roomId: ROOM, userName: 'Cy', content: `spam ${i}` });
    expect(await page.next((f) => f.type === 'error' && f.code === 'rate_limited')).toMatchObject({ type: 'error', msg: expect.any(String) });
    expect(page.ws.readyState).toBe(page.ws.OPEN);
  });

  it('an anonymous page may watch but must name itself to comment', async () => {
    const page = await openSeedPage(gwUrl);
    page.send({ type: 'join', roomId: ROOM });
    page.send({ type: 'say', roomId: ROOM, content: 'who am I' });
    expect(await page.next((f) => f.type === 'error')).toMatchObject({ code: 'unauthenticated' });
  });

  it('a page with ?token= is the signed-in user', async () => {
    const dee = await server.guest('Dee');
    const viewer = await server.client();
    const comments = collectRoom(viewer.socket, 'say');
    await call(viewer.socket, 'join', { roomId: ROOM });
    const page = await openSeedPage(`${gwUrl}?token=${dee.token}`);
    page.send({ type: 'say', roomId: ROOM, userName: 'Someone Else', content: 'signed in' });
    await waitFor(() => comments.some((c) => c.content === 'signed in'), 5_000, 'comment');
    expect(comments.find((c) => c.content === 'signed in')).toMatchObject({ userId: dee.user.id, userName: 'Dee' });
  });

  it('oversized frames close the connection (1009); the server carries on', async () => {
    const page = await openSeedPage(gwUrl);
    page.send(JSON.stringify({ type: 'say', roomId: ROOM, userName: 'Big', content: 'x'.repeat(20_000) }));
    expect((await page.closed).code).toBe(1009);
    const again = await openSeedPage(gwUrl);
    expect(isClientId(again.clientId)).toBe(true);
  });

  it('the push API reaches a seed page by its client_id, as one JSON frame', async () => {
    const page = await openSeedPage(gwUrl);
    server.runtime.gateway.service.sendToClient(page.clientId, { event: 'bonus', data: { points: 5 } });
    expect(await page.next((f) => f.type === 'bonus')).toEqual({ type: 'bonus', points: 5 });
    await server.runtime.gateway.service.bindUid(page.clientId, 'php-user-9');
    server.runtime.gateway.service.sendToUid('php-user-9', { event: 'hello', data: 'you' });
    expect(await page.next((f) => f.type === 'hello')).toEqual({ type: 'hello', data: 'you' });
    expect(await server.runtime.gateway.service.client(page.clientId)).toMatchObject({ online: true, uid: 'php-user-9' });
  });

  it('a coalesced join notice reaches a seed page: one frame per named person, then "N others" with the count', async () => {
    // A room of its own: joins of earlier tests in the lobby would fold into the same notices.
    const room = 'gw-crowd';
    await server.runtime.rooms.repository.ensure({ id: room, title: 'Crowd room' });
    const page = await openSeedPage(gwUrl);
    page.send({ type: 'join', roomId: room, userName: 'Watcher' });
    await page.next((f) => f.type === 'join' && f.userName === 'Watcher');
    // Eight arrivals at once: more than one notice names (5), so part of them is only counted.
    const guests = await Promise.all(Array.from({ length: 8 }, (_, i) => server.guest(`Crowd ${i}`)));
    const clients = await Promise.all(guests.map((g) => server.client(g.token)));
    await Promise.all(clients.map((c) => call(c.socket, 'join', { roomId: room })));

    const crowd = () => page.frames.filter((f) => f.type === 'join' && f.userName !== 'Watcher');
    const accounted = () => crowd().reduce((n, f) => n + (typeof f.others === 'number' ? f.others : 1), 0);
    await waitFor(() => accounted() >= 8, 5_000, 'every arrival named or counted');
    expect(accounted(), JSON.stringify(crowd())).toBe(8);
    const rest = crowd().filter((f) => typeof f.others === 'number');
    expect(rest.length).toBeGreaterThan(0);
    for (const f of rest) {
      expect(f).toMatchObject({ roomId: room, userName: `${String(f.others)} ${f.others === 1 ? 'other' : 'others'}` });
      expect(f.joinTime).toMatch(SEED_TIME);
    }
  });

  it('seed pages count as connections in /metrics and health, and stop counting once closed', async () => {
    const scrape = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('liveroom_connections '));
      return Number(line?.slice('liveroom_connections '.length));
    };
    const health = async () => (await server.runtime.health()).connections;
    const seedCount = () => server.runtime.gatewayWorker.seed.connectionCount();
    // Earlier tests' pages and sockets are closed from the client side: wait for the server to see them go.
    await waitFor(() => seedCount() === 0 && server.runtime.io.engine.clientsCount === 0, 5_000, 'earlier connections to close');
    const [metricsBefore, healthBefore] = [await scrape(), await health()];

    const pages = [await openSeedPage(gwUrl), await openSeedPage(gwUrl)];
    expect(await scrape()).toBe(metricsBefore + 2);
    expect(await health()).toBe(healthBefore + 2);

    for (const p of pages) p.ws.close();
    await Promise.all(pages.map((p) => p.closed));
    await waitFor(() => seedCount() === 0, 5_000, 'the pages to leave');
    expect(await scrape()).toBe(metricsBefore);
    expect(await health()).toBe(healthBefore);
  });
});

describe('seed heartbeat', () => {
  it('pings every interval and drops a page that leaves the pings unanswered', async () => {
    const quick = await startTestServer({ env: { GW_PING_INTERVAL_SECONDS: '1', GW_PING_NOT_RESPONSE_LIMIT: '2' } });
    try {
      const url = `${quick.url.replace('http', 'ws')}/gw`;
      const silent = await openSeedPage(url);
      const polite = await openSeedPage(url);
      polite.ws.on('message', (d) => {
        if (JSON.parse(d.toString()).type === 'ping') polite.send({ type: 'pong' });
      });
      expect(await silent.next((f) => f.type === 'ping', 3_000)).toEqual({ type: 'ping' });
      await silent.closed;
      expect(polite.ws.readyState).toBe(polite.ws.OPEN);
    } finally {
      await quick.stop();
    }
  });
});
