import { sql } from "kysely";
import type { AgencyType, IsoDate } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import { offsetOf, type TableState } from "../components/table-state";
import { hourlyCostPence } from "../costs/cost-model";
import { londonDate } from "../format";
import type { AgencyInput, GradeInput, RateInput } from "./schemas";
import { getSettings } from "./settings.server";
import { changedFields, escapeLike, type Outcome, uniqueViolation } from "./shared.server";

/*
 * Agencies and their rate cards. A rate card is the agency's grades, each with a history of
 * annual salaries by effective-from date: a new salary is added from a date, never written
 * over an old one, so a meeting is always costed at the rate in force on its day
 * (app/costs/costs.server.ts).
 *
 * Every function takes the viewer's workspace-scoped handle; every change runs in one
 * transaction with its audit event. Callers check permissions (can.seeSalaries to read,
 * can.administer to change) before calling.
 */

// ── Lists ────────────────────────────────────────────────────────────────────────────────

export const AGENCY_SORTS = ["name", "type", "people", "grades"] as const;
export type AgencySort = (typeof AGENCY_SORTS)[number];

export interface AgencyListQuery extends TableState<AgencySort> {
  /** Part of the name or short name. */
  search?: string;
  type?: AgencyType;
}

export interface AgencyListRow {
  id: number;
  name: string;
  short_name: string | null;
  type: AgencyType;
  on_cost_pct: number | null;
  overhead_pct: number | null;
  mileage_pence: number | null;
  people_count: number;
  grades_count: number;
}

/** One page of agencies with their counts of people and grades (one query for the page, one for the total). */
export async function listAgencies(
  db: WorkspaceDb,
  query: AgencyListQuery,
): Promise<{ rows: AgencyListRow[]; total: number }> {
  let base = db.selectFrom("agencies");
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    base = base.where((eb) =>
      eb.or([eb("agencies.name", "ilike", pattern), eb("agencies.short_name", "ilike", pattern)]),
    );
  }
  if (query.type) base = base.where("agencies.type", "=", query.type);

  const rowsQuery = base
    .select([
      "agencies.id",
      "agencies.name",
      "agencies.short_name",
      "agencies.type",
      "agencies.on_cost_pct",
      "agencies.overhead_pct",
      "agencies.mileage_pence",
    ])
    .select((eb) => [
      eb
        .selectFrom("people")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("people.agency_id", "=", "agencies.id")
        .as("people_count"),
      eb
        .selectFrom("grades")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("grades.agency_id", "=", "agencies.id")
        .as("grades_count"),
    ]);
  const direction = query.dir;
  const sorted =
    query.sort === "type"
      ? rowsQuery.orderBy("agencies.type", direction).orderBy(sql`lower(agencies.name)`, "asc")
      : query.sort === "people"
        ? rowsQuery.orderBy("people_count", direction).orderBy(sql`lower(agencies.name)`, "asc")
        : query.sort === "grades"
          ? rowsQuery.orderBy("grades_count", direction).orderBy(sql`lower(agencies.name)`, "asc")
          : rowsQuery.orderBy(sql`lower(agencies.name)`, direction);

  const [rows, count] = await Promise.all([
    sorted.orderBy("agencies.id", "asc").limit(query.pageSize).offset(offsetOf(query)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({
      ...r,
      people_count: Number(r.people_count ?? 0),
      grades_count: Number(r.grades_count ?? 0),
    })),
    total: Number(count.n),
  };
}

/** Every agency's id and name, for select lists and filters. */
export async function agencyOptions(db: WorkspaceDb): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom("agencies")
    .select(["id", "name"])
    .where("archived_at", "is", null)
    .orderBy(sql`lower(name)`)
    .execute();
}

// ── One agency and its rate card ─────────────────────────────────────────────────────────

export interface RateHistoryEntry {
  id: number;
  effective_from: IsoDate;
  annual_salary_pence: number;
  /** In force today, replaced by a later one, or not yet in force. */
  status: "current" | "past" | "scheduled";
  hourly_cost_pence: number;
}

