import type { Migration } from "kysely/migration";
import * as domain from "./2026-11-23-001-domain";
import * as minutesPublishing from "./2026-11-30-010-minutes-publishing";
import * as mail from "./2026-11-30-020-mail";
import * as meetingRollups from "./2026-11-30-050-meeting-rollups";
import * as rollupKeys from "./2026-11-30-051-rollup-keys";

/**
 * Every migration, by name. Listed explicitly (not read from disk) so the same list works
 * in the bundled server, the CLI and the tests. Names sort by date.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-23-001-domain": domain,
  "2026-11-30-010-minutes-publishing": minutesPublishing,
  "2026-11-30-020-mail": mail,
  "2026-11-30-050-meeting-rollups": meetingRollups,
  "2026-11-30-051-rollup-keys": rollupKeys,
};
