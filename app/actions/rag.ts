import { type Expression, type RawBuilder, sql } from "kysely";
import type { ActionStatus, IsoDate } from "../../db/schema";
import { londonDate } from "../format";

/*
 * An action's RAG, derived from its status and due date, never stored (DESIGN.md, Action):
 *
 *   done                                                   → complete
 *   dropped                                                → dropped
 *   due date before today                                  → red
 *   due within 14 days (today … today + 14) and not started → amber
 *   otherwise                                              → green
 *
 * "Today" is the calendar date in Europe/London, so 00:30 BST on the due date is still the
 * due date and an action only turns red once London's day is over. The same rule is written
 * here twice more for the database: as a CASE (to show and sort by RAG) and as one
 * index-friendly predicate per RAG (to filter by it). tests/integration/actions-rag-sql.test.ts
 * checks all three agree.
 */

export const ACTION_RAGS = ["red", "amber", "green", "complete", "dropped"] as const;
export type ActionRag = (typeof ACTION_RAGS)[number];

/** An action not started and due within this many days (inclusive) is amber. */
export const AMBER_WITHIN_DAYS = 14;

/** The "YYYY-MM-DD" date `days` after (or before) a "YYYY-MM-DD" date. */
export function addDaysToIsoDate(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The RAG of an action on a given London calendar day. */
export function ragOn(action: { status: ActionStatus; dueDate: IsoDate }, today: IsoDate): ActionRag {
  if (action.status === "done") return "complete";
  if (action.status === "dropped") return "dropped";
  if (action.dueDate < today) return "red";
  if (action.status === "open" && action.dueDate <= addDaysToIsoDate(today, AMBER_WITHIN_DAYS))
    return "amber";
  return "green";
}

/** The RAG of an action at an instant (now, by default), judged by London's calendar. */
export function ragAt(action: { status: ActionStatus; dueDate: IsoDate }, now: Date = new Date()): ActionRag {
  return ragOn(action, londonDate(now));
}

// ── The same rule in SQL ─────────────────────────────────────────────────────────────────

/** The columns the rule reads, as the query names them (e.g. sql.ref("a.status")). */
export interface RagColumns {
  status: Expression<unknown>;
  dueDate: Expression<unknown>;
}

/**
 * The RAG as a SQL CASE. `today` is passed from TypeScript (londonDate()), so the page, the
 * filter and the tests all use one clock; the database's own clock and time zone setting
 * play no part.
 */
export function ragSql(columns: RagColumns, today: IsoDate): RawBuilder<ActionRag> {
  const { status, dueDate } = columns;
  return sql<ActionRag>`(case
    when ${status} = 'done' then 'complete'
    when ${status} = 'dropped' then 'dropped'
    when ${dueDate} < ${today}::date then 'red'
    when ${status} = 'open' and ${dueDate} <= ${today}::date + ${sql.lit(AMBER_WITHIN_DAYS)} then 'amber'
    else 'green'
  end)`;
}

/** RAGs in order of urgency, for sorting: red first. */
export function ragRankSql(columns: RagColumns, today: IsoDate): RawBuilder<number> {
  const whens = ACTION_RAGS.map((rag, index) => sql`when ${sql.lit(rag)} then ${sql.lit(index)}`);
  return sql<number>`(case ${ragSql(columns, today)} ${sql.join(whens, sql` `)} end)`;
}

/**
 * "This action's RAG is `rag`" as a plain predicate on status and due date (no CASE), so
 * the planner can use the (status, due date) indexes: red is `status in (open, in
 * progress) and due_date < today`, and so on.
 */
export function ragIsSql(columns: RagColumns, rag: ActionRag, today: IsoDate): RawBuilder<boolean> {
  const { status, dueDate } = columns;
  const day = sql`${today}::date`;
  const amberEnd = sql`${today}::date + ${sql.lit(AMBER_WITHIN_DAYS)}`;
  switch (rag) {
    case "complete":
      return sql<boolean>`(${status} = 'done')`;
    case "dropped":
      return sql<boolean>`(${status} = 'dropped')`;
    case "red":
      return sql<boolean>`(${status} in ('open', 'in_progress') and ${dueDate} < ${day})`;
    case "amber":
      return sql<boolean>`(${status} = 'open' and ${dueDate} >= ${day} and ${dueDate} <= ${amberEnd})`;
    case "green":
      return sql<boolean>`((${status} = 'in_progress' and ${dueDate} >= ${day}) or (${status} = 'open' and ${dueDate} > ${amberEnd}))`;
  }
}
