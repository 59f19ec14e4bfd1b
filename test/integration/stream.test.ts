import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoomListing, StreamChange } from '../../shared/contract.ts';
import { call, closeAllClients, collectRoom, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { ownedRoom, staffToken } from '../support/moderation.ts';

/**
 * A room's stream: `stream:set` over the socket (owner/admin only) and `PUT /api/v1/rooms/{id}/stream`
 * (API key), both validated, stored, broadcast as a `stream` item and seen by the next join and the
 * lobby. Needs `next build` output for the HTTP part (`npm test` builds first).
 */
const root = path.resolve(import.meta.dirname, '../..');
const KEY = 'stream-key-secret-0123456789abcdef';
const HLS = 'http://127.0.0.1:9/fixtures/index.m3u8';

let server: TestServer;
let owner: { token: string; user: { id: string; name: string } };
let room: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, '.next/BUILD_ID'))) throw new Error('No production build: run `npx next build` (npm test does) first.');
  server = await startTestServer({ withNext: true, env: { NODE_ENV: 'production', API_KEYS: `studio:${KEY}` } });
  const o = await server.guest('Owner');
  owner = o;
  room = await ownedRoom(server, o.user, 'stream-room');
});
afterEach(() => closeAllClients());
afterAll(async () => {
  await server?.stop();
});

async function joined(token?: string) {
  const c = await server.client(token);
  const ack = await call(c.socket, 'join', { roomId: room });
  if (!ack.ok) throw new Error(ack.code);
  return { ...c, join: ack.data };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are what the assertions check
async function put(roomId: string, body: unknown, key: string | null = KEY): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/v1/rooms/${roomId}/stream`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('stream:set over the socket', () => {
  it('the owner sets a source and goes live: acked, stored, broadcast, and the next join sees it', async () => {
    const viewer = await joined();
    expect(viewer.join.room.stream).toMatchObject({ kind: null, url: null, status: 'offline' });
    const changes = collectRoom(viewer.socket, 'stream');
    const me = await joined(owner.token);
    const ack = await call(me.socket, 'stream:set', { roomId: room, source: HLS, status: 'live' });
    expect(ack).toMatchObject({ ok: true, data: { kind: 'hls', url: HLS, status: 'live' } });
    await waitFor(() => changes.length === 1, 3_000, 'stream item');
    expect(changes[0]).toMatchObject<Partial<StreamChange>>({ type: 'stream', roomId: room, kind: 'hls', url: HLS, status: 'live' });
    const late = await joined();
    expect(late.join.room.stream).toMatchObject({ kind: 'hls', url: HLS, status: 'live' });
    const row = await server.runtime.db.prisma.room.findUniqueOrThrow({ where: { id: room } });
    expect([row.streamKind, row.streamUrl, row.streamStatus]).toEqual(['hls', HLS, 'live']);
  });

  it('an embed page URL is rewritten to its player; an unknown host is refused with invalid_stream_source', async () => {
    const me = await joined(owner.token);
    const yt = await call(me.socket, 'stream:set', { roomId: room, source: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' });
    expect(yt).toMatchObject({ ok: true, data: { kind: 'embed', url: 'https://www.youtube.com/embed/dQw4w9WgXcQ', status: 'live' } });
    const bad = await call(me.socket, 'stream:set', { roomId: room, source: 'https://evil.example.com/player' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid_stream_source', issues: [{ path: 'source' }] });
    const ftp = await call(me.socket, 'stream:set', { roomId: room, source: 'ftp://cdn.example.com/a.m3u8' });
    expect(ftp).toMatchObject({ ok: false, code: 'invalid_stream_source' });
    // Nothing changed by the refusals.
    expect((await joined()).join.room.stream.url).toBe('https://www.youtube.com/embed/dQw4w9WgXcQ');
  });

  it('only the owner or an admin may set it', async () => {
    const other = await server.guest('Other');
    const guest = await joined(other.token);
    expect(await call(guest.socket, 'stream:set', { roomId: room, status: 'ended' })).toMatchObject({ ok: false, code: 'forbidden' });
    const watcher = await joined();
    expect(await call(watcher.socket, 'stream:set', { roomId: room, status: 'ended' })).toMatchObject({ ok: false, code: 'unauthenticated' });
    const admin = await staffToken(server, 'ada', 'admin');
    const a = await joined(admin.token);
    expect(await call(a.socket, 'stream:set', { roomId: room, status: 'ended' })).toMatchObject({ ok: true, data: { status: 'ended' } });
    expect(await call(a.socket, 'stream:set', { roomId: room })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await call(a.socket, 'stream:set', { roomId: 'no-such-room', status: 'live' })).toMatchObject({ ok: false, code: 'unknown_room' });
  });
});

describe('PUT /api/v1/rooms/{roomId}/stream', () => {
  it('sets source and status with an API key; the room hears it and the lobby lists the live room first', async () => {
    const viewer = await joined();
    const changes = collectRoom(viewer.socket, 'stream');
    const r = await put(room, { source: HLS, status: 'live' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, data: { kind: 'hls', url: HLS, status: 'live' } });
    await waitFor(() => changes.length === 1, 3_000, 'stream item');
    const lobby = (await (await fetch(`${server.url}/api/rooms`)).json()) as { data: RoomListing[] };
    expect(lobby.data[0]).toMatchObject({ id: room, stream: { status: 'live' } });
    const audit = await server.runtime.db.prisma.auditEntry.findFirst({ where: { roomId: room, action: 'stream', actorId: 'api:studio' } });
    expect(audit).not.toBeNull();
    expect((await put(room, { source: null, status: 'offline' })).body.data).toMatchObject({ kind: null, url: null, status: 'offline' });
  });

  it('refuses a bad source (400 invalid_stream_source), a bad body (400), an unknown room (404) and no key (401)', async () => {
    const bad = await put(room, { source: 'https://evil.example.com/x' });
    expect([bad.status, bad.body.code]).toEqual([400, 'invalid_stream_source']);
    expect(bad.body.message).toMatch(/not allowed/);
    const body = await put(room, { status: 'paused' });
    expect([body.status, body.body.code]).toEqual([400, 'invalid_payload']);
    const empty = await put(room, {});
    expect([empty.status, empty.body.code]).toEqual([400, 'invalid_payload']);
    const missing = await put('no-such-room', { status: 'live' });
    expect([missing.status, missing.body.code]).toEqual([404, 'unknown_room']);
    const anon = await put(room, { status: 'live' }, null);
    expect([anon.status, anon.body.code]).toEqual([401, 'unauthenticated']);
  });
});
