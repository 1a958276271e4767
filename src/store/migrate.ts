/** Runs the migrations in migrations/ (ordered by file name) against either backend. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, sql, type DatabaseIntrospector, type Migration, type MigrationProvider, type MigrationResult, type TableMetadata } from 'kysely';
import type { Db } from './schema.ts';

// Beside src/ in the checkout, and beside the compiled src/ in .build/ (scripts/build.mjs), as .js.
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const MIGRATION_FILE = /^\d+_.*\.(ts|js)$/;

async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => MIGRATION_FILE.test(f)).sort();
}

class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = await migrationFiles();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(join(MIGRATIONS_DIR, file)).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = mod;
    }
    return migrations;
  }
}

/**
 * Whether the newest migration applied is the newest file: one query, where Kysely's migrator
 * creates its tables if missing, takes its lock and reads every migration module — seconds on an
 * embedded store that every `wsa` process opening it would pay. Any doubt (no table yet, an error)
 * is left to the migrator, which reports what is wrong.
 */
async function atLatest(db: Db): Promise<boolean> {
  const newest = (await migrationFiles()).at(-1)?.replace(/\.(ts|js)$/, '');
  try {
    const { rows } = await sql<{ name: string | null }>`select max(name) as name from kysely_migration`.execute(db);
    return newest !== undefined && rows[0]?.name === newest;
  } catch {
    return false;
  }
}

/**
 * The store as the migrator sees it: looking for its own tables in the current schema only.
 * Kysely's introspector lists every table of every schema (calling `has_schema_privilege` on each
 * schema's name), and fails with "schema … does not exist" when another store in the same database
 * is dropping its schema at that moment — as test stores on one PostgreSQL do all the time.
 */
function ownSchemaOnly(db: Db): Db {
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    async getTables(): Promise<TableMetadata[]> {
      const { rows } = await sql<{ name: string; schema: string; kind: string }>`
        select c.relname as name, n.nspname as schema, c.relkind as kind
        from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')`.execute(db);
      return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v' || r.kind === 'm', columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  if (await atLatest(db)) return [];
  // Kysely looks for its bookkeeping tables in every schema unless told which one: name ours, so
  // a store in one schema is never confused by another store's tables in the same database.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db: ownSchemaOnly(db),
    provider: new FolderMigrationProvider(),
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return results ?? [];
}
