import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';

/**
 * Every event name, as values, so tests can check docs/protocol.md documents each one. The type checks
 * below fail compilation when an event is added to the contract but not listed here.
 */
export const CLIENT_EVENTS = [
  'join', 'leave', 'say', 'history',
  'mod:delete', 'mod:timeout', 'mod:ban', 'mod:lift', 'mod:purge', 'mod:settings', 'mod:terms', 'mod:close', 'mod:appoint',
  'stream:set',
] as const satisfies readonly (keyof ClientToServerEvents)[];

export const SERVER_EVENTS = [
  'init', 'room', 'room:settings', 'sanction', 'notice', 'push', 'resync',
  'server:shutdown', 'server:close',
] as const satisfies readonly (keyof ServerToClientEvents)[];

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
export const clientEventsComplete: Exhaustive<keyof ClientToServerEvents, (typeof CLIENT_EVENTS)[number]> = true;
export const serverEventsComplete: Exhaustive<keyof ServerToClientEvents, (typeof SERVER_EVENTS)[number]> = true;
