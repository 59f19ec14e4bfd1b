// Prisma's schema engine compiled to WebAssembly, driven through a driver adapter, so migrations run without
// the native `schema-engine` binary (which `prisma migrate` would download: impossible offline).
// See shared/notes/offline-toolchain.md, "Prisma 7 without the schema-engine binary".
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { MigrationList, SchemaEngine };

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

let ready: Promise<void> | undefined;

// The package's main entry does `import * as wasm from "./x.wasm"`, which Node 20 rejects
// (ERR_UNKNOWN_FILE_EXTENSION). The JS glue keeps the instance in a module-level variable, so one
// instantiation per process is enough (and a second would just waste ~5 MB and startup time).
function loadWasm(): Promise<void> {
  ready ??= (async () => {
    // The .wasm file is not in the package's "exports"; resolve an exported sibling instead.
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
    const imports: Record<string, unknown> = { ...bindings };
    // The engine arms a 10 s timer per command (the advisory-lock timeout) and never clears it, which kept
    // CLI processes alive 10 s after finishing. Unref'd, it still fires while a query keeps the loop busy.
    for (const key of Object.keys(imports).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
      imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': imports as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })().catch((err: unknown) => {
    ready = undefined; // let a later call retry instead of caching the failure
    throw err;
  });
  return ready;
}

export interface EngineHandle {
  engine: SchemaEngine;
  /** Frees the engine and disposes every connection it opened (`free()` alone leaves a pg pool open). */
  close(): Promise<void>;
}

/**
 * Opens a schema engine on a driver adapter factory. Always `close()` the handle.
 * `schemaFiles` ([path, content]) only matter to commands that read the schema from the engine's state.
 * Connects eagerly: rejects here if the database is unreachable or missing.
 */
export async function openSchemaEngine(
  adapterFactory: SqlDriverAdapterFactory,
  opts: { schemaFiles?: [string, string][]; log?: (msg: string) => void } = {},
): Promise<EngineHandle> {
  await loadWasm();
  const opened: SqlDriverAdapter[] = [];
  const factory = harden(asMigrationAware(adapterFactory), (a) => opened.push(a));
  const disposeAll = async () => {
    // PGlite's adapter dispose is a no-op, so a PGlite shared with the app's client stays open.
    await Promise.allSettled(opened.splice(0).map((a) => a.dispose()));
  };
  // The engine reports JSON tracing events; only warnings and errors are worth surfacing.
  const onEvent = (event: string): void => {
    if (opts.log && /"level":"(WARN|ERROR)"/.test(event)) opts.log(`schema-engine: ${event}`);
  };
  let engine: SchemaEngine;
  try {
    // Unwrapped, the engine fails with "Cannot read properties of null (reading '#config')".
    engine = await bindings.SchemaEngine.new(
      { datamodels: opts.schemaFiles },
      onEvent,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (err) {
    await disposeAll();
    throw err;
  }
  return {
    engine,
    close: async () => {
      engine.free();
      await disposeAll();
    },
  };
}

// applyMigrations and diff never open a shadow database, so a plain factory is acceptable;
// fail clearly if some other command ever asks for one.
function asMigrationAware(factory: SqlDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  if ('connectToShadowDb' in factory && typeof factory.connectToShadowDb === 'function') {
    return factory as SqlMigrationAwareDriverAdapterFactory;
  }
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: () => Promise.reject(new Error(`${factory.adapterName}: no shadow database available`)),
  };
}

type ScriptClient = { exec?: (sql: string) => Promise<unknown>; query?: (sql: string) => Promise<unknown> };

/**
 * Migration scripts go through `executeScript`, which both adapters we use get wrong (checked by hand):
 * - pglite-prisma-adapter 0.7 does not await `exec`: a failing migration is recorded as applied and its error
 *   surfaces later as an unhandled rejection;
 * - @prisma/adapter-pg splits the script on every ";" (breaks on ";" in comments, strings, $$ bodies) and runs
 *   the pieces one by one, so a failure leaves a half-applied migration.
 * Sending the whole script in one simple-protocol call restores what the native engine does: the script runs
 * as one implicit transaction. Relies on the adapters' `client` field and keeps the original otherwise.
 */
function harden(
  factory: SqlMigrationAwareDriverAdapterFactory,
  onOpen: (adapter: SqlDriverAdapter) => void,
): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    onOpen(adapter);
    const client = (adapter as unknown as { client?: ScriptClient }).client;
    const run =
      typeof client?.exec === 'function'
        ? client.exec.bind(client) // PGlite: exec() is its multi-statement API
        : typeof client?.query === 'function' && adapter.adapterName === '@prisma/adapter-pg'
          ? client.query.bind(client) // pg Pool: a parameterless query uses the simple protocol
          : undefined;
    if (!run) return adapter;
    // Re-throwing through the adapter's own onError keeps Postgres' message in the engine's error.
    const onError = (adapter as unknown as { onError?: (e: unknown) => never }).onError?.bind(adapter);
    adapter.executeScript = async (script: string) => {
      try {
        await run(script);
      } catch (e) {
        onError?.(e);
        throw e;
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

/** Reads a `prisma/migrations` folder the way the Prisma CLI does (sorted folders, each with migration.sql). */
export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const lockPath = 'migration_lock.toml';
  const lockContent = await readFile(path.join(migrationsDir, lockPath), 'utf8').catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockPath, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          // A folder without migration.sql is reported by the engine, not skipped silently.
          content: await readFile(path.join(migrationsDir, dir, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (err: Error) => ({ tag: 'error' as const, value: err.message }),
          ),
        },
      })),
    ),
  };
}
