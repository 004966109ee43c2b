import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegisterPage } from "~/attendance/register.server";
import { STALE_REGISTER_MESSAGE } from "~/attendance/schemas";
import { meetingCost } from "~/costs/costs.server";
import { useDatabaseForTests } from "~/db.server";
import * as registerRoute from "~/routes/meetings.$meetingId.register";
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
import { formFor } from "../register-form";
import { callRoute, fieldErrors, type RouteModule, signedIn } from "../routes";

/*
 * The attendance register page as the framework calls it, with real session cookies: a full
 * save (attended, apologies, absent, a deputy who joined remotely and late, a non-member
 * added), priced by meetingCost and checked against figures worked by hand; quorum with a
 * deputy; refusals beside the field; 404 for members and other workspaces; a stale save.
 */

const route = registerRoute as unknown as RouteModule;

let handle: DatabaseHandle;
let db: WorkspaceDb;
let ws: number;
const ids: Record<string, number> = {};
const cookies: Record<string, string> = {};

async function grade(agencyId: number, name: string, salaryPence: number) {
  const g = await db
    .insertInto("grades")
    .values({ workspace_id: ws, agency_id: agencyId, name })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("grade_rates")
    .values({
      workspace_id: ws,
      grade_id: g.id,
      effective_from: "2025-04-01",
      annual_salary_pence: salaryPence,
    })
    .execute();
  return g.id;
}

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const raw = handle.db;
  ws = (await insertWorkspace(raw, { slug: "register", name: "Register" })).id;
  db = scopeToWorkspace(raw, ws);
  // Workspace defaults: on-cost 30 %, overhead 0 %, 1,650 hours a year, 45p a mile.
  ids.probation = (await insertAgency(raw, ws, { name: "Probation", type: "probation" })).id;
  ids.police = (await insertAgency(raw, ws, { name: "Police", type: "police" })).id;
  ids.council = (await insertAgency(raw, ws, { name: "Council", type: "local_authority" })).id;
  ids.health = (await insertAgency(raw, ws, { name: "Health", type: "health" })).id;
  ids.po = await grade(ids.probation, "Probation officer", 3_300_000); // £33,000
  ids.inspector = await grade(ids.police, "Inspector", 4_950_000); // £49,500
  ids.sergeant = await grade(ids.police, "Sergeant", 4_125_000); // £41,250
  const person = async (full_name: string, agency_id: number, grade_id: number | null) =>
    (await insertPerson(raw, ws, { full_name, agency_id, grade_id })).id;
  ids.ann = await person("Ann Attended", ids.probation, ids.po);
  ids.ian = await person("Ian Inspector", ids.police, ids.inspector);
  ids.sam = await person("Sam Sergeant", ids.police, ids.sergeant);
  ids.amy = await person("Amy Apologies", ids.council, null);
  ids.abe = await person("Abe Absent", ids.health, null);
  ids.vic = await person("Vic Visitor", ids.council, null);
  ids.board = (await insertBoard(raw, ws, { name: "Test LCJB", quorum: 3, preparation_minutes: 30 })).id;
  for (const [personId, agencyId] of [
    [ids.ann, ids.probation],
    [ids.ian, ids.police],
    [ids.amy, ids.council],
    [ids.abe, ids.health],
  ] as const) {
    await insertMembership(raw, ws, { board_id: ids.board, person_id: personId, agency_id: agencyId });
  }
  // A past meeting, still "scheduled": saving its register marks it held.
  ids.meeting = (
    await insertMeeting(raw, ws, {
      board_id: ids.board,
      starts_at: "2026-10-01T09:00:00Z",
      duration_minutes: 120,
      venue_cost_pence: 10_000,
    })
  ).id;
  for (const p of [ids.ann, ids.ian, ids.amy, ids.abe]) {
    await insertAttendance(raw, ws, { meeting_id: ids.meeting, person_id: p });
  }

  const secretary = await insertUser(raw, ws, { email: "sec@register.test" }, [
    { role: "secretary", board_id: ids.board },
  ]);
  const member = await insertUser(raw, ws, { email: "mem@register.test" }, [
    { role: "member", board_id: ids.board },
  ]);
  cookies.secretary = await signedIn(raw, secretary.id, ws);
  cookies.member = await signedIn(raw, member.id, ws);

  // Another workspace, whose admin and secretary must not see this meeting.
  const other = (await insertWorkspace(raw, { slug: "elsewhere", name: "Elsewhere" })).id;
  const otherBoard = (await insertBoard(raw, other, { name: "Their board" })).id;
  const outsider = await insertUser(raw, other, { email: "admin@elsewhere.test" }, [
    { role: "admin" },
    { role: "secretary", board_id: otherBoard },
  ]);
  cookies.outsider = await signedIn(raw, outsider.id, other);
});
afterAll(() => handle.close());