export interface RateCardGrade {
  id: number;
  name: string;
  people_count: number;
  current: RateHistoryEntry | null;
  /** Newest first. */
  history: RateHistoryEntry[];
}

export interface AgencyDetail {
  agency: {
    id: number;
    name: string;
    short_name: string | null;
    type: AgencyType;
    on_cost_pct: number | null;
    overhead_pct: number | null;
    mileage_pence: number | null;
  };
  /** The rates that apply: the agency's own, or the workspace defaults. */
  effective: {
    on_cost_pct: number;
    overhead_pct: number;
    mileage_pence: number;
    annual_working_hours: number;
  };
  defaults: { on_cost_pct: number; overhead_pct: number; mileage_pence: number };
  grades: RateCardGrade[];
  today: IsoDate;
}

export async function getAgency(
  db: WorkspaceDb,
  agencyId: number,
  now: Date = new Date(),
): Promise<AgencyDetail | null> {
  const agency = await db
    .selectFrom("agencies")
    .select(["id", "name", "short_name", "type", "on_cost_pct", "overhead_pct", "mileage_pence"])
    .where("id", "=", agencyId)
    .executeTakeFirst();
  if (!agency) return null;
  const [settings, grades, rates] = await Promise.all([
    getSettings(db),
    db
      .selectFrom("grades")
      .select(["grades.id", "grades.name"])
      .select((eb) =>
        eb
          .selectFrom("people")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("people.grade_id", "=", "grades.id")
          .as("people_count"),
      )
      .where("grades.agency_id", "=", agencyId)
      .orderBy("grades.position")
      .orderBy(sql`lower(grades.name)`)
      .execute(),
    db
      .selectFrom("grade_rates")
      .innerJoin("grades", "grades.id", "grade_rates.grade_id")
      .select([
        "grade_rates.id",
        "grade_rates.grade_id",
        "grade_rates.effective_from",
        "grade_rates.annual_salary_pence",
      ])
      .where("grades.agency_id", "=", agencyId)
      .orderBy("grade_rates.effective_from", "desc")
      .execute(),
  ]);
  const effective = {
    on_cost_pct: agency.on_cost_pct ?? settings.default_on_cost_pct,
    overhead_pct: agency.overhead_pct ?? settings.default_overhead_pct,
    mileage_pence: agency.mileage_pence ?? settings.default_mileage_pence,
    annual_working_hours: settings.annual_working_hours,
  };
  const today = londonDate(now);
  const hourly = (salary: number) =>
    hourlyCostPence({
      annualSalaryPence: salary,
      onCostPct: effective.on_cost_pct,
      overheadPct: effective.overhead_pct,
      annualWorkingHours: effective.annual_working_hours,
    });
  return {
    agency,
    effective,
    defaults: {
      on_cost_pct: settings.default_on_cost_pct,
      overhead_pct: settings.default_overhead_pct,
      mileage_pence: settings.default_mileage_pence,
    },
    today,
    grades: grades.map((grade) => {
      // Newest first: the first one on or before today is in force; those before it are past.
      let currentSeen = false;
      const history: RateHistoryEntry[] = rates
        .filter((r) => r.grade_id === grade.id)
        .map((r) => {
          let status: RateHistoryEntry["status"];
          if (r.effective_from > today) status = "scheduled";
          else if (!currentSeen) {
            status = "current";
            currentSeen = true;
          } else status = "past";
          return {
            id: r.id,
            effective_from: r.effective_from,
            annual_salary_pence: r.annual_salary_pence,
            status,
            hourly_cost_pence: hourly(r.annual_salary_pence),
          };
        });
      return {
        id: grade.id,
        name: grade.name,
        people_count: Number(grade.people_count ?? 0),
        current: history.find((h) => h.status === "current") ?? null,
        history,
      };
    }),
  };
}

