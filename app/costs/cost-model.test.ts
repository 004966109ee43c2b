import { describe, expect, it } from "vitest";
import { attendeeCostPence, divideRoundingHalfUp, hourlyCostPence, meetingCostPence } from "./cost-model";

// Figures worked by hand (and in docs/cost-model.md).
const probationOfficer = {
  annualSalaryPence: 3_850_000, // £38,500
  onCostPct: 30,
  overheadPct: 0,
  annualWorkingHours: 1650,
};

describe("the cost model", () => {
  it("prices an hour: £38,500 × 1.30 ÷ 1,650 = £30.33", () => {
    // 3,850,000 × 1.3 = 5,005,000; ÷ 1,650 = 3,033.33… pence
    expect(hourlyCostPence(probationOfficer)).toBe(3033);
  });

  it("prices a whole attendee: 2 h meeting, 30 min travel, 30 min prep, 12.4 miles, £4.50 parking", () => {
    // staff: 5,005,000 × 180 min ÷ (1,650 × 60) = 9,100 pence exactly
    // mileage: 12.4 × 45 = 558 pence; other: 450 → 10,108 pence = £101.08
    const cost = attendeeCostPence({
      ...probationOfficer,
      minutesPresent: 120,
      travelMinutes: 30,
      preparationMinutes: 30,
      miles: 12.4,
      mileagePencePerMile: 45,
      otherExpensesPence: 450,
    });
    expect(cost).toBe(10_108);
  });

  it("costs a late arrival by the minutes actually present, and a remote attendee with no travel", () => {
    // 95 min present + 30 prep = 125 min: 5,005,000 × 125 ÷ 99,000 = 6,319.44… → 6,319
    const cost = attendeeCostPence({
      ...probationOfficer,
      minutesPresent: 95,
      travelMinutes: 0,
      preparationMinutes: 30,
      miles: 0,
      mileagePencePerMile: 45,
      otherExpensesPence: 0,
    });
    expect(cost).toBe(6319);
  });

  it("adds overhead on top of on-cost", () => {
    // £52,000 × 1.28 × 1.15 ÷ 1,650 per hour; 60 minutes → 7,654,400 ÷ 1,650 = 4,639.03… → 4,639
    const cost = attendeeCostPence({
      annualSalaryPence: 5_200_000,
      onCostPct: 28,
      overheadPct: 15,
      annualWorkingHours: 1650,
      minutesPresent: 60,
      travelMinutes: 0,
      preparationMinutes: 0,
      miles: 0,
      mileagePencePerMile: 45,
      otherExpensesPence: 0,
    });
    expect(cost).toBe(4639);
  });

  it("rounds halves away from zero, exactly", () => {
    expect(divideRoundingHalfUp(5n, 2n)).toBe(3n); // 2.5 → 3
    expect(divideRoundingHalfUp(7n, 4n)).toBe(2n); // 1.75 → 2
    expect(divideRoundingHalfUp(5n, 4n)).toBe(1n); // 1.25 → 1
    // 1 mile at 45p plus half a penny of staff time: a salary giving exactly 0.5p.
    const half = attendeeCostPence({
      annualSalaryPence: 99,
      onCostPct: 0,
      overheadPct: 0,
      annualWorkingHours: 99,
      minutesPresent: 30,
      travelMinutes: 0,
      preparationMinutes: 0,
      miles: 0,
      mileagePencePerMile: 0,
      otherExpensesPence: 0,
    });
    expect(half).toBe(1); // 0.5p → 1p
  });

  it("adds venue and catering to the attendees' costs", () => {
    expect(meetingCostPence([10_108, 6_319], 15_000, 4_250)).toBe(35_677);
  });

  it("refuses negative or fractional inputs rather than guessing", () => {
    const base = {
      ...probationOfficer,
      minutesPresent: 60,
      travelMinutes: 0,
      preparationMinutes: 0,
      miles: 0,
      mileagePencePerMile: 45,
      otherExpensesPence: 0,
    };
    expect(() => attendeeCostPence({ ...base, minutesPresent: -1 })).toThrow(RangeError);
    expect(() => attendeeCostPence({ ...base, annualWorkingHours: 0 })).toThrow(RangeError);
    expect(() => attendeeCostPence({ ...base, otherExpensesPence: 1.5 })).toThrow(RangeError);
  });
});
