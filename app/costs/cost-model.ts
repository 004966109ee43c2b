/*
 * The cost model (DESIGN.md, docs/cost-model.md): the only place it lives.
 *
 *   hourly cost   = annual salary × (1 + on-cost %) × (1 + overhead %) ÷ annual working hours
 *   attendee hours = (minutes present + travel minutes + preparation minutes) ÷ 60
 *   attendee cost = hourly cost × attendee hours + miles × mileage rate + other expenses,
 *                   rounded to the nearest penny, halves away from zero
 *   meeting cost  = Σ attendee cost over those present + venue and catering
 *
 * Everything is exact: percentages become basis points, miles tenths of a mile, and the
 * whole attendee cost is one fraction of integers (BigInt) rounded once at the end. The SQL
 * rollups use the same integer formula (`attendeeCostSql`), so pages, exports and the API
 * agree to the penny.
 */

export interface AttendeeCostInputs {
  annualSalaryPence: number;
  onCostPct: number;
  overheadPct: number;
  annualWorkingHours: number;
  minutesPresent: number;
  travelMinutes: number;
  preparationMinutes: number;
  /** Miles travelled (one decimal place). */
  miles: number;
  mileagePencePerMile: number;
  otherExpensesPence: number;
}

const BP = 10_000n;

function toBasisPoints(pct: number): bigint {
  return BigInt(Math.round(pct * 100));
}

function toTenths(miles: number): bigint {
  return BigInt(Math.round(miles * 10));
}

function assertWhole(name: string, value: number) {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a whole number of 0 or more`);
}

/** Rounds numerator ÷ denominator (both ≥ 0) to the nearest whole, halves up (away from zero). */
export function divideRoundingHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** One attendee's cost in pence. */
export function attendeeCostPence(input: AttendeeCostInputs): number {
  assertWhole("annual salary", input.annualSalaryPence);
  assertWhole("minutes present", input.minutesPresent);
  assertWhole("travel minutes", input.travelMinutes);
  assertWhole("preparation minutes", input.preparationMinutes);
  assertWhole("mileage rate", input.mileagePencePerMile);
  assertWhole("other expenses", input.otherExpensesPence);
  if (!Number.isSafeInteger(input.annualWorkingHours) || input.annualWorkingHours <= 0) {
    throw new RangeError("annual working hours must be a whole number above 0");
  }
  const minutes = BigInt(input.minutesPresent + input.travelMinutes + input.preparationMinutes);
  // staff = salary × (1 + on-cost) × (1 + overhead) × minutes ÷ (hours × 60), over BP² for the percentages
  const staffNumerator =
    BigInt(input.annualSalaryPence) *
    (BP + toBasisPoints(input.onCostPct)) *
    (BP + toBasisPoints(input.overheadPct)) *
    minutes;
  const staffDenominator = BP * BP * BigInt(input.annualWorkingHours) * 60n;
  // Bring mileage (tenths of a mile) and expenses over the same denominator ×10.
  const denominator = staffDenominator * 10n;
  const numerator =
    staffNumerator * 10n +
    toTenths(input.miles) * BigInt(input.mileagePencePerMile) * staffDenominator +
    BigInt(input.otherExpensesPence) * denominator;
  return Number(divideRoundingHalfUp(numerator, denominator));
}

/** An hourly rate in pence, rounded, for display (costing itself never rounds the rate). */
export function hourlyCostPence(
  input: Pick<AttendeeCostInputs, "annualSalaryPence" | "onCostPct" | "overheadPct" | "annualWorkingHours">,
): number {
  const numerator =
    BigInt(input.annualSalaryPence) *
    (BP + toBasisPoints(input.onCostPct)) *
    (BP + toBasisPoints(input.overheadPct));
  return Number(divideRoundingHalfUp(numerator, BP * BP * BigInt(input.annualWorkingHours)));
}

export function meetingCostPence(
  attendeeCosts: readonly number[],
  venuePence: number,
  cateringPence: number,
): number {
  return attendeeCosts.reduce((sum, cost) => sum + cost, 0) + venuePence + cateringPence;
}
