import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllClients, startTestServer, type TestServer } from '../support/server.ts';
import { createTempDatabase, requireService } from '../support/services.ts';

const TOKEN = 'metrics-token-0123456789';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
});
afterAll(async () => {
  closeAllClients();
  await server?.stop();
});

const scrape = async () => {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics (Prometheus)', () => {
  it('refuses a scrape without the token when METRICS_TOKEN is set', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-000000000' } })).status).toBe(401);
  });

  it('counts connections, rooms, comments and acks by event and code, with latency and batch sizes', async () => {
    const g = await server.guest('Metric');
    const c = await server.client(g.token);
    await call(c.socket, 'join', { roomId: 'main-stage' });
    const before = await scrape();
    const okBefore = value(before, 'liveroom_acks_total{event="say",code="ok"}') ?? 0;
    const commentsBefore = value(before, 'liveroom_comments_total') ?? 0;
    expect((await call(c.socket, 'say', { roomId: 'main-stage', content: 'measured', clientMsgId: 'metrics-1-xxxx' })).ok).toBe(true);
    expect((await call(c.socket, 'say', { roomId: 'main-stage', content: '', clientMsgId: 'metrics-2-xxxx' })).ok).toBe(false);
    const after = await scrape();
    expect(value(after, 'liveroom_acks_total{event="say",code="ok"}')).toBe(okBefore + 1);
    expect(value(after, 'liveroom_acks_total{event="say",code="empty_comment"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'liveroom_comments_total')).toBe(commentsBefore + 1);
    expect(value(after, 'liveroom_connections')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'liveroom_rooms')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'liveroom_database_ready')).toBe(1);
    expect(value(after, 'liveroom_write_queue_depth')).toBe(0);
    expect(value(after, 'liveroom_write_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'liveroom_ack_seconds_count{event="say"}')).toBeGreaterThanOrEqual(2);
    expect(after).toContain('liveroom_nodejs_eventloop_lag_seconds');
    expect(value(after, 'liveroom_redis_up')).toBeUndefined(); // no REDIS_URL: no sample
  });
});

describe('GET /metrics with PostgreSQL', () => {
  it('reports the pool: connections open and queries waiting for one', async () => {
    if (!(await requireService('postgresql'))) return;
    const db = await createTempDatabase('lrmetrics');
    const pgServer = await startTestServer({ database: { url: db.url } });
    try {
      const text = await (await fetch(`${pgServer.url}/metrics`)).text();
      expect(value(text, 'liveroom_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(value(text, 'liveroom_db_pool_waiting')).toBe(0);
      expect(value(text, 'liveroom_db_pool_idle')).toBeGreaterThanOrEqual(0);
      // The comment writes' own connections, opened by the warm-up.
      expect(value(text, 'liveroom_db_write_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(value(text, 'liveroom_db_write_pool_waiting')).toBe(0);
    } finally {
      await pgServer.stop();
      await db.drop();
    }
  });
});
