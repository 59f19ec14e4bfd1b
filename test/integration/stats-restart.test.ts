import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, closeAllClients, startTestServer, type TestServer } from '../support/server.ts';
import { msgId, staffToken } from '../support/moderation.ts';

/** Minute rollups live in the database: the charts still show the activity after a restart. */
describe('stats history across a restart', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-stats-restart-'));
  let server: TestServer | undefined;
  afterAll(async () => {
    closeAllClients();
    await server?.stop();
  });

  it('keeps the last hour of comments, joins and online peaks, and the audit log', async () => {
    server = await startTestServer({ dataDir });
    const g = await server.guest('Rita');
    const c = await server.client(g.token);
    await call(c.socket, 'join', { roomId: 'main-stage' });
    for (let i = 0; i < 4; i++) await call(c.socket, 'say', { roomId: 'main-stage', content: `before restart ${i}`, clientMsgId: msgId() });
    const mod = await staffToken(server, 'restart-mod', 'moderator');
    const m = await server.client(mod.token);
    await call(m.socket, 'mod:settings', { roomId: 'main-stage', slowModeSeconds: 5 });
    closeAllClients();
    await server.stop(); // the final rollup is part of a graceful stop

    server = await startTestServer({ dataDir });
    const series = await server.runtime.stats.series('main-stage', '1h');
    expect(series.reduce((s, p) => s + p.comments, 0)).toBe(4);
    expect(series.reduce((s, p) => s + p.joins, 0)).toBe(1);
    expect(Math.max(...series.map((p) => p.onlinePeak))).toBeGreaterThanOrEqual(1);
    const day = await server.runtime.stats.series('main-stage', '24h');
    expect(day).toHaveLength(144);
    expect(day.reduce((s, p) => s + p.comments, 0)).toBe(4);
    const detail = await server.runtime.moderation.console.roomDetail((await staffToken(server, 'restart-mod', 'moderator')).user, 'main-stage', '1h');
    expect(detail.audit.map((a) => a.action)).toEqual(['settings']);
    expect(detail.slowModeSeconds).toBe(5);
  });
});
