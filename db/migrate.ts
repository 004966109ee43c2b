import type { Kysely } from "kysely";
import { type MigrationResultSet, Migrator } from "kysely/migration";
import { migrations } from "./migrations/index";
import type { Database } from "./schema";

function migrator(db: Kysely<Database>) {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Work on parallel branches adds migrations whose dates interleave; a database that
    // already ran a later one must still take an earlier one that arrives afterwards.
    allowUnorderedMigrations: true,
  });
}

/** Runs every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}

export async function migrateDown(db: Kysely<Database>): Promise<MigrationResultSet> {
  return migrator(db).migrateDown();
}