const path = () => `/meetings/${ids.meeting}/register`;
const params = () => ({ meetingId: String(ids.meeting) });

async function load(cookie = cookies.secretary): Promise<RegisterPage> {
  const outcome = await callRoute(route, { path: path(), params: params(), cookie });
  expect(outcome.status).toBe(200);
  return outcome.body as RegisterPage;
}

function post(form: Record<string, string>, cookie = cookies.secretary) {
  return callRoute(route, { method: "POST", path: path(), params: params(), cookie, form });
}

/** The page as the server renders it, with a loader's data and an action's answer. */
function renderPage(page: RegisterPage, actionData?: unknown): string {
  const Stub = createRoutesStub([
    { id: "page", path: "/meetings/:meetingId/register", Component: registerRoute.default as ComponentType },
  ]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [path()],
      hydrationData: { loaderData: { page }, actionData: actionData ? { page: actionData } : undefined },
    }),
  );
}

function rowIndex(page: RegisterPage, personId: number): number {
  return page.rows.findIndex((r) => r.personId === personId);
}

describe("the attendance register", () => {
  it("shows the invited members, none present yet, to the board's secretary", async () => {
    const page = await load();
    expect(page.rows.map((r) => r.name)).toEqual([
      "Abe Absent",
      "Amy Apologies",
      "Ann Attended",
      "Ian Inspector",
    ]);
    expect(page.quorum).toEqual({ present: 0, needed: 3, quorate: false });
    expect(page.heldOnSave).toBe(true);
    expect(page.costPence).toBe(10_000); // the venue only
    expect(JSON.stringify(page)).not.toMatch(/salary/i);
  });

  it("adds a non-member attendee by choosing a person", async () => {
    const added = await post({ intent: "add", personId: String(ids.vic) });
    expect(added.status).toBe(302);
    expect(added.location).toBe(`${path()}?done=added`);
    const again = await post({ intent: "add", personId: String(ids.vic) });
    expect(again.status).toBe(400);
    expect(fieldErrors(again.body, "personId")).toEqual(["Vic Visitor is already on the register"]);
    const page = await load();
    const vic = page.rows.find((r) => r.personId === ids.vic);
    expect(vic).toMatchObject({ status: "invited", memberAgencyId: null, memberRole: null });
  });

  it("refuses a deputy who is the same person, beside that row's field, writing nothing", async () => {
    const page = await load();
    const outcome = await post(
      formFor(page, {
        [ids.ann!]: { status: "attended", miles: "10.5" },
        [ids.ian!]: { status: "deputy", deputy: String(ids.ian) },
      }),
    );
    expect(outcome.status).toBe(400);
    const ian = rowIndex(page, ids.ian!);
    expect(fieldErrors(outcome.body, `rows[${ian}].deputy`)).toEqual([
      "The deputy must be someone other than the person they stand in for",
    ]);
    // What was typed is sent back to the form.
    const reply = (outcome.body as { result: { initialValue: { rows: Record<string, string>[] } } }).result;
    expect(reply.initialValue.rows[rowIndex(page, ids.ann!)]?.miles).toBe("10.5");
    expect((await load()).version).toBe(page.version);
  });

  it("renders the refused form with each message beside its row's field and the typed values kept", async () => {
    const page = await load();
    const form = formFor(page, {
      [ids.ann!]: { status: "attended", miles: "10.5", expenses: "4.50" },
      [ids.ian!]: { status: "deputy", deputy: String(ids.ian) },
    });
    const refused = await post(form);
    expect(refused.status).toBe(400);
    const html = renderPage(page, refused.body);
    const ian = rowIndex(page, ids.ian!);
    const ann = rowIndex(page, ids.ann!);
    expect(html).toContain("There is a problem");
    expect(html).toContain(
      "Ian Inspector: The deputy must be someone other than the person they stand in for",
    );
    // The message sits in the row's deputy cell, which the field's aria-describedby names.
    expect(html).toMatch(
      new RegExp(`id="[^"]*rows\\[${ian}\\]\\.deputy-error"[^>]*>.*?The deputy must be someone other`),
    );
    expect(html).toContain(`>Status for Ian Inspector</label>`);
    expect(html).toContain(`>Other expenses in pounds for Ann Attended</label>`);
    expect(html).toMatch(new RegExp(`name="rows\\[${ann}\\]\\.miles"[^>]*value="10.5"`));
    // Quorum as the refused form has it marked (Ann attended, Ian's deputy), not as saved.
    expect(html).toContain("Not quorate: 2 of 3 agencies needed");
    expect(html).toContain("£100.00");
    expect(html).toContain("Saving the register will mark it as held");
    expect(html).toContain(">Save register</button>");
  });

  it("refuses absurd values and a deputy on a row that is not 'deputy sent'", async () => {
    const page = await load();
    const ann = rowIndex(page, ids.ann!);
    const amy = rowIndex(page, ids.amy!);
    const outcome = await post(
      formFor(page, {
        [ids.ann!]: {
          status: "attended",
          minutesPresent: "121",
          travelMinutes: "601",
          miles: "12.25",
          expenses: "10000.01",
        },
        [ids.amy!]: { status: "apologies", deputy: String(ids.sam) },
        [ids.abe!]: { status: "deputy" },
      }),
    );
    expect(outcome.status).toBe(400);
    const errors = fieldErrors(outcome.body);
    expect(errors[`rows[${ann}].minutesPresent`]).toEqual([
      "Minutes present must be 120 or fewer (the length of the meeting)",
    ]);
    expect(errors[`rows[${ann}].travelMinutes`]).toEqual(["Travel time must be 600 minutes or fewer"]);
    expect(errors[`rows[${ann}].miles`]).toEqual(["Enter miles to one decimal place, like 12.5"]);
    expect(errors[`rows[${ann}].expenses`]).toEqual(["Other expenses must be £10,000 or less"]);
    expect(errors[`rows[${amy}].deputy`]).toEqual(["Only choose a deputy when the status is ‘Deputy sent’"]);
    expect(errors[`rows[${rowIndex(page, ids.abe!)}].deputy`]).toEqual(["Choose who came as the deputy"]);
  });

  it("answers 404 to a board member, and to another workspace, for the page and the save", async () => {
    const page = await load();
    const form = formFor(page, { [ids.ann!]: { status: "attended" } });
    for (const cookie of [cookies.member, cookies.outsider]) {
      expect((await callRoute(route, { path: path(), params: params(), cookie })).status).toBe(404);
      expect((await post(form, cookie)).status).toBe(404);
      expect((await post({ intent: "add", personId: String(ids.sam) }, cookie)).status).toBe(404);
    }
    expect((await load()).version).toBe(page.version);
  });

  it("saves the whole register; meetingCost agrees with figures worked by hand", async () => {
    const page = await load();
    const outcome = await post(
      formFor(page, {
        // In person, whole meeting, 30 minutes' travel, 10.5 miles, £4.50 parking.
        [ids.ann!]: { status: "attended", travelMinutes: "30", miles: "10.5", expenses: "4.50" },
        // Sent Sam as deputy, who joined remotely 30 minutes late (travel entered, not costed).
        [ids.ian!]: {
          status: "deputy",
          deputy: String(ids.sam),
          mode: "remote",
          minutesPresent: "90",
          travelMinutes: "40",
          miles: "20",
        },
        [ids.amy!]: { status: "apologies" },
        [ids.abe!]: { status: "absent" },
        [ids.vic!]: { status: "attended", mode: "remote" },
      }),
    );
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`${path()}?done=saved&held=1`);

    const meeting = await db
      .selectFrom("meetings")
      .select(["status", "version"])
      .where("id", "=", ids.meeting!)
      .executeTakeFirstOrThrow();
    expect(meeting.status).toBe("held");

    // Ann: £33,000 × 1.3 ÷ 1,650 h = 2,600p an hour; (120 + 30 + 30 prep) min = 3 h → 7,800p;
    //   10.5 miles × 45p = 472.5p; + 450p parking = 8,722.5p → 8,723p (halves away from zero).
    // Sam for Ian: £41,250 × 1.3 ÷ 1,650 = 3,250p an hour; (90 + 0 travel, remote + 30) min = 2 h
    //   → 6,500p; no mileage when remote.
    // Vic: no grade, remote: 0p. Amy (apologies) and Abe (absent): nothing.
    // Meeting: 8,723 + 6,500 + 0 + venue 10,000 = 25,223p.
    const cost = await meetingCost(db, ids.meeting!);
    const byPerson = new Map(cost?.attendees.map((a) => [a.costed_person_id, a.cost_pence]));
    expect(byPerson.get(ids.ann!)).toBe(8_723);
    expect(byPerson.get(ids.sam!)).toBe(6_500);
    expect(byPerson.get(ids.vic!)).toBe(0);
    expect(byPerson.has(ids.amy!)).toBe(false);
    expect(byPerson.has(ids.abe!)).toBe(false);
    expect(cost?.totalPence).toBe(25_223);

    const after = await load();
    expect(after.costPence).toBe(25_223);
    expect(after.rows.find((r) => r.personId === ids.ian)).toMatchObject({
      status: "deputy",
      deputyPersonId: ids.sam,
      minutesPresent: 90,
      mode: "remote",
      travelMinutes: 40,
      miles: 20,
    });
    expect(after.rows.find((r) => r.personId === ids.ann)).toMatchObject({
      miles: 10.5,
      otherExpensesPence: 450,
    });
    // Probation (Ann) and police (Sam deputising for Ian) of the 3 needed; Vic is not a member.
    expect(after.quorum).toEqual({ present: 2, needed: 3, quorate: false });

    const audit = await db
      .selectFrom("audit_events")
      .select(["event", "entity_id", "changes"])
      .where("event", "=", "attendance.register_saved")
      .executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(ids.meeting));
    expect(audit.changes).toMatchObject({ rows: 5, rowsChanged: 5, markedHeld: true });
    expect(JSON.stringify(audit.changes)).not.toMatch(/450|10\.5|expenses|miles/);
  });

  it("counts quorum with a deputy for the member's agency", async () => {
    const page = await load();
    const outcome = await post(formFor(page, { [ids.amy!]: { status: "deputy", deputy: String(ids.vic) } }));
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`${path()}?done=saved`);
    // Probation, police (Sam for Ian) and the council (Vic for Amy).
    expect((await load()).quorum).toEqual({ present: 3, needed: 3, quorate: true });
  });

  it("keeps an archived deputy selectable, so the register still saves, but not addable", async () => {
    await db.updateTable("people").set({ archived_at: new Date() }).where("id", "=", ids.vic!).execute();
    const page = await load();
    expect(page.people.find((p) => p.id === ids.vic)).toMatchObject({ archived: true });
    expect((await post(formFor(page, {}))).status).toBe(302);
    const added = await post({ intent: "add", personId: String(ids.vic) });
    expect(added.status).toBe(400);
    await db.updateTable("people").set({ archived_at: null }).where("id", "=", ids.vic!).execute();
  });

  it("refuses a stale save with a clear message, overwriting nothing", async () => {
    const opened = await load();
    // Someone else saves first.
    expect((await post(formFor(opened, { [ids.abe!]: { status: "apologies" } }))).status).toBe(302);
    const stale = await post(formFor(opened, { [ids.abe!]: { status: "attended" } }));
    expect(stale.status).toBe(409);
    const reply = (stale.body as { result: { error: Record<string, string[]> } }).result;
    expect(reply.error[""]).toEqual([STALE_REGISTER_MESSAGE]);
    const now = await load();
    expect(now.rows.find((r) => r.personId === ids.abe)?.status).toBe("apologies");
    // Shown again (even beside the latest register), the form keeps the version it was opened
    // on, so posting it again is refused too until the page is reloaded.
    const html = renderPage(now, stale.body);
    expect(html).toContain(STALE_REGISTER_MESSAGE);
    expect(html).toContain("Reload the register");
    expect(html).toContain(`value="${opened.version}"`);
    expect(html).not.toContain(`value="${now.version}"`);
  });
});
