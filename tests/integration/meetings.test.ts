import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meetingCost } from "~/costs/costs.server";
import { useDatabaseForTests } from "~/db.server";
import * as schedule from "~/routes/boards.$boardId_.meetings.new";
import * as meetingPage from "~/routes/meetings.$meetingId._index";
import * as cancel from "~/routes/meetings.$meetingId.cancel";
import * as edit from "~/routes/meetings.$meetingId.edit";
import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace } from "../../db/tenancy";
import { freshDatabase } from "../database";
import {
  insertAttendance,
  insertBoard,
  insertMeeting,
  insertMembership,
  insertPartnership,
  insertPerson,
  insertUser,
} from "../factories";
import { callRoute, fieldErrors, signedIn } from "../routes";

/*
 * Scheduling, the meeting page, rescheduling and cancelling, through the routes with real
 * session cookies: who may do each, what is refused with which message, and what is written.
 */

let handle: DatabaseHandle;
let ws: number;
let boardId: number;
let otherBoardId: number;
const people: Record<string, number> = {};
const cookies: Record<string, string> = {};
let gradeName: string;

const goodForm = (values: Record<string, string> = {}): Record<string, string> => ({
  date: "2027-06-15",
  start_time: "10:00",
  duration_minutes: "90",
  format: "in_person",
  location: "Room 1, County Hall",
  venue_cost: "250",
  catering_cost: "40.50",
  repeat: "none",
  ...values,
});

const post = (
  path: string,
  params: Record<string, string>,
  cookie: string,
  form: Record<string, string>,
) => ({ method: "POST" as const, path, params, cookie, form });

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { db } = handle;
  const p = await insertPartnership(db, "meet");
  ws = p.workspaceId;
  boardId = p.boardId;
  otherBoardId = (await insertBoard(db, ws, { name: "Other board" })).id;
  const grade = await db
    .insertInto("grades")
    .values({ workspace_id: ws, agency_id: p.agencyId, name: "Chief inspector" })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  gradeName = grade.name;
  await db
    .insertInto("grade_rates")
    .values({
      workspace_id: ws,
      grade_id: grade.id,
      effective_from: "2020-01-01",
      annual_salary_pence: 6_543_210,
    })
    .execute();
  for (const name of ["Alice", "Bob", "Carol", "Dora", "Evan"]) {
    people[name] = (
      await insertPerson(db, ws, { agency_id: p.agencyId, grade_id: grade.id, full_name: `${name} Example` })
    ).id;
  }
  const member = (
    person: string,
    values: { from_date?: string; to_date?: string | null; role?: "member" | "chair" },
  ) =>
    insertMembership(db, ws, {
      board_id: boardId,
      person_id: people[person]!,
      agency_id: p.agencyId,
      ...values,
    });
  await member("Alice", { role: "chair" });
  await member("Bob", {});
  await member("Carol", { to_date: "2027-04-30" }); // leaves part-way through a series
  await member("Dora", { from_date: "2030-01-01" }); // not yet a member
  await insertMembership(db, ws, { board_id: otherBoardId, person_id: people.Evan!, agency_id: p.agencyId });

  const users: [string, Parameters<typeof insertUser>[3]][] = [
    ["admin", [{ role: "admin" }]],
    ["leader", [{ role: "leader" }]],
    ["secretary", [{ role: "secretary", board_id: boardId }]],
    ["member", [{ role: "member", board_id: boardId }]],
    ["othersecretary", [{ role: "secretary", board_id: otherBoardId }]],
  ];
  for (const [name, grants] of users) {
    const user = await insertUser(db, ws, { email: `${name}@meet.test`, password: null }, grants);
    cookies[name] = await signedIn(db, user.id, ws);
  }
});

afterAll(() => handle?.close());

const scheduleArgs = (cookie: string, form: Record<string, string>) =>
  post(`/boards/${boardId}/meetings/new`, { boardId: String(boardId) }, cookie, form);

async function meetingRows(ids: number[]) {
  return handle.db.selectFrom("meetings").selectAll().where("id", "in", ids).orderBy("starts_at").execute();
}

