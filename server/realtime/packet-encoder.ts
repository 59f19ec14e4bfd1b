import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';

/**
 * The JSON of objects that are replaced, never changed, once made (a room's presence snapshot, its cached
 * latest page, a join's ack), by the object itself: callers still see plain objects.
 */
const knownJson = new WeakMap<object, string>();

/**
 * Socket.IO's own parser, with one addition: an ack whose JSON was built beforehand goes out as that
 * JSON. Socket.IO encodes every packet by walking it for binary parts and then `JSON.stringify`-ing all
 * of it, per packet. A join's ack carries the room's presence (up to 100 names) and its latest page,
 * the same objects for every joiner until they change: ~10 KB encoded afresh per join, ~35 µs of each
 * join in a room of 500 (bench/README.md, round 10). Everything else is Socket.IO's encoding unchanged,
 * and the wire format is the same.
 */
class PreEncodingEncoder extends Encoder {
  override encode(packet: Packet): unknown[] {
    const only = packet.type === PacketType.ACK && Array.isArray(packet.data) && packet.data.length === 1 ? (packet.data[0] as unknown) : undefined;
    const json = typeof only === 'object' && only !== null ? knownJson.get(only) : undefined;
    if (json === undefined) return super.encode(packet) as unknown[];
    // Socket.IO's text encoding of a packet: type, namespace (unless the main one), id, then the data array.
    return [`${PacketType.ACK}${packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : ''}${packet.id ?? ''}[${json}]`];
  }
}

/** The `parser` option of the Socket.IO server. */
export const packetParser = { Encoder: PreEncodingEncoder, Decoder };

/** Marks an ack object to go out as `json`, which must be exactly its JSON. Returns the ack. */
export function withEncoding<T extends object>(ack: T, json: string): T {
  knownJson.set(ack, json);
  return ack;
}

/** The JSON of a value that many packets carry unchanged (see knownJson), encoded once per value. */
export function sharedJson(value: object): string {
  let json = knownJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    knownJson.set(value, json);
  }
  return json;
}
