import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import type { DeclarationsPage } from "~/declarations/declarations.server";
import * as declarationsRoute from "~/routes/meetings.$meetingId.declarations";
import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertAttendance,
  insertBoard,
  insertMeeting,
  insertMembership,
  insertPerson,
  insertUser,
  insertWorkspace,
} from "../factories";
import { callRoute, fieldErrors, type RouteModule, signedIn } from "../routes";

/*
 * Declarations of interest at a meeting: a person's interests are kept once and offered at
 * the meetings of every board they sit on; declarations are recorded against agenda items
 * (or the whole meeting), checked, audited, removable; members and other workspaces get 404.
 */

const route = declarationsRoute as unknown as RouteModule;

let handle: DatabaseHandle;
let db: WorkspaceDb;
const ids: Record<string, number> = {};
const cookies: Record<string, string> = {};

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const raw = handle.db;
  const ws = (await insertWorkspace(raw, { slug: "declare", name: "Declare" })).id;
  db = scopeToWorkspace(raw, ws);
  const agency = (await insertAgency(raw, ws, { name: "Council", type: "local_authority" })).id;
  ids.ann = (await insertPerson(raw, ws, { full_name: "Ann Councillor", agency_id: agency })).id;
  ids.bob = (await insertPerson(raw, ws, { full_name: "Bob Other", agency_id: agency })).id;
  ids.lcjb = (await insertBoard(raw, ws, { name: "LCJB" })).id;
  ids.csp = (await insertBoard(raw, ws, { name: "CSP" })).id;
  for (const board of [ids.lcjb, ids.csp]) {
    await insertMembership(raw, ws, { board_id: board, person_id: ids.ann, agency_id: agency });
  }
  // Ann's register of interests, kept once.
  const interest = async (description: string, declared_on: string, ended_on: string | null) =>
    (
      await db
        .insertInto("interests")
        .values({ workspace_id: ws, person_id: ids.ann!, description, declared_on, ended_on })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.trustee = await interest("Trustee of Safer Streets charity", "2025-01-01", null);
  ids.ended = await interest("Director of an old company", "2020-01-01", "2024-12-31");
  ids.bobInterest = (
    await db
      .insertInto("interests")
      .values({ workspace_id: ws, person_id: ids.bob!, description: "Bob's", declared_on: "2025-01-01" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const meeting = async (board: number) => {
    const id = (await insertMeeting(raw, ws, { board_id: board, starts_at: "2026-10-01T09:00:00Z" })).id;
    await insertAttendance(raw, ws, { meeting_id: id, person_id: ids.ann! });
    return id;
  };
  ids.meeting = await meeting(ids.lcjb);
  ids.cspMeeting = await meeting(ids.csp);
  ids.item = (
    await db
      .insertInto("agenda_items")
      .values({
        workspace_id: ws,
        meeting_id: ids.meeting!,
        position: 3,
        title: "Grants to charities",
        purpose: "decision",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  ids.otherItem = (
    await db
      .insertInto("agenda_items")
      .values({
        workspace_id: ws,
        meeting_id: ids.cspMeeting!,
        position: 1,
        title: "Elsewhere",
        purpose: "decision",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;

  const admin = await insertUser(raw, ws, { email: "admin@declare.test" }, [{ role: "admin" }]);
  const member = await insertUser(raw, ws, { email: "member@declare.test" }, [
    { role: "member", board_id: ids.lcjb },
  ]);
  cookies.admin = await signedIn(raw, admin.id, ws);
  cookies.member = await signedIn(raw, member.id, ws);
  const other = (await insertWorkspace(raw, { slug: "declare-elsewhere" })).id;
  const outsider = await insertUser(raw, other, { email: "admin@declare-elsewhere.test" }, [
    { role: "admin" },
  ]);
  cookies.outsider = await signedIn(raw, outsider.id, other);
});
afterAll(() => handle.close());

function get(meetingId = ids.meeting!, cookie = cookies.admin) {
  return callRoute(route, {
    path: `/meetings/${meetingId}/declarations`,
    params: { meetingId: String(meetingId) },
    cookie,
  });
}

function post(form: Record<string, string>, cookie = cookies.admin, meetingId = ids.meeting!) {
  return callRoute(route, {
    method: "POST",
    path: `/meetings/${meetingId}/declarations`,
    params: { meetingId: String(meetingId) },
    cookie,
    form,
  });
}

describe("declarations of interest", () => {
  it("offers each person's current registered interests at the meetings of every board they sit on", async () => {
    for (const meetingId of [ids.meeting!, ids.cspMeeting!]) {
      const page = (await get(meetingId)).body as DeclarationsPage;
      expect(page.people).toEqual([
        {
          id: ids.ann,
          name: "Ann Councillor",
          interests: [{ id: ids.trustee, description: "Trustee of Safer Streets charity" }],
        },
      ]);
    }
  });

  it("records a declaration against an agenda item, audited", async () => {
    const outcome = await post({
      intent: "declare",
      personId: String(ids.ann),
      agendaItemId: String(ids.item),
      interestId: String(ids.trustee),
      text: "Trustee of a charity bidding for the grant; left the room for the item",
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/meetings/${ids.meeting}/declarations?done=recorded`);
    const page = (await get()).body as DeclarationsPage;
    expect(page.declarations).toEqual([
      {
        id: expect.any(Number),
        personName: "Ann Councillor",
        agendaItemTitle: "Grants to charities",
        agendaItemPosition: 3,
        interest: "Trustee of Safer Streets charity",
        text: "Trustee of a charity bidding for the grant; left the room for the item",
      },
    ]);
    const audit = await db
      .selectFrom("audit_events")
      .select(["entity_id"])
      .where("event", "=", "declaration.recorded")
      .executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(ids.meeting));
  });

  it("refuses, beside the field, someone not on the register, another meeting's item, another's interest, no text", async () => {
    const base = { intent: "declare", personId: String(ids.ann), text: "Declared" };
    const notOnRegister = await post({ ...base, personId: String(ids.bob) });
    expect(notOnRegister.status).toBe(400);
    expect(fieldErrors(notOnRegister.body, "personId")).toEqual(["Choose someone on the register"]);
    const otherItem = await post({ ...base, agendaItemId: String(ids.otherItem) });
    expect(fieldErrors(otherItem.body, "agendaItemId")).toEqual(["Choose an item on this meeting's agenda"]);
    const othersInterest = await post({ ...base, interestId: String(ids.bobInterest) });
    expect(fieldErrors(othersInterest.body, "interestId")).toEqual([
      "Choose one of the interests registered by the person who declared",
    ]);
    const noText = await post({ ...base, text: "  " });
    expect(fieldErrors(noText.body, "text")).toEqual(["Enter what was declared"]);
    expect(((await get()).body as DeclarationsPage).declarations).toHaveLength(1);
  });

  it("renders the declarations and a refused form with the message beside the field and the text kept", async () => {
    const page = (await get()).body as DeclarationsPage;
    const refused = await post({ intent: "declare", personId: String(ids.bob), text: "Kept text" });
    const Stub = createRoutesStub([
      {
        id: "page",
        path: "/meetings/:meetingId/declarations",
        Component: declarationsRoute.default as ComponentType,
      },
    ]);
    const html = renderToString(
      createElement(Stub, {
        initialEntries: [`/meetings/${ids.meeting}/declarations`],
        hydrationData: { loaderData: { page }, actionData: { page: refused.body } },
      }),
    );
    expect(html).toContain("There is a problem");
    expect(html).toContain("Choose someone on the register");
    expect(html).toContain("Kept text");
    expect(html).toContain("3. Grants to charities");
    expect(html).toContain("Registered interest: Trustee of Safer Streets charity");
    expect(html).toContain("Ann Councillor: Trustee of Safer Streets charity");
    expect(html).not.toContain("Director of an old company");
  });

  it("answers 404 to a board member and to another workspace, for the page and both forms", async () => {
    const [declaration] = ((await get()).body as DeclarationsPage).declarations;
    for (const cookie of [cookies.member, cookies.outsider]) {
      expect((await get(ids.meeting!, cookie)).status).toBe(404);
      expect((await post({ intent: "declare", personId: String(ids.ann), text: "x" }, cookie)).status).toBe(
        404,
      );
      expect((await post({ intent: "remove", declarationId: String(declaration?.id) }, cookie)).status).toBe(
        404,
      );
    }
    expect(((await get()).body as DeclarationsPage).declarations).toHaveLength(1);
  });

  it("removes a declaration of this meeting only", async () => {
    const [declaration] = ((await get()).body as DeclarationsPage).declarations;
    const id = String(declaration?.id);
    // Not a declaration of the CSP meeting.
    expect((await post({ intent: "remove", declarationId: id }, cookies.admin, ids.cspMeeting!)).status).toBe(
      404,
    );
    const removed = await post({ intent: "remove", declarationId: id });
    expect(removed.status).toBe(302);
    expect(((await get()).body as DeclarationsPage).declarations).toEqual([]);
  });
});
