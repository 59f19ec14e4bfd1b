import { describe, expect, it } from 'vitest';
import { commentSegments } from '../../app/_lib/comment-segments.ts';
import { findMentions, mentionQuery, mentionsName } from '../../shared/mentions.ts';

describe('commentSegments', () => {
  it('turns http and https URLs into links and leaves other schemes as text', () => {
    const segments = commentSegments('go https://a.example/x?y=1 or javascript:alert(1) or ftp://f.example', null);
    expect(segments.filter((s) => s.kind === 'link')).toEqual([{ kind: 'link', text: 'https://a.example/x?y=1', href: 'https://a.example/x?y=1' }]);
    expect(segments.map((s) => s.text).join('')).toBe('go https://a.example/x?y=1 or javascript:alert(1) or ftp://f.example');
  });

  it('gives a bare domain an http link', () => {
    expect(commentSegments('see www.example.org', null)).toContainEqual({ kind: 'link', text: 'www.example.org', href: 'http://www.example.org/' });
  });

  it('marks mentions and flags the reader’s own name, spaces included', () => {
    const segments = commentSegments('hi @Mary Ann and @bob!', 'mary ann');
    expect(segments).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@Mary Ann', self: true },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@bob', self: false },
      { kind: 'text', text: '!' },
    ]);
  });

  it('does not take an e-mail address for a mention', () => {
    expect(commentSegments('write to me@example.org', null).some((s) => s.kind === 'mention')).toBe(false);
  });
});

describe('mentions', () => {
  it('lists distinct lower-case tokens', () => {
    expect(findMentions('@Ann hi @bob, @ann again, me@mail.org')).toEqual(['ann', 'bob']);
  });
  it('knows whether a name is mentioned', () => {
    expect(mentionsName('thanks @Mary Ann!', 'Mary Ann')).toBe(true);
    expect(mentionsName('thanks @Mary Anne', 'Mary Ann')).toBe(false);
    expect(mentionsName('x@mary', 'mary')).toBe(false);
  });
  it('finds the partial mention before the caret', () => {
    expect(mentionQuery('hello @ma', 9)).toEqual({ start: 6, query: 'ma' });
    expect(mentionQuery('hello ma', 8)).toBeNull();
  });
});
