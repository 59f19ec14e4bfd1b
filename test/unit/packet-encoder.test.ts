import { afterEach, describe, expect, it, vi } from 'vitest';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { packetParser, sharedJson, withEncoding } from '../../server/realtime/packet-encoder.ts';

const joinAck = {
  ok: true,
  data: {
    room: { id: 'main-stage', title: 'Main stage' },
    messages: [{ seq: 1, content: '直播 "quoted" \\ and\nnewline', at: '2026-11-28T04:00:00.000Z' }],
    presence: { roomId: 'main-stage', connections: 2, users: 1, list: [{ userId: 'u1', name: 'Ana', tag: 'AbCd', connections: 2 }], partial: false },
    you: null,
  },
};

function decode(encoded: unknown[]): Packet {
  const decoder = new Decoder();
  let out: Packet | undefined;
  decoder.on('decoded', (p: Packet) => (out = p));
  for (const part of encoded) decoder.add(part as string);
  return out!;
}

afterEach(() => vi.restoreAllMocks());

describe('the packet encoder (a pre-encoded ack goes out as its JSON, on the same wire format)', () => {
  it('writes a pre-encoded ack exactly as Socket.IO would, in the main namespace and another', () => {
    for (const nsp of ['/', '/admin']) {
      const packet = { type: PacketType.ACK, nsp, id: 42, data: [joinAck] };
      const stock = new Encoder().encode(packet);
      const ours = new packetParser.Encoder().encode({ ...packet, data: [withEncoding({ ...joinAck }, JSON.stringify(joinAck))] });
      expect(ours).toEqual(stock);
      expect(decode(ours)).toEqual({ type: PacketType.ACK, nsp, id: 42, data: [joinAck] });
    }
  });

  it('leaves every other packet to Socket.IO: events, acks without an encoding, binary', () => {
    const encoder = new packetParser.Encoder();
    const packets: Packet[] = [
      { type: PacketType.EVENT, nsp: '/', data: ['room', { events: [] }] },
      { type: PacketType.ACK, nsp: '/', id: 3, data: [{ ok: false, code: 'rate_limited' }] },
      { type: PacketType.EVENT, nsp: '/', data: ['bin', Buffer.from([1, 2, 3])] },
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
    ];
    for (const p of packets) expect(encoder.encode(p)).toEqual(new Encoder().encode(p));
  });

  it('encodes a shared value once, and a new value afresh', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    const presence = { roomId: 'r', connections: 1, users: 1, list: [], partial: false };
    expect(sharedJson(presence)).toBe('{"roomId":"r","connections":1,"users":1,"list":[],"partial":false}');
    expect(sharedJson(presence)).toBe(sharedJson(presence));
    expect(stringify).toHaveBeenCalledTimes(1);
    sharedJson({ ...presence, connections: 2 });
    expect(stringify).toHaveBeenCalledTimes(2);
  });
});
