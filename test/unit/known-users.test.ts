import { describe, expect, it } from 'vitest';
import { KnownUsers } from '../../server/identity/known-users.ts';

describe('KnownUsers', () => {
  it('remembers users, starts over past its bound, and forgets everyone on request', () => {
    const known = new KnownUsers(3);
    for (const id of ['a', 'b', 'c']) known.add(id);
    expect(['a', 'b', 'c'].every((id) => known.has(id))).toBe(true);
    known.add('d'); // past the bound: only the newest is kept
    expect(known.has('a')).toBe(false);
    expect(known.has('d')).toBe(true);
    known.forgetAll();
    expect(known.has('d')).toBe(false);
  });
});