describe("scheduling a meeting", () => {
  it("shows the form to the board's secretary and an admin with the board's default length, and 404 to others", async () => {
    for (const role of ["secretary", "admin"]) {
      const outcome = await callRoute(schedule, {
        path: `/boards/${boardId}/meetings/new`,
        params: { boardId: String(boardId) },
        cookie: cookies[role],
      });
      expect(outcome.status).toBe(200);
      expect(outcome.body).toMatchObject({ board: { id: boardId, defaultDurationMinutes: 120 } });
    }
    for (const role of ["member", "leader", "othersecretary"]) {
      const outcome = await callRoute(schedule, {
        path: `/boards/${boardId}/meetings/new`,
        params: { boardId: String(boardId) },
        cookie: cookies[role],
      });
      expect(outcome.status, role).toBe(404);
    }
  });

  it("answers 404 to a member's POST and writes nothing", async () => {
    const before = await handle.db.selectFrom("meetings").select("id").execute();
    for (const role of ["member", "leader", "othersecretary"]) {
      expect((await callRoute(schedule, scheduleArgs(cookies[role]!, goodForm()))).status, role).toBe(404);
    }
    expect(await handle.db.selectFrom("meetings").select("id").execute()).toHaveLength(before.length);
  });

  it("refuses a start in the past with a message beside the date, keeping what was typed", async () => {
    const outcome = await callRoute(
      schedule,
      scheduleArgs(cookies.secretary!, goodForm({ date: "2020-03-03", location: "The old library" })),
    );
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body, "date")).toEqual(["The meeting must start in the future"]);
    expect(outcome.body).toMatchObject({ initialValue: { location: "The old library" } });
  });

  it("refuses bad lengths, money and a missing location with messages beside each field", async () => {
    const outcome = await callRoute(
      schedule,
      scheduleArgs(
        cookies.secretary!,
        goodForm({
          duration_minutes: "3",
          venue_cost: "100000.01",
          catering_cost: "-5",
          location: "",
          format: "hybrid",
        }),
      ),
    );
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body, "duration_minutes")).toEqual([
      "The length must be between 5 and 720 minutes",
    ]);
    expect(fieldErrors(outcome.body, "venue_cost")).toEqual(["The venue cost must be £100,000 or less"]);
    expect(fieldErrors(outcome.body, "catering_cost")).toEqual(["The catering cost must be £0 or more"]);
    expect(fieldErrors(outcome.body, "location")[0]).toMatch(/Enter where the meeting is held/);
    const long = await callRoute(
      schedule,
      scheduleArgs(cookies.secretary!, goodForm({ duration_minutes: "721" })),
    );
    expect(fieldErrors(long.body, "duration_minutes")).toEqual([
      "The length must be between 5 and 720 minutes",
    ]);
    const virtual = await callRoute(
      schedule,
      scheduleArgs(cookies.secretary!, goodForm({ format: "virtual", location: "", date: "2020-01-01" })),
    );
    expect(fieldErrors(virtual.body, "location")).toEqual([]);
  });

  it("schedules one meeting with its standing items and invitations to current members, audited", async () => {
    const outcome = await callRoute(schedule, scheduleArgs(cookies.secretary!, goodForm()));
    expect(outcome.status).toBe(302);
    const id = Number(/^\/meetings\/(\d+)\?done=scheduled$/.exec(outcome.location ?? "")?.[1]);
    const [meeting] = await meetingRows([id]);
    expect(meeting).toMatchObject({
      board_id: boardId,
      series_id: null,
      duration_minutes: 90,
      format: "in_person",
      location: "Room 1, County Hall",
      status: "scheduled",
      sequence: 0,
    });
    expect(Number(meeting!.venue_cost_pence)).toBe(25_000);
    expect(Number(meeting!.catering_cost_pence)).toBe(4_050);
    // 15 June 2027 is in British Summer Time: 10:00 in London is 09:00 UTC.
    expect(new Date(meeting!.starts_at).toISOString()).toBe("2027-06-15T09:00:00.000Z");

    const items = await handle.db
      .selectFrom("agenda_items")
      .select(["position", "title", "standing_kind", "purpose", "minutes_allowed"])
      .where("meeting_id", "=", id)
      .orderBy("position")
      .execute();
    expect(items).toEqual([
      {
        position: 0,
        title: "Minutes of the last meeting",
        standing_kind: "previous_minutes",
        purpose: "decision",
        minutes_allowed: 5,
      },
      {
        position: 1,
        title: "Matters arising",
        standing_kind: "matters_arising",
        purpose: "discussion",
        minutes_allowed: 10,
      },
      {
        position: 2,
        title: "Action log review",
        standing_kind: "action_log_review",
        purpose: "discussion",
        minutes_allowed: 10,
      },
    ]);
    const invited = await handle.db
      .selectFrom("attendance")
      .select(["person_id", "status"])
      .where("meeting_id", "=", id)
      .orderBy("person_id")
      .execute();
    // Carol left on 30 April 2027, Dora joins in 2030, Evan sits on another board.
    expect(invited.map((a) => [Number(a.person_id), a.status])).toEqual([
      [people.Alice, "invited"],
      [people.Bob, "invited"],
    ]);
    const audit = await handle.db
      .selectFrom("audit_events")
      .select(["event", "actor_label"])
      .where("entity_type", "=", "meeting")
      .where("entity_id", "=", String(id))
      .execute();
    expect(audit).toEqual([{ event: "meeting.scheduled", actor_label: "secretary@meet.test" }]);
  });

  it("schedules a series on the first Tuesday of every other month at 10:00 London across both clock changes", async () => {
    const outcome = await callRoute(
      schedule,
      scheduleArgs(
        cookies.admin!,
        goodForm({
          date: "2027-01-05",
          repeat: "monthly",
          interval: "2",
          count: "6",
          format: "virtual",
          location: "",
        }),
      ),
    );
    expect(outcome.status).toBe(302);
    expect(outcome.location).toMatch(/\?done=series$/);
    const series = await handle.db
      .selectFrom("meeting_series")
      .selectAll()
      .where("board_id", "=", boardId)
      .execute();
    expect(series).toHaveLength(1);
    expect(series[0]!.rule).toMatchObject({
      repeat: { kind: "monthly_nth_weekday", nth: 1, weekday: 2, intervalMonths: 2 },
      startDate: "2027-01-05",
      time: "10:00",
      end: { count: 6 },
    });
    const meetings = await handle.db
      .selectFrom("meetings")
      .select(["id", "starts_at"])
      .where("series_id", "=", series[0]!.id)
      .orderBy("starts_at")
      .execute();
    // BST 2027 runs from 28 March to 31 October.
    expect(meetings.map((m) => new Date(m.starts_at).toISOString())).toEqual([
      "2027-01-05T10:00:00.000Z",
      "2027-03-02T10:00:00.000Z",
      "2027-05-04T09:00:00.000Z",
      "2027-07-06T09:00:00.000Z",
      "2027-09-07T09:00:00.000Z",
      "2027-11-02T10:00:00.000Z",
    ]);
    const ids = meetings.map((m) => Number(m.id));
    const items = await handle.db
      .selectFrom("agenda_items")
      .select(["meeting_id"])
      .where("meeting_id", "in", ids)
      .where("standing_kind", "is not", null)
      .execute();
    expect(items).toHaveLength(18);
    const invitations = await handle.db
      .selectFrom("attendance")
      .select(["meeting_id", "person_id"])
      .where("meeting_id", "in", ids)
      .execute();
    const carolInvitedTo = invitations
      .filter((a) => Number(a.person_id) === people.Carol)
      .map((a) => Number(a.meeting_id));
    expect(carolInvitedTo.sort((a, b) => a - b)).toEqual(ids.slice(0, 2).sort((a, b) => a - b));
    expect(invitations).toHaveLength(6 * 2 + 2);
  });

  it("asks for a count or an end date for a series", async () => {
    const outcome = await callRoute(
      schedule,
      scheduleArgs(cookies.secretary!, goodForm({ repeat: "weekly" })),
    );
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body, "count")).toEqual([
      "Enter how many meetings to schedule, or the date the series ends",
    ]);
  });
});

