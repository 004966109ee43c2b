import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { penceAsPounds } from "~/admin/csv";
import { meetingAttendeeCosts, meetingCost } from "~/costs/costs.server";
import { meetingVerdict } from "~/costs/rollups.server";
import { VERDICT_LABELS } from "~/costs/verdicts";
import { useDatabaseForTests } from "~/db.server";
import * as rangeCsv from "~/routes/attendance[.]csv";
import * as meetingCsv from "~/routes/meetings.$meetingId.attendance[.]csv";
import * as meetingsCsv from "~/routes/meetings[.]csv";
import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace } from "../../db/tenancy";
import { parseCsv } from "../csv";
import { freshDatabase } from "../database";
import {
  insertAttendance,
  insertMeeting,
  insertPartnership,
  insertPerson,
  insertUser,
  type TestGrant,
} from "../factories";
import { callRoute, signedIn } from "../routes";

/*
 * The attendance exports (one meeting, and a date range): salaries and costing inputs, so
 * admins and leaders only (others 404); each row's cost is the cost model's, exactly as
 * meetingAttendeeCosts gives it. And the meetings export's totals agree with meetingCost.
 */

let handle: DatabaseHandle;
let ws: number;
let boardId: number;
let heldId: number;
let secondId: number;
let outOfRangeId: number;
let elsewhereMeetingId: number;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { db } = handle;
  const p = await insertPartnership(db, "mexp");
  ws = p.workspaceId;
  boardId = p.boardId;
  await db.updateTable("boards").set({ preparation_minutes: 30 }).where("id", "=", boardId).execute();
  const grade = async (name: string, rates: [string, number][]) => {
    const id = (
      await db
        .insertInto("grades")
        .values({ workspace_id: ws, agency_id: p.agencyId, name })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    for (const [effective_from, annual_salary_pence] of rates)
      await db
        .insertInto("grade_rates")
        .values({ workspace_id: ws, grade_id: id, effective_from, annual_salary_pence })
        .execute();
    return id;
  };
  const inspector = await grade("Inspector", [
    ["2026-01-01", 5_800_000],
    ["2026-07-01", 6_000_000],
  ]);
  const sergeant = await grade("Sergeant", [["2026-01-01", 4_900_000]]);
  const person = async (full_name: string, grade_id: number) =>
    (await insertPerson(db, ws, { agency_id: p.agencyId, grade_id, full_name })).id;
  const ann = await person("Ann, Inspector", inspector);
  const bob = await person("=Bob Formula", sergeant);
  const cat = await person("Cat Deputy", sergeant);
  const dan = await person("Dan Apologies", inspector);

  const meeting = async (starts_at: string) =>
    (
      await insertMeeting(db, ws, {
        board_id: boardId,
        starts_at,
        status: "held",
        duration_minutes: 90,
        venue_cost_pence: 12_000,
        catering_cost_pence: 3_550,
        location: "Room 1, HQ",
      })
    ).id;
  heldId = await meeting("2026-06-10T09:00:00Z");
  secondId = await meeting("2026-08-12T13:30:00Z");
  outOfRangeId = await meeting("2026-10-14T09:00:00Z");
  for (const id of [heldId, secondId, outOfRangeId]) {
    await insertAttendance(db, ws, {
      meeting_id: id,
      person_id: ann,
      status: "attended",
      travel_minutes: 40,
      miles: 12.5,
      other_expenses_pence: 650,
    });
    await insertAttendance(db, ws, {
      meeting_id: id,
      person_id: bob,
      status: "attended",
      mode: "remote",
      minutes_present: 45,
      travel_minutes: 30,
    });
    await insertAttendance(db, ws, {
      meeting_id: id,
      person_id: dan,
      status: "deputy",
      deputy_person_id: cat,
      miles: 3,
    });
    await insertAttendance(db, ws, {
      meeting_id: id,
      person_id: await person(`Eve ${id}`, inspector),
      status: "apologies",
    });
  }

  const elsewhere = await insertPartnership(db, "mexp-elsewhere");
  elsewhereMeetingId = (
    await insertMeeting(db, elsewhere.workspaceId, {
      board_id: elsewhere.boardId,
      starts_at: "2026-06-10T09:00:00Z",
    })
  ).id;

  const users: [string, TestGrant[]][] = [
    ["admin", [{ role: "admin" }]],
    ["leader", [{ role: "leader" }]],
    ["secretary", [{ role: "secretary", board_id: boardId }]],
    ["member", [{ role: "member", board_id: boardId }]],
    ["partner", [{ role: "partner", agency_id: p.agencyId }]],
  ];
  for (const [name, grants] of users) {
    const user = await insertUser(db, ws, { email: `${name}@mexp.test`, password: null }, grants);
    cookies[name] = await signedIn(db, user.id, ws);
  }
});

