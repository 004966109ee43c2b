import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as editBoard from "~/routes/boards.$boardId_.edit";
import * as members from "~/routes/boards.$boardId_.members";
import * as newBoard from "~/routes/boards.new";
import { insertAgency, insertBoard, insertPerson } from "../factories";
import { callRoute, fieldErrors, type RouteModule } from "../routes";
import { type AdminFixture, adminFixture, auditEvents } from "./admin-fixture";

/*
 * Adding, editing and archiving boards and managing their members, through the routes:
 * admins add and archive, whoever runs the board edits it and its membership, refusals
 * write nothing, and every change is in the audit trail.
 */

let f: AdminFixture;
const edit = editBoard as unknown as RouteModule;
const membersRoute = members as unknown as RouteModule;
let policeId: number;
let probationId: number;
let constableId: number;
let officerId: number;

beforeAll(async () => {
  f = await adminFixture("boardadmin");
  useDatabaseForTests(f.handle);
  const root = f.handle.db;
  policeId = (await insertAgency(root, f.ws, { name: "Northshire Police", type: "police" })).id;
  probationId = (await insertAgency(root, f.ws, { name: "Probation Service", type: "probation" })).id;
  constableId = (
    await insertPerson(root, f.ws, { agency_id: policeId, full_name: "Chief Constable Jo Ames" })
  ).id;
  officerId = (await insertPerson(root, f.ws, { agency_id: probationId, full_name: "Sam Patel" })).id;
});
afterAll(() => f.handle.close());

const boardForm = (overrides: Record<string, string> = {}) => ({
  name: "Northshire Community Safety Partnership",
  slug: "",
  type: "csp",
  level: "local",
  terms_of_reference: "To reduce crime and disorder in Northshire.",
  quorum: "3",
  default_duration_minutes: "90",
  preparation_minutes: "45",
  frequency: "quarterly",
  visibility: "public",
  sensitive_items_public: "restricted",
  ...overrides,
});

async function count(table: "boards" | "memberships" | "audit_events"): Promise<number> {
  const row = await f.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function addBoard(form: Record<string, string>) {
  return callRoute(newBoard, { method: "POST", path: "/boards/new", cookie: f.cookies.admin, form });
}

describe("adding a board", () => {
  it("creates the board with a short name made from its name, and audits it", async () => {
    const outcome = await addBoard(boardForm());
    expect(outcome.status).toBe(302);
    const id = Number(/^\/boards\/(\d+)$/.exec(outcome.location ?? "")?.[1]);
    const board = await f.db.selectFrom("boards").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(board).toMatchObject({
      name: "Northshire Community Safety Partnership",
      slug: "northshire-community-safety-partnership",
      type: "csp",
      quorum: 3,
      default_duration_minutes: 90,
      preparation_minutes: 45,
      frequency: "quarterly",
      archived_at: null,
    });
    const [event] = await auditEvents(f.db, "board.created");
    expect(event).toMatchObject({
      entity_type: "board",
      entity_id: String(id),
      actor_label: "admin@boardadmin.test",
    });
  });

  it("refuses a short name another board uses, beside the field, keeping the input and writing nothing", async () => {
    const before = await Promise.all([count("boards"), count("audit_events")]);
    const outcome = await addBoard(
      boardForm({ name: "Another CSP", slug: "northshire-community-safety-partnership" }),
    );
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body, "slug")).toEqual([
      "Another board already uses this short name; choose a different one",
    ]);
    expect((outcome.body as { initialValue: Record<string, string> }).initialValue.name).toBe("Another CSP");
    expect(await Promise.all([count("boards"), count("audit_events")])).toEqual(before);
  });

  it("explains each bad field: no name, an absurd quorum, a length that is not a number", async () => {
    const outcome = await addBoard(
      boardForm({ name: "  ", quorum: "500", default_duration_minutes: "ninety", preparation_minutes: "-5" }),
    );
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body, "name")).toEqual(["Enter the board's name"]);
    expect(fieldErrors(outcome.body, "quorum")).toEqual(["The quorum must be between 0 and 100"]);
    expect(fieldErrors(outcome.body, "default_duration_minutes")).toEqual([
      "Enter the usual meeting length as a whole number",
    ]);
    expect(fieldErrors(outcome.body, "preparation_minutes")).toEqual([
      "The preparation time must be between 0 minutes and 2,400 minutes",
    ]);
  });

  it("is not there for a leader or a secretary", async () => {
    for (const role of ["leader", "secretary"] as const) {
      const outcome = await callRoute(newBoard, {
        method: "POST",
        path: "/boards/new",
        cookie: f.cookies[role],
        form: boardForm({ name: `By ${role}`, slug: `by-${role}` }),
      });
      expect(outcome.status).toBe(404);
    }
    expect(await f.db.selectFrom("boards").select("id").where("slug", "like", "by-%").execute()).toEqual([]);
  });
});