/** Grades of every agency, for the person form's grade list. */
export async function gradeOptions(
  db: WorkspaceDb,
): Promise<{ id: number; name: string; agency_id: number }[]> {
  return db
    .selectFrom("grades")
    .select(["id", "name", "agency_id"])
    .orderBy("agency_id")
    .orderBy("position")
    .orderBy(sql`lower(name)`)
    .execute();
}

// ── Changes ──────────────────────────────────────────────────────────────────────────────

type AgencyField = keyof AgencyInput;

function duplicateAgency(name: string): Partial<Record<AgencyField, string[]>> {
  return { name: [`An agency called ${name} already exists`] };
}

async function agencyNameTaken(trx: WorkspaceDb, name: string, exceptId?: number): Promise<boolean> {
  let query = trx
    .selectFrom("agencies")
    .select("id")
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createAgency(
  db: WorkspaceDb,
  actor: AuditActor,
  input: AgencyInput,
): Promise<Outcome<{ id: number }, AgencyField>> {
  try {
    return await inTransaction(db, async (trx) => {
      if (await agencyNameTaken(trx, input.name)) {
        return { ok: false, fieldErrors: duplicateAgency(input.name) } as const;
      }
      const { id } = await trx
        .insertInto("agencies")
        .values({ workspace_id: workspaceIdOf(trx), ...input })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        event: "agency.created",
        entityType: "agency",
        entityId: id,
        changes: { ...input },
      });
      return { ok: true, id } as const;
    });
  } catch (error) {
    // Two people adding the same name at once: the unique index decides.
    if (uniqueViolation(error) !== null) return { ok: false, fieldErrors: duplicateAgency(input.name) };
    throw error;
  }
}

