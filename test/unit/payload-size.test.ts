import { describe, expect, it } from 'vitest';
import { jsonBytesOver } from '../../server/realtime/handler.ts';

const wire = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

describe('jsonBytesOver (the socket events\' size cap, without re-encoding)', () => {
  it('never counts more than the JSON on the wire, and within a few bytes of it for a typical event', () => {
    const say = { roomId: 'main-stage', content: 'hello there, how is the stream?', clientMsgId: 'abc-123-def' };
    const bytes = wire(say);
    expect(jsonBytesOver(say, bytes)).toBe(false);
    expect(jsonBytesOver(say, bytes - 8)).toBe(true);
  });

  it('counts UTF-8 bytes, not characters: multi-byte text cannot slip past the cap', () => {
    const text = '直播'.repeat(1_500); // 3,000 characters, 9,000 bytes
    expect(jsonBytesOver({ content: text }, 8 * 1024)).toBe(true);
    expect(jsonBytesOver({ content: 'a'.repeat(3_000) }, 8 * 1024)).toBe(false);
  });

  it('walks arrays and nested objects', () => {
    const many = { list: Array.from({ length: 500 }, (_, i) => ({ id: `item-${i}`, n: i })) };
    expect(jsonBytesOver(many, wire(many))).toBe(false);
    expect(jsonBytesOver(many, 8 * 1024)).toBe(true);
  });

  it('survives nesting deeper than the stack (a hostile frame)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => jsonBytesOver(deep, 64 * 1024)).not.toThrow();
    expect(jsonBytesOver(deep, 64 * 1024)).toBe(true);
  });
});