afterAll(() => handle?.close());

const wdb = () => scopeToWorkspace(handle.db, ws);
const perMeeting = (id: number, cookie: string | undefined) =>
  callRoute(meetingCsv, {
    path: `/meetings/${id}/attendance.csv`,
    params: { meetingId: String(id) },
    cookie,
  });

describe("a meeting's attendance CSV", () => {
  it("gives each costed attendee's inputs and the cost meetingAttendeeCosts gives", async () => {
    const outcome = await perMeeting(heldId, cookies.admin);
    expect(outcome.status).toBe(200);
    expect(outcome.headers?.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(outcome.headers?.get("Content-Disposition")).toMatch(
      /^attachment; filename="attendance-meeting-\d+-2026-06-10\.csv"$/,
    );
    expect(outcome.headers?.get("Cache-Control")).toBe("private, no-store");
    const [header, ...rows] = parseCsv(outcome.body as string);
    const costs = await meetingAttendeeCosts(wdb(), heldId);
    expect(rows).toHaveLength(3);
    expect(costs).toHaveLength(3);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col("Costed person")])).toEqual(
      costs.map((c) => (c.costed_name.startsWith("=") ? `'${c.costed_name}` : c.costed_name)),
    );
    expect(rows.map((r) => r[col("Cost (£)")])).toEqual(costs.map((c) => penceAsPounds(c.cost_pence)));
    // The inputs: Ann in person at £58,000 (the rate in force in June), 40 minutes' travel, 12.5 miles.
    const ann = rows.find((r) => r[col("Costed person")] === "Ann, Inspector")!;
    expect(ann[col("Annual salary (£)")]).toBe("58000.00");
    expect(ann[col("Minutes present")]).toBe("90");
    expect(ann[col("Travel minutes")]).toBe("40");
    expect(ann[col("Preparation minutes")]).toBe("30");
    expect(ann[col("Miles")]).toBe("12.5");
    expect(ann[col("Other expenses (£)")]).toBe("6.50");
    // A remote attendee has no travel; a deputy is costed as themselves, for whom they stood in.
    const bob = rows.find((r) => r[col("Costed person")] === "'=Bob Formula")!;
    expect([bob[col("Mode")], bob[col("Travel minutes")], bob[col("Minutes present")]]).toEqual([
      "Remote",
      "0",
      "45",
    ]);
    const cat = rows.find((r) => r[col("Costed person")] === "Cat Deputy")!;
    expect([cat[col("Invited person")], cat[col("Status")], cat[col("Grade")]]).toEqual([
      "Dan Apologies",
      "Deputy",
      "Sergeant",
    ]);
  });

  it("is for those who may see salaries only: others, and other workspaces' meetings, 404", async () => {
    expect((await perMeeting(heldId, cookies.leader)).status).toBe(200);
    for (const role of ["secretary", "member", "partner"])
      expect((await perMeeting(heldId, cookies[role])).status).toBe(404);
    expect((await perMeeting(elsewhereMeetingId, cookies.admin)).status).toBe(404);
    expect((await perMeeting(999_999, cookies.admin)).status).toBe(404);
  });
});

