import { z } from 'zod';
import type { Notice, PushFrame, RoomFrame } from '../../shared/contract.ts';
import type { ErrorCode } from '../../shared/errors.ts';

/**
 * The seed's JSON frames (its Events.php), as a seed page sends them. Ids and names may be numbers in
 * PHP-era pages; `userId` is accepted and ignored (a page cannot choose who it is: see identity in
 * docs/gatewayworker-compat.md). Unknown keys are ignored, as the seed ignored them.
 */
const idLike = z.union([z.string(), z.number()]).transform(String);
export const seedInbound = z.discriminatedUnion('type', [
  z.object({ type: z.literal('join'), roomId: idLike, userId: idLike.optional(), userName: idLike.optional() }),
  z.object({ type: z.literal('say'), roomId: idLike, userId: idLike.optional(), userName: idLike.optional(), content: z.string().optional() }),
  z.object({ type: z.literal('pong') }),
]);
export type SeedInbound = z.infer<typeof seedInbound>;

export const initFrame = (clientId: string) => JSON.stringify({ type: 'init', client_id: clientId, msg: 'connect is success' });
export const PING_FRAME = JSON.stringify({ type: 'ping' });
export const errorFrame = (code: ErrorCode, msg: string) => JSON.stringify({ type: 'error', code, msg });

/** Formats server times as the seed's PHP `date('Y-m-d H:i:s')` in one time zone. */
export function seedClock(timeZone: string): (iso: string | Date) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return (t) => {
    const parts: Record<string, string> = {};
    for (const p of fmt.formatToParts(typeof t === 'string' ? new Date(t) : t)) parts[p.type] = p.value;
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  };
}

/**
 * What a seed page receives for a Socket.IO event the room's members get. Only what the seed knew:
 * comments as `say`, arrivals as `join` (one per named person of a coalesced notice, then one for the
 * unnamed rest), pushes, notices
 * and the server closing the connection; presence, deletions and the rest have no seed equivalent.
 */
export function toSeedFrames(event: string, payload: unknown, clock: (iso: string) => string): string[] {
  switch (event) {
    case 'room':
      return roomToSeed(payload as RoomFrame, clock);
    case 'push':
      return [pushToSeed(payload as PushFrame)];
    case 'notice': {
      const n = payload as Notice;
      return [JSON.stringify({ type: 'notice', kind: n.kind, msg: n.text, ...(n.roomId ? { roomId: n.roomId } : {}) })];
    }
    case 'server:close':
      return [errorFrame('unavailable', 'The server closed this connection; reconnect.')];
    case 'server:shutdown':
      return [errorFrame('unavailable', 'The server is restarting; reconnect in a moment.')];
    default:
      return [];
  }
}

function roomToSeed(frame: RoomFrame, clock: (iso: string) => string): string[] {
  const out: string[] = [];
  for (const e of frame.events) {
    if (e.type === 'say') {
      out.push(JSON.stringify({ type: 'say', roomId: e.roomId, userName: e.userName, content: e.content, commentTime: clock(e.commentTime) }));
    } else if (e.type === 'join') {
      const time = clock(e.joinTime);
      for (const name of e.names.length ? e.names : [e.userName]) {
        out.push(JSON.stringify({ type: 'join', roomId: e.roomId, userName: name, msg: 'enters the Room', joinTime: time }));
      }
      // The rest of a coalesced notice ("… and 37 others"): one more join frame, which a page showing
      // `userName` then `msg` renders as "37 others enter the Room"; `others` carries the number for
      // pages that want it. Dropping it would make a busy room's arrivals look like five people.
      if (e.others > 0) {
        const msg = e.others === 1 ? 'enters the Room' : 'enter the Room';
        out.push(JSON.stringify({ type: 'join', roomId: e.roomId, userName: othersName(e.others), msg, joinTime: time, others: e.others }));
      }
    }
  }
  return out;
}

/** The stand-in name of a coalesced notice's remainder: "1 other", "37 others". */
export const othersName = (n: number) => `${n} ${n === 1 ? 'other' : 'others'}`;

/**
 * A push API message reaches a seed page as one JSON frame whose `type` is the push's event: an
 * object's keys are spread beside it, anything else is under `data`. GatewayClient's own messages
 * never come this way: the inner gateway hands those over byte for byte.
 */
function pushToSeed(p: PushFrame): string {
  const isObject = typeof p.data === 'object' && p.data !== null && !Array.isArray(p.data);
  return JSON.stringify(isObject ? { type: p.event, ...(p.data as object) } : { type: p.event, data: p.data });
}
