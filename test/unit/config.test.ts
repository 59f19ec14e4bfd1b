import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '0.0.0.0', databaseUrl: undefined, redisUrl: undefined, dataDir: './data', dev: true });
    expect(c.commentRate).toEqual({ points: 20, windowSeconds: 30 });
    expect(c.replayCap).toBe(500);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: ' ', PORT: '' })).toMatchObject({ databaseUrl: undefined, redisUrl: undefined, port: 3000 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ REDIS_URL: 'redis://127.0.0.1:6379' }, 'SESSION_SECRET'],
    [{ API_KEYS: 'nocolon' }, 'API_KEYS'],
    [{ ADMIN_LOGIN: 'root' }, 'ADMIN_PASSWORD'],
  ])('stops on %o naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('parses API keys and production mode', () => {
    const c = loadConfig({ NODE_ENV: 'production', API_KEYS: 'backend:0123456789abcdef,ops:fedcba9876543210' });
    expect(c.dev).toBe(false);
    expect(c.apiKeys).toEqual([
      { name: 'backend', secret: '0123456789abcdef' },
      { name: 'ops', secret: 'fedcba9876543210' },
    ]);
  });
});