describe("editing a board", () => {
  const path = () => `/boards/${f.boardId}/edit`;
  const params = () => ({ boardId: String(f.boardId) });

  it("lets the board's secretary change its details, auditing only what changed", async () => {
    const outcome = await callRoute(edit, {
      method: "POST",
      path: path(),
      params: params(),
      cookie: f.cookies.secretary,
      form: boardForm({ name: "Local Criminal Justice Board", slug: "lcjb", type: "lcjb", quorum: "4" }),
    });
    expect(outcome).toMatchObject({ status: 302, location: `/boards/${f.boardId}` });
    const board = await f.db
      .selectFrom("boards")
      .selectAll()
      .where("id", "=", f.boardId)
      .executeTakeFirstOrThrow();
    expect(board).toMatchObject({ quorum: 4, frequency: "quarterly", preparation_minutes: 45 });
    const events = await auditEvents(f.db, "board.updated");
    const last = events.at(-1);
    expect(last?.changes).toMatchObject({ quorum: [0, 4], frequency: ["bimonthly", "quarterly"] });
    expect(last?.changes).not.toHaveProperty("name");
  });

  it("does not let a member edit, nor the secretary archive", async () => {
    const asMember = await callRoute(edit, {
      method: "POST",
      path: path(),
      params: params(),
      cookie: f.cookies.member,
      form: boardForm({ name: "Renamed by a member", slug: "lcjb", type: "lcjb" }),
    });
    expect(asMember.status).toBe(404);
    const archive = await callRoute(edit, {
      method: "POST",
      path: path(),
      params: params(),
      cookie: f.cookies.secretary,
      form: { intent: "archive" },
    });
    expect(archive.status).toBe(404);
    const board = await f.db
      .selectFrom("boards")
      .select(["name", "archived_at"])
      .where("id", "=", f.boardId)
      .executeTakeFirstOrThrow();
    expect(board).toEqual({ name: "Local Criminal Justice Board", archived_at: null });
  });

  it("lets an admin archive a board and bring it back", async () => {
    const spare = (await insertBoard(f.handle.db, f.ws, { name: "Old Reducing Reoffending Group" })).id;
    const post = (intent: string) =>
      callRoute(edit, {
        method: "POST",
        path: `/boards/${spare}/edit`,
        params: { boardId: String(spare) },
        cookie: f.cookies.admin,
        form: { intent },
      });
    expect((await post("archive")).status).toBe(302);
    const archived = await f.db
      .selectFrom("boards")
      .select("archived_at")
      .where("id", "=", spare)
      .executeTakeFirstOrThrow();
    expect(archived.archived_at).toBeInstanceOf(Date);
    expect((await post("unarchive")).status).toBe(302);
    const back = await f.db
      .selectFrom("boards")
      .select("archived_at")
      .where("id", "=", spare)
      .executeTakeFirstOrThrow();
    expect(back.archived_at).toBeNull();
    expect((await auditEvents(f.db, "board.archived")).map((e) => e.entity_id)).toContain(String(spare));
    expect((await auditEvents(f.db, "board.unarchived")).map((e) => e.entity_id)).toContain(String(spare));
  });

  it("does not exist for another workspace's admin", async () => {
    const foreign = (await insertBoard(f.handle.db, f.otherWs, { name: "Elsewhere board" })).id;
    const outcome = await callRoute(edit, {
      path: `/boards/${foreign}/edit`,
      params: { boardId: String(foreign) },
      cookie: f.cookies.admin,
    });
    expect(outcome.status).toBe(404);
  });
});

