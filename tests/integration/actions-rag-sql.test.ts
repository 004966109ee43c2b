import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACTION_RAGS,
  type ActionRag,
  addDaysToIsoDate,
  ragIsSql,
  ragOn,
  ragSql,
} from "../../app/actions/rag";
import { londonDate } from "../../app/format";
import type { DatabaseHandle } from "../../db/client";
import type { ActionStatus } from "../../db/schema";
import { freshDatabase } from "../database";

/*
 * The RAG rule is written three times: in TypeScript (ragOn), as a SQL CASE (ragSql, to show
 * and sort) and as one plain predicate per RAG (ragIsSql, to filter). Here the database
 * works out every status × due date around several "todays" (month and year ends, a leap
 * day, both clock changes) and all three must agree. The database's own idea of London's
 * date at an instant must agree with londonDate too, since "today" is passed from TypeScript.
 */

const STATUSES: ActionStatus[] = ["open", "in_progress", "done", "dropped"];
const TODAYS = ["2026-06-15", "2026-03-29", "2026-10-25", "2026-12-25", "2028-02-29", "2026-01-01"];
const OFFSETS = Array.from({ length: 41 }, (_, i) => i - 20);

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle?.close());

describe("RAG in SQL and in TypeScript", () => {
  for (const today of TODAYS) {
    it(`agree for every status and due date around ${today}`, async () => {
      const cases = STATUSES.flatMap((status) =>
        OFFSETS.map((offset) => ({ status, due: addDaysToIsoDate(today, offset) })),
      );
      const columns = { status: sql.ref("g.status"), dueDate: sql.ref("g.due") };
      const values = sql.join(cases.map((c) => sql`(${c.status}::text, ${c.due}::date)`));
      const predicates = ACTION_RAGS.map(
        (rag) => sql`${ragIsSql(columns, rag, today)} as ${sql.ref(`is_${rag}`)}`,
      );
      const { rows } = await sql<
        Record<string, unknown> & { status: ActionStatus; due: string; rag: ActionRag }
      >`
        select g.status, g.due, ${ragSql(columns, today)} as rag, ${sql.join(predicates)}
        from (values ${values}) as g(status, due)
        order by g.status, g.due`.execute(handle.db);
      expect(rows).toHaveLength(cases.length);
      for (const row of rows) {
        const expected = ragOn({ status: row.status, dueDate: row.due }, today);
        expect(row.rag, `${row.status} due ${row.due} on ${today}`).toBe(expected);
        for (const rag of ACTION_RAGS) {
          expect(row[`is_${rag}`], `${rag}? ${row.status} due ${row.due} on ${today}`).toBe(rag === expected);
        }
      }
    });
  }

  it("agree with the database on London's date at the instants either side of midnight and the clock changes", async () => {
    const instants = [
      "2026-06-14T23:30:00Z", // 00:30 BST, 15 June
      "2026-06-15T22:59:59Z",
      "2026-06-15T23:00:00Z",
      "2026-12-15T23:59:59Z",
      "2026-12-16T00:00:00Z",
      "2026-03-29T00:30:00Z", // 00:30 GMT, the night the clocks go forward
      "2026-03-29T01:30:00Z", // 02:30 BST
      "2026-03-29T23:00:00Z",
      "2026-10-24T23:30:00Z", // 00:30 BST, the night the clocks go back
      "2026-10-25T00:30:00Z", // 01:30 BST
      "2026-10-25T01:30:00Z", // 01:30 GMT
      "2026-10-25T23:59:59Z",
    ];
    for (const instant of instants) {
      const { rows } = await sql<{ day: string }>`
        select (${instant}::timestamptz at time zone 'Europe/London')::date::text as day`.execute(handle.db);
      expect(rows[0]?.day, instant).toBe(londonDate(new Date(instant)));
    }
  });
});
