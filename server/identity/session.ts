import { createHash } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import type { PublicUser } from '../../shared/contract.ts';

export const SESSION_COOKIE = 'lr_session';
const SESSION_TTL_SECONDS = 60 * 60 * 24 * 180;

/** userTag's answers. Bounded: emptied when full (a tag is cheap to compute again). */
const tags = new Map<string, string>();
const MAX_TAGS = 10_000;

/**
 * Four characters derived from the id: two guests may share a name, never a name and tag.
 *
 * Remembered per user: every stored comment and every history row carries its author's tag, and a room's
 * comments come from the same authors over and over (the sha256 was ~4 µs of each comment in the
 * small-rooms profile, bench/README.md change 33).
 */
export function userTag(userId: string): string {
  let tag = tags.get(userId);
  if (tag === undefined) {
    if (tags.size >= MAX_TAGS) tags.clear();
    tag = createHash('sha256').update(userId).digest('base64url').slice(0, 4);
    tags.set(userId, tag);
  }
  return tag;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1).max(64),
  role: z.enum(['guest', 'moderator', 'admin']),
});

export interface SessionSigner {
  sign(user: Omit<PublicUser, 'tag'>): Promise<string>;
  /** Returns null for a missing, forged, expired or malformed token. */
  verify(token: string | undefined): Promise<PublicUser | null>;
  cookieOptions: { httpOnly: true; sameSite: 'lax'; path: '/'; maxAge: number; secure: boolean };
}

/**
 * HS256 session tokens through fast-jwt, which signs and verifies synchronously with node:crypto's HMAC.
 * WebCrypto (jose) sends every verification to the thread pool and back: in a join storm of 5,000 that
 * was ~5 % of the server's samples (its job wrapper alone) and ~100 µs of CPU per handshake against
 * ~30 µs here (bench/README.md, change 28). Tokens are standard JWTs either way: cookies issued before
 * still verify.
 */
export function createSessionSigner(secret: string, opts: { secureCookies: boolean }): SessionSigner {
  const signToken = createSigner({ key: secret, algorithm: 'HS256', expiresIn: SESSION_TTL_SECONDS * 1000 });
  // Every token this signer issues expires; one without `exp` would never, so it is refused.
  const verifyToken = createVerifier({ key: secret, algorithms: ['HS256'], requiredClaims: ['exp'] });
  return {
    async sign(user) {
      return signToken({ sub: user.id, name: user.name, role: user.role });
    },
    async verify(token) {
      if (!token) return null;
      try {
        const claims = claimsSchema.safeParse(verifyToken(token));
        if (!claims.success) return null;
        return { id: claims.data.sub, name: claims.data.name, role: claims.data.role, tag: userTag(claims.data.sub) };
      } catch {
        return null;
      }
    },
    cookieOptions: { httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_TTL_SECONDS, secure: opts.secureCookies },
  };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  return header ? parseCookie(header)[name] : undefined;
}
