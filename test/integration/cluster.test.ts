import fs from 'node:fs';
import path from 'node:path';
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayClient } from '../../sdk/gateway-client.ts';
import type { Comment, JoinResult, Presence, ServerToClientEvents } from '../../shared/contract.ts';
import type { Ack } from '../../shared/errors.ts';
import { call, closeAllClients, collect, collectRoom, waitFor, type TestSocket } from '../support/server.ts';
import { createTempDatabase, requireService, TEST_REDIS_URL } from '../support/services.ts';
import { REPO_ROOT, spawnInstance, stopAllInstances, type ChildInstance } from '../support/spawn-instance.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

/**
 * Two real instances (child processes, production build) on one PostgreSQL and one Redis. Redis is
 * reached through a TCP proxy the test can cut, so an outage is simulated without stopping the Redis
 * everyone else uses; the adapter channel is private to this run, so other suites' servers on the same
 * Redis are not counted.
 */
const available = (await requireService('postgresql')) && (await requireService('redis'));
const API_KEY = 'cluster-key-0123456789abcdef';
const run = Math.random().toString(36).slice(2, 8);

let db: { url: string; drop: () => Promise<void> } | undefined;
let proxy: TcpProxy;
let A: ChildInstance;
let B: ChildInstance;

async function joinRoom(socket: TestSocket, roomId: string, lastSeq?: number): Promise<JoinResult> {
  const ack = (await call(socket, 'join', { roomId, ...(lastSeq === undefined ? {} : { lastSeq }) })) as Ack<JoinResult>;
  if (!ack.ok) throw new Error(`join failed: ${ack.code}`);
  return ack.data;
}

async function createRoom(server: ChildInstance, token: string, slug: string): Promise<void> {
  const res = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `lr_session=${token}` },
    body: JSON.stringify({ title: slug, slug }),
  });
  if (res.status !== 201) throw new Error(`room not created: ${res.status} ${await res.text()}`);
}

const lastPresence = (frames: Presence[], roomId: string) => frames.filter((p) => p.roomId === roomId).at(-1);

