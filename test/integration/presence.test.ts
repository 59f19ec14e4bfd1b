import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllClients, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';

let server: TestServer;
const ROOM = 'main-stage';

beforeAll(async () => {
  // A short heartbeat so a dead peer is detected in ~2 s instead of the default 20 s.
  server = await startTestServer({ env: { HEARTBEAT_INTERVAL_MS: '1000', HEARTBEAT_TIMEOUT_MS: '1000' } });
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

describe('presence', () => {
  it('counts one entry per user however many tabs, and connections separately', async () => {
    const watcher = await server.client();
    const j = await call(watcher.socket, 'join', { roomId: ROOM });
    expect(j.ok).toBe(true);
    const presence = collectRoom(watcher.socket, 'presence');
    const ana = await server.guest('Ana');
    const tabs = await Promise.all([server.client(ana.token), server.client(ana.token), server.client(ana.token)]);
    for (const t of tabs) await call(t.socket, 'join', { roomId: ROOM });
    await waitFor(() => presence.some((p) => p.connections === 4), 3_000, 'presence with 4 connections');
    const last = presence.at(-1)!;
    expect(last.users).toBe(1);
    expect(last.list).toEqual([expect.objectContaining({ userId: ana.user.id, name: 'Ana', connections: 3 })]);
    tabs[0]!.socket.disconnect();
    await waitFor(() => presence.at(-1)!.connections === 3, 3_000, 'a tab leaving');
    expect(presence.at(-1)!.list[0]!.connections).toBe(2);
  });

  it('drops a connection that stops answering heartbeats', async () => {
    const watcher = await server.client();
    await call(watcher.socket, 'join', { roomId: ROOM });
    const presence = collectRoom(watcher.socket, 'presence');
    const before = (await server.runtime.presence.snapshot(ROOM, 10)).connections;
    // A raw engine.io peer that joins, then goes silent (never answers ping "2" with pong "3").
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    ws.on('message', (data) => {
      const frame = data.toString();
      if (frame.startsWith('0')) ws.send('40');
      else if (frame.startsWith('40')) ws.send('421["join",{"roomId":"main-stage"}]');
    });
    await waitFor(() => presence.some((p) => p.connections === before + 1), 3_000, 'the silent peer to join');
    await waitFor(() => presence.at(-1)!.connections === before, 6_000, 'the silent peer to be dropped');
    ws.terminate();
  });

  it('coalesces a join storm into a few notices and a few count updates', async () => {
    const watcher = await server.client();
    await call(watcher.socket, 'join', { roomId: ROOM });
    await new Promise((r) => setTimeout(r, 1_100)); // let any open notice window close
    const notices = collectRoom(watcher.socket, 'join');
    const counts = collectRoom(watcher.socket, 'presence');
    const started = Date.now();
    const people = await Promise.all(Array.from({ length: 40 }, (_, i) => server.guest(`Fan${i}`)));
    const clients = await Promise.all(people.map((p) => server.client(p.token)));
    await Promise.all(clients.map((c) => call(c.socket, 'join', { roomId: ROOM })));
    await waitFor(() => notices.reduce((n, x) => n + x.names.length + x.others, 0) >= 40, 5_000, 'every join announced');
    const elapsed = Date.now() - started;
    expect(notices.reduce((n, x) => n + x.names.length + x.others, 0)).toBe(40);
    expect(notices.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
    expect(notices.some((n) => n.others > 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(counts.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 250) + 1);
    expect(counts.at(-1)!.users).toBeGreaterThanOrEqual(40);
  });
});

describe('presence follows every way out of a room', () => {
  it('drops a connection removed by the gateway API (leaveGroup, ungroup) and by leave', async () => {
    const watcher = await server.client();
    await call(watcher.socket, 'join', { roomId: ROOM });
    const presence = collectRoom(watcher.socket, 'presence');
    const people = await Promise.all(['Kim', 'Lou', 'Max'].map((n) => server.guest(n)));
    const [kim, lou, max] = await Promise.all(people.map((p) => server.client(p.token)));
    for (const c of [kim!, lou!, max!]) await call(c.socket, 'join', { roomId: ROOM });
    const has = (name: string) => presence.at(-1)?.list.some((u) => u.name === name) ?? false;
    await waitFor(() => has('Kim') && has('Lou') && has('Max'), 3_000, 'all three online');

    await server.runtime.gateway.service.leaveGroup(kim!.socket.id!, ROOM);
    await waitFor(() => !has('Kim') && has('Lou'), 3_000, 'Kim removed by leaveGroup');
    await call(lou!.socket, 'leave', { roomId: ROOM });
    await waitFor(() => !has('Lou') && has('Max'), 3_000, 'Lou removed by leave');
    // Kim's socket is still connected and may rejoin: presence comes back.
    await call(kim!.socket, 'join', { roomId: ROOM });
    await waitFor(() => has('Kim'), 3_000, 'Kim back');
    // ungroup removes the watcher too (so it hears nothing more): read the store itself.
    await server.runtime.gateway.service.ungroup(ROOM);
    let left = -1;
    const started = Date.now();
    while (left !== 0 && Date.now() - started < 3_000) {
      left = (await server.runtime.presence.snapshot(ROOM, 10)).connections;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(left).toBe(0);
  });
});
