import { type OrderByItemBuilder, sql } from "kysely";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import { offsetOf, type TableState } from "../components/table-state";
import type { PersonInput } from "./schemas";
import { changedFields, escapeLike, type Outcome } from "./shared.server";

/*
 * People: everyone who sits on boards, with their agency, grade (which prices their time),
 * job title and usual travel time. A person may or may not have a login. Callers check
 * can.administer first.
 */

export const PEOPLE_SORTS = ["name", "agency", "grade", "job_title", "travel"] as const;
export type PersonSort = (typeof PEOPLE_SORTS)[number];

export interface PeopleListQuery extends TableState<PersonSort> {
  /** Part of the person's name. */
  search?: string;
  agencyId?: number;
}

export interface PersonListRow {
  id: number;
  full_name: string;
  email: string | null;
  job_title: string | null;
  usual_travel_minutes: number;
  agency_id: number;
  agency_name: string;
  grade_name: string | null;
}

export async function listPeople(
  db: WorkspaceDb,
  query: PeopleListQuery,
): Promise<{ rows: PersonListRow[]; total: number }> {
  let base = db
    .selectFrom("people")
    .innerJoin("agencies", "agencies.id", "people.agency_id")
    .leftJoin("grades", "grades.id", "people.grade_id");
  if (query.search) base = base.where("people.full_name", "ilike", `%${escapeLike(query.search)}%`);
  if (query.agencyId !== undefined) base = base.where("people.agency_id", "=", query.agencyId);

  const rowsQuery = base.select([
    "people.id",
    "people.full_name",
    "people.email",
    "people.job_title",
    "people.usual_travel_minutes",
    "people.agency_id",
    "agencies.name as agency_name",
    "grades.name as grade_name",
  ]);
  const d = query.dir;
  // Those with no grade or job title come last going up, first going down (like PostgreSQL's default for desc).
  const nullsLastWhenAscending = (ob: OrderByItemBuilder) =>
    d === "asc" ? ob.asc().nullsLast() : ob.desc().nullsFirst();
  const byName = sql`lower(people.full_name)`;
  const sorted =
    query.sort === "agency"
      ? rowsQuery.orderBy(sql`lower(agencies.name)`, d).orderBy(byName, "asc")
      : query.sort === "grade"
        ? rowsQuery.orderBy(sql`lower(grades.name)`, nullsLastWhenAscending).orderBy(byName, "asc")
        : query.sort === "job_title"
          ? rowsQuery.orderBy(sql`lower(people.job_title)`, nullsLastWhenAscending).orderBy(byName, "asc")
          : query.sort === "travel"
            ? rowsQuery.orderBy("people.usual_travel_minutes", d).orderBy(byName, "asc")
            : rowsQuery.orderBy(byName, d);

  const [rows, count] = await Promise.all([
    sorted.orderBy("people.id", "asc").limit(query.pageSize).offset(offsetOf(query)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface PersonDetail {
  id: number;
  full_name: string;
  email: string | null;
  job_title: string | null;
  usual_travel_minutes: number;
  agency_id: number;
  agency_name: string;
  grade_id: number | null;
  grade_name: string | null;
  has_login: boolean;
}

export async function getPerson(db: WorkspaceDb, personId: number): Promise<PersonDetail | null> {
  const row = await db
    .selectFrom("people")
    .innerJoin("agencies", "agencies.id", "people.agency_id")
    .leftJoin("grades", "grades.id", "people.grade_id")
    .select([
      "people.id",
      "people.full_name",
      "people.email",
      "people.job_title",
      "people.usual_travel_minutes",
      "people.agency_id",
      "agencies.name as agency_name",
      "people.grade_id",
      "grades.name as grade_name",
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("workspace_users")
            .select("user_id")
            .whereRef("workspace_users.person_id", "=", "people.id"),
        )
        .as("has_login"),
    )
    .where("people.id", "=", personId)
    .executeTakeFirst();
  return row ? { ...row, has_login: Boolean(row.has_login) } : null;
}

type PersonField = keyof PersonInput;

/** The agency must be this workspace's; the grade, if any, must be one of that agency's. */
async function checkAgencyAndGrade(
  trx: WorkspaceDb,
  input: PersonInput,
): Promise<Partial<Record<PersonField, string[]>> | null> {
  const agency = await trx
    .selectFrom("agencies")
    .select(["id", "name"])
    .where("id", "=", input.agency_id)
    .executeTakeFirst();
  if (!agency) return { agency_id: ["Select the person's agency"] };
  if (input.grade_id === null) return null;
  const grade = await trx
    .selectFrom("grades")
    .select("id")
    .where("id", "=", input.grade_id)
    .where("agency_id", "=", input.agency_id)
    .executeTakeFirst();
  return grade ? null : { grade_id: [`Select one of ${agency.name}'s grades, or no grade`] };
}

export async function createPerson(
  db: WorkspaceDb,
  actor: AuditActor,
  input: PersonInput,
): Promise<Outcome<{ id: number }, PersonField>> {
  return inTransaction(db, async (trx) => {
    const problem = await checkAgencyAndGrade(trx, input);
    if (problem) return { ok: false, fieldErrors: problem } as const;
    const { id } = await trx
      .insertInto("people")
      .values({ workspace_id: workspaceIdOf(trx), ...input })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      event: "person.created",
      entityType: "person",
      entityId: id,
      changes: { ...input },
    });
    return { ok: true, id } as const;
  });
}

export async function updatePerson(
  db: WorkspaceDb,
  actor: AuditActor,
  personId: number,
  input: PersonInput,
): Promise<Outcome<object, PersonField>> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("people")
      .select(["full_name", "email", "agency_id", "grade_id", "job_title", "usual_travel_minutes"])
      .where("id", "=", personId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return { ok: false, notFound: true } as const;
    const problem = await checkAgencyAndGrade(trx, input);
    if (problem) return { ok: false, fieldErrors: problem } as const;
    const changes = changedFields(before, input);
    if (Object.keys(changes).length === 0) return { ok: true } as const;
    await trx
      .updateTable("people")
      .set({ ...input, updated_at: new Date() })
      .where("id", "=", personId)
      .execute();
    await recordAudit(trx, actor, {
      event: "person.updated",
      entityType: "person",
      entityId: personId,
      changes,
    });
    return { ok: true } as const;
  });
}
