import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeetingVerdictView } from "~/costs/rollups.server";
import { useDatabaseForTests } from "~/db.server";
import type { MeetingListItem } from "~/meetings/meetings-list.server";
import * as settingsPage from "~/routes/admin.settings";
import * as meetingsPage from "~/routes/meetings._index";
import * as meetingPage from "~/routes/meetings.$meetingId._index";
import { insertAgency, insertAttendance, insertMeeting, insertPerson } from "../factories";
import { callRoute } from "../routes";
import { type AdminFixture, adminFixture } from "./admin-fixture";

/*
 * Each verdict and its reasons on meetings built for the purpose, as the meeting page and
 * the meetings list show them, and an admin's threshold change on /admin/settings moving them.
 *
 * Everyone here is on a £49,500 grade at the 30 % default on-cost: 4,950,000p × 1.30 ÷ 99,000
 * = 65p a minute; a two-hour meeting with the board's 30 minutes' preparation and no travel
 * is 150 minutes, 9,750p (£97.50) each.
 */

let f: AdminFixture;
const m: Record<string, number> = {};

beforeAll(async () => {
  f = await adminFixture("verdicts");
  useDatabaseForTests(f.handle);
  const root = f.handle.db;
  await f.db
    .updateTable("boards")
    .set({ quorum: 2, preparation_minutes: 30 })
    .where("id", "=", f.boardId)
    .execute();
  const agencies = [
    (await insertAgency(root, f.ws, { name: "Probation", type: "probation" })).id,
    (await insertAgency(root, f.ws, { name: "Police", type: "police" })).id,
  ];
  const people: number[] = [];
  for (const [i, agencyId] of [agencies[0], agencies[1], agencies[0], agencies[1]].entries()) {
    const grade = await f.db
      .insertInto("grades")
      .values({ workspace_id: f.ws, agency_id: agencyId!, name: `Officer ${i}` })
      .returning("id")
      .executeTakeFirstOrThrow();
    await f.db
      .insertInto("grade_rates")
      .values({
        workspace_id: f.ws,
        grade_id: grade.id,
        effective_from: "2020-01-01",
        annual_salary_pence: 4_950_000,
      })
      .execute();
    people.push(
      (await insertPerson(root, f.ws, { agency_id: agencyId!, grade_id: grade.id, full_name: `Person ${i}` }))
        .id,
    );
  }

  let day = 1;
  const meeting = async (spec: {
    attended: number;
    apologies?: number;
    items: ("decision" | "discussion" | "information")[];
    decisions?: number;
    actions?: number;
    venuePence?: number;
  }) => {
    const id = (
      await insertMeeting(root, f.ws, {
        board_id: f.boardId,
        starts_at: `2026-0${day++}-10T10:00:00Z`,
        status: "held",
        venue_cost_pence: spec.venuePence ?? 0,
      })
    ).id;
    for (const [i, person] of people.slice(0, spec.attended + (spec.apologies ?? 0)).entries()) {
      await insertAttendance(root, f.ws, {
        meeting_id: id,
        person_id: person,
        status: i < spec.attended ? "attended" : "apologies",
      });
    }
    for (const [position, purpose] of spec.items.entries()) {
      await f.db
        .insertInto("agenda_items")
        .values({ workspace_id: f.ws, meeting_id: id, position, title: `Item ${position}`, purpose })
        .execute();
    }
    for (let i = 0; i < (spec.decisions ?? 0); i++) {
      await f.db
        .insertInto("decisions")
        .values({ workspace_id: f.ws, board_id: f.boardId, meeting_id: id, text: "Agreed" })
        .execute();
    }
    for (let i = 0; i < (spec.actions ?? 0); i++) {
      await f.db
        .insertInto("actions")
        .values({
          workspace_id: f.ws,
          board_id: f.boardId,
          meeting_id: id,
          title: "Follow up",
          owner_agency_id: agencies[0]!,
          due_date: "2027-01-01",
        })
        .execute();
    }
    return id;
  };
  m.worth = await meeting({ attended: 2, items: ["decision", "information"], decisions: 1 });
  m.stop = await meeting({ attended: 2, items: ["information", "information", "discussion"] });
  m.costly = await meeting({ attended: 2, items: ["decision"], decisions: 1, venuePence: 200_000 });
  m.thin = await meeting({ attended: 1, apologies: 3, items: ["discussion"], actions: 1 });
  await f.db
    .insertInto("meeting_feedback")
    .values([
      { workspace_id: f.ws, meeting_id: m.worth, person_id: people[0]!, score: 4, comment: "Useful" },
      { workspace_id: f.ws, meeting_id: m.worth, person_id: people[1]!, score: 5 },
    ])
    .execute();
});
afterAll(() => f.handle.close());

