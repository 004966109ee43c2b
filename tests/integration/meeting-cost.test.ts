import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attendeeCostPence } from "~/costs/cost-model";
import { meetingCost } from "~/costs/costs.server";
import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { insertWorkspace } from "../factories";

/*
 * A meeting priced in SQL, checked to the penny against figures worked by hand:
 * deputies at their own grade, apologies and absence cost nothing, remote attendees have no
 * travel, late arrival counts minutes present, a mid-year salary change, venue and catering.
 */

let handle: DatabaseHandle;
let db: WorkspaceDb;
let ws: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  handle = await freshDatabase();
  ws = (await insertWorkspace(handle.db, { slug: "costs", name: "Costs" })).id;
  db = scopeToWorkspace(handle.db, ws);
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
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => handle.close());

async function meetingOn(startsAt: string) {
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
  for (const row of register) {
    await db
      .insertInto("attendance")
      .values({ workspace_id: ws, meeting_id: meeting.id, ...row })
      .execute();
  }
  return meeting.id;
}

describe("a meeting's cost", () => {
  it("matches the figures worked by hand, before the salary change (March 2026, GMT)", async () => {
    const cost = await meetingCost(db, await meetingOn("2026-03-10T10:00:00Z"));
    // Ann: £38,500 × 1.30 × (120 + 30 + 30) min ÷ (1,650 × 60) = 9,100p; 12.4 × 45 = 558p; +450p → 10,108p
    // Sam (deputy, costed as Sergeant): £49,000 × 1.25 × (95 + 0 + 30) min ÷ 99,000 = 7,733.58… → 7,734p; remote: no miles
    expect(cost?.attendees.map((a) => [a.costed_name, a.cost_pence])).toEqual([
      ["Ann Probation", 10_108],
      ["Sam Sergeant", 7_734],
    ]);
    expect(cost?.totalPence).toBe(10_108 + 7_734 + 15_000 + 4_250);
  });

  it("uses the salary in force on the meeting's London date (1 April 2026, BST)", async () => {
    // 00:30 on 1 April in London is still 31 March in UTC: the new rate applies.
    const cost = await meetingCost(db, await meetingOn("2026-03-31T23:30:00Z"));
    // Ann: £40,000 × 1.30 × 180 ÷ 99,000 = 9,454.54… → 9,455p; + 558 + 450 = 10,463p
    expect(cost?.attendees[0]?.cost_pence).toBe(10_463);
  });

  it("agrees with the TypeScript cost model on the same inputs", async () => {
    const cost = await meetingCost(db, await meetingOn("2026-06-01T09:00:00Z"));
    for (const a of cost!.attendees) {
      expect(
        attendeeCostPence({
          annualSalaryPence: a.annual_salary_pence ?? 0,
          onCostPct: a.on_cost_pct,
          overheadPct: a.overhead_pct,
          annualWorkingHours: a.working_hours,
          minutesPresent: a.minutes_present,
          travelMinutes: a.travel_minutes,
          preparationMinutes: a.preparation_minutes,
          miles: a.miles,
          mileagePencePerMile: a.mileage_pence,
          otherExpensesPence: a.other_expenses_pence,
        }),
      ).toBe(a.cost_pence);
    }
  });
});
