import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { scopeToWorkspace, type WorkspaceDb } from "../db/tenancy";
import { insertWorkspace } from "./factories";

/*
 * The cost model's worked example (docs/cost-model.md) as data: probation (workspace
 * defaults: 30 % on-cost, 45p a mile) and police (25 %, 40p) with their grades, a probation
 * officer's mid-year pay rise, four people, a board with 30 minutes' preparation, and held
 * meetings whose register has an apology, a remote deputy arriving late, travel and
 * expenses, venue and catering. The cost tests and the rollup tests price the same meetings.
 */

export interface WorkedExample {
  db: WorkspaceDb;
  ws: number;
  ids: Record<string, number>;
  /** A held meeting of the board at `startsAt`, with the example's register. */
  meetingOn: (startsAt: string) => Promise<number>;
}

export async function workedExample(root: Kysely<Database>, slug: string): Promise<WorkedExample> {
  const ws = (await insertWorkspace(root, { slug, name: slug })).id;
  const db = scopeToWorkspace(root, ws);
  const ids: Record<string, number> = {};
  const agency = async (name: string, on_cost_pct: number | null, mileage_pence: number | null) =>
    (
      await db
        .insertInto("agencies")
        .values({ workspace_id: ws, name, type: "probation", on_cost_pct, mileage_pence })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.probation = await agency("Probation", null, null); // workspace defaults: 30 %, 45p
  ids.police = await agency("Police", 25, 40);
  const grade = async (agency_id: number, name: string, rates: [string, number][]) => {
    const id = (
      await db
        .insertInto("grades")
        .values({ workspace_id: ws, agency_id, name })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    for (const [effective_from, annual_salary_pence] of rates) {
      await db
        .insertInto("grade_rates")
        .values({ workspace_id: ws, grade_id: id, effective_from, annual_salary_pence })
        .execute();
    }
    return id;
  };
  // £38,500 until 31 March 2026, £40,000 from 1 April 2026.
  ids.po = await grade(ids.probation, "Probation officer", [
    ["2025-04-01", 3_850_000],
    ["2026-04-01", 4_000_000],
  ]);
  ids.inspector = await grade(ids.police, "Inspector", [["2025-04-01", 5_800_000]]);
  ids.sergeant = await grade(ids.police, "Sergeant", [["2025-04-01", 4_900_000]]);
  const person = async (agency_id: number, grade_id: number, full_name: string) =>
    (
      await db
        .insertInto("people")
        .values({ workspace_id: ws, agency_id, grade_id, full_name })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.ann = await person(ids.probation, ids.po, "Ann Probation");
  ids.ian = await person(ids.police, ids.inspector, "Ian Inspector");
  ids.sam = await person(ids.police, ids.sergeant, "Sam Sergeant");
  ids.amy = await person(ids.probation, ids.po, "Amy Apologies");
  ids.board = (
    await db
      .insertInto("boards")
      .values({
        workspace_id: ws,
        name: "LCJB",
        slug: "lcjb",
        type: "lcjb",
        level: "local",
        frequency: "monthly",
        preparation_minutes: 30,
        quorum: 2,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;

  async function meetingOn(startsAt: string): Promise<number> {
    const meeting = await db
      .insertInto("meetings")
      .values({
        workspace_id: ws,
        board_id: ids.board!,
        starts_at: startsAt,
        duration_minutes: 120,
        format: "hybrid",
        status: "held",
        venue_cost_pence: 15_000,
        catering_cost_pence: 4_250,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const register = [
      // Ann: in person, 30 min travel, 12.4 miles, £4.50 parking.
      {
        person_id: ids.ann!,
        status: "attended" as const,
        travel_minutes: 30,
        miles: 12.4,
        other_expenses_pence: 450,
      },
      // Ian sent Sam as deputy; Sam joined remotely 25 minutes late (travel entered but not costed).
      {
        person_id: ids.ian!,
        status: "deputy" as const,
        deputy_person_id: ids.sam!,
        mode: "remote" as const,
        minutes_present: 95,
        travel_minutes: 40,
        miles: 20,
      },
      { person_id: ids.amy!, status: "apologies" as const, travel_minutes: 30 },
    ];
    await db
      .insertInto("attendance")
      .values(register.map((row) => ({ workspace_id: ws, meeting_id: meeting.id, ...row })))
      .execute();
    return meeting.id;
  }

  return { db, ws, ids, meetingOn };
}
