import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSessionSigner, userTag } from '../../server/identity/session.ts';

const SECRET = 'unit-test-secret-of-sufficient-length-0123456789';
const signer = createSessionSigner(SECRET, { secureCookies: false });

/** An HS256 token made by hand (node:crypto, no JWT library): what any standard issuer produces. */
function handMade(payload: object, secret = SECRET, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part(header)}.${part(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);

describe('session signer', () => {
  it('verifies what it signed, with the tag derived from the id', async () => {
    const token = await signer.sign({ id: 'u-1', name: 'Ann', role: 'moderator' });
    expect(await signer.verify(token)).toEqual({ id: 'u-1', name: 'Ann', role: 'moderator', tag: userTag('u-1') });
  });

  it('signs a standard HS256 token that expires in 180 days', async () => {
    const token = await signer.sign({ id: 'u-2', name: 'Bo', role: 'guest' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; iat: number; exp: number };
    expect(claims.sub).toBe('u-2');
    expect(claims.exp - claims.iat).toBe(180 * 24 * 60 * 60);
    expect(signature).toBe(createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url'));
  });

  it('accepts a token from another standard issuer (cookies issued before the library change)', async () => {
    // jose's header was { alg } alone, without typ.
    const token = handMade({ sub: 'u-3', name: 'Cy', role: 'guest', iat: now(), exp: now() + 60 }, SECRET, { alg: 'HS256' });
    expect(await signer.verify(token)).toMatchObject({ id: 'u-3', name: 'Cy', role: 'guest' });
  });

  it('refuses forged, expired, never-expiring, unsigned, malformed and ill-claimed tokens', async () => {
    const claims = { sub: 'u-4', name: 'Di', role: 'admin', iat: now(), exp: now() + 60 };
    const refused = [
      undefined,
      '',
      'not.a.token',
      handMade(claims, 'another-secret-of-sufficient-length-0123456789'),
      handMade({ ...claims, iat: now() - 120, exp: now() - 60 }),
      handMade(claims, SECRET, { alg: 'none' }).replace(/[^.]+$/, ''),
      handMade(claims, SECRET, { alg: 'HS512', typ: 'JWT' }),
      handMade({ ...claims, role: 'owner' }),
      handMade({ ...claims, name: '' }),
      handMade({ name: 'Di', role: 'guest', exp: now() + 60 }),
      handMade({ sub: 'u-4', name: 'Di', role: 'guest', iat: now() }),
    ];
    for (const token of refused) expect(await signer.verify(token), String(token)).toBeNull();
  });
});
