import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import createApiKey from '../../scripts/admin/create-api-key.ts';
import revokeApiKey from '../../scripts/admin/revoke-api-key.ts';
import { GatewayApiError, GatewayClient } from '../../sdk/gateway-client.ts';
import { buildOpenApiDocument } from '../../server/gateway/http/openapi.ts';
import type { PushFrame } from '../../shared/contract.ts';
import { call, closeAllClients, collect, startTestServer, waitFor, type TestServer, type TestSocket } from '../support/server.ts';

/**
 * The push API's HTTP contract on one instance (production Next build, embedded database): every
 * operation and every refusal. Needs `next build` output (`npm test` builds first).
 */
const root = path.resolve(import.meta.dirname, '../..');
const ENV_KEY = 'env-key-secret-0123456789abcdef';
const BURST_KEY = 'burst-key-secret-0123456789abcdef';
const RATE = 120;

let server: TestServer;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are what the assertions check
let api: (method: string, p: string, body?: unknown, key?: string | null) => Promise<{ status: number; body: any; headers: Headers }>;
let gw: GatewayClient;

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, '.next/BUILD_ID'))) throw new Error('No production build: run `npx next build` (npm test does) first.');
  server = await startTestServer({
    withNext: true,
    env: { NODE_ENV: 'production', API_KEYS: `ops:${ENV_KEY},burst:${BURST_KEY}`, API_RATE_LIMIT_PER_MINUTE: String(RATE) },
  });
  api = async (method, p, body, key = ENV_KEY) => {
    const res = await fetch(`${server.url}/api/v1${p}`, {
      method,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  gw = new GatewayClient({ baseUrl: server.url, apiKey: ENV_KEY });
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

async function tab(name?: string): Promise<{ socket: TestSocket; id: string; uid: string | null }> {
  const token = name ? (await server.guest(name)).token : undefined;
  const { socket, init } = await server.client(token);
  return { socket, id: init.client_id, uid: init.user?.id ?? null };
}

/** Frames of `push` with the given event name. */
const pushes = (socket: TestSocket) => collect(socket, 'push');
const named = (frames: PushFrame[], event: string) => frames.filter((f) => f.event === event);

describe('push API: authentication and refusals', () => {
  it('refuses a request without a key, with a bad key and with a malformed header (401)', async () => {
    for (const key of [null, 'wrong-key-wrong-key-wrong', '']) {
      const r = await api('GET', '/stats', undefined, key);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ ok: false, code: 'unauthenticated' });
    }
  });

  it('accepts a key created by the admin command, and refuses it once revoked', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await createApiKey.run(['backend'], { db: server.runtime.db, config: server.runtime.config });
    const secret = String(log.mock.calls.at(-1)?.[0]).split('\n').at(-1)!;
    const stored = await server.runtime.db.prisma.apiKey.findFirst({ where: { name: 'backend' } });
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.hash).not.toContain(secret);
    expect((await api('GET', '/stats', undefined, secret)).status).toBe(200);
    await revokeApiKey.run(['backend'], { db: server.runtime.db, config: server.runtime.config });
    log.mockRestore();
    expect((await api('GET', '/stats', undefined, secret)).status).toBe(401);
  });

  it('answers 400 with field issues for a bad body, bad JSON and bad path parameters', async () => {
    const bad = await api('POST', '/send/uid', { uids: [], message: { event: 'has space' }, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_payload');
    const paths = (bad.body.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['uids', 'message.event', '(root)']));
    const empty = await api('POST', '/send/client', { clientId: 'abc', message: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.issues[0].path).toBe('message');
    expect((await api('POST', '/send/all', '{not json')).status).toBe(400);
    expect((await api('POST', '/send/all')).status).toBe(400);
    const param = await api('GET', `/clients/${encodeURIComponent('has space')}`);
    expect(param.status).toBe(400);
    expect(param.body.issues[0].path).toBe('clientId');
  });

  it('answers 413 over the size cap', async () => {
    const r = await api('POST', '/send/all', { message: { event: 'big', data: 'x'.repeat(20_000) } });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
  });

  it('answers 404 for an unknown room and for a connection that is not online', async () => {
    const room = await api('POST', '/rooms/no-such-room/announcements', { text: 'hi' });
    expect(room.status).toBe(404);
    expect(room.body.code).toBe('unknown_room');
    for (const [method, p, body] of [
      ['PUT', '/groups/g1/clients/nobody'],
      ['DELETE', '/groups/g1/clients/nobody'],
      ['PUT', '/uids/u1/clients/nobody'],
      ['DELETE', '/uids/u1/clients/nobody'],
      ['GET', '/clients/nobody/session'],
      ['PUT', '/clients/nobody/session', { a: 1 }],
      ['PATCH', '/clients/nobody/session', { a: 1 }],
      ['POST', '/clients/nobody/close', {}],
    ] as const) {
      const r = await api(method, p, body);
      expect([method, p, r.status, r.body.code]).toEqual([method, p, 404, 'not_found']);
    }
  });

  it('answers 429 with retry-after past the per-key rate limit, other keys unaffected', async () => {
    const results = await Promise.all(Array.from({ length: RATE + 5 }, () => api('GET', '/stats', undefined, BURST_KEY)));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(limited[0]!.body.code).toBe('rate_limited');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api('GET', '/stats')).status).toBe(200);
  });

  it('applies nothing when any part of a request is invalid', async () => {
    const a = await tab('Atomic');
    const frames = pushes(a.socket);
    const r = await api('POST', '/send/uid', { uids: [a.uid, 'bad uid'], message: { event: 'first' } });
    expect(r.status).toBe(400);
    expect((await api('POST', '/send/uid', { uids: [a.uid], message: { event: 'second' } })).status).toBe(200);
    await waitFor(() => frames.length >= 1, 3_000, 'push');
    expect(frames.map((f) => f.event)).toEqual(['second']);
  });
});