describe("rescheduling and cancelling", () => {
  let meetingId: number;

  beforeAll(async () => {
    meetingId = (
      await insertMeeting(handle.db, ws, {
        board_id: boardId,
        starts_at: "2027-02-02T10:00:00Z",
        location: "Room 2",
      })
    ).id;
  });

  const editArgs = (cookie: string, form: Record<string, string>) =>
    post(`/meetings/${meetingId}/edit`, { meetingId: String(meetingId) }, cookie, form);
  const cancelArgs = (cookie: string, form: Record<string, string>) =>
    post(`/meetings/${meetingId}/cancel`, { meetingId: String(meetingId) }, cookie, form);

  it("shows the edit form with the meeting's London date, time and pounds", async () => {
    const outcome = await callRoute(edit, {
      path: `/meetings/${meetingId}/edit`,
      params: { meetingId: String(meetingId) },
      cookie: cookies.secretary,
    });
    expect(outcome.body).toMatchObject({
      values: {
        date: "2027-02-02",
        start_time: "10:00",
        duration_minutes: "120",
        location: "Room 2",
        venue_cost: "0.00",
      },
    });
    for (const role of ["member", "leader", "othersecretary"]) {
      expect(
        (
          await callRoute(edit, {
            path: `/meetings/${meetingId}/edit`,
            params: { meetingId: String(meetingId) },
            cookie: cookies[role],
          })
        ).status,
      ).toBe(404);
    }
  });

  it("reschedules, bumping the sequence each time, audited; members get 404", async () => {
    expect((await callRoute(edit, editArgs(cookies.member!, goodForm({ date: "2027-04-06" })))).status).toBe(
      404,
    );
    const first = await callRoute(
      edit,
      editArgs(cookies.secretary!, goodForm({ date: "2027-04-06", start_time: "14:30" })),
    );
    expect(first).toMatchObject({ status: 302, location: `/meetings/${meetingId}?done=updated` });
    let [row] = await meetingRows([meetingId]);
    expect(new Date(row!.starts_at).toISOString()).toBe("2027-04-06T13:30:00.000Z");
    expect(row!.sequence).toBe(1);
    await callRoute(
      edit,
      editArgs(cookies.admin!, goodForm({ date: "2027-04-06", format: "virtual", location: "" })),
    );
    [row] = await meetingRows([meetingId]);
    expect(row).toMatchObject({ sequence: 2, format: "virtual", location: "" });
    const past = await callRoute(edit, editArgs(cookies.secretary!, goodForm({ date: "2021-04-06" })));
    expect(past.status).toBe(400);
    expect(fieldErrors(past.body, "date")).toEqual(["The meeting must start in the future"]);
    const audit = await handle.db
      .selectFrom("audit_events")
      .select("event")
      .where("entity_id", "=", String(meetingId))
      .where("event", "=", "meeting.updated")
      .execute();
    expect(audit).toHaveLength(2);
  });

  it("requires a reason to cancel, then cancels, bumps the sequence and refuses further edits", async () => {
    expect((await callRoute(cancel, cancelArgs(cookies.member!, { reason: "No" }))).status).toBe(404);
    const empty = await callRoute(cancel, cancelArgs(cookies.secretary!, { reason: "  " }));
    expect(empty.status).toBe(400);
    expect(fieldErrors(empty.body, "reason")).toEqual(["Enter why the meeting is cancelled"]);
    expect((await meetingRows([meetingId]))[0]!.status).toBe("scheduled");

    const done = await callRoute(
      cancel,
      cancelArgs(cookies.secretary!, { reason: "Not quorate: three agencies away" }),
    );
    expect(done).toMatchObject({ status: 302, location: `/meetings/${meetingId}?done=cancelled` });
    const [row] = await meetingRows([meetingId]);
    expect(row).toMatchObject({
      status: "cancelled",
      cancelled_reason: "Not quorate: three agencies away",
      sequence: 3,
    });

    const again = await callRoute(edit, editArgs(cookies.secretary!, goodForm({ date: "2027-05-04" })));
    expect(again.status).toBe(409);
    expect((await meetingRows([meetingId]))[0]!.sequence).toBe(3);
    expect((await callRoute(cancel, cancelArgs(cookies.secretary!, { reason: "Again" }))).status).toBe(409);

    const page = await callRoute(meetingPage, {
      path: `/meetings/${meetingId}`,
      params: { meetingId: String(meetingId) },
      cookie: cookies.member,
    });
    expect(page.body).toMatchObject({
      meeting: { status: "cancelled", cancelledReason: "Not quorate: three agencies away" },
    });
    const audit = await handle.db
      .selectFrom("audit_events")
      .select("changes")
      .where("entity_id", "=", String(meetingId))
      .where("event", "=", "meeting.cancelled")
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe("the meeting page", () => {
  let heldId: number;

  beforeAll(async () => {
    const { db } = handle;
    heldId = (
      await insertMeeting(db, ws, {
        board_id: boardId,
        starts_at: "2026-05-12T09:00:00Z",
        status: "held",
        duration_minutes: 90,
        venue_cost_pence: 12_000,
        catering_cost_pence: 3_000,
      })
    ).id;
    await insertAttendance(db, ws, {
      meeting_id: heldId,
      person_id: people.Alice!,
      status: "attended",
      travel_minutes: 30,
      miles: 12,
    });
    await insertAttendance(db, ws, { meeting_id: heldId, person_id: people.Bob!, status: "apologies" });
    await insertAttendance(db, ws, {
      meeting_id: heldId,
      person_id: people.Carol!,
      status: "deputy",
      deputy_person_id: people.Evan!,
      mode: "remote",
      minutes_present: 60,
    });
    await db
      .insertInto("agenda_items")
      .values([
        {
          workspace_id: ws,
          meeting_id: heldId,
          position: 0,
          title: "Minutes",
          purpose: "decision",
          minutes_allowed: 5,
        },
        {
          workspace_id: ws,
          meeting_id: heldId,
          position: 1,
          title: "Serious case review",
          purpose: "discussion",
          minutes_allowed: 100,
          classification: "official_sensitive",
          presenter_person_id: people.Alice!,
        },
      ])
      .execute();
  });

  const view = (role: string) =>
    callRoute(meetingPage, {
      path: `/meetings/${heldId}`,
      params: { meetingId: String(heldId) },
      cookie: cookies[role],
    });

  it("gives a leader each attendee's cost, agreeing with meetingCost to the penny", async () => {
    const outcome = await view("leader");
    expect(outcome.status).toBe(200);
    const expected = await meetingCost(scopeToWorkspace(handle.db, ws), heldId);
    const body = outcome.body as Awaited<ReturnType<typeof meetingPage.loader>>;
    if (body.cost.kind !== "breakdown") throw new Error("expected a breakdown");
    expect(
      body.cost.attendees.map((a) => [
        a.name,
        a.grade,
        a.minutesPresent,
        a.travelMinutes,
        a.miles,
        a.costPence,
      ]),
    ).toEqual(
      expected!.attendees.map((a) => [
        a.costed_name,
        a.grade_name,
        Number(a.minutes_present),
        Number(a.travel_minutes),
        Number(a.miles),
        Number(a.cost_pence),
      ]),
    );
    expect(body.cost.attendees.map((a) => a.name)).toEqual(["Alice Example", "Evan Example"]);
    expect(body.cost.attendees[1]).toMatchObject({
      deputy: true,
      remote: true,
      travelMinutes: 0,
      minutesPresent: 60,
    });
    expect(body.cost).toMatchObject({
      venuePence: 12_000,
      cateringPence: 3_000,
      totalPence: Number(expected!.totalPence),
    });
    expect(body.cost.totalPence).toBe(body.cost.attendees.reduce((s, a) => s + a.costPence, 0) + 15_000);
  });

  it("gives a member only the total: no per-attendee costs, grades or salaries", async () => {
    const outcome = await view("member");
    expect(outcome.status).toBe(200);
    const expected = await meetingCost(scopeToWorkspace(handle.db, ws), heldId);
    const body = outcome.body as Awaited<ReturnType<typeof meetingPage.loader>>;
    expect(body.cost).toEqual({ kind: "total", totalPence: Number(expected!.totalPence) });
    const json = JSON.stringify(body);
    expect(json).not.toMatch(/salary|grade/i);
    expect(json).not.toContain(gradeName);
    for (const a of expected!.attendees) expect(json).not.toContain(`"costPence":${a.cost_pence}`);
    expect(body.canRun).toBe(false);
  });

  it("shows the agenda (sensitive items included) with its running total, and the register summary", async () => {
    const body = (await view("member")).body as Awaited<ReturnType<typeof meetingPage.loader>>;
    expect(body.agenda.map((a) => [a.title, a.classification, a.presenter])).toEqual([
      ["Minutes", "official", null],
      ["Serious case review", "official_sensitive", "Alice Example"],
    ]);
    expect(body.agendaMinutes).toBe(105);
    expect(body.register).toEqual({
      attended: ["Alice Example"],
      apologies: ["Bob Example"],
      absent: [],
      deputies: [{ member: "Carol Example", deputy: "Evan Example" }],
      notRecorded: 0,
      invited: 3,
    });
    expect(((await view("secretary")).body as typeof body).canRun).toBe(true);
  });

  it("answers 404 to those who do not read the board", async () => {
    expect((await view("othersecretary")).status).toBe(404);
    expect(
      (
        await callRoute(meetingPage, {
          path: "/meetings/999999",
          params: { meetingId: "999999" },
          cookie: cookies.admin,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await callRoute(meetingPage, {
          path: "/meetings/abc",
          params: { meetingId: "abc" },
          cookie: cookies.admin,
        })
      ).status,
    ).toBe(404);
  });
});
