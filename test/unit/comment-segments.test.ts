import { describe, expect, it } from 'vitest';
import { commentSegments } from '../../app/_lib/comment-segments.ts';
import { applySuggestion, mentionSuggestions } from '../../app/_lib/completion.ts';
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

  it('takes the whole name of a present user as the mention, spaces included', () => {
    const present = ['Bo', 'Mary Ann Lee', 'Li Wei'];
    expect(commentSegments('thanks @mary ann lee, and @Li Wei: see you', 'Bo', present)).toEqual([
      { kind: 'text', text: 'thanks ' },
      { kind: 'mention', text: '@mary ann lee', self: false },
      { kind: 'text', text: ', and ' },
      { kind: 'mention', text: '@Li Wei', self: false },
      { kind: 'text', text: ': see you' },
    ]);
  });

  it('prefers the longest present name and stops at a name that only starts a longer word', () => {
    const present = ['Ann', 'Ann Marie'];
    expect(commentSegments('@Ann Marie hi', null, present).filter((s) => s.kind === 'mention')).toEqual([{ kind: 'mention', text: '@Ann Marie', self: false }]);
    // "Ann Maries" is nobody here: only the first word is a mention, as for any unknown name.
    expect(commentSegments('@Ann Maries hi', null, present).filter((s) => s.kind === 'mention')).toEqual([{ kind: 'mention', text: '@Ann', self: false }]);
    // Someone who is not present: one word.
    expect(commentSegments('@Zed Zulu hi', null, present).filter((s) => s.kind === 'mention')).toEqual([{ kind: 'mention', text: '@Zed', self: false }]);
  });

  it('keeps links and mentions of names with spaces apart', () => {
    const segments = commentSegments('@Mary Ann https://x.example/a', 'Bo', ['Mary Ann']);
    expect(segments).toEqual([
      { kind: 'mention', text: '@Mary Ann', self: false },
      { kind: 'text', text: ' ' },
      { kind: 'link', text: 'https://x.example/a', href: 'https://x.example/a' },
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
  it('keeps a partial with a space while it starts a present name', () => {
    const present = ['Mary Ann', 'Bo'];
    expect(mentionQuery('hi @Mary A', 10, present)).toEqual({ start: 3, query: 'Mary A' });
    // Nobody's name goes on like that, or a space was just typed: the mention has ended.
    expect(mentionQuery('hi @Mary X', 10, present)).toBeNull();
    expect(mentionQuery('hi @Bo and', 10, present)).toBeNull();
    expect(mentionQuery('hi @Mary ', 9, present)).toBeNull();
    expect(mentionQuery('hi @Mary A', 10)).toBeNull();
  });
});

describe('mention completion', () => {
  const people = [
    { userId: 'u1', name: 'Mary Ann', tag: 'a1b2', connections: 1 },
    { userId: 'u2', name: 'Rosemary', tag: 'c3d4', connections: 1 },
    { userId: 'u3', name: 'Me', tag: 'e5f6', connections: 1 },
  ];
  it('suggests present names (those starting with the query first), never yourself', () => {
    expect(mentionSuggestions(people, 'u3', 'mary', 6).map((s) => s.label)).toEqual(['Mary Ann', 'Rosemary']);
    expect(mentionSuggestions(people, 'u3', 'Mary A', 6).map((s) => s.insert)).toEqual(['@Mary Ann ']);
    expect(mentionSuggestions(people, 'u3', 'me', 6)).toEqual([]);
  });
  it('inserts the whole name over what was typed, spaces included', () => {
    const text = 'hi @Mary A';
    const query = mentionQuery(text, text.length, people.map((p) => p.name))!;
    const [item] = mentionSuggestions(people, 'u3', query.query, 6);
    const completion = { kind: 'mention' as const, start: query.start, end: text.length, items: [item!], active: 0 };
    expect(applySuggestion(text, completion, item!)).toEqual({ text: 'hi @Mary Ann ', caret: 13 });
    // Completing in the middle of a sentence does not double the space after the name.
    expect(applySuggestion(`${text} there`, completion, item!)).toEqual({ text: 'hi @Mary Ann there', caret: 13 });
  });
});