describe('push API: sending', () => {
  it('sendToClient delivers a push frame and a notice to that connection only', async () => {
    const a = await tab();
    const b = await tab();
    const aFrames = pushes(a.socket);
    const aNotices = collect(a.socket, 'notice');
    const bFrames = pushes(b.socket);
    const r = await api('POST', '/send/client', { clientId: a.id, message: { event: 'hello', data: { n: 1 }, notice: { kind: 'info', text: 'hi' } } });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    await waitFor(() => aFrames.length === 1 && aNotices.length === 1, 3_000, 'push to a');
    expect(aFrames[0]).toMatchObject({ event: 'hello', data: { n: 1 }, sentAt: r.body.data.sentAt });
    expect(aNotices[0]).toMatchObject({ kind: 'info', text: 'hi' });
    await api('POST', '/send/client', { clientId: b.id, message: { event: 'marker' } });
    await waitFor(() => bFrames.length === 1, 3_000, 'marker');
    expect(bFrames.map((f) => f.event)).toEqual(['marker']);
  });

  it('sendToUid reaches every tab of the user and nobody else', async () => {
    const { user, token } = await server.guest('Tabs');
    const t1 = await server.client(token);
    const t2 = await server.client(token);
    const other = await tab('Other');
    const f1 = pushes(t1.socket);
    const f2 = pushes(t2.socket);
    const fo = pushes(other.socket);
    expect((await api('POST', '/send/uid', { uids: [user.id], message: { event: 'to-user' } })).status).toBe(200);
    await waitFor(() => f1.length === 1 && f2.length === 1, 3_000, 'both tabs');
    await api('POST', '/send/client', { clientId: other.id, message: { event: 'marker' } });
    await waitFor(() => fo.length === 1, 3_000, 'marker');
    expect(fo.map((f) => f.event)).toEqual(['marker']);
  });

  it('sendToGroup reaches the room minus the excluded connection; announcements show in the room', async () => {
    const a = await tab('Ga');
    const b = await tab('Gb');
    const c = await tab('Gc');
    for (const t of [a, b]) expect((await call(t.socket, 'join', { roomId: 'main-stage' })).ok).toBe(true);
    const fa = pushes(a.socket);
    const fb = pushes(b.socket);
    const fc = pushes(c.socket);
    const nb = collect(b.socket, 'notice');
    expect((await api('POST', '/send/group', { groups: ['main-stage'], exclude: [a.id], message: { event: 'room-push' } })).status).toBe(200);
    await waitFor(() => fb.length === 1, 3_000, 'room push');
    const ann = await api('POST', '/rooms/main-stage/announcements', { text: 'Doors close at 10' });
    expect(ann.status).toBe(200);
    await waitFor(() => nb.length === 1, 3_000, 'announcement');
    expect(nb[0]).toMatchObject({ kind: 'announcement', text: 'Doors close at 10', roomId: 'main-stage' });
    await api('POST', '/send/all', { clientIds: [a.id, c.id], message: { event: 'marker' } });
    await waitFor(() => fa.length === 1 && fc.length === 1, 3_000, 'markers');
    expect(named(fa, 'room-push')).toHaveLength(0);
    expect(named(fc, 'room-push')).toHaveLength(0);
  });

  it('sendToAll reaches everyone, or the listed connections minus the excluded', async () => {
    const [a, b, c] = await Promise.all([tab(), tab(), tab()]);
    const [fa, fb, fc] = [a, b, c].map((t) => pushes(t.socket)) as [PushFrame[], PushFrame[], PushFrame[]];
    expect((await api('POST', '/send/all', { message: { event: 'everyone' } })).status).toBe(200);
    await waitFor(() => [fa, fb, fc].every((f) => f.length === 1), 3_000, 'everyone');
    expect((await api('POST', '/send/all', { clientIds: [a.id, b.id], exclude: [b.id], message: { event: 'subset' } })).status).toBe(200);
    await api('POST', '/send/all', { message: { event: 'marker' } });
    await waitFor(() => [fa, fb, fc].every((f) => named(f, 'marker').length === 1), 3_000, 'markers');
    expect(fa.map((f) => f.event)).toEqual(['everyone', 'subset', 'marker']);
    expect(fb.map((f) => f.event)).toEqual(['everyone', 'marker']);
    expect(fc.map((f) => f.event)).toEqual(['everyone', 'marker']);
  });
});

