import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meetingCost } from "~/costs/costs.server";
import { refreshStaleRollups } from "~/costs/rollups.server";
import type { DatabaseHandle } from "../../db/client";
import type { WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { type WorkedExample, workedExample } from "../worked-example";

/*
 * The materialised rollups (meeting_rollups) against the live cost model (meetingCost), to
 * the penny, on the worked example's meetings (docs/cost-model.md): apologies, a deputy,
 * remote attendance, late arrival, a mid-year salary change, venue and catering. Then every
 * kind of write that moves a meeting's figures: the rollup is marked stale and the next
 * refresh agrees with the live figure again.
 */

let handle: DatabaseHandle;
let db: WorkspaceDb;
let ws: number;
let ids: Record<string, number>;
let meetingOn: WorkedExample["meetingOn"];

beforeAll(async () => {
  handle = await freshDatabase();
  ({ db, ws, ids, meetingOn } = await workedExample(handle.db, "rollups"));
  ids.march = await meetingOn("2026-03-10T10:00:00Z");
  ids.april = await meetingOn("2026-03-31T23:30:00Z"); // 00:30 on 1 April in London: the new rate
  ids.june = await meetingOn("2026-06-01T09:00:00Z");
});
afterAll(() => handle.close());

const rollup = (meetingId: number) =>
  db.selectFrom("meeting_rollups").selectAll().where("meeting_id", "=", meetingId).executeTakeFirst();

const agencyRows = async (meetingId: number) =>
  (
    await db
      .selectFrom("meeting_agency_rollups")
      .select("agency_id")
      .where("meeting_id", "=", meetingId)
      .execute()
  ).length;

/** Refreshes, then checks the rollup against the live cost model and returns it. */
async function refreshedAgreeing(meetingId: number) {
  await refreshStaleRollups(db);
  const [row, live] = await Promise.all([rollup(meetingId), meetingCost(db, meetingId)]);
  expect(row?.stale).toBe(false);
  expect(row?.cost_pence).toBe(live?.totalPence);
  const agencies = await db
    .selectFrom("meeting_agency_rollups")
    .select((eb) => eb.fn.sum<number>("cost_pence").as("cost"))
    .where("meeting_id", "=", meetingId)
    .executeTakeFirstOrThrow();
  expect(Number(agencies.cost)).toBe(live?.attendeesPence);
  return row!;
}

describe("meeting rollups", () => {
  it("equal the worked example's figures and the live cost model, to the penny", async () => {
    await refreshStaleRollups(db);
    // Ann 10,108p + Sam (deputy, remote, 25 minutes late) 7,734p + venue 15,000p + catering 4,250p.
    expect((await refreshedAgreeing(ids.march!)).cost_pence).toBe(37_092);
    // The same attendance on 1 April 2026 (London) at Ann's new salary: 10,463p for Ann.
    expect((await refreshedAgreeing(ids.april!)).cost_pence).toBe(10_463 + 7_734 + 15_000 + 4_250);
    const march = await rollup(ids.march!);
    expect(march).toMatchObject({
      held_on: "2026-03-10",
      invited: 3,
      attended: 2,
      apologies: 1,
      absent: 0,
      deputies: 1,
      agencies_present: 2,
      quorum_met: true,
      // Ann 120 + 30 + 30; Sam 95 + 0 (remote) + 30
      person_minutes: 180 + 125,
    });
    expect((await rollup(ids.april!))?.held_on).toBe("2026-04-01");
    const agencies = await db
      .selectFrom("meeting_agency_rollups")
      .select(["agency_id", "invited", "attended", "apologies", "deputies", "person_minutes", "cost_pence"])
      .where("meeting_id", "=", ids.march!)
      .orderBy("agency_id")
      .execute();
    expect(agencies).toEqual([
      {
        agency_id: ids.probation,
        invited: 2,
        attended: 1,
        apologies: 1,
        deputies: 0,
        person_minutes: 180,
        cost_pence: 10_108,
      },
      {
        agency_id: ids.police,
        invited: 1,
        attended: 1,
        apologies: 0,
        deputies: 1,
        person_minutes: 125,
        cost_pence: 7_734,
      },
    ]);
  });

  it("give the worked example's verdicts and reasons (docs/cost-model.md)", async () => {
    const purposes = ["information", "information", "discussion", "information", "information"] as const;
    for (const [position, purpose] of purposes.entries()) {
      await db
        .insertInto("agenda_items")
        .values({
          workspace_id: ws,
          meeting_id: ids.march!,
          position,
          title: `Item ${position + 1}`,
          purpose,
        })
        .execute();
    }
    const verdict = async () => {
      await refreshStaleRollups(db);
      const row = await rollup(ids.march!);
      return { verdict: row?.verdict, reasons: row?.reasons };
    };
    expect(await verdict()).toEqual({
      verdict: "consider_stopping",
      reasons: [
        "£370.92 for no decisions or actions",
        "4 of 5 items were for information",
        "No decisions made and no actions raised: this could be a written update",
      ],
    });
    const decision = await db
      .insertInto("decisions")
      .values({ workspace_id: ws, board_id: ids.board!, meeting_id: ids.march!, text: "Adopt the plan" })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await verdict()).toEqual({
      verdict: "worth_holding",
      reasons: ["£370.92 for 1 decision", "2 of 3 invited attended"],
    });
    await db
      .updateTable("workspaces")
      .set({ review_cost_per_outcome_pence: 30_000 })
      .where("id", "=", ws)
      .execute();
    expect(await verdict()).toEqual({
      verdict: "review",
      reasons: ["£370.92 for 1 decision", "£370.92 per outcome, above the £300.00 limit"],
    });
    await db
      .updateTable("workspaces")
      .set({ review_cost_per_outcome_pence: 75_000 })
      .where("id", "=", ws)
      .execute();
    await db.deleteFrom("decisions").where("id", "=", decision.id).execute();
    await db.deleteFrom("agenda_items").where("meeting_id", "=", ids.march!).execute();
  });

  it("do nothing when nothing has changed", async () => {
    await refreshStaleRollups(db);
    const before = await rollup(ids.june!);
    await refreshStaleRollups(db);
    expect((await rollup(ids.june!))?.refreshed_at).toEqual(before?.refreshed_at);
  });

  const writes: [string, (meetingId: number) => Promise<unknown>][] = [
    [
      "the register (a late arrival recorded)",
      (m) =>
        db
          .updateTable("attendance")
          .set({ minutes_present: 60 })
          .where("meeting_id", "=", m)
          .where("person_id", "=", ids.ann!)
          .execute(),
    ],
    [
      "the register (a new attendee)",
      async (m) => {
        const extra = await db
          .insertInto("people")
          .values({
            workspace_id: ws,
            agency_id: ids.police!,
            grade_id: ids.inspector!,
            full_name: "Ivy Extra",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await db
          .insertInto("attendance")
          .values({ workspace_id: ws, meeting_id: m, person_id: extra.id, status: "attended" })
          .execute();
      },
    ],
    [
      "the meeting (venue cost)",
      (m) => db.updateTable("meetings").set({ venue_cost_pence: 20_000 }).where("id", "=", m).execute(),
    ],
    [
      "the meeting (duration)",
      (m) => db.updateTable("meetings").set({ duration_minutes: 90 }).where("id", "=", m).execute(),
    ],
    [
      "an agenda item",
      (m) =>
        db
          .insertInto("agenda_items")
          .values({ workspace_id: ws, meeting_id: m, position: 1, title: "Update", purpose: "information" })
          .execute(),
    ],
    [
      "a decision",
      (m) =>
        db
          .insertInto("decisions")
          .values({ workspace_id: ws, board_id: ids.board!, meeting_id: m, text: "Agreed" })
          .execute(),
    ],
    [
      "an action raised",
      (m) =>
        db
          .insertInto("actions")
          .values({
            workspace_id: ws,
            board_id: ids.board!,
            meeting_id: m,
            title: "Do it",
            owner_agency_id: ids.police!,
            due_date: "2026-07-01",
          })
          .execute(),
    ],
    [
      "a salary change from a date before the meeting",
      () =>
        db
          .insertInto("grade_rates")
          .values({
            workspace_id: ws,
            grade_id: ids.sergeant!,
            effective_from: "2026-05-01",
            annual_salary_pence: 5_000_000,
          })
          .execute(),
    ],
    [
      "a person's grade",
      () => db.updateTable("people").set({ grade_id: ids.inspector! }).where("id", "=", ids.sam!).execute(),
    ],
    [
      "an agency's on-cost",
      () => db.updateTable("agencies").set({ on_cost_pct: 27.5 }).where("id", "=", ids.police!).execute(),
    ],
    [
      "an agency's mileage rate",
      () => db.updateTable("agencies").set({ mileage_pence: 50 }).where("id", "=", ids.probation!).execute(),
    ],
    [
      "the board's preparation time",
      () => db.updateTable("boards").set({ preparation_minutes: 45 }).where("id", "=", ids.board!).execute(),
    ],
    [
      "the workspace's working hours",
      () => db.updateTable("workspaces").set({ annual_working_hours: 1600 }).where("id", "=", ws).execute(),
    ],
    [
      "feedback",
      (m) =>
        db
          .insertInto("meeting_feedback")
          .values({ workspace_id: ws, meeting_id: m, person_id: ids.ann!, score: 4 })
          .execute(),
    ],
  ];

  for (const [what, write] of writes) {
    it(`are marked stale by a change to ${what}, and the next read is right`, async () => {
      await refreshStaleRollups(db);
      const before = await rollup(ids.june!);
      await write(ids.june!);
      expect((await rollup(ids.june!))?.stale).toBe(true);
      const after = await refreshedAgreeing(ids.june!);
      expect(after.refreshed_at).not.toEqual(before?.refreshed_at);
    });
  }

  it("re-judge every verdict from the stored figures when only the thresholds change, pricing nobody again", async () => {
    await refreshStaleRollups(db);
    const before = await rollup(ids.june!);
    await db
      .updateTable("workspaces")
      .set({ review_cost_per_outcome_pence: 1 })
      .where("id", "=", ws)
      .execute();
    expect((await rollup(ids.june!))?.stale).toBe(false);
    const flag = () =>
      db
        .selectFrom("workspaces")
        .select("rollup_verdicts_stale")
        .where("id", "=", ws)
        .executeTakeFirstOrThrow();
    expect((await flag()).rollup_verdicts_stale).toBe(true);
    const after = await refreshedAgreeing(ids.june!);
    expect(after.verdict).toBe("review");
    expect(after.reasons[1]).toMatch(/ per outcome, above the £0\.01 limit$|^No outcomes for /);
    expect(after.refreshed_at).toEqual(before?.refreshed_at);
    expect((await flag()).rollup_verdicts_stale).toBe(false);
    await db
      .updateTable("workspaces")
      .set({ review_cost_per_outcome_pence: 75_000 })
      .where("id", "=", ws)
      .execute();
    await refreshStaleRollups(db);
  });

  it("count the board's actions completed since its previous meeting, and follow a completion", async () => {
    await refreshStaleRollups(db);
    const action = await db
      .insertInto("actions")
      .values({
        workspace_id: ws,
        board_id: ids.board!,
        title: "Between meetings",
        owner_agency_id: ids.police!,
        due_date: "2026-05-01",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .updateTable("actions")
      .set({ status: "done", completed_at: "2026-05-20T12:00:00Z" })
      .where("id", "=", action.id)
      .execute();
    // Completed between the April and June meetings: it counts for June only.
    expect((await rollup(ids.june!))?.stale).toBe(true);
    expect((await rollup(ids.april!))?.stale).toBe(false);
    await refreshStaleRollups(db);
    const june = await rollup(ids.june!);
    expect(june?.actions_completed_since_previous).toBe(1);
    expect(june?.outcomes).toBe(june!.decisions + june!.actions_raised + 1);
    expect((await rollup(ids.april!))?.actions_completed_since_previous).toBe(0);
  });

  it("drop a meeting cancelled or moved to the future, and take it back when held again", async () => {
    await refreshStaleRollups(db);
    await db
      .updateTable("meetings")
      .set({ status: "cancelled", cancelled_reason: "Snow" })
      .where("id", "=", ids.march!)
      .execute();
    await refreshStaleRollups(db);
    expect(await rollup(ids.march!)).toBeUndefined();
    expect(await agencyRows(ids.march!)).toBe(0);
    await db
      .updateTable("meetings")
      .set({ status: "held", cancelled_reason: null })
      .where("id", "=", ids.march!)
      .execute();
    await refreshStaleRollups(db);
    expect((await refreshedAgreeing(ids.march!)).held_on).toBe("2026-03-10");

    await db
      .updateTable("meetings")
      .set({ starts_at: "2099-01-01T10:00:00Z" })
      .where("id", "=", ids.march!)
      .execute();
    await refreshStaleRollups(db);
    expect(await rollup(ids.march!)).toBeUndefined();
    await db
      .updateTable("meetings")
      .set({ starts_at: "2026-03-10T10:00:00Z" })
      .where("id", "=", ids.march!)
      .execute();
    expect((await refreshedAgreeing(ids.march!)).cost_pence).toBeGreaterThan(0);
  });

  it("take in a meeting entered after the event, and one whose start has just passed; drop a deleted one", async () => {
    await refreshStaleRollups(db);
    const backdated = await meetingOn("2025-11-04T10:00:00Z");
    await refreshedAgreeing(backdated);
    expect(await agencyRows(backdated)).toBe(2);
    await db.deleteFrom("attendance").where("meeting_id", "=", backdated).execute();
    await db.deleteFrom("meetings").where("id", "=", backdated).execute();
    expect(await rollup(backdated)).toBeUndefined();
    expect(await agencyRows(backdated)).toBe(0);

    const soon = await meetingOn(new Date(Date.now() + 1500).toISOString());
    await refreshStaleRollups(db);
    expect(await rollup(soon)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await refreshedAgreeing(soon);
  });

  it("stay in step with the live model for every meeting at once", async () => {
    await refreshStaleRollups(db);
    const rows = await db.selectFrom("meeting_rollups").select(["meeting_id", "cost_pence"]).execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row.cost_pence).toBe((await meetingCost(db, row.meeting_id))?.totalPence);
    const stale = await sql<{
      n: number;
    }>`select count(*)::int as n from meeting_rollups where workspace_id = ${ws} and stale`.execute(db);
    expect(stale.rows[0]?.n).toBe(0);
  });
});
