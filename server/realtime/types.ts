import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../shared/contract.ts';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Socket.IO room names: a GatewayWorker group (live rooms are groups named by their slug) and a bound user. */
export const groupRoom = (group: string) => `g:${group}`;
export const userRoom = (uid: string) => `u:${uid}`;
export const isGroupRoom = (name: string) => name.startsWith('g:');
export const groupOf = (name: string) => name.slice(2);
