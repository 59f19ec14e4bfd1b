'use client';
import { getSocket } from '@/app/_lib/socket';
import type { ClientToServerEvents } from '@/shared/contract';
import type { Ack } from '@/shared/errors';

type ModEvent = Extract<keyof ClientToServerEvents, `mod:${string}`>;
type PayloadOf<E extends ModEvent> = Parameters<ClientToServerEvents[E]>[0];
type DataOf<E extends ModEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

/** Sends a moderation event over the tab's socket and resolves with its ack (a coded error on timeout). */
export async function modEmit<E extends ModEvent>(event: E, payload: PayloadOf<E>): Promise<Ack<DataOf<E>>> {
  const socket = getSocket() as unknown as {
    timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Ack<DataOf<E>>> };
  };
  try {
    return await socket.timeout(10_000).emitWithAck(event, payload);
  } catch {
    return { ok: false, code: 'unavailable', message: 'No answer from the server; check the connection and retry.' };
  }
}
