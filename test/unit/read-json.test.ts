import { describe, expect, it } from 'vitest';
import { readJson } from '../../server/http/respond.ts';
import { isAppError } from '../../shared/errors.ts';

/** A body that never ends and declares no length (chunked upload), counting the chunks it handed out. */
function endlessBody() {
  const chunk = new Uint8Array(1024).fill(0x20);
  const pulled = { count: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled.count++;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled };
}

describe('readJson', () => {
  it('refuses a chunked body as soon as it passes the cap, without reading the rest', async () => {
    const { body, pulled } = endlessBody();
    const req = new Request('http://test/api', { method: 'POST', body, duplex: 'half' } as RequestInit);
    const err = await readJson(req, 4 * 1024).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('payload_too_large');
    expect(pulled.count).toBeLessThan(64);
  });

  it('parses a body within the cap', async () => {
    const req = new Request('http://test/api', { method: 'POST', body: JSON.stringify({ a: 'é' }) });
    expect(await readJson(req)).toEqual({ a: 'é' });
  });
});
