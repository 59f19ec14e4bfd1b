import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../server/metrics/metrics.ts';
import { installProcessGuard } from '../../server/process-guard.ts';

describe('process guard', () => {
  it('logs and counts an uncaught exception and an unhandled rejection, and keeps the process', async () => {
    const lines: { msg: string; err?: { message?: string; stack?: string } }[] = [];
    const log = pino({ level: 'error' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as never), done()) }));
    const metrics = createMetrics();
    const proc = new EventEmitter();
    const uninstall = installProcessGuard(log, metrics.unexpectedError, proc);

    proc.emit('uncaughtException', new Error('thrown in a timer'));
    proc.emit('unhandledRejection', new Error('nobody awaited this'));
    await new Promise((r) => setImmediate(r));

    expect(lines.map((l) => l.msg)).toEqual(['uncaught exception (kept running)', 'unhandled rejection (kept running)']);
    expect(lines[0]?.err?.stack).toContain('thrown in a timer');
    const text = await metrics.registry.metrics();
    expect(text).toContain('liveroom_unexpected_errors_total{kind="exception"} 1');
    expect(text).toContain('liveroom_unexpected_errors_total{kind="rejection"} 1');

    uninstall();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
  });
});