describe("the attendance CSV for a date range", () => {
  const range = (query: string, cookie: string | undefined) =>
    callRoute(rangeCsv, { path: `/attendance.csv${query}`, cookie });

  it("gives every costed attendance in the range, each cost as meetingAttendeeCosts gives it", async () => {
    const outcome = await range("?from=2026-06-01&to=2026-09-30", cookies.leader);
    expect(outcome.status).toBe(200);
    expect(outcome.headers?.get("Content-Disposition")).toMatch(
      /^attachment; filename="attendance-mexp-2026-06-01-to-2026-09-30\.csv"$/,
    );
    expect(outcome.headers?.get("Cache-Control")).toBe("private, no-store");
    const [header, ...rows] = parseCsv(outcome.body as string);
    const col = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r[col("Meeting date")]))).toEqual(new Set(["2026-06-10", "2026-08-12"]));
    // 13:30 UTC in August is 14:30 in London.
    expect(
      rows
        .filter((r) => r[col("Meeting date")] === "2026-08-12")
        .every((r) => r[col("Meeting time (Europe/London)")] === "14:30"),
    ).toBe(true);
    for (const [id, date] of [
      [heldId, "2026-06-10"],
      [secondId, "2026-08-12"],
    ] as const) {
      const costs = await meetingAttendeeCosts(wdb(), id);
      const exported = rows.filter((r) => r[col("Meeting date")] === date);
      expect(exported.map((r) => r[col("Cost (£)")]).sort()).toEqual(
        costs.map((c) => penceAsPounds(c.cost_pence)).sort(),
      );
    }
    // Ann's salary changed on 1 July: August is costed at £60,000.
    const annAugust = rows.find(
      (r) => r[col("Meeting date")] === "2026-08-12" && r[col("Costed person")] === "Ann, Inspector",
    )!;
    expect(annAugust[col("Annual salary (£)")]).toBe("60000.00");
    expect(outOfRangeId).toBeGreaterThan(0);
  });

  it("refuses a missing or backwards range", async () => {
    expect((await range("?from=2026-06-01", cookies.admin)).status).toBe(400);
    expect((await range("?from=2026-09-01&to=2026-06-01", cookies.admin)).status).toBe(400);
    expect((await range("?from=2026-02-30&to=2026-06-01", cookies.admin)).status).toBe(400);
  });

  it("is for those who may see salaries only", async () => {
    for (const role of ["secretary", "member", "partner"])
      expect((await range("?from=2026-06-01&to=2026-09-30", cookies[role])).status).toBe(404);
  });
});

describe("the meetings CSV's totals", () => {
  it("agree with meetingCost and count those costed", async () => {
    const outcome = await callRoute(meetingsCsv, {
      path: "/meetings.csv?when=past&sort=date&dir=asc",
      cookie: cookies.member,
    });
    expect(outcome.status).toBe(200);
    const [header, ...rows] = parseCsv(outcome.body as string);
    expect(rows).toHaveLength(3);
    const col = (name: string) => header!.indexOf(name);
    for (const [i, id] of [heldId, secondId, outOfRangeId].entries()) {
      const cost = await meetingCost(wdb(), id);
      expect(rows[i]![col("Total cost (£)")]).toBe(penceAsPounds(cost!.totalPence));
      expect(rows[i]![col("Attended")]).toBe("3");
      expect(rows[i]![col("Location")]).toBe("Room 1, HQ");
      // The verdict and its reasons, as the meeting page gives them.
      const judged = await meetingVerdict(wdb(), id);
      expect(judged).not.toBeNull();
      expect(rows[i]![col("Verdict")]).toBe(VERDICT_LABELS[judged!.verdict]);
      expect(rows[i]![col("Verdict reasons")]).toBe(judged!.reasons.join("; "));
    }
    expect(outcome.body as string).not.toMatch(/salary/i);
  });
});