describe("membership", () => {
  const post = (form: Record<string, string>, role: "admin" | "secretary" | "member" = "secretary") =>
    callRoute(membersRoute, {
      method: "POST",
      path: `/boards/${f.boardId}/members`,
      params: { boardId: String(f.boardId) },
      cookie: f.cookies[role],
      form,
    });

  it("adds a member representing their own agency unless another is chosen", async () => {
    const outcome = await post({
      intent: "add",
      person_id: String(constableId),
      role: "chair",
      from_date: "2026-04-01",
    });
    expect(outcome.status).toBe(302);
    const row = await f.db
      .selectFrom("memberships")
      .select(["agency_id", "role", "from_date", "to_date"])
      .where("board_id", "=", f.boardId)
      .where("person_id", "=", constableId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ agency_id: policeId, role: "chair", from_date: "2026-04-01", to_date: null });

    const listed = await callRoute(membersRoute, {
      path: `/boards/${f.boardId}/members`,
      params: { boardId: String(f.boardId) },
      cookie: f.cookies.secretary,
    });
    const { memberships } = listed.body as { memberships: { personName: string; agencyName: string }[] };
    expect(memberships).toContainEqual(
      expect.objectContaining({ personName: "Chief Constable Jo Ames", agencyName: "Northshire Police" }),
    );
  });

  it("refuses overlapping dates for the same person, and an end before the start", async () => {
    const before = await Promise.all([count("memberships"), count("audit_events")]);
    const overlap = await post({
      intent: "add",
      person_id: String(constableId),
      role: "member",
      from_date: "2026-10-01",
      to_date: "2027-03-31",
    });
    expect(overlap.status).toBe(400);
    expect(fieldErrors((overlap.body as { add: unknown }).add, "from_date")).toEqual([
      "This person is already a member of the board for some of these dates",
    ]);
    const backwards = await post({
      intent: "add",
      person_id: String(officerId),
      role: "member",
      from_date: "2026-10-01",
      to_date: "2026-09-30",
    });
    expect(backwards.status).toBe(400);
    expect(fieldErrors((backwards.body as { add: unknown }).add, "to_date")).toEqual([
      "The end date must be the same as or after the start date",
    ]);
    expect(await Promise.all([count("memberships"), count("audit_events")])).toEqual(before);
  });

  it("refuses a person from another workspace as if they did not exist", async () => {
    const foreignAgency = f.foreignAgencyId;
    const stranger = (await insertPerson(f.handle.db, f.otherWs, { agency_id: foreignAgency })).id;
    const outcome = await post({
      intent: "add",
      person_id: String(stranger),
      role: "member",
      from_date: "2026-04-01",
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors((outcome.body as { add: unknown }).add, "person_id")).toEqual(["Select the person"]);
  });

  it("ends a membership, then a later one may start; ending before it began is refused", async () => {
    const membership = await f.db
      .selectFrom("memberships")
      .select("id")
      .where("board_id", "=", f.boardId)
      .where("person_id", "=", constableId)
      .executeTakeFirstOrThrow();
    const early = await post({ intent: "end", membership_id: String(membership.id), to_date: "2026-03-01" });
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({
      end: { errors: { to_date: ["The end date must be the same as or after the start date"] } },
    });
    expect(
      (await post({ intent: "end", membership_id: String(membership.id), to_date: "2026-09-30" })).status,
    ).toBe(302);
    const again = await post({
      intent: "add",
      person_id: String(constableId),
      role: "member",
      from_date: "2026-10-01",
    });
    expect(again.status).toBe(302);
    const rows = await f.db
      .selectFrom("memberships")
      .select(["role", "from_date", "to_date"])
      .where("board_id", "=", f.boardId)
      .where("person_id", "=", constableId)
      .orderBy("from_date")
      .execute();
    expect(rows).toEqual([
      { role: "chair", from_date: "2026-04-01", to_date: "2026-09-30" },
      { role: "member", from_date: "2026-10-01", to_date: null },
    ]);
  });

  it("removes a membership; a member of the board may not touch the list", async () => {
    const added = await post({
      intent: "add",
      person_id: String(officerId),
      role: "adviser",
      from_date: "2026-05-01",
    });
    expect(added.status).toBe(302);
    const { id } = await f.db
      .selectFrom("memberships")
      .select("id")
      .where("person_id", "=", officerId)
      .executeTakeFirstOrThrow();
    expect((await post({ intent: "remove", membership_id: String(id) }, "member")).status).toBe(404);
    expect(
      await f.db.selectFrom("memberships").select("id").where("id", "=", id).executeTakeFirst(),
    ).toBeDefined();
    expect((await post({ intent: "remove", membership_id: String(id) })).status).toBe(302);
    expect(
      await f.db.selectFrom("memberships").select("id").where("id", "=", id).executeTakeFirst(),
    ).toBeUndefined();
    const [removed] = (await auditEvents(f.db, "membership.removed")).slice(-1);
    expect(removed?.changes).toMatchObject({ person_id: officerId, role: "adviser" });
  });
});
