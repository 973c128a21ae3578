/**
 * The vault's storage: one SQL schema (vault/migrations/*.sql) over two engines.
 *
 * - PGlite (the default): PostgreSQL compiled to WebAssembly, embedded in the process, no server. Data in a
 *   directory (or in memory for tests).
 * - PostgreSQL (production): a `pg` connection pool, chosen by a connection string (VAULT_DATABASE_URL).
 *
 * The rest of the vault sees only `Store`: parameterised queries and transactions. Migrations run at start,
 * each in its own transaction, recorded in `vault_migrations`, under an advisory lock so that two vault
 * processes starting together against one PostgreSQL do not both migrate.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** Something that runs parameterised SQL. */
export interface Queryable {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Run several statements without parameters (migrations). */
  execute(sql: string): Promise<void>;
}

export interface Store extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "migrations");

/** The embedded store. `dataDir`: a directory (created if missing), or undefined for an in-memory database. */
export async function openPgliteStore(dataDir?: string): Promise<Store> {
  const db = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await q.query<T>(sql, [...params])).rows,
    execute: async (sql: string) => {
      await q.exec(sql);
    },
  });
  return {
    kind: "pglite",
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** A schema to create if missing and to use for every connection (default: the server's search_path). */
  readonly schema?: string;
  /** Pool size (default 10). */
  readonly max?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The PostgreSQL store (a `pg` pool). */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid schema name "${options.schema}" (lower-case letters, digits and _ only)`);
  }
  if (options.schema !== undefined) {
    const setup = new pg.Client({ connectionString: options.connectionString });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle client that loses its connection must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await c.query(sql, [...params])).rows as T[],
    execute: async (sql: string) => {
      await c.query(sql);
    },
  });
  return {
    kind: "postgres",
    ...wrap(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** A migration file: `NNN_name.sql`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(path.join(dir, f), "utf8") }));
}

/** Any 64-bit number, the same in every vault process: the advisory lock taken while migrating. */
const MIGRATION_LOCK = 0x4854_5641_554c_54n; // "HTVAULT"

/** Apply the migrations not applied yet, each in a transaction. Returns the versions applied now. */
export async function migrate(store: Store, migrations = readMigrations()): Promise<number[]> {
  await store.execute(`CREATE TABLE IF NOT EXISTS vault_migrations (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await store.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK.toString()]);
      const rows = await tx.query<{ version: number }>("SELECT version FROM vault_migrations WHERE version = $1", [
        m.version,
      ]);
      if (rows.length > 0) return false;
      await tx.execute(m.sql);
      await tx.query("INSERT INTO vault_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** Bytes from a bytea column (pg gives a Buffer, PGlite a Uint8Array). */
export function bytes(value: unknown): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new Error("expected a bytea value");
}