async function verdictOnPage(meetingId: number, cookie = f.cookies.member) {
  const outcome = await callRoute(meetingPage, {
    path: `/meetings/${meetingId}`,
    params: { meetingId: String(meetingId) },
    cookie,
  });
  expect(outcome.status).toBe(200);
  return (outcome.body as { verdict: MeetingVerdictView | null }).verdict;
}

async function listed(query: string) {
  const outcome = await callRoute(meetingsPage, {
    path: `/meetings?when=past${query}`,
    cookie: f.cookies.leader,
  });
  return (outcome.body as { list: { rows: MeetingListItem[] } }).list.rows;
}

describe("meeting verdicts", () => {
  it("a productive, well-attended meeting is worth holding; its feedback sits among the reasons", async () => {
    expect(await verdictOnPage(m.worth!)).toEqual({
      verdict: "worth_holding",
      reasons: ["£195.00 for 1 decision", "2 of 2 invited attended", "Rated 4.5 out of 5 by 2 attendees"],
      feedbackCount: 2,
      feedbackAverage: 4.5,
    });
  });

  it("a meeting of information items with no decisions or actions could be a written update", async () => {
    expect((await verdictOnPage(m.stop!))?.verdict).toBe("consider_stopping");
    expect((await verdictOnPage(m.stop!))?.reasons).toEqual([
      "£195.00 for no decisions or actions",
      "2 of 3 items were for information",
      "No decisions made and no actions raised: this could be a written update",
    ]);
  });

  it("a meeting costing more per outcome than the threshold is for review", async () => {
    expect(await verdictOnPage(m.costly!)).toMatchObject({
      verdict: "review",
      reasons: ["£2,195.00 for 1 decision", "£2,195.00 per outcome, above the £750.00 limit"],
    });
  });

  it("a meeting short of its quorum and of half those invited is for review, with both reasons", async () => {
    expect(await verdictOnPage(m.thin!)).toMatchObject({
      verdict: "review",
      reasons: [
        "£97.50 for 1 action raised",
        "Not quorate: 1 of the 2 agencies needed was present",
        "Only 1 of 4 invited attended",
      ],
      feedbackCount: 0,
      feedbackAverage: null,
    });
  });

  it("a meeting not yet held has no verdict", async () => {
    const future = await insertMeeting(f.handle.db, f.ws, {
      board_id: f.boardId,
      starts_at: "2099-01-01T10:00:00Z",
    });
    expect(await verdictOnPage(future.id)).toBeNull();
  });

  it("the meetings list shows each verdict and filters by it", async () => {
    const rows = await listed("");
    expect(Object.fromEntries(rows.map((r) => [r.id, r.verdict]))).toEqual({
      [m.worth!]: "worth_holding",
      [m.stop!]: "consider_stopping",
      [m.costly!]: "review",
      [m.thin!]: "review",
    });
    expect((await listed("&verdict=review")).map((r) => r.id).sort()).toEqual([m.costly, m.thin].sort());
    expect((await listed("&verdict=consider_stopping")).map((r) => r.id)).toEqual([m.stop]);
    const wrong = await callRoute(meetingsPage, {
      path: "/meetings?when=past&verdict=maybe",
      cookie: f.cookies.leader,
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body as { errors: Record<string, string[]> }).errors.verdict).toEqual(["Choose a verdict"]);
  });

  it("follow the thresholds an admin sets on /admin/settings", async () => {
    const saved = await callRoute(settingsPage, {
      method: "POST",
      path: "/admin/settings",
      cookie: f.cookies.admin,
      form: {
        annual_working_hours: "1650",
        default_on_cost_pct: "30",
        default_overhead_pct: "0",
        default_mileage_pence: "45",
        review_cost_per_outcome_pence: "£150",
        stop_information_share_pct: "70",
        review_attendance_share_pct: "25",
      },
    });
    expect(saved.status).toBe(302);
    // £195 for one decision is now above £150 an outcome.
    expect(await verdictOnPage(m.worth!)).toMatchObject({
      verdict: "review",
      reasons: [
        "£195.00 for 1 decision",
        "£195.00 per outcome, above the £150.00 limit",
        "Rated 4.5 out of 5 by 2 attendees",
      ],
    });
    // 2 of 3 items is under 70 %: no longer a candidate to stop, but no outcomes for £195.
    expect(await verdictOnPage(m.stop!)).toMatchObject({
      verdict: "review",
      reasons: ["£195.00 for no decisions or actions", "No outcomes for £195.00"],
    });
    // 1 of 4 attending is 25 %, not under it: only the quorum remains.
    expect((await verdictOnPage(m.thin!))?.reasons).toEqual([
      "£97.50 for 1 action raised",
      "Not quorate: 1 of the 2 agencies needed was present",
    ]);
    expect((await listed("&verdict=worth_holding")).map((r) => r.id)).toEqual([]);
  });
});
