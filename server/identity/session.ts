import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { parse as parseCookie } from 'cookie';
import { z } from 'zod';
import type { PublicUser } from '../../shared/contract.ts';

export const SESSION_COOKIE = 'lr_session';
const SESSION_TTL_SECONDS = 60 * 60 * 24 * 180;

/** Four characters derived from the id: two guests may share a name, never a name and tag. */
export function userTag(userId: string): string {
  return createHash('sha256').update(userId).digest('base64url').slice(0, 4);
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

export function createSessionSigner(secret: string, opts: { secureCookies: boolean }): SessionSigner {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(user) {
      return new SignJWT({ name: user.name, role: user.role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime(`${SESSION_TTL_SECONDS}s`)
        .sign(key);
    },
    async verify(token) {
      if (!token) return null;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        const claims = claimsSchema.safeParse(payload);
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