describe.skipIf(!available)('two instances on one Redis and one PostgreSQL', () => {
  let gwA: GatewayClient;
  let gwB: GatewayClient;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, '.next/BUILD_ID'))) throw new Error('No production build: run `npx next build` (npm test does) first.');
    db = await createTempDatabase('lrcluster');
    proxy = new TcpProxy({ host: '127.0.0.1', port: 6379 });
    await proxy.start();
    const env = (name: string) => ({
      DATABASE_URL: db!.url,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_CLUSTER_PREFIX: `lr:test-${run}`,
      INSTANCE_ID: `test-${run}-${name}`,
      API_KEYS: `tests:${API_KEY}`,
    });
    // One after the other: the first one migrates the fresh database.
    A = await spawnInstance(env('a'));
    B = await spawnInstance(env('b'));
    gwA = new GatewayClient({ baseUrl: A.url, apiKey: API_KEY });
    gwB = new GatewayClient({ baseUrl: B.url, apiKey: API_KEY });
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await stopAllInstances();
    await proxy?.cut();
    await db?.drop();
  });

  it('a comment posted on A reaches a viewer on B', async () => {
    const ana = await A.guest('Ana');
    const room = `c-${run}-say`;
    await createRoom(A, ana.token, room);
    const poster = await A.client(ana.token);
    const viewer = await B.client();
    expect(viewer.init.instanceId).not.toBe(poster.init.instanceId);
    await joinRoom(poster.socket, room);
    await joinRoom(viewer.socket, room);
    const seen = collectRoom(viewer.socket, 'say');
    const ack = (await call(poster.socket, 'say', { roomId: room, content: 'hello from A', clientMsgId: `m-${run}-1` })) as Ack<Comment>;
    expect(ack.ok).toBe(true);
    await waitFor(() => seen.length === 1, 5_000, 'comment on B');
    expect(seen[0]).toMatchObject({ content: 'hello from A', userName: 'Ana', seq: ack.ok ? ack.data.seq : -1 });
  });

  it('a push to a user reaches their tabs on both instances, through either instance’s API', async () => {
    const bo = await A.guest('Bo');
    const tabA = await A.client(bo.token);
    const tabB = await B.client(bo.token);
    const fa = collect(tabA.socket, 'push');
    const fb = collect(tabB.socket, 'push');
    await gwA.sendToUid(bo.user.id, { event: 'via-a', data: { n: 1 } });
    await gwB.sendToUid(bo.user.id, { event: 'via-b' });
    await waitFor(() => fa.length === 2 && fb.length === 2, 5_000, 'pushes on both tabs');
    expect(fa.map((f) => f.event)).toEqual(['via-a', 'via-b']);
    expect(fb.map((f) => f.event)).toEqual(['via-a', 'via-b']);
    expect(fb[0]!.data).toEqual({ n: 1 });
    expect((await gwB.uid(bo.user.id)).clientIds.sort()).toEqual([tabA.init.client_id, tabB.init.client_id].sort());
  });

  it('another process reaches sockets on both instances through the Redis emitter', async () => {
    const onA = await A.client();
    const onB = await B.client();
    const frames = [collect(onA.socket, 'push'), collect(onB.socket, 'push')];
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const emitter = new Emitter<ServerToClientEvents>(redis, { key: `lr:test-${run}:sio` });
      emitter.to([onA.init.client_id, onB.init.client_id]).emit('push', { event: 'from-emitter', data: 1, sentAt: new Date().toISOString() });
      await waitFor(() => frames.every((f) => f.length === 1), 5_000, 'emitted push on both');
    } finally {
      await redis.quit();
    }
    expect(frames.map((f) => f[0]?.event)).toEqual(['from-emitter', 'from-emitter']);
  });

  it('counts and lists are exact across instances and tabs', async () => {
    const cy = await A.guest('Cy');
    const di = await B.guest('Di');
    const room = `c-${run}-count`;
    await createRoom(A, cy.token, room);
    const cyA = await A.client(cy.token);
    const cyB = await B.client(cy.token);
    const diB = await B.client(di.token);
    const anonA = await A.client();
    const all = [cyA, cyB, diB, anonA];
    for (const t of all) await joinRoom(t.socket, room);
    const frames = collectRoom(anonA.socket, 'presence');
    const ids = all.map((t) => t.init.client_id).sort();
    for (const gw of [gwA, gwB]) {
      const g = await gw.group(room);
      expect({ ...g, clientIds: [...g.clientIds].sort(), uids: [...g.uids].sort() }).toEqual({
        group: room,
        connections: 4,
        users: 2,
        clientIds: ids,
        uids: [cy.user.id, di.user.id].sort(),
        partial: false,
      });
    }
    // Sockets of earlier tests may still be closing on the server side.
    await expect.poll(async () => (await gwA.stats()).connections, { timeout: 5_000 }).toBe(4);
    const stats = await gwA.stats();
    expect(stats).toMatchObject({ connections: 4, users: 2, partial: false });
    expect([...stats.clientIds].sort()).toEqual(ids);
    expect(stats.groups).toEqual([{ group: room, connections: 4, users: 2 }]);
    // The room's presence (Redis store) agrees: 4 connections, 2 people however many tabs.
    expect((await call(cyB.socket, 'leave', { roomId: room })).ok).toBe(true);
    await waitFor(() => lastPresence(frames, room)?.connections === 3, 5_000, 'presence after a tab left');
    expect(lastPresence(frames, room)).toMatchObject({ users: 2, partial: false });
    expect(lastPresence(frames, room)?.list.find((u) => u.userId === cy.user.id)?.connections).toBe(1);
  });

  it('changes a connection held by the other instance: bind, group, session, close', async () => {
    const onB = await B.client();
    const id = onB.init.client_id;
    const pushes = collect(onB.socket, 'push');
    const closes = collect(onB.socket, 'server:close');
    await gwA.bindUid(id, `crm-${run}`);
    await gwA.joinGroup(id, `vip-${run}`);
    await gwA.setSession(id, { plan: 'pro' });
    await gwA.updateSession(id, { seat: 2 });
    expect(await gwA.getSession(id)).toEqual({ plan: 'pro', seat: 2 });
    expect(await gwA.client(id)).toEqual({ clientId: id, online: true, uid: `crm-${run}`, groups: [`vip-${run}`], partial: false });
    expect((await gwA.getClientSessionsByGroup(`vip-${run}`)).sessions).toEqual({ [id]: { plan: 'pro', seat: 2 } });
    await gwA.sendToUid(`crm-${run}`, { event: 'to-bound-uid' });
    await gwA.sendToGroup(`vip-${run}`, { event: 'to-group' });
    await waitFor(() => pushes.length === 2, 5_000, 'pushes');
    await gwA.leaveGroup(id, `vip-${run}`);
    await gwA.unbindUid(id, `crm-${run}`);
    expect(await gwB.client(id)).toMatchObject({ uid: null, groups: [] });
    await gwA.closeClient(id, 'bye');
    await waitFor(() => closes.length === 1 && onB.socket.disconnected, 5_000, 'closed');
    expect(closes[0]).toEqual({ reason: 'closed by the server', message: 'bye' });
    await expect(gwA.setSession(id, {})).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('answers with partial: true, not a hang, when an instance does not answer', async () => {
    const room = `c-${run}-partial`;
    const onA = await A.client();
    const onB = await B.client();
    await gwA.joinGroup(onA.init.client_id, room);
    await gwA.joinGroup(onB.init.client_id, room);
    B.proc.kill('SIGSTOP');
    try {
      const g = await gwA.group(room);
      expect(g).toMatchObject({ partial: true, connections: 1, clientIds: [onA.init.client_id] });
    } finally {
      B.proc.kill('SIGCONT');
    }
    await expect.poll(async () => (await gwA.group(room)).partial, { timeout: 10_000 }).toBe(false);
  });

  it('after a Redis outage clients are told, resync, and miss no stored comment', async () => {
    const eve = await A.guest('Eve');
    const room = `c-${run}-outage`;
    await createRoom(A, eve.token, room);
    const poster = await A.client(eve.token);
    const viewer = await B.client();
    await joinRoom(poster.socket, room);
    const joined = await joinRoom(viewer.socket, room);
    const notices = collect(viewer.socket, 'notice');
    const resyncs = collect(viewer.socket, 'resync');
    const before = (await call(poster.socket, 'say', { roomId: room, content: 'before', clientMsgId: `m-${run}-b` })) as Ack<Comment>;
    expect(before.ok).toBe(true);
    await proxy.cut();
    await waitFor(() => notices.some((n) => n.kind === 'warning'), 10_000, 'warning notice on B');
    const during = (await call(poster.socket, 'say', { roomId: room, content: 'during the outage', clientMsgId: `m-${run}-d` })) as Ack<Comment>;
    expect(during.ok).toBe(true);
    await proxy.start();
    await waitFor(() => resyncs.length >= 1, 15_000, 'resync on B');
    expect(resyncs[0]).toEqual({ reason: 'redis-recovered' });
    // What the room page does on `resync`: join again from the last sequence it has.
    const replay = await joinRoom(viewer.socket, room, joined.room.lastSeq);
    expect(replay.messages.map((m) => m.content)).toEqual(['before', 'during the outage']);
    // And the cluster works again: a new comment from A reaches B live.
    const live = collectRoom(viewer.socket, 'say');
    await call(poster.socket, 'say', { roomId: room, content: 'after', clientMsgId: `m-${run}-a` });
    await waitFor(() => live.some((c) => c.content === 'after'), 10_000, 'live comment after recovery');
  });

  it('forgets an instance paused past its heartbeat, and counts it again when it resumes', async () => {
    const room = `c-${run}-pause`;
    const hal = await A.guest('Hal');
    await createRoom(A, hal.token, room);
    const onA = await A.client(hal.token);
    const onB = await B.client();
    const frames = collectRoom(onA.socket, 'presence');
    await joinRoom(onA.socket, room);
    await joinRoom(onB.socket, room);
    await waitFor(() => lastPresence(frames, room)?.connections === 2, 5_000, 'both present');
    B.proc.kill('SIGSTOP');
    try {
      await waitFor(() => lastPresence(frames, room)?.connections === 1, 15_000, 'paused instance forgotten');
    } finally {
      B.proc.kill('SIGCONT');
    }
    await waitFor(() => lastPresence(frames, room)?.connections === 2, 10_000, 'resumed instance counted again');
  });

  it('corrects presence within 15 s when an instance is killed without goodbye', async () => {
    const fay = await A.guest('Fay');
    const gus = await B.guest('Gus');
    const room = `c-${run}-kill`;
    await createRoom(A, fay.token, room);
    const onA = await A.client(fay.token);
    const onB = await B.client(gus.token);
    const frames = collectRoom(onA.socket, 'presence');
    await joinRoom(onA.socket, room);
    await joinRoom(onB.socket, room);
    await waitFor(() => lastPresence(frames, room)?.connections === 2, 5_000, 'both present');
    B.proc.kill('SIGKILL');
    await waitFor(() => lastPresence(frames, room)?.connections === 1, 15_000, 'presence corrected');
    expect(lastPresence(frames, room)).toMatchObject({ users: 1, list: [expect.objectContaining({ userId: fay.user.id })] });
    expect(await gwA.group(room)).toMatchObject({ connections: 1, partial: false });
  });
});
