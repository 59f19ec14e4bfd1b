import type { GatewayMutation } from '../../shared/contract.ts';
import { groupRoom, userRoom, type IoServer } from '../realtime/types.ts';

/**
 * Applies a gateway change to a connection of this instance. Returns false when the connection is not
 * here. Session and uid live in socket.data, which only the owning instance can write, so every change
 * runs where the socket is (locally or through serverSideEmit) instead of through remote-socket proxies.
 */
export function applyLocally(io: IoServer, m: GatewayMutation): boolean {
  const socket = io.of('/').sockets.get(m.clientId);
  if (!socket) return false;
  switch (m.op) {
    case 'join':
      void socket.join(groupRoom(m.group));
      break;
    case 'leave':
      void socket.leave(groupRoom(m.group));
      break;
    case 'bind':
      // GatewayWorker binds one uid per connection: binding again moves it.
      if (socket.data.uid && socket.data.uid !== m.uid) void socket.leave(userRoom(socket.data.uid));
      socket.data.uid = m.uid;
      void socket.join(userRoom(m.uid));
      break;
    case 'unbind':
      if (socket.data.uid === m.uid) socket.data.uid = null;
      void socket.leave(userRoom(m.uid));
      break;
    case 'session:set':
      socket.data.session = { ...m.session };
      break;
    case 'session:update':
      socket.data.session = { ...socket.data.session, ...m.session };
      break;
    case 'close':
      socket.emit('server:close', { reason: 'closed by the server', ...(m.message === undefined ? {} : { message: m.message }) });
      // Not discarding: engine.io flushes the frame above before it closes the transport.
      socket.disconnect(true);
      break;
  }
  return true;
}

/** Lets the other instances reach this instance's connections. */
export function listenForRemoteMutations(io: IoServer): void {
  io.on('gateway:apply', (mutation, ack) => ack(applyLocally(io, mutation)));
}
