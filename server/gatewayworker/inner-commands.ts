import type { PushFrame } from '../../shared/contract.ts';
import { applyLocally } from '../gateway/socket-mutations.ts';
import { groupOf, groupRoom, isGroupRoom, userRoom, type IoServer, type IoSocket } from '../realtime/types.ts';
import { decodeClientId, type ClientIds } from './client-id.ts';
import { CMD, type GatewayPacket } from './gateway-protocol.ts';
import { phpSerialize, phpUnserialize, type PhpValue } from './php-serialize.ts';
import { asSeedSocket } from './seed-socket.ts';

/** What a command answers: a value to serialise into the reply, or nothing (one-way commands). */
export type CommandResult = { reply: unknown } | null;

type Json = Record<string, unknown>;
const json = (b: Buffer): unknown => (b.length ? JSON.parse(b.toString()) : null);
const text = (b: GatewayPacket['body']): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(typeof b === 'string' ? b : JSON.stringify(b)));
/** `exclude` arrives as a PHP array connection_id => connection_id, i.e. a JSON object (or list). */
const idSet = (v: unknown): Set<number> => new Set(Object.values((v ?? {}) as Json).map(Number));

/**
 * What the web app's Socket.IO clients get for a GatewayClient message: a `push` whose event is the
 * JSON message's `type` (the seed's convention) and whose data is the parsed message; a message that
 * is not a JSON object arrives as event `message` with the text. Seed pages get the bytes as sent.
 */
export function pushFrameFor(body: Buffer): PushFrame {
  const sentAt = new Date().toISOString();
  const s = body.toString();
  try {
    const v = JSON.parse(s) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const type = (v as Json).type;
      return { event: typeof type === 'string' && type ? type : 'message', data: v, sentAt };
    }
  } catch {
    // not JSON: delivered as text
  }
  return { event: 'message', data: s, sentAt };
}

/**
 * GatewayWorker's gateway commands acting on THIS instance's connections only: GatewayClient sends
 * each broadcast to every gateway the register lists and adds up their answers itself, so reaching
 * other instances here would deliver twice and count twice.
 */
