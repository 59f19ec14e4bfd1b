import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllClients, collect, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { createTempDatabase, requireService } from '../support/services.ts';

/**
 * The in-process gateway module (what route handlers and server actions call), across two servers in
 * one process on one PostgreSQL and one Redis; the adapter channel is private to this run.
 */
const available = (await requireService('postgresql')) && (await requireService('redis'));
const run = Math.random().toString(36).slice(2, 8);

describe.skipIf(!available)('gateway service across two instances', () => {
  let db: { url: string; drop: () => Promise<void> };
  let A: TestServer;
  let B: TestServer;

  beforeAll(async () => {
    db = await createTempDatabase('lrgw');
    const env = { REDIS_CLUSTER_PREFIX: `lr:gw-${run}` };
    A = await startTestServer({ database: { url: db.url }, redis: true, env: { ...env, INSTANCE_ID: `gw-${run}-a` } });
    B = await startTestServer({ database: { url: db.url }, redis: true, env: { ...env, INSTANCE_ID: `gw-${run}-b` } });
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await B?.stop();
    await A?.stop();
    await db?.drop();
  });

  it('sends, changes and reads connections held by the other instance', async () => {
    const ivy = await A.guest('Ivy');
    const onA = await A.client(ivy.token);
    const onB = await B.client(ivy.token);
    const other = await B.client();
    const fa = collect(onA.socket, 'push');
    const fb = collect(onB.socket, 'push');
    const fo = collect(other.socket, 'push');
    const gw = A.runtime.gateway.service;
    const group = `team-${run}`;

    await gw.joinGroup(onB.init.client_id, group);
    await gw.joinGroup(other.init.client_id, group);
    gw.sendToUid(ivy.user.id, { event: 'to-ivy' });
    gw.sendToGroup(group, { event: 'to-team' }, [other.init.client_id]);
    gw.sendToClient(other.init.client_id, { event: 'to-other' });
    await waitFor(() => fa.length === 1 && fb.length === 2 && fo.length === 1, 5_000, 'deliveries');
    expect(fa.map((f) => f.event)).toEqual(['to-ivy']);
    expect(fb.map((f) => f.event)).toEqual(['to-ivy', 'to-team']);
    expect(fo.map((f) => f.event)).toEqual(['to-other']);

    await gw.bindUid(other.init.client_id, `ext-${run}`);
    await gw.updateSession(other.init.client_id, { role: 'guest' });
    expect(await B.runtime.gateway.service.client(other.init.client_id)).toEqual({
      clientId: other.init.client_id,
      online: true,
      uid: `ext-${run}`,
      groups: [group],
      partial: false,
    });
    expect(await gw.group(group)).toMatchObject({ connections: 2, users: 2, partial: false });
    expect((await gw.groupSessions(group)).sessions[other.init.client_id]).toEqual({ role: 'guest' });

    gw.ungroup(group);
    await waitFor(() => B.runtime.io.of('/').adapter.rooms.get(`g:${group}`) === undefined, 5_000, 'group emptied on B');
    expect((await gw.group(group)).connections).toBe(0);
    await expect(gw.joinGroup('not-a-connection', group)).rejects.toMatchObject({ code: 'not_found' });
    await expect(gw.announce('no-such-room', 'x')).rejects.toMatchObject({ code: 'unknown_room' });
  });
});
