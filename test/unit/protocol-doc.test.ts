import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_EVENTS, SERVER_EVENTS } from '../../shared/protocol-events.ts';
import { ERROR_CODES } from '../../shared/errors.ts';

const doc = fs.readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

describe('docs/protocol.md agrees with the typed contract', () => {
  it.each(CLIENT_EVENTS)('documents client event %s', (event) => {
    expect(doc).toContain(`\`${event}\``);
  });
  it.each(SERVER_EVENTS)('documents server event %s', (event) => {
    expect(doc).toContain(`| \`${event}\` |`);
  });
  it.each(ERROR_CODES)('documents error code %s', (code) => {
    expect(doc).toContain(`| \`${code}\` |`);
  });
});
