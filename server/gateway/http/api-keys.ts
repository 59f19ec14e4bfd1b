import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import type { Limiter } from '../../limits/rate-limits.ts';
import type { ApiKeyRepository } from './api-key.repository.ts';

export const hashApiKey = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A new secret for `create-api-key`: 32 random bytes, prefixed so leaked keys are easy to grep for. */
export const newApiKeySecret = (): string => `lr_${randomBytes(32).toString('base64url')}`;

export interface ApiCaller {
  /** The key's name (from API_KEYS or the ApiKey table), for logs and the rate limit. */
  name: string;
  source: 'env' | 'database';
}

/**
 * Bearer API keys: those of API_KEYS and the active ones of the ApiKey table. Secrets are compared as
 * sha256 digests with timingSafeEqual, every configured key each time, so timing tells nothing about
 * how close a guess was.
 */
export function createApiAuth(o: { envKeys: { name: string; secret: string }[]; repo: ApiKeyRepository; limiter: Limiter }) {
  const envKeys = o.envKeys.map((k) => ({ name: k.name, digest: Buffer.from(hashApiKey(k.secret), 'hex') }));

  async function identify(authorization: string | null): Promise<ApiCaller> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new AppError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>".');
    const hash = hashApiKey(match[1]);
    const digest = Buffer.from(hash, 'hex');
    let fromEnv: string | undefined;
    for (const k of envKeys) if (timingSafeEqual(k.digest, digest) && fromEnv === undefined) fromEnv = k.name;
    if (fromEnv !== undefined) return { name: fromEnv, source: 'env' };
    const stored = await o.repo.findActiveByHash(hash);
    if (stored && timingSafeEqual(Buffer.from(stored.hash, 'hex'), digest)) return { name: stored.name, source: 'database' };
    throw new AppError('unauthenticated', 'This API key is not valid.');
  }

  return {
    /** Identifies the caller and takes one request from its per-key budget; throws 401 / 429 as AppError. */
    async authenticate(authorization: string | null): Promise<ApiCaller> {
      const caller = await identify(authorization);
      const waitMs = await o.limiter.take(`${caller.source}:${caller.name}`);
      if (waitMs !== null) {
        throw new AppError('rate_limited', 'Too many API requests for this key; slow down.', { retryAfterMs: waitMs });
      }
      return caller;
    },
  };
}

export type ApiAuth = ReturnType<typeof createApiAuth>;