describe('push API: groups, uids, sessions, queries, close', () => {
  it('joinGroup / leaveGroup / ungroup change membership, counts and lists', async () => {
    const a = await tab('Ma');
    const b = await tab('Mb');
    const a2 = await server.client((await server.guest('Unused')).token);
    expect((await api('PUT', `/groups/vip/clients/${a.id}`)).body).toEqual({ ok: true, data: { applied: true } });
    expect((await api('PUT', `/groups/vip/clients/${b.id}`)).status).toBe(200);
    expect((await api('PUT', `/groups/vip/clients/${a2.init.client_id}`)).status).toBe(200);
    let g = (await api('GET', '/groups/vip')).body.data;
    expect(g).toMatchObject({ group: 'vip', connections: 3, users: 3, partial: false });
    expect([...g.clientIds].sort()).toEqual([a.id, b.id, a2.init.client_id].sort());
    expect([...g.uids].sort()).toEqual([a.uid, b.uid, a2.init.user!.id].sort());
    const fa = pushes(a.socket);
    const fb = pushes(b.socket);
    expect((await api('DELETE', `/groups/vip/clients/${a.id}`)).status).toBe(200);
    await api('POST', '/send/group', { groups: ['vip'], message: { event: 'vip-only' } });
    await waitFor(() => fb.length === 1, 3_000, 'vip push');
    expect((await api('GET', `/clients/${b.id}`)).body.data.groups).toEqual(['vip']);
    expect((await api('DELETE', '/groups/vip')).status).toBe(200);
    g = (await api('GET', '/groups/vip')).body.data;
    expect(g).toMatchObject({ connections: 0, users: 0, clientIds: [], uids: [] });
    await api('POST', '/send/all', { clientIds: [a.id], message: { event: 'marker' } });
    await waitFor(() => fa.length === 1, 3_000, 'marker');
    expect(fa.map((f) => f.event)).toEqual(['marker']);
  });

  it('bindUid / unbindUid link a connection to a user id', async () => {
    const a = await tab();
    const fa = pushes(a.socket);
    expect((await api('PUT', `/uids/crm-42/clients/${a.id}`)).status).toBe(200);
    expect((await api('GET', '/uids/crm-42')).body.data).toEqual({ uid: 'crm-42', online: true, clientIds: [a.id], partial: false });
    expect((await api('GET', `/clients/${a.id}`)).body.data).toMatchObject({ online: true, uid: 'crm-42' });
    await api('POST', '/send/uid', { uids: ['crm-42'], message: { event: 'bound' } });
    await waitFor(() => fa.length === 1, 3_000, 'bound push');
    expect((await api('DELETE', `/uids/crm-42/clients/${a.id}`)).status).toBe(200);
    expect((await api('GET', '/uids/crm-42')).body.data).toMatchObject({ online: false, clientIds: [] });
    expect((await api('GET', `/clients/${a.id}`)).body.data.uid).toBeNull();
    expect((await api('GET', '/clients/gone-client')).body.data).toMatchObject({ online: false, uid: null, groups: [] });
  });

  it('sessions: set replaces, update merges, get and per-group read them', async () => {
    const a = await tab();
    const b = await tab();
    await api('PUT', `/groups/sess/clients/${a.id}`);
    await api('PUT', `/groups/sess/clients/${b.id}`);
    expect((await api('PUT', `/clients/${a.id}/session`, { plan: 'pro', seat: 3 })).status).toBe(200);
    expect((await api('PATCH', `/clients/${a.id}/session`, { seat: 4, lang: 'en' })).status).toBe(200);
    expect((await api('GET', `/clients/${a.id}/session`)).body.data).toEqual({ clientId: a.id, session: { plan: 'pro', seat: 4, lang: 'en' } });
    expect((await api('PUT', `/clients/${a.id}/session`, { only: true })).status).toBe(200);
    expect((await api('GET', `/clients/${a.id}/session`)).body.data.session).toEqual({ only: true });
    expect((await api('PUT', `/clients/${a.id}/session`, [1, 2])).status).toBe(400);
    expect((await api('GET', '/groups/sess/sessions')).body.data).toEqual({
      group: 'sess',
      sessions: { [a.id]: { only: true }, [b.id]: {} },
      partial: false,
    });
  });

  it('stats count connections and distinct users overall and per group', async () => {
    const { token } = await server.guest('Counted');
    const t1 = await server.client(token);
    const t2 = await server.client(token);
    const anon = await tab();
    await waitFor(() => server.runtime.io.of('/').sockets.size === 3, 3_000, 'only this test’s sockets');
    await api('PUT', `/groups/stats-room/clients/${t1.init.client_id}`);
    await api('PUT', `/groups/stats-room/clients/${anon.id}`);
    const s = (await api('GET', '/stats')).body.data;
    expect(s).toMatchObject({ connections: 3, users: 1, uids: [t1.init.user!.id], partial: false });
    expect([...s.clientIds].sort()).toEqual([t1.init.client_id, t2.init.client_id, anon.id].sort());
    expect(s.groups).toEqual([{ group: 'stats-room', connections: 2, users: 1 }]);
  });

  it('closeClient sends server:close with the message, then disconnects', async () => {
    const a = await tab();
    const closes = collect(a.socket, 'server:close');
    const disconnected = new Promise<string>((resolve) => a.socket.once('disconnect', resolve));
    expect((await api('POST', `/clients/${a.id}/close`, { message: { bye: 'maintenance' } })).status).toBe(200);
    expect(await disconnected).toBe('io server disconnect');
    expect(closes).toEqual([{ reason: 'closed by the server', message: { bye: 'maintenance' } }]);
    expect((await api('GET', `/clients/${a.id}`)).body.data.online).toBe(false);
  });
});