export async function updateAgency(
  db: WorkspaceDb,
  actor: AuditActor,
  agencyId: number,
  input: AgencyInput,
): Promise<Outcome<object, AgencyField>> {
  try {
    return await inTransaction(db, async (trx) => {
      const before = await trx
        .selectFrom("agencies")
        .select(["name", "short_name", "type", "on_cost_pct", "overhead_pct", "mileage_pence"])
        .where("id", "=", agencyId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) return { ok: false, notFound: true } as const;
      if (await agencyNameTaken(trx, input.name, agencyId)) {
        return { ok: false, fieldErrors: duplicateAgency(input.name) } as const;
      }
      const changes = changedFields(before, input);
      if (Object.keys(changes).length === 0) return { ok: true } as const;
      await trx
        .updateTable("agencies")
        .set({ ...input, updated_at: new Date() })
        .where("id", "=", agencyId)
        .execute();
      await recordAudit(trx, actor, {
        event: "agency.updated",
        entityType: "agency",
        entityId: agencyId,
        changes,
      });
      return { ok: true } as const;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) return { ok: false, fieldErrors: duplicateAgency(input.name) };
    throw error;
  }
}

type GradeField = keyof GradeInput;

function duplicateGrade(name: string): Partial<Record<GradeField, string[]>> {
  return { name: [`This agency already has a grade called ${name}`] };
}

/** Adds a grade to an agency's rate card with its first salary. */
export async function addGrade(
  db: WorkspaceDb,
  actor: AuditActor,
  agencyId: number,
  input: GradeInput,
): Promise<Outcome<{ id: number }, GradeField>> {
  try {
    return await inTransaction(db, async (trx) => {
      const agency = await trx
        .selectFrom("agencies")
        .select(["id", "name"])
        .where("id", "=", agencyId)
        .forUpdate()
        .executeTakeFirst();
      if (!agency) return { ok: false, notFound: true } as const;
      const existing = await trx
        .selectFrom("grades")
        .select(["name"])
        .select(sql<number>`coalesce(max(position) over (), 0)`.as("max_position"))
        .where("agency_id", "=", agencyId)
        .execute();
      if (existing.some((g) => g.name.toLowerCase() === input.name.toLowerCase())) {
        return { ok: false, fieldErrors: duplicateGrade(input.name) } as const;
      }
      const position = Number(existing[0]?.max_position ?? 0) + 1;
      const workspace_id = workspaceIdOf(trx);
      const grade = await trx
        .insertInto("grades")
        .values({ workspace_id, agency_id: agencyId, name: input.name, position })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("grade_rates")
        .values({
          workspace_id,
          grade_id: grade.id,
          effective_from: input.effective_from,
          annual_salary_pence: input.annual_salary_pence,
        })
        .execute();
      await recordAudit(trx, actor, {
        event: "grade.created",
        entityType: "grade",
        entityId: grade.id,
        changes: {
          agency_id: agencyId,
          agency: agency.name,
          name: input.name,
          annual_salary_pence: input.annual_salary_pence,
          effective_from: input.effective_from,
        },
      });
      return { ok: true, id: grade.id } as const;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) return { ok: false, fieldErrors: duplicateGrade(input.name) };
    throw error;
  }
}

type RateField = keyof RateInput;

export type RateOutcome =
  | Outcome<{ id: number }, RateField>
  /** The date is in the past and meetings already held would be re-priced: ask to confirm. */
  | {
      ok: false;
      notFound?: false;
      needsConfirmation: true;
      heldMeetings: number;
      fieldErrors: Partial<Record<RateField, string[]>>;
    };

/**
 * Adds a salary to a grade from a date. History is never written over: a second salary on
 * the same date is refused. A date in the past that would re-price meetings already held
 * is refused unless the admin confirms it (a back-dated pay award is real, but never silent).
 */
export async function addRate(
  db: WorkspaceDb,
  actor: AuditActor,
  agencyId: number,
  input: RateInput,
  now: Date = new Date(),
): Promise<RateOutcome> {
  const sameDate = (gradeName: string): Partial<Record<RateField, string[]>> => ({
    effective_from: [
      `${gradeName} already has a salary from that date. Choose another date: history is never written over`,
    ],
  });
  try {
    return await inTransaction(db, async (trx): Promise<RateOutcome> => {
      const grade = await trx
        .selectFrom("grades")
        .innerJoin("agencies", "agencies.id", "grades.agency_id")
        .select(["grades.id", "grades.name", "agencies.name as agency_name"])
        .where("grades.id", "=", input.grade_id)
        .where("grades.agency_id", "=", agencyId)
        .forUpdate()
        .executeTakeFirst();
      if (!grade) {
        const agency = await trx
          .selectFrom("agencies")
          .select("id")
          .where("id", "=", agencyId)
          .executeTakeFirst();
        if (!agency) return { ok: false, notFound: true };
        return { ok: false, fieldErrors: { grade_id: ["Select one of this agency's grades"] } };
      }
      const rates = await trx
        .selectFrom("grade_rates")
        .select(["effective_from", "annual_salary_pence"])
        .where("grade_id", "=", grade.id)
        .orderBy("effective_from", "desc")
        .execute();
      if (rates.some((r) => r.effective_from === input.effective_from)) {
        return { ok: false, fieldErrors: sameDate(grade.name) };
      }
      const today = londonDate(now);
      if (input.effective_from < today && input.confirm_backdate !== "yes") {
        // Re-priced: meetings from the new date until the next salary already on record, or today.
        const next = rates.filter((r) => r.effective_from > input.effective_from).at(-1)?.effective_from;
        const until = next !== undefined && next < today ? next : today;
        const heldMeetings = await countMeetingsRepriced(trx, grade.id, input.effective_from, until);
        if (heldMeetings > 0) {
          return {
            ok: false,
            needsConfirmation: true,
            heldMeetings,
            fieldErrors: {
              confirm_backdate: [
                `This date is in the past: the new salary changes the cost of ${heldMeetings} ${
                  heldMeetings === 1 ? "meeting" : "meetings"
                } already held. Confirm that you want to re-price them, or choose a later date`,
              ],
            },
          };
        }
      }
      const previous = rates.find((r) => r.effective_from < input.effective_from);
      const { id } = await trx
        .insertInto("grade_rates")
        .values({
          workspace_id: workspaceIdOf(trx),
          grade_id: grade.id,
          effective_from: input.effective_from,
          annual_salary_pence: input.annual_salary_pence,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        event: "grade_rate.created",
        entityType: "grade",
        entityId: grade.id,
        changes: {
          agency: grade.agency_name,
          grade: grade.name,
          effective_from: input.effective_from,
          annual_salary_pence: input.annual_salary_pence,
          previous_annual_salary_pence: previous?.annual_salary_pence ?? null,
          previous_effective_from: previous?.effective_from ?? null,
          backdated: input.effective_from < today,
        },
      });
      return { ok: true, id };
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) {
      return {
        ok: false,
        fieldErrors: {
          effective_from: ["That grade already has a salary from that date. Choose another date"],
        },
      };
    }
    throw error;
  }
}

/**
 * Meetings not cancelled, on days from `from` up to (not including) `until` (London dates),
 * at which someone of this grade was costed (attended, or came as a deputy).
 */
async function countMeetingsRepriced(
  trx: WorkspaceDb,
  gradeId: number,
  from: IsoDate,
  until: IsoDate,
): Promise<number> {
  const meetingDay = sql<string>`(meetings.starts_at at time zone 'Europe/London')::date`;
  const row = await trx
    .selectFrom("attendance")
    .innerJoin("meetings", "meetings.id", "attendance.meeting_id")
    .innerJoin("people", (join) =>
      join.on(sql<boolean>`people.id = coalesce(attendance.deputy_person_id, attendance.person_id)`),
    )
    .select(sql<number>`count(distinct meetings.id)`.as("n"))
    .where("people.grade_id", "=", gradeId)
    .where("attendance.status", "in", ["attended", "deputy"])
    .where("meetings.status", "<>", "cancelled")
    .where(meetingDay, ">=", from)
    .where(meetingDay, "<", until)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ── Rate-card export ─────────────────────────────────────────────────────────────────────

export interface RateCardExportRow {
  agency: string;
  grade: string;
  effective_from: IsoDate;
  annual_salary_pence: number;
  hourly_cost_pence: number;
}

/**
 * Every salary of every grade, in history order. The hourly cost is worked out with the
 * agency's on-cost and overhead (or the workspace defaults) and the workspace's working hours.
 */
export async function rateCardExport(db: WorkspaceDb): Promise<RateCardExportRow[]> {
  const [settings, rows] = await Promise.all([
    getSettings(db),
    db
      .selectFrom("grade_rates")
      .innerJoin("grades", "grades.id", "grade_rates.grade_id")
      .innerJoin("agencies", "agencies.id", "grades.agency_id")
      .select([
        "agencies.name as agency",
        "agencies.on_cost_pct",
        "agencies.overhead_pct",
        "grades.name as grade",
        "grade_rates.effective_from",
        "grade_rates.annual_salary_pence",
      ])
      .orderBy(sql`lower(agencies.name)`)
      .orderBy("agencies.id")
      .orderBy("grades.position")
      .orderBy(sql`lower(grades.name)`)
      .orderBy("grade_rates.effective_from")
      .execute(),
  ]);
  return rows.map((r) => ({
    agency: r.agency,
    grade: r.grade,
    effective_from: r.effective_from,
    annual_salary_pence: r.annual_salary_pence,
    hourly_cost_pence: hourlyCostPence({
      annualSalaryPence: r.annual_salary_pence,
      onCostPct: r.on_cost_pct ?? settings.default_on_cost_pct,
      overheadPct: r.overhead_pct ?? settings.default_overhead_pct,
      annualWorkingHours: settings.annual_working_hours,
    }),
  }));
}
