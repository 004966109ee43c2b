import { z } from "zod";
import { ACTION_STATUSES } from "../actions/labels";
import { ACTION_RAGS } from "../actions/rag";
import { MAX_OUTCOME_LENGTH, MAX_UPDATE_LENGTH } from "../actions/schemas";
import { CLASSIFICATIONS, PURPOSES } from "../agenda/schemas";
import { BOARD_FREQUENCIES, BOARD_LEVELS, BOARD_TYPES, MEMBERSHIP_ROLES } from "../boards/schemas";
import { VERDICTS } from "../costs/verdicts";
import { MEETING_LIST_STATUSES, MEETING_WHENS } from "../meetings/meetings-list.server";
import { MEETING_FORMATS } from "../meetings/schemas";

/*
 * The JSON API's contract, as zod schemas. The same objects validate every request (path,
 * query and body), shape every response (a response is parsed through its schema, which
 * drops anything not listed, so no undocumented field can leak) and generate the OpenAPI
 * document (app/api/openapi.ts). Schemas with an id (`.meta({ id })`) become components of
 * the document; descriptions (`.describe()`) become its descriptions.
 *
 * Conventions (docs/api.md): snake_case names; ids are integers; money is integer pence in
 * fields ending `_pence`; instants are ISO 8601 with London's offset; calendar dates are
 * YYYY-MM-DD.
 */

// ── Building blocks ──────────────────────────────────────────────────────────────────────

const MAX_ID = 2 ** 53 - 1;

export const id = () => z.number().int().min(1).max(MAX_ID);
/** An id in a path or query string, where it arrives as text. */
const idParameter = (message: string) =>
  z.coerce.number({ error: message }).int(message).min(1, message).max(MAX_ID, message);
const pence = () => z.number().int().min(0);
/** An instant: "2027-03-03T10:00:00+00:00". */
const timestamp = () => z.iso.datetime({ offset: true });
/** A calendar date: "2027-03-03". */
const calendarDate = () => z.iso.date();
/**
 * A date or instant PostgreSQL can hold: ISO 8601's year 0000 (1 BC) matches the pattern but
 * is out of a PostgreSQL date's range, so it is refused here rather than failing a query.
 */
export const inPostgresRange = (value: string) => !value.startsWith("0000");
const isoDateQuery = (name: string) =>
  z.iso
    .date({ error: "Enter a real date, like 2027-03-31" })
    .refine(inPostgresRange, "Enter a real date, like 2027-03-31")
    .optional()
    .describe(`${name} (YYYY-MM-DD, London)`);

// ── Problems (RFC 9457) ──────────────────────────────────────────────────────────────────

export const FieldErrorSchema = z
  .object({
    in: z.enum(["body", "query", "path"]).describe("Where the bad value was"),
    field: z
      .string()
      .describe('The field or parameter, dotted for nested fields ("status", "items.0.title")'),
    pointer: z
      .string()
      .optional()
      .describe("A JSON Pointer (RFC 6901) to the value in the request body, for body fields"),
    message: z.string().describe("What is wrong, in plain English"),
  })
  .meta({ id: "FieldError" });