export function createInnerCommands(io: IoServer, ids: ClientIds) {
  const nsp = io.of('/');
  const local = (id: string): IoSocket | undefined => nsp.sockets.get(id);
  const byConnection = (connectionId: number) => local(ids.local(connectionId));
  const members = (room: string): Iterable<string> => nsp.adapter.rooms.get(room) ?? [];
  const connectionOf = (id: string) => decodeClientId(id)?.connectionId ?? 0;

  /** Seed pages get the bytes; Socket.IO sockets one `push`, encoded once for all of them. */
  function deliver(socketIds: Iterable<string>, body: Buffer): void {
    const viaIo: string[] = [];
    for (const id of socketIds) {
      const s = local(id);
      if (!s) continue;
      const seed = asSeedSocket(s);
      if (seed) seed.sendText(body);
      else viaIo.push(id);
    }
    if (viaIo.length) io.local.to(viaIo).emit('push', pushFrameFor(body));
  }

  function sessionText(s: IoSocket): Buffer | null {
    return Object.keys(s.data.session).length ? phpSerialize(s.data.session) : null;
  }

  function select(p: GatewayPacket): Record<number, Record<string, unknown>> {
    const ext = json(p.extData) as { fields?: string[]; where?: Record<string, unknown[]> } | null;
    const out: Record<number, Record<string, unknown>> = {};
    if (!ext) return out;
    const fields = (ext.fields ?? []).filter((f) => f === 'uid' || f === 'groups' || f === 'session');
    const describe = (s: IoSocket) => {
      const row: Record<string, unknown> = {};
      for (const f of fields) {
        if (f === 'uid') row.uid = s.data.uid;
        else if (f === 'groups') row.groups = Object.fromEntries([...s.rooms].filter(isGroupRoom).map((r) => [groupOf(r), groupOf(r)]));
        else row.session = sessionText(s);
      }
      return row;
    };
    const add = (id: string) => {
      const s = local(id);
      if (s && !(connectionOf(id) in out)) out[connectionOf(id)] = describe(s);
    };
    const where = ext.where;
    if (!where || Object.keys(where).length === 0) {
      for (const id of nsp.sockets.keys()) add(id);
      return out;
    }
    for (const [key, items] of Object.entries(where)) {
      for (const item of Object.values(items ?? {})) {
        if (key === 'groups') for (const id of members(groupRoom(String(item)))) add(id);
        else if (key === 'uid') for (const id of members(userRoom(String(item)))) add(id);
        else if (key === 'connection_id') add(ids.local(Number(item)));
      }
    }
    return out;
  }

  function sessionsOf(socketIds: Iterable<string>): Record<number, Buffer | null> {
    const out: Record<number, Buffer | null> = {};
    for (const id of socketIds) {
      const s = local(id);
      if (s) out[connectionOf(id)] = sessionText(s);
    }
    return out;
  }

  function close(p: GatewayPacket, finalMessage: Buffer | null): void {
    const s = byConnection(p.connectionId);
    if (!s) return;
    const seed = asSeedSocket(s);
    if (seed) {
      if (finalMessage?.length) seed.sendText(finalMessage);
      seed.disconnect();
      return;
    }
    applyLocally(io, { op: 'close', clientId: s.id, ...(finalMessage?.length ? { message: finalMessage.toString() } : {}) });
  }

  const sessionValue = (b: Buffer): Record<string, unknown> => {
    if (!b.length) return {};
    const v = phpUnserialize(b);
    return v && typeof v === 'object' ? { ...(v as Record<string, PhpValue>) } : {};
  };

  /** Runs one command; throws on a malformed one (the listener closes that connection). */
  return function run(p: GatewayPacket): CommandResult {
    const ext = p.extData;
    const s = () => byConnection(p.connectionId);
    switch (p.cmd) {
      case CMD.SEND_TO_ONE: {
        const target = s();
        if (target) deliver([target.id], text(p.body));
        return null;
      }
      case CMD.SEND_TO_ALL: {
        const e = json(ext) as Json | null;
        if (e && 'connections' in e) {
          deliver(Object.values((e.connections ?? {}) as Json).map((c) => ids.local(Number(c))), text(p.body));
        } else {
          const exclude = idSet(e?.exclude);
          deliver([...nsp.sockets.keys()].filter((id) => !exclude.has(connectionOf(id))), text(p.body));
        }
        return null;
      }
      case CMD.SEND_TO_GROUP: {
        const e = json(ext) as { group?: unknown; exclude?: unknown };
        const exclude = idSet(e.exclude);
        const targets = new Set<string>();
        for (const g of Object.values((e.group ?? []) as Json)) {
          for (const id of members(groupRoom(String(g)))) if (!exclude.has(connectionOf(id))) targets.add(id);
        }
        deliver(targets, text(p.body));
        return null;
      }
      case CMD.SEND_TO_UID: {
        const targets = new Set<string>();
        for (const uid of Object.values((json(ext) ?? []) as Json)) for (const id of members(userRoom(String(uid)))) targets.add(id);
        deliver(targets, text(p.body));
        return null;
      }
      case CMD.KICK:
        close(p, text(p.body));
        return null;
      case CMD.DESTROY:
        close(p, null);
        return null;
      case CMD.BIND_UID:
        if (ext.length && s()) applyLocally(io, { op: 'bind', clientId: s()!.id, uid: ext.toString() });
        return null;
      case CMD.UNBIND_UID: {
        const target = s();
        if (target?.data.uid) applyLocally(io, { op: 'unbind', clientId: target.id, uid: target.data.uid });
        return null;
      }
      case CMD.JOIN_GROUP:
        if (ext.length) void s()?.join(groupRoom(ext.toString()));
        return null;
      case CMD.LEAVE_GROUP:
        if (ext.length) void s()?.leave(groupRoom(ext.toString()));
        return null;
      case CMD.UNGROUP:
        if (ext.length) io.local.in(groupRoom(ext.toString())).socketsLeave(groupRoom(ext.toString()));
        return null;
      case CMD.SET_SESSION:
        if (s()) applyLocally(io, { op: 'session:set', clientId: s()!.id, session: sessionValue(ext) });
        return null;
      case CMD.UPDATE_SESSION: {
        const target = s();
        if (target) target.data.session = mergeRecursive(target.data.session, sessionValue(ext));
        return null;
      }
      case CMD.IS_ONLINE:
        return { reply: s() ? 1 : 0 };
      case CMD.GET_SESSION_BY_CLIENT_ID: {
        const target = s();
        return { reply: target ? (sessionText(target) ?? []) : null };
      }
      case CMD.GET_ALL_CLIENT_SESSIONS:
        return { reply: sessionsOf(nsp.sockets.keys()) };
      case CMD.GET_CLIENT_SESSIONS_BY_GROUP:
        return { reply: sessionsOf(members(groupRoom(ext.toString()))) };
      case CMD.GET_CLIENT_COUNT_BY_GROUP:
        return { reply: ext.length ? (nsp.adapter.rooms.get(groupRoom(ext.toString()))?.size ?? 0) : nsp.sockets.size };
      case CMD.GET_CLIENT_ID_BY_UID:
        return { reply: [...members(userRoom(ext.toString()))].map(connectionOf) };
      case CMD.SELECT:
        return { reply: select(p) };
      case CMD.GET_GROUP_ID_LIST:
        return { reply: [...nsp.adapter.rooms.keys()].filter(isGroupRoom).map(groupOf) };
      case CMD.PING:
        return null;
      default:
        throw new Error(`unsupported command ${p.cmd}`);
    }
  };
}

/** PHP's array_replace_recursive for sessions (updateSession). */
function mergeRecursive(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const old = out[k];
    const bothObjects = v && old && typeof v === 'object' && typeof old === 'object';
    out[k] = bothObjects ? mergeRecursive(old as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
