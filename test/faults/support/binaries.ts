import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Where the suite's private services come from: Debian's `redis-server` and `postgresql` packages. */
export interface ServiceBinaries {
  redisServer: string;
  /** The folder holding `initdb` and `postgres` (the newest installed major version). */
  postgresBin: string;
}

const CI = process.env.CI === 'true';

function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const majors = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return majors.map((v) => path.join(root, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')));
}

function findOnPath(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The binaries, or undefined when missing. The suite kills and restarts its own Redis and PostgreSQL, so
 * the shared services cannot stand in: under CI=true a missing binary fails the run (`.ci/run` installs
 * both), elsewhere it warns loudly and the caller skips.
 */
export function requireServiceBinaries(): ServiceBinaries | undefined {
  const redisServer = findOnPath('redis-server');
  const postgresBin = findPostgresBin();
  if (redisServer && postgresBin) return { redisServer, postgresBin };
  const missing = [!redisServer && 'redis-server', !postgresBin && 'PostgreSQL (initdb, postgres)'].filter(Boolean).join(' and ');
  const msg = `${missing} not installed (Debian packages redis-server, postgresql)`;
  if (CI) throw new Error(`${msg}: CI=true, the fault suite must run`);
  console.warn(`\n\n!!!!!!!! SKIPPING THE FAULT SUITE: ${msg} — it did NOT run !!!!!!!!\n\n`);
  return undefined;
}
