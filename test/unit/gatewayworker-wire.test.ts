import { describe, expect, it } from 'vitest';
import { decodeClientId, encodeClientId } from '../../server/gatewayworker/client-id.ts';
import { decodePacket, encodePacket, encodeReply, PacketSplitter, ProtocolError } from '../../server/gatewayworker/gateway-protocol.ts';
import { phpSerialize, phpUnserialize, PhpUnserializeError } from '../../server/gatewayworker/php-serialize.ts';
import { seedClock, toSeedFrames } from '../../server/gatewayworker/seed-frames.ts';
import type { RoomFrame } from '../../shared/contract.ts';

describe('PHP serialize codec', () => {
  // Each right-hand side is what PHP 8's serialize() prints for the left-hand value.
  const cases: [unknown, string][] = [
    [null, 'N;'],
    [true, 'b:1;'],
    [42, 'i:42;'],
    [-7, 'i:-7;'],
    [1.5, 'd:1.5;'],
    ['héllo', 's:6:"héllo";'],
    [[], 'a:0:{}'],
    [['a', 'b'], 'a:2:{i:0;s:1:"a";i:1;s:1:"b";}'],
    [{ uid: 7, '3': 'x', nested: { ok: false } }, 'a:3:{i:3;s:1:"x";s:3:"uid";i:7;s:6:"nested";a:1:{s:2:"ok";b:0;}}'],
  ];
  it.each(cases)('serialises %j as PHP does', (value, php) => {
    expect(phpSerialize(value).toString()).toBe(php);
    expect(phpUnserialize(php)).toEqual(value);
  });

  it('counts string lengths in bytes and reads lists back as arrays', () => {
    expect(phpUnserialize('s:4:"\u{1F600}";')).toBe('\u{1F600}');
    expect(phpUnserialize('a:2:{i:0;i:5;i:1;i:6;}')).toEqual([5, 6]);
    expect(phpUnserialize('a:1:{i:5;i:6;}')).toEqual({ 5: 6 });
  });

  it.each(['O:8:"stdClass":0:{}', 's:99:"short";', 'a:99999:{}', 'i:1', 'x', 'i:1;junk', 'a:1:{N;i:1;}'])('refuses %j', (bad) => {
    expect(() => phpUnserialize(bad)).toThrow(PhpUnserializeError);
  });
});

describe('GatewayProtocol packets', () => {
  it('lays out the 28-byte header as GatewayWorker packs "NCNnNnNCnN"', () => {
    const p = encodePacket({ cmd: 22, connectionId: 0x01020304, extData: '{"group":["1"]}', body: 'hi' });
    expect(p.readUInt32BE(0)).toBe(28 + 15 + 2);
    expect(p.readUInt8(4)).toBe(22);
    expect(p.readUInt32BE(17)).toBe(0x01020304);
    expect(p.readUInt8(21)).toBe(1); // scalar body
    expect(p.readUInt32BE(24)).toBe(15);
    expect(p.subarray(28).toString()).toBe('{"group":["1"]}hi');
    const d = decodePacket(p);
    expect(d).toMatchObject({ cmd: 22, connectionId: 0x01020304, flag: 1 });
    expect(d.extData.toString()).toBe('{"group":["1"]}');
    expect((d.body as Buffer).toString()).toBe('hi');
    expect(decodePacket(encodePacket({ cmd: 9, body: { a: 1 } })).body).toEqual({ a: 1 });
  });

  it('frames replies as u32 length + serialize()', () => {
    expect(encodeReply(3).toString('latin1')).toBe('\0\0\0\x04i:3;');
  });

  it('splits a stream into packets and refuses impossible lengths', () => {
    const a = encodePacket({ cmd: 24 });
    const b = encodePacket({ cmd: 26 });
    const s = new PacketSplitter();
    const both = Buffer.concat([a, b]);
    expect(s.push(both.subarray(0, 30))).toHaveLength(1);
    expect(s.push(both.subarray(30))).toHaveLength(1);
    const bad = Buffer.alloc(4);
    bad.writeUInt32BE(3, 0);
    expect(() => new PacketSplitter().push(bad)).toThrow(ProtocolError);
  });

  it('client ids are GatewayWorker addresses: bin2hex(pack("NnN", ip, port, connection))', () => {
    const id = encodeClientId({ ip: '127.0.0.1', port: 2900, connectionId: 1 });
    expect(id).toBe('7f0000010b5400000001');
    expect(decodeClientId(id)).toEqual({ ip: '127.0.0.1', port: 2900, connectionId: 1 });
    expect(decodeClientId('not-an-id')).toBeNull();
  });
});

describe('seed join frames', () => {
  const clock = seedClock('UTC');
  const notice = (names: string[], others: number): RoomFrame => ({
    roomId: 'r1',
    events: [{ type: 'join', roomId: 'r1', userName: names[0] ?? '', userId: null, msg: 'enters the Room', joinTime: '2030-01-01T12:00:00.000Z', names, others }],
  });
  const frames = (names: string[], others: number) => toSeedFrames('room', notice(names, others), clock).map((t) => JSON.parse(t) as Record<string, unknown>);

  it('a single join is exactly the seed frame', () => {
    expect(toSeedFrames('room', notice(['Ana'], 0), clock)).toEqual([
      '{"type":"join","roomId":"r1","userName":"Ana","msg":"enters the Room","joinTime":"2030-01-01 12:00:00"}',
    ]);
  });

  it('a coalesced notice gives one frame per named person, then one carrying the others count', () => {
    const out = frames(['Ana', 'Bo', 'Cy', 'Di', 'Ed'], 37);
    expect(out.map((f) => f.userName)).toEqual(['Ana', 'Bo', 'Cy', 'Di', 'Ed', '37 others']);
    expect(out.at(-1)).toEqual({ type: 'join', roomId: 'r1', userName: '37 others', msg: 'enter the Room', joinTime: '2030-01-01 12:00:00', others: 37 });
    expect(out.slice(0, -1).every((f) => !('others' in f))).toBe(true);
    expect(frames(['Ana', 'Bo', 'Cy', 'Di', 'Ed'], 1).at(-1)).toMatchObject({ userName: '1 other', msg: 'enters the Room', others: 1 });
  });
});
