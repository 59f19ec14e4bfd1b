import fs from 'node:fs';
import pg from 'pg';
import { createSessionSigner } from '../../../server/identity/session.ts';
import { spawnInstance, type ChildInstance } from '../../support/spawn-instance.ts';
import type { ServiceBinaries } from './binaries.ts';
import { onProcessExit } from './cleanup.ts';
import { startPrivatePostgres, type PrivatePostgres } from './postgres.ts';
import { startPrivateRedis, type PrivateRedis } from './redis.ts';

const SESSION_SECRET = 'fault-suite-secret-fault-suite-secret-0123';
/** Lines a process prints when an error escaped every handler (Node's own report, or a guard's log). */
const CRASH_LINE = /uncaught|unhandled/i;

/** One instance slot: the process in it changes when the suite kills and restarts it. */
interface Slot {
  name: string;
  child: ChildInstance | undefined;
  /** Set just before the suite itself ends the process, so that exit is not counted as a crash. */
  ending: boolean;
}

/**
 * The system under fault: a private PostgreSQL and Redis, two product instances on them (child
 * processes without Next, so nothing installs a forgiving process-wide error handler), and what the
 * scenarios observe of them: exits nobody asked for, crash lines, resident memory.
 */
export class FaultCluster {
  private readonly slots: Slot[];
  private readonly crashes: string[] = [];
  private readonly outputs: string[] = [];
  private readonly signer = createSessionSigner(SESSION_SECRET, { secureCookies: false });
  private db: pg.Pool;

  private constructor(
    readonly redis: PrivateRedis,
    readonly postgres: PrivatePostgres,
    private readonly extraEnv: Record<string, string>,
  ) {
    this.slots = ['a', 'b'].map((name) => ({ name, child: undefined, ending: false }));
    this.db = new pg.Pool({ connectionString: postgres.url, max: 2 });
    // The pool outlives PostgreSQL restarts: an idle client cut by the outage must not throw.
    this.db.on('error', () => {});
  }

  static async start(bins: ServiceBinaries, extraEnv: Record<string, string> = {}): Promise<FaultCluster> {
    const [redis, postgres] = await Promise.all([startPrivateRedis(bins.redisServer), startPrivatePostgres(bins.postgresBin)]);
    const cluster = new FaultCluster(redis, postgres, extraEnv);
    const unregister = onProcessExit(() => {
      for (const slot of cluster.slots) slot.child?.proc.kill('SIGKILL');
    });
    cluster.unregisterExitHook = unregister;
    // One after the other: the first one migrates the fresh database.
    for (let i = 0; i < cluster.slots.length; i++) await cluster.restart(i);
    return cluster;
  }

  private unregisterExitHook: () => void = () => {};

  /** URLs of the instances that are up, in slot order. */
  urls(): string[] {
    return this.slots.flatMap((s) => (s.child && !s.ending ? [s.child.url] : []));
  }

  instance(i: number): ChildInstance {
    const child = this.slots[i]?.child;
    if (!child) throw new Error(`instance ${i} is not running`);
    return child;
  }

  /** Starts (or starts again) the instance in slot `i`. */
  async restart(i: number): Promise<ChildInstance> {
    const slot = this.slots[i];
    if (!slot) throw new Error(`no slot ${i}`);
    const child = await spawnInstance({
      DATABASE_URL: this.postgres.url,
      REDIS_URL: this.redis.url,
      INSTANCE_ID: `faults-${slot.name}`,
      INSTANCE_WITH_NEXT: 'false',
      SESSION_SECRET,
      // The load client sends ~5 comments/s per user plus retries: the per-user limit is not under test.
      COMMENT_RATE_LIMIT: '10000',
      COMMENT_RATE_WINDOW_SECONDS: '1',
      LOG_LEVEL: 'warn',
      ...this.extraEnv,
    });
    slot.child = child;
    slot.ending = false;
    child.proc.once('exit', (code, signal) => {
      this.outputs.push(child.output());
      if (!slot.ending) this.crashes.push(`instance ${slot.name} exited by itself (${code ?? signal})`);
    });
    return child;
  }

  /** Ends the instance in slot `i` with `signal` and waits for the process to be gone. */
  async kill(i: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const slot = this.slots[i];
    const child = slot?.child;
    if (!slot || !child) return;
    slot.ending = true;
    const gone = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
    child.proc.kill(signal);
    await gone;
    await child.stop(); // removes its data folder
    slot.child = undefined;
  }

  /** Resident memory of each running instance, in MB. */
  rssMb(): number[] {
    return this.slots.flatMap((_s, i) => this.instanceRssMb(i) ?? []);
  }

  /** Resident memory of the instance in slot `i`, in MB (from /proc/<pid>/status); undefined when it is not running. */
  instanceRssMb(i: number): number | undefined {
    const slot = this.slots[i];
    const pid = slot?.child?.proc.pid;
    if (!pid || slot.ending) return undefined;
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Exits nobody asked for and crash lines in any instance's output so far (empty when all is well). */
  failures(): string[] {
    const live = this.slots.flatMap((s) => (s.child ? [s.child.output()] : []));
    const lines = [...this.outputs, ...live].flatMap((out) => out.split('\n').filter((l) => CRASH_LINE.test(l)));
    return [...this.crashes, ...lines.map((l) => l.slice(0, 500))];
  }

  /** A session token for a guest (the user row is created on the first comment, as for any guest). */
  token(userId: string, name: string): Promise<string> {
    return this.signer.sign({ id: userId, name, role: 'guest' });
  }

  async createRoom(id: string): Promise<void> {
    await this.db.query('INSERT INTO "Room" (id, title) VALUES ($1, $1)', [id]);
  }

  /** Every stored comment of a room (deleted or not). */
  async storedComments(roomId: string): Promise<{ clientMsgId: string; seq: number }[]> {
    const { rows } = await this.db.query<{ clientMsgId: string; seq: number }>('SELECT "clientMsgId", seq FROM "Message" WHERE "roomId" = $1 ORDER BY seq', [roomId]);
    return rows;
  }

  async destroy(): Promise<void> {
    for (let i = 0; i < this.slots.length; i++) await this.kill(i, 'SIGTERM');
    await this.db.end().catch(() => {});
    await Promise.all([this.redis.destroy(), this.postgres.destroy()]);
    this.unregisterExitHook();
  }
}
