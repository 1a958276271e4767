/** Runs the migrations in migrations/ (ordered by file name) against either backend. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
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

export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  if (await atLatest(db)) return [];
  // Kysely looks for its bookkeeping tables in every schema unless told which one: name ours, so
  // a store in one schema is never confused by another store's tables in the same database.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: new FolderMigrationProvider(),
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return results ?? [];
}