describe('typed HTTP client', () => {
  it('runs every gateway operation over HTTP', async () => {
    const { user, token } = await server.guest('Sdk');
    const t = await server.client(token);
    const id = t.init.client_id;
    const frames = pushes(t.socket);
    const closes = collect(t.socket, 'server:close');
    expect(await gw.isOnline(id)).toBe(true);
    expect(await gw.getUidByClientId(id)).toBe(user.id);
    expect(await gw.isUidOnline(user.id)).toBe(true);
    expect(await gw.getClientIdByUid(user.id)).toEqual([id]);
    await gw.joinGroup(id, 'sdk');
    expect((await gw.group('sdk')).clientIds).toEqual([id]);
    await gw.sendToClient(id, { event: 'e1' });
    await gw.sendToUid(user.id, { event: 'e2' });
    await gw.sendToGroup('sdk', { event: 'e3' });
    await gw.sendToAll({ event: 'e4' }, [id]);
    await waitFor(() => frames.length === 4, 3_000, 'four pushes');
    expect(frames.map((f) => f.event)).toEqual(['e1', 'e2', 'e3', 'e4']);
    await gw.bindUid(id, 'sdk-uid');
    expect(await gw.getClientIdByUid('sdk-uid')).toEqual([id]);
    await gw.unbindUid(id, 'sdk-uid');
    expect(await gw.isUidOnline('sdk-uid')).toBe(false);
    await gw.setSession(id, { a: 1 });
    await gw.updateSession(id, { b: 2 });
    expect(await gw.getSession(id)).toEqual({ a: 1, b: 2 });
    expect((await gw.getClientSessionsByGroup('sdk')).sessions).toEqual({ [id]: { a: 1, b: 2 } });
    expect((await gw.stats()).connections).toBeGreaterThanOrEqual(1);
    await gw.leaveGroup(id, 'sdk');
    await gw.ungroup('sdk');
    expect((await gw.group('sdk')).connections).toBe(0);
    await gw.announce('main-stage', 'from the sdk');
    const refused = await gw.announce('nope', 'x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GatewayApiError);
    expect(refused).toMatchObject({ status: 404, code: 'unknown_room' });
    await gw.closeClient(id, 'bye');
    await waitFor(() => closes.length === 1, 3_000, 'close');
    expect(closes[0]!.message).toBe('bye');
  });
});

describe('OpenAPI document', () => {
  it('is served, and equals the generated one and docs/openapi.json', async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const served = await res.json();
    const generated = JSON.parse(JSON.stringify(buildOpenApiDocument()));
    expect(served).toEqual(generated);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'docs/openapi.json'), 'utf8'))).toEqual(generated);
  });
});
