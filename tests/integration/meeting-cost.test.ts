import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attendeeCostPence } from "~/costs/cost-model";
import { meetingCost } from "~/costs/costs.server";
import type { DatabaseHandle } from "../../db/client";
import type { WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { type WorkedExample, workedExample } from "../worked-example";

/*
 * A meeting priced in SQL, checked to the penny against figures worked by hand:
 * deputies at their own grade, apologies and absence cost nothing, remote attendees have no
 * travel, late arrival counts minutes present, a mid-year salary change, venue and catering.
 */

let handle: DatabaseHandle;
let db: WorkspaceDb;
let meetingOn: WorkedExample["meetingOn"];

beforeAll(async () => {
  handle = await freshDatabase();
  ({ db, meetingOn } = await workedExample(handle.db, "costs"));
});
afterAll(() => handle.close());

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