export const ProblemSchema = z
  .object({
    type: z
      .string()
      .describe('A URI reference naming the kind of problem; "about:blank" for plain HTTP ones'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().describe("The request path this problem happened on"),
    errors: z.array(FieldErrorSchema).optional().describe("Each field that was wrong (validation problems)"),
    current_version: z
      .number()
      .int()
      .optional()
      .describe("For a version conflict: the version the record is at now"),
    current_status: z.enum(ACTION_STATUSES).optional().describe("For a version conflict on an action"),
    error_id: z.string().optional().describe("For a server error: quote it to support"),
  })
  .meta({
    id: "Problem",
    description: "An error, as RFC 9457 problem details (application/problem+json)",
  });
export type Problem = z.infer<typeof ProblemSchema>;

// ── Pagination ───────────────────────────────────────────────────────────────────────────

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

const pageQuery = {
  cursor: z
    .string()
    .max(500)
    .optional()
    .describe("The next_cursor of the previous page; leave out for the first page"),
  limit: z.coerce
    .number({ error: `Enter a whole number from 1 to ${MAX_LIMIT}` })
    .int(`Enter a whole number from 1 to ${MAX_LIMIT}`)
    .min(1, `Enter a whole number from 1 to ${MAX_LIMIT}`)
    .max(MAX_LIMIT, `Enter a whole number from 1 to ${MAX_LIMIT}`)
    .optional()
    .describe(`How many items per page (default ${DEFAULT_LIMIT})`),
};

function page<T extends z.ZodType>(item: T, id: string, description: string) {
  return z
    .object({
      data: z.array(item),
      next_cursor: z
        .string()
        .nullable()
        .describe("Pass as ?cursor= for the next page; null on the last page"),
    })
    .meta({ id, description });
}

// ── Boards ───────────────────────────────────────────────────────────────────────────────

const boardFields = {
  id: id(),
  name: z.string(),
  slug: z.string(),
  type: z.enum(BOARD_TYPES),
  level: z.enum(BOARD_LEVELS),
  frequency: z.enum(BOARD_FREQUENCIES),
};

export const BoardSchema = z
  .object({
    ...boardFields,
    member_count: z.number().int().min(0).describe("People who are members today"),
    next_meeting_at: timestamp().nullable(),
    last_meeting_at: timestamp().nullable().describe("The latest meeting before now that was not cancelled"),
    meetings_held_last_12_months: z.number().int().min(0),
  })
  .meta({ id: "Board" });

export const BoardPageSchema = page(BoardSchema, "BoardPage", "The boards the token's user may read");

export const BoardMemberSchema = z
  .object({
    person_id: id(),
    name: z.string(),
    job_title: z.string().nullable(),
    agency_name: z.string(),
    role: z.enum(MEMBERSHIP_ROLES),
    from_date: calendarDate(),
    to_date: calendarDate().nullable(),
  })
  .meta({ id: "BoardMember" });

export const BoardDetailSchema = z
  .object({
    ...boardFields,
    terms_of_reference: z.string(),
    quorum: z.number().int().min(0).describe("Member agencies that must be present"),
    default_duration_minutes: z.number().int().min(0),
    preparation_minutes: z.number().int().min(0),
    visibility: z.enum(["public", "private"]),
    archived_at: timestamp().nullable(),
    members: z.array(BoardMemberSchema).describe("Members today"),
    can_run: z.boolean().describe("The token's user runs this board (its secretary, or an admin)"),
  })
  .meta({ id: "BoardDetail" });

export const boardPath = z.strictObject({ boardId: idParameter("Not found") });

export const boardListQuery = z.strictObject({ ...pageQuery });

// ── Meetings ─────────────────────────────────────────────────────────────────────────────

export const MeetingSchema = z
  .object({
    id: id(),
    board_id: id(),
    board_name: z.string(),
    starts_at: timestamp(),
    duration_minutes: z.number().int().min(0),
    format: z.enum(MEETING_FORMATS),
    location: z.string(),
    status: z.enum(MEETING_LIST_STATUSES),
  })
  .meta({ id: "Meeting" });

export const MeetingPageSchema = page(MeetingSchema, "MeetingPage", "A board's meetings");

export const boardMeetingsQuery = z
  .strictObject({
    when: z
      .enum(MEETING_WHENS, { error: "Choose upcoming or past" })
      .optional()
      .describe("upcoming (the default): from now, soonest first; past: before now, latest first"),
    status: z.enum(MEETING_LIST_STATUSES, { error: "Choose scheduled, held or cancelled" }).optional(),
    from: isoDateQuery("On or after this date"),
    to: isoDateQuery("On or before this date"),
    ...pageQuery,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "The end date must be the same as or after the start date",
    path: ["to"],
  });

export const AgendaItemSchema = z
  .object({
    id: id(),
    position: z.number().int().min(0),
    title: z.string(),
    purpose: z.enum(PURPOSES),
    presenter_name: z.string().nullable(),
    minutes_allowed: z.number().int().min(0),
    classification: z.enum(CLASSIFICATIONS),
  })
  .meta({ id: "AgendaItem" });

export const RegisterSchema = z
  .object({
    invited: z.number().int().min(0),
    not_recorded: z.number().int().min(0).describe("Invited, not yet marked"),
    attended: z.array(z.string()),
    apologies: z.array(z.string()),
    absent: z.array(z.string()),
    deputies: z.array(z.object({ member: z.string(), deputy: z.string() })),
  })
  .meta({ id: "Register", description: "Who came, by name" });

export const CostAttendeeSchema = z
  .object({
    attendance_id: id(),
    name: z.string(),
    agency_name: z.string(),
    grade_name: z.string().nullable(),
    deputy: z.boolean(),
    remote: z.boolean(),
    minutes_present: z.number().int().min(0),
    travel_minutes: z.number().int().min(0),
    miles: z.number().min(0),
    cost_pence: pence(),
  })
  .meta({ id: "CostAttendee" });

/** The verdict beside the cost, as the meeting page shows it (docs/cost-model.md). */
const judged = {
  verdict: z
    .enum(VERDICTS)
    .nullable()
    .describe("worth_holding, review or consider_stopping; null until the meeting has been held"),
  verdict_reasons: z
    .array(z.string())
    .describe("The verdict's reasons in plain words, as on the meeting page"),
  feedback_count: z
    .number()
    .int()
    .min(0)
    .describe("Attendees who said whether it was a good use of their time"),
  feedback_average: z.number().min(1).max(5).nullable().describe("Their average answer, 1 to 5"),
};

export const MeetingCostSchema = z
  .discriminatedUnion("detail", [
    z.object({
      meeting_id: id(),
      detail: z.literal("total").describe("The meeting's total only (board readers)"),
      total_pence: pence(),
      ...judged,
    }),
    z.object({
      meeting_id: id(),
      detail: z.literal("breakdown").describe("Per attendee (admins and leaders, who see salaries)"),
      total_pence: pence(),
      ...judged,
      attendees_pence: pence(),
      venue_pence: pence(),
      catering_pence: pence(),
      attendees: z.array(CostAttendeeSchema),
    }),
  ])
  .meta({
    id: "MeetingCost",
    description:
      "What the meeting cost in staff time, travel and venue (docs/cost-model.md): the total for everyone who reads the board, each attendee's cost only for those who see salaries",
  });

export const MeetingDetailSchema = z
  .object({
    id: id(),
    board_id: id(),
    board_name: z.string(),
    series_id: id().nullable(),
    starts_at: timestamp(),
    duration_minutes: z.number().int().min(0),
    format: z.enum(MEETING_FORMATS),
    location: z.string(),
    status: z.enum(MEETING_LIST_STATUSES),
    cancelled_reason: z.string().nullable(),
    agenda: z.array(AgendaItemSchema),
    agenda_minutes: z.number().int().min(0),
    register: RegisterSchema,
    cost: MeetingCostSchema,
    can_run: z.boolean(),
  })
  .meta({ id: "MeetingDetail" });

export const meetingPath = z.strictObject({ meetingId: idParameter("Not found") });

// ── Actions ──────────────────────────────────────────────────────────────────────────────

export const AgencyRefSchema = z
  .object({ id: id(), name: z.string(), short_name: z.string() })
  .meta({ id: "AgencyRef" });

const actionFields = {
  id: id(),
  ref: z.string().describe('How people quote it: "ACT-42"'),
  title: z.string().describe('"Restricted action" when restricted'),
  restricted: z
    .boolean()
    .describe(
      "OFFICIAL-SENSITIVE, and the token's user does not sit on its board: only its OFFICIAL fields are given",
    ),
  classification: z.enum(CLASSIFICATIONS),
  board: z.object({ id: id(), name: z.string() }),
  owner_agency: AgencyRefSchema,
  owner_person: z.object({ id: id(), name: z.string() }).nullable(),
  supporting_agencies: z.array(AgencyRefSchema),
  due_date: calendarDate(),
  status: z.enum(ACTION_STATUSES),
  rag: z.enum(ACTION_RAGS).describe("Derived from status and due date on London's calendar (docs/api.md)"),
  meeting: z.object({ id: id(), starts_at: timestamp() }).nullable().describe("The meeting it was raised at"),
  latest_update: z
    .object({ at: timestamp(), author_name: z.string(), body: z.string() })
    .nullable()
    .describe("Null when there is none, or when restricted"),
};

export const ActionSchema = z.object(actionFields).meta({ id: "Action" });

export const ActionPageSchema = page(
  ActionSchema,
  "ActionPage",
  "Actions in due-date order (then id); a cursor is a position in that order, so pages never repeat or skip an action when others are added",
);

export const ActionUpdateSchema = z
  .object({
    id: id(),
    at: timestamp(),
    author_name: z.string(),
    body: z.string(),
    status_to: z.enum(ACTION_STATUSES).nullable().describe("The status this update changed it to"),
  })
  .meta({ id: "ActionUpdate" });

export const ActionDetailSchema = z
  .object({
    ...actionFields,
    description: z.string().nullable().describe("Null when restricted"),
    outcome: z.string().nullable(),
    completed_at: timestamp().nullable(),
    created_at: timestamp(),
    version: z.number().int().min(1).describe("Send it back with an update (optimistic concurrency)"),
    updates: z.array(ActionUpdateSchema).describe("Newest first; empty when restricted"),
    update_count: z.number().int().min(0),
    can_update: z.boolean().describe("The token's user may post updates (a write token is needed too)"),
  })
  .meta({ id: "ActionDetail" });

export const actionPath = z.strictObject({ actionId: idParameter("Not found") });

export const actionListQuery = z
  .strictObject({
    q: z
      .string()
      .trim()
      .max(200, "Enter 200 characters or fewer")
      .optional()
      .describe('Words in the title, or a reference such as "ACT-42"'),
    board: idParameter("Enter a board's id").optional().describe("Actions of this board"),
    agency: idParameter("Enter an agency's id").optional().describe("Actions this agency leads or supports"),
    owner: z
      .string()
      .regex(/^(me|[1-9]\d{0,14})$/, 'Enter a person\'s id, or "me"')
      .optional()
      .describe('Actions this person owns; "me" for the token\'s user'),
    status: z
      .array(z.enum(ACTION_STATUSES))
      .optional()
      .describe("Any of these statuses (repeat the parameter)"),
    rag: z.array(z.enum(ACTION_RAGS)).optional().describe("Any of these RAGs (repeat the parameter)"),
    due_from: isoDateQuery("Due on or after"),
    due_to: isoDateQuery("Due on or before"),
    ...pageQuery,
  })
  .refine((q) => !q.due_from || !q.due_to || q.due_from <= q.due_to, {
    message: "due_to must be the same as or after due_from",
    path: ["due_to"],
  });

export const ActionUpdateRequestSchema = z
  .strictObject({
    body: z
      .string({ error: "Enter a progress update" })
      .trim()
      .min(1, "Enter a progress update")
      .max(
        MAX_UPDATE_LENGTH,
        `Enter a progress update of ${MAX_UPDATE_LENGTH.toLocaleString("en-GB")} characters or fewer`,
      )
      .describe("The progress update"),
    status: z
      .enum(ACTION_STATUSES, { error: `Choose one of ${ACTION_STATUSES.join(", ")}` })
      .optional()
      .describe("A new status; leave out to keep it"),
    outcome: z
      .string({ error: "Enter the outcome as text" })
      .trim()
      .max(
        MAX_OUTCOME_LENGTH,
        `Enter an outcome of ${MAX_OUTCOME_LENGTH.toLocaleString("en-GB")} characters or fewer`,
      )
      .optional()
      .describe("Needed when closing (done: what it achieved; dropped: why)"),
    version: z
      .number({ error: "Send the action's version, from GET /api/v1/actions/{actionId}" })
      .int("Send the action's version, from GET /api/v1/actions/{actionId}")
      .min(1, "Send the action's version, from GET /api/v1/actions/{actionId}")
      .describe("The version you read; the update is refused (409) if the action has changed since"),
  })
  .meta({ id: "ActionUpdateRequest" });
export type ActionUpdateRequest = z.output<typeof ActionUpdateRequestSchema>;

export const ActionUpdateResultSchema = z
  .object({
    update: ActionUpdateSchema,
    action: ActionDetailSchema,
  })
  .meta({ id: "ActionUpdateResult" });

// ── Plans ────────────────────────────────────────────────────────────────────────────────

export const PlanProgressSchema = z
  .object({
    linked: z.number().int().min(0).describe("Actions linked to it"),
    done: z.number().int().min(0),
    open: z.number().int().min(0).describe("Not started or in progress"),
    in_progress: z.number().int().min(0).describe("In progress (of those open)"),
    overdue: z.number().int().min(0).describe("Open and past their due date"),
    dropped: z.number().int().min(0),
    done_on_time: z
      .number()
      .int()
      .min(0)
      .describe("Done on or before their due date (of those done), for on-time completion"),
  })
  .meta({ id: "PlanProgress", description: "Progress from the actions linked to an objective" });

export const BoardPlanSchema = z
  .object({
    board_id: id(),
    periods: z
      .array(z.object({ id: id(), period: z.string() }))
      .describe("Every plan of the board, latest first"),
    plan: z
      .object({
        id: id(),
        period: z.string().describe('"2026/27"'),
        title: z.string(),
        starts_on: calendarDate(),
        ends_on: calendarDate(),
        priorities: z.array(
          z.object({
            id: id(),
            position: z.number().int().min(0),
            title: z.string(),
            objectives: z.array(
              z.object({
                id: id(),
                position: z.number().int().min(0),
                title: z.string(),
                measure: z.string(),
                target: z.string(),
                current_value: z.string(),
                rag: z.enum(["red", "amber", "green"]).nullable(),
                owner_agency: z.object({ id: id(), name: z.string() }).nullable(),
                progress: PlanProgressSchema,
              }),
            ),
          }),
        ),
      })
      .nullable()
      .describe("Null when the board has no plan (for that period)"),
  })
  .meta({ id: "BoardPlan" });

export const boardPlanQuery = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}\/\d{2}$/, "Enter a period like 2026/27")
    .optional()
    .describe("The plan for this period; by default the one covering today, else the latest"),
});

export const noQuery = z.strictObject({});
