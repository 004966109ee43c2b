import { sql } from "kysely";

/*
 * A period's London dates as instants, so that a query on meetings.starts_at can range-scan
 * its (workspace_id, …, starts_at) indexes instead of converting every row's time zone.
 */

/** The instant a London date begins (midnight, BST or GMT as it was that day). */
export const londonStart = (date: string) => sql`((${date}::date)::timestamp at time zone 'Europe/London')`;

/** The instant the London day after `date` begins: the period's exclusive end. */
export const londonEndExclusive = (date: string) =>
  sql`((${date}::date + 1)::timestamp at time zone 'Europe/London')`;
