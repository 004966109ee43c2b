import { z } from "zod";
import { SCENARIO_KINDS } from "../costs/insight-labels";
import { VERDICTS } from "../costs/verdicts";
import { id } from "./schemas";

/*
 * The JSON API's cost rollups: a board's (its readers) and an agency's (admins and leaders,
 * who see salary-level detail). The same figures as /boards/{id}/costs and
 * /dashboard/agencies/{id}, from the same domain functions.
 */

const pence = () => z.number().int().min(0);
const count = () => z.number().int().min(0);
const calendarDate = () => z.iso.date();
const minutes = () => z.number().int().min(0).describe("Person-minutes: attendance, travel and preparation");
const dateQuery = (name: string) =>
  z.iso
    .date({ error: "Enter a real date, like 2027-03-31" })
    .optional()
    .describe(`${name} (YYYY-MM-DD, London); both left out: the last 12 months`);

export const BoardRollupSchema = z
  .object({
    board_id: id(),
    from: calendarDate(),
    to: calendarDate(),
    cost_pence: pence(),
    meetings_held: count(),
    meetings_cancelled: count(),
    person_minutes: minutes(),
    decisions: count(),
    outcomes: count().describe(
      "Decisions, actions raised, and the board's actions completed since its previous meeting",
    ),
    cost_per_decision_pence: pence().nullable(),
    cost_per_outcome_pence: pence().nullable(),
    actions_due: count().describe("The board's actions due in the period, not dropped"),
    actions_done_on_time: count(),
    verdicts: z.object(
      Object.fromEntries(VERDICTS.map((v) => [v, count()])) as Record<
        (typeof VERDICTS)[number],
        ReturnType<typeof count>
      >,
    ),
    sunset_review: z
      .boolean()
      .describe(
        "More than half its meetings (at least three) were review or consider stopping: review its terms of reference",
      ),
    scheduled_meetings: count().describe("Meetings scheduled in the next 12 months"),
    projected_annual_pence: pence().nullable(),
    by_year: z.array(
      z.object({
        financial_year: z.string().describe("April to March: 2025/26"),
        meetings_held: count(),
        cost_pence: pence(),
        outcomes: count(),
      }),
    ),
    by_quarter: z.array(
      z.object({
        quarter_start: calendarDate(),
        meetings_held: count(),
        cost_pence: pence(),
        outcomes: count(),
        cost_per_outcome_pence: pence().nullable(),
      }),
    ),
    by_agency: z.array(
      z.object({
        agency_id: id(),
        agency_name: z.string(),
        invited: count(),
        attended: count(),
        apologies: count(),
        deputies: count(),
        cost_pence: pence()
          .nullable()
          .describe("Its people's cost; null unless you see salaries (admins and leaders)"),
      }),
    ),
    scenarios: z.array(
      z.object({ kind: z.enum(SCENARIO_KINDS), annual_pence: pence(), saving_pence: pence() }),
    ),
  })
  .meta({
    id: "BoardRollup",
    description:
      "A board's costs and what they produced over the last 12 months (London dates), with its years, quarters and scenarios",
  });

const burden = { meetings: count(), person_minutes: minutes(), cost_pence: pence() };

export const AgencyRollupSchema = z
  .object({
    agency_id: id(),
    agency_name: z.string(),
    from: calendarDate(),
    to: calendarDate(),
    ...burden,
    by_board: z.array(z.object({ board_id: id(), board_name: z.string(), ...burden })),
    grades: z.array(z.object({ grade_name: z.string().nullable(), people: count(), ...burden })),
    people: z.array(
      z.object({ person_id: id(), name: z.string(), grade_name: z.string().nullable(), ...burden }),
    ),
  })
  .meta({
    id: "AgencyRollup",
    description:
      "What partnership meetings cost an agency over a period: per board, per grade and per person",
  });

export const agencyPath = z.strictObject({
  agencyId: z.coerce
    .number({ error: "Not found" })
    .int("Not found")
    .min(1, "Not found")
    .max(2 ** 53 - 1, "Not found"),
});

export const agencyRollupQuery = z
  .strictObject({ from: dateQuery("From this date"), to: dateQuery("To this date") })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "The end date must be the same as or after the start date",
    path: ["to"],
  });
