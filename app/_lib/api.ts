import type { Ack } from '@/shared/errors';
import { getEmbedToken } from './embed-token';

/**
 * The browser's side of our JSON API. Every answer, refusals included, is an Ack (shared/errors.ts), so
 * the HTTP status is not looked at; these reject only when the server cannot be reached (or answers
 * something that is not JSON). In the embedded chat the session travels as a bearer token.
 */

function authHeader(): Record<string, string> {
  const token = getEmbedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** GET, never from the HTTP cache. */
export async function getAck<T>(url: string): Promise<Ack<T>> {
  const res = await fetch(url, { cache: 'no-store', headers: authHeader() });
  return (await res.json()) as Ack<T>;
}

/** POST with a JSON body. */
export async function postAck<T>(url: string, body: unknown): Promise<Ack<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeader() },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Ack<T>;
}
