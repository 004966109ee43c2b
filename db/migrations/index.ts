import type { Migration } from "kysely/migration";
import * as domain from "./2026-11-23-001-domain";
import * as minutesPublishing from "./2026-11-30-010-minutes-publishing";
import * as mail from "./2026-11-30-020-mail";
import * as plans from "./2026-11-30-030-plans";
import * as objectiveVersions from "./2026-11-30-031-objective-versions";
import * as meetingRollups from "./2026-11-30-050-meeting-rollups";
import * as rollupKeys from "./2026-11-30-051-rollup-keys";
import * as listIndexes from "./2026-11-30-070-list-indexes";

/**
 * Every migration, by name. Listed explicitly (not read from disk) so the same list works
 * in the bundled server, the CLI and the tests. Names sort by date.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-23-001-domain": domain,
  "2026-11-30-010-minutes-publishing": minutesPublishing,
  "2026-11-30-020-mail": mail,
  "2026-11-30-030-plans": plans,
  "2026-11-30-031-objective-versions": objectiveVersions,
  "2026-11-30-050-meeting-rollups": meetingRollups,
  "2026-11-30-051-rollup-keys": rollupKeys,
  "2026-11-30-070-list-indexes": listIndexes,
};
