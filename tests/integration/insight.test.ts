import { addDays } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agencyBurden, agencyScorecard } from "~/costs/agency-burden.server";
import { boardRollup, getBoardCosts } from "~/costs/board-rollups.server";
import { dashboard } from "~/costs/dashboard.server";
import { boardOverlaps } from "~/costs/overlap.server";
import { lastTwelveMonths } from "~/costs/periods";
import { boardScenarios } from "~/costs/scenarios.server";
import { useDatabaseForTests } from "~/db.server";
import * as agencyRollupApi from "~/routes/api.v1.agencies.$agencyId.rollup";
import * as boardRollupApi from "~/routes/api.v1.boards.$boardId.rollup";
import * as boardPage from "~/routes/boards.$boardId";
import * as boardCostsPage from "~/routes/boards.$boardId_.costs";
import * as dashboardPage from "~/routes/dashboard";
import * as agencyPage from "~/routes/dashboard_.agencies.$agencyId";
import * as dashboardCsv from "~/routes/dashboard[.]csv";
import type { DatabaseHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { type ApiModule, callApi, tokenFor } from "../api";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertAttendance,
  insertBoard,
  insertMeeting,
  insertPerson,
  insertUser,
  insertWorkspace,
  makeViewer,
  type TestGrant,
} from "../factories";
import { callRoute, cookieFor, type RouteModule } from "../routes";

/*
 * Cost rollups on constructed partnerships, every figure worked by hand from the cost model
 * (docs/cost-model.md). Everyone is on a £33,000 grade: probation at the workspace's 30 %
 * on-cost costs 3,300,000 × 1.30 ÷ 1,650 = 2,600p an hour; police at 25 %, 2,500p.
 * Meetings last an hour with no preparation unless a test says otherwise.
 */

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
});
afterAll(() => handle?.close());

async function partnership(slug: string) {
  const db = handle.db;
  const ws = (await insertWorkspace(db, { slug, name: `${slug} partnership` })).id;
  const probation = (await insertAgency(db, ws, { name: `${slug} Probation`, type: "probation" })).id;
  const police = (
    await insertAgency(db, ws, { name: `${slug} Police`, type: "police", on_cost_pct: 25, mileage_pence: 40 })
  ).id;
  const grade = async (agency_id: number) => {
    const id = (
      await db
        .insertInto("grades")
        .values({ workspace_id: ws, agency_id, name: "Officer" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto("grade_rates")
      .values({
        workspace_id: ws,
        grade_id: id,
        effective_from: "2020-01-01",
        annual_salary_pence: 3_300_000,
      })
      .execute();
    return id;
  };
  const grades = { probation: await grade(probation), police: await grade(police) };
  const person = async (name: string, agency: "probation" | "police" = "probation") =>
    (
      await insertPerson(db, ws, {
        full_name: name,
        agency_id: agency === "probation" ? probation : police,
        grade_id: grades[agency],
      })
    ).id;
  const board = async (
    name: string,
    values: { preparation_minutes?: number; quorum?: number; type?: "csp" | "lcjb" } = {},
  ) =>
    (
      await insertBoard(db, ws, {
        name,
        slug: name.toLowerCase().replaceAll(" ", "-"),
        preparation_minutes: 0,
        quorum: 1,
        ...values,
      })
    ).id;
  type Attendee =
    | number
    | { person: number; mode?: "remote"; travel?: number; miles?: number; status?: "apologies" };
  const meeting = async (
    board_id: number,
    startsAt: Date | string,
    attendees: Attendee[],
    values: { venue?: number; status?: "held" | "scheduled" | "cancelled" } = {},
  ) => {
    const id = (
      await insertMeeting(db, ws, {
        board_id,
        starts_at: startsAt,
        duration_minutes: 60,
        status: values.status ?? "held",
        venue_cost_pence: values.venue ?? 0,
      })
    ).id;
    for (const a of attendees) {
      const spec = typeof a === "number" ? { person: a } : a;
      await insertAttendance(db, ws, {
        meeting_id: id,
        person_id: spec.person,
        status: spec.status ?? "attended",
        mode: spec.mode ?? "in_person",
        travel_minutes: spec.travel ?? 0,
        miles: spec.miles ?? 0,
      });
    }
    return id;
  };
  /** An agenda of `information` items for information and `decision` items for decision, with one decision recorded per decision item. */
  const agenda = async (meeting_id: number, board_id: number, information: number, decision = 0) => {
    for (let position = 0; position < information + decision; position++) {
      const purpose = position < information ? "information" : "decision";
      await db
        .insertInto("agenda_items")
        .values({ workspace_id: ws, meeting_id, position, title: `Item ${position + 1}`, purpose })
        .execute();
      if (purpose === "decision")
        await db
          .insertInto("decisions")
          .values({ workspace_id: ws, board_id, meeting_id, text: "Agreed" })
          .execute();
    }
  };
  return {
    ws,
    db: scopeToWorkspace(db, ws) as WorkspaceDb,
    probation,
    police,
    person,
    board,
    meeting,
    agenda,
  };
}

const daysFromNow = (days: number) => addDays(new Date(), days);

describe("board rollups over period boundaries in Europe/London", () => {
  let p: Awaited<ReturnType<typeof partnership>>;
  let boardId: number;

  beforeAll(async () => {
    p = await partnership("periods");
    boardId = await p.board("Periods board");
    const ann = await p.person("Ann");
    const bob = await p.person("Bob");
    // 23:30 on 31 March 2026, British Summer Time (22:30 UTC): still March, Q1, 2025/26.
    await p.meeting(boardId, "2026-03-31T22:30:00Z", [ann, bob]);
    // 00:30 on 1 April 2026 London (23:30 UTC on 31 March): April, Q2, 2026/27.
    await p.meeting(boardId, "2026-03-31T23:30:00Z", [ann]);
    // 10:00 on 1 April 2025: 2025/26.
    await p.meeting(boardId, "2025-04-01T09:00:00Z", [ann]);
    // 23:30 on 31 March 2025 (BST began on 30 March): 2024/25.
    await p.meeting(boardId, "2025-03-31T22:30:00Z", [bob]);
    // Cancelled in the period: counted as cancelled, never costed.
    await p.meeting(boardId, "2025-10-01T09:00:00Z", [ann], { status: "cancelled" });
  });

  it("puts a meeting late on 31 March in March's quarter and financial year, and one just after midnight in April's", async () => {
    const rollup = await boardRollup(p.db, boardId, "2026-03-31");
    expect(rollup.period).toEqual({ from: "2025-04-01", to: "2026-03-31" });
    // 31 March 2026 (5,200p) and 1 April 2025 (2,600p); not 1 April 2026, not 31 March 2025.
    expect(rollup.totals.held).toBe(2);
    expect(rollup.totals.costPence).toBe(7_800);
    expect(rollup.totals.personMinutes).toBe(180);
    expect(rollup.cancelled).toBe(1);
    expect(rollup.byYear).toEqual([
      { year: 2024, held: 1, costPence: 2_600, outcomes: 0 },
      { year: 2025, held: 2, costPence: 7_800, outcomes: 0 },
      { year: 2026, held: 1, costPence: 2_600, outcomes: 0 },
    ]);
    expect(rollup.byQuarter.map((q) => [q.quarter, q.costPence])).toEqual([
      ["2025-01-01", 2_600],
      ["2025-04-01", 2_600],
      ["2026-01-01", 5_200],
    ]);
    expect(rollup.byAgency).toEqual([
      expect.objectContaining({
        agencyId: p.probation,
        invited: 3,
        attended: 3,
        costPence: 7_800,
        attendanceRate: 1,
      }),
    ]);
  });

  it("moves the twelve months on by a day", async () => {
    const rollup = await boardRollup(p.db, boardId, "2026-04-01");
    expect(rollup.period).toEqual({ from: "2025-04-02", to: "2026-04-01" });
    expect(rollup.totals.held).toBe(2);
    expect(rollup.totals.costPence).toBe(7_800);
    expect(rollup.byQuarter.at(-1)).toMatchObject({ quarter: "2026-04-01", held: 1, costPence: 2_600 });
  });
});

describe("overlap on a constructed membership", () => {
  it("lists the pairs with a Jaccard index of at least 0.5, most worth merging first", async () => {
    const p = await partnership("overlap");
    const people = [];
    for (let i = 1; i <= 9; i++) people.push(await p.person(`Person ${i}`));
    const [p1, p2, p3, p4, p5, p6, p7, , p9] = people as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const x = await p.board("X board");
    const y = await p.board("Y board");
    const v = await p.board("V board");
    const z = await p.board("Z board");
    const when = daysFromNow(-20);
    // p9 sent apologies to X: not someone who attended.
    await p.meeting(x, when, [p1, p2, p3, p4, { person: p9, status: "apologies" }]);
    await p.meeting(y, when, [p1, p2, p3, p5]);
    await p.meeting(v, when, [p1, p2]);
    await p.meeting(z, when, [p1, p6, p7]);
    // Long ago: outside the twelve months, so Z's old meeting with X's people does not count.
    await p.meeting(z, daysFromNow(-400), [p2, p3, p4]);

    const { pairs } = await boardOverlaps(p.db);
    expect(
      pairs.map((pair) => ({
        boards: pair.boards.map((b) => b.name),
        shared: pair.sharedPeople,
        people: pair.people,
        jaccard: pair.jaccard,
        costs: pair.boards.map((b) => b.annualPence),
        saving: pair.savingPence,
      })),
    ).toEqual([
      // 3 shared of 5: 0.6; the cheaper board's £104.00 × 3/5 = £62.40.
      {
        boards: ["X board", "Y board"],
        shared: 3,
        people: 5,
        jaccard: 0.6,
        costs: [10_400, 10_400],
        saving: 6_240,
      },
      // Exactly 0.5 is enough: £52.00 × 2/4 = £26.00.
      {
        boards: ["X board", "V board"],
        shared: 2,
        people: 4,
        jaccard: 0.5,
        costs: [10_400, 5_200],
        saving: 2_600,
      },
      {
        boards: ["Y board", "V board"],
        shared: 2,
        people: 4,
        jaccard: 0.5,
        costs: [10_400, 5_200],
        saving: 2_600,
      },
    ]);
    expect(pairs[0]?.sharedNames).toEqual(["Person 1", "Person 2", "Person 3"]);

    // On X's costs page, a leader sees both pairs with X; a member of X alone sees neither
    // (the other boards are not theirs to read), a member of X and V sees the X–V pair.
    const onX = async (grants: TestGrant[]) =>
      (await getBoardCosts(makeViewer(handle.db, p.ws, grants), x)).overlaps.map((o) =>
        o.boards.map((b) => b.name),
      );
    expect(await onX([{ role: "leader" }])).toEqual([
      ["X board", "Y board"],
      ["X board", "V board"],
    ]);
    expect(await onX([{ role: "member", board_id: x }])).toEqual([]);
    expect(
      await onX([
        { role: "member", board_id: x },
        { role: "member", board_id: v },
      ]),
    ).toEqual([["X board", "V board"]]);
  });

  it("follows a register change and a renamed board at once (the figures are kept only until the rollups move)", async () => {
    const p = await partnership("overlap-cache");
    const [a, b, c] = [await p.person("Ann"), await p.person("Bob"), await p.person("Cat")];
    const x = await p.board("X board");
    const y = await p.board("Y board");
    const when = daysFromNow(-10);
    await p.meeting(x, when, [a, b]);
    const onY = await p.meeting(y, when, [c]);
    expect((await boardOverlaps(p.db)).pairs).toEqual([]);
    expect((await boardOverlaps(p.db)).pairs).toEqual([]); // the kept figures, still right

    // Ann and Bob go to Y's meeting too: X and Y now share 2 of 3 people.
    await p.db
      .insertInto("attendance")
      .values(
        [a, b].map((person_id) => ({
          workspace_id: p.ws,
          meeting_id: onY,
          person_id,
          status: "attended" as const,
        })),
      )
      .execute();
    const after = (await boardOverlaps(p.db)).pairs;
    expect(after.map((pair) => [pair.boards.map((bd) => bd.name), pair.sharedPeople])).toEqual([
      [["X board", "Y board"], 2],
    ]);

    await p.db.updateTable("boards").set({ name: "Renamed X" }).where("id", "=", x).execute();
    expect((await boardOverlaps(p.db)).pairs[0]?.boards[0].name).toBe("Renamed X");
  });
});

describe("the dashboard: what to review first", () => {
  it("ranks the meetings to stop by cost, flags the board that mostly should stop, and scopes by board type", async () => {
    const p = await partnership("review");
    const shop = await p.board("Talking shop", { type: "csp" });
    const working = await p.board("Working board", { type: "lcjb" });
    const [ann, bob, cat] = [await p.person("Ann"), await p.person("Bob"), await p.person("Cat")];
    // Three meetings of five items for information and no decisions: consider stopping.
    const shopMeetings = [];
    for (const [days, people] of [
      [-100, [ann]],
      [-70, [ann, bob]],
      [-40, [ann, bob, cat]],
    ] as const) {
      const id = await p.meeting(shop, daysFromNow(days), [...people]);
      await p.agenda(id, shop, 5);
      shopMeetings.push(id);
    }
    // Two meetings with a decision each, £26.00 for one outcome: worth holding.
    for (const days of [-90, -50])
      await p.agenda(await p.meeting(working, daysFromNow(days), [ann]), working, 1, 1);

    const period = lastTwelveMonths();
    const all = await dashboard(p.db, period, { kind: "workspace" });
    expect(all.totals).toMatchObject({
      held: 5,
      costPence: 20_800,
      worthHolding: 2,
      review: 0,
      considerStopping: 3,
    });
    expect(all.meetingsToReview.map((m) => [m.meetingId, m.verdict, m.costPence])).toEqual([
      [shopMeetings[2], "consider_stopping", 7_800],
      [shopMeetings[1], "consider_stopping", 5_200],
      [shopMeetings[0], "consider_stopping", 2_600],
    ]);
    expect(all.boardsToReview.map((b) => b.boardName)).toEqual(["Talking shop"]);
    expect(all.byBoard.map((b) => [b.boardName, b.costPence, b.sunset])).toEqual([
      ["Talking shop", 15_600, true],
      ["Working board", 5_200, false],
    ]);
    expect(all.costPerOutcomePence).toBe(10_400);
    // The quarters, in date order, add up to the totals (one grouped pass gives all three).
    const quarters = all.byQuarter.map((q) => q.quarter);
    expect(quarters).toEqual([...quarters].sort());
    expect(all.byQuarter.reduce((sum, q) => sum + q.held, 0)).toBe(5);
    expect(all.byQuarter.reduce((sum, q) => sum + q.costPence, 0)).toBe(20_800);
    expect(all.byQuarter.every((q) => /^\d{4}-(01|04|07|10)-01$/.test(q.quarter))).toBe(true);
    expect(all.cancelled).toBe(0);

    const lcjb = await dashboard(p.db, period, { kind: "board_type", boardType: "lcjb" });
    expect(lcjb.totals).toMatchObject({ held: 2, costPence: 5_200, outcomes: 2 });
    expect(lcjb.meetingsToReview).toEqual([]);
    const police = await dashboard(p.db, period, { kind: "agency", agencyId: p.police });
    expect(police.totals.held).toBe(0);
    const probation = await dashboard(p.db, period, { kind: "agency", agencyId: p.probation });
    expect(probation.totals).toMatchObject({ held: 5, costPence: 20_800 });

    // The board's own page carries the sunset prompt.
    await insertUser(handle.db, p.ws, { email: "leader@review.test" }, [{ role: "leader" }]);
    const page = await callRoute(boardPage as RouteModule, {
      path: `/boards/${shop}`,
      params: { boardId: String(shop) },
      cookie: await cookieFor(handle.db, "leader@review.test"),
    });
    expect((page.body as { sunset: { flagged: boolean } }).sunset.flagged).toBe(true);
  });
});

describe("the demo partnership", () => {
  it("shows a leader the three meetings most worth stopping and the board pair most worth merging", async () => {
    await seedDemo(handle.db);
    const ws = (
      await handle.db
        .selectFrom("workspaces")
        .select("id")
        .where("slug", "=", "demo")
        .executeTakeFirstOrThrow()
    ).id;
    await insertUser(handle.db, ws, { email: "leader@demo-insight.test" }, [{ role: "leader" }]);
    const outcome = await callRoute(dashboardPage as RouteModule, {
      path: "/dashboard",
      cookie: await cookieFor(handle.db, "leader@demo-insight.test"),
    });
    expect(outcome.status).toBe(200);
    const { figures, overlaps } = outcome.body as {
      figures: { meetingsToReview: { verdict: string; costPence: number }[] };
      overlaps: { boards: { name: string }[]; savingPence: number }[];
    };
    const top = figures.meetingsToReview.slice(0, 3);
    expect(top.map((m) => m.verdict)).toEqual([
      "consider_stopping",
      "consider_stopping",
      "consider_stopping",
    ]);
    expect(top.map((m) => m.costPence)).toEqual([...top.map((m) => m.costPence)].sort((a, b) => b - a));
    expect(overlaps.length).toBeGreaterThan(0);
    expect(overlaps[0]?.savingPence).toBeGreaterThan(0);
  });
});

describe("scenarios, agency burden and the pages, CSV and API that show them", () => {
  let p: Awaited<ReturnType<typeof partnership>>;
  let boardId: number;
  let ann: number;
  let bob: number;
  const cookies = {} as Record<"admin" | "leader" | "secretary" | "member" | "partner", string>;
  const tokens = {} as Record<"admin" | "member", string>;

  beforeAll(async () => {
    p = await partnership("scenarios");
    boardId = await p.board("Scenario board");
    ann = await p.person("Ann Probation");
    bob = await p.person("Bob Probation");
    const pete = await p.person("Pete Police", "police");
    // Each: Ann in person, 30 minutes' travel, 10 miles: 2,600 × 90/60 + 10 × 45 = 4,350p;
    // Bob remote: 2,600p; Pete in person: 2,500p; venue £100.00. The meeting: 19,450p.
    for (const days of [-90, -60, -30]) {
      await p.meeting(
        boardId,
        daysFromNow(days),
        [{ person: ann, travel: 30, miles: 10 }, { person: bob, mode: "remote" }, pete],
        { venue: 10_000 },
      );
    }
    // Six meetings scheduled in the next twelve months.
    for (const days of [30, 60, 90, 120, 150, 180])
      await p.meeting(boardId, daysFromNow(days), [], { status: "scheduled" });

    const root = handle.db;
    await insertUser(root, p.ws, { email: "admin@scenarios.test" }, [{ role: "admin" }]);
    await insertUser(root, p.ws, { email: "leader@scenarios.test" }, [{ role: "leader" }]);
    await insertUser(root, p.ws, { email: "secretary@scenarios.test" }, [
      { role: "secretary", board_id: boardId },
    ]);
    await insertUser(root, p.ws, { email: "member@scenarios.test" }, [{ role: "member", board_id: boardId }]);
    await insertUser(root, p.ws, { email: "partner@scenarios.test" }, [
      { role: "partner", agency_id: p.probation },
    ]);
    for (const role of ["admin", "leader", "secretary", "member", "partner"] as const)
      cookies[role] = await cookieFor(root, `${role}@scenarios.test`);
    tokens.admin = (await tokenFor(root, "admin@scenarios.test", "read")).token;
    tokens.member = (await tokenFor(root, "member@scenarios.test", "read")).token;
  });

  it("projects the annual saving of meeting quarterly, sending one person per agency, or meeting virtually", async () => {
    const s = await boardScenarios(p.db, boardId);
    expect(s).toMatchObject({
      meetingsPerYear: 6,
      basedOn: 3,
      averageMeetingPence: 19_450,
      annualPence: 116_700,
    });
    expect(s.scenarios).toEqual([
      // Four meetings of 19,450p.
      { kind: "quarterly", annualPence: 77_800, savingPence: 38_900 },
      // Probation sends Ann only (4,350p), police Pete: 4,350 + 2,500 + 10,000 = 16,850p × 6.
      { kind: "one_per_agency", annualPence: 101_100, savingPence: 15_600 },
      // No travel, no miles, no venue: 2,600 + 2,600 + 2,500 = 7,700p × 6.
      { kind: "virtual", annualPence: 46_200, savingPence: 70_500 },
    ]);
  });

  it("projects the scheduled meetings' cost from the recent meetings' attendance", async () => {
    const rollup = await boardRollup(p.db, boardId);
    expect(rollup.totals.costPence).toBe(58_350);
    // 9,450p of people per meeting (the venue is the scheduled meetings' own: none) × 6.
    expect(rollup.projection).toEqual({ scheduled: 6, expectedMeetingPence: 9_450, projectedPence: 56_700 });
  });

  it("says what partnership meetings cost an agency, and who carries it", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const burden = await agencyBurden(p.db, p.probation, { from: "2020-01-01", to: today });
    // Ann 90 minutes and 4,350p, Bob 60 minutes and 2,600p, at each of three meetings.
    expect(burden?.totals).toEqual({ meetings: 3, personMinutes: 450, costPence: 20_850 });
    expect(burden?.byBoard).toEqual([
      { boardId, boardName: "Scenario board", meetings: 3, personMinutes: 450, costPence: 20_850 },
    ]);
    expect(burden?.people).toEqual([
      {
        personId: ann,
        name: "Ann Probation",
        gradeName: "Officer",
        meetings: 3,
        personMinutes: 270,
        costPence: 13_050,
      },
      {
        personId: bob,
        name: "Bob Probation",
        gradeName: "Officer",
        meetings: 3,
        personMinutes: 180,
        costPence: 7_800,
      },
    ]);
    expect(burden?.grades).toEqual([
      { gradeName: "Officer", people: 2, meetings: 3, personMinutes: 450, costPence: 20_850 },
    ]);
    const scorecard = await agencyScorecard(p.db, { from: "2020-01-01", to: today });
    expect(scorecard.map((s) => [s.agencyName, s.costPence, s.costShare])).toEqual([
      ["scenarios Probation", 20_850, 20_850 / 28_350],
      ["scenarios Police", 7_500, 7_500 / 28_350],
    ]);
  });

  it("gives the same figures on the page, in the CSV and from the API", async () => {
    const page = await callRoute(boardCostsPage as RouteModule, {
      path: `/boards/${boardId}/costs`,
      params: { boardId: String(boardId) },
      cookie: cookies.member,
    });
    expect(page.status).toBe(200);
    const pageData = page.body as Awaited<ReturnType<typeof boardCostsPage.loader>>;
    const api = await callApi(boardRollupApi as unknown as ApiModule, {
      path: `/api/v1/boards/${boardId}/rollup`,
      params: { boardId: String(boardId) },
      token: tokens.member,
    });
    expect(api.status).toBe(200);
    const json = api.json as Record<string, unknown>;
    expect(json).toMatchObject({
      cost_pence: pageData.rollup.totals.costPence,
      meetings_held: pageData.rollup.totals.held,
      projected_annual_pence: pageData.rollup.projection.projectedPence,
    });
    expect(json.cost_pence).toBe(58_350);
    // A member sees the board's totals, not what each agency's people cost (one person's salary, at times).
    expect(pageData.rollup.byAgency.map((a) => a.costPence)).toEqual([null, null]);
    expect((json.by_agency as { cost_pence: number | null }[]).map((a) => a.cost_pence)).toEqual([
      null,
      null,
    ]);
    const leaderPage = await callRoute(boardCostsPage as RouteModule, {
      path: `/boards/${boardId}/costs`,
      params: { boardId: String(boardId) },
      cookie: cookies.leader,
    });
    const leaderData = leaderPage.body as Awaited<ReturnType<typeof boardCostsPage.loader>>;
    expect(leaderData.rollup.byAgency.map((a) => [a.agencyName, a.costPence])).toEqual([
      ["scenarios Police", 7_500],
      ["scenarios Probation", 20_850],
    ]);
    expect(json.scenarios).toEqual(
      pageData.scenarios.scenarios.map((s) => ({
        kind: s.kind,
        annual_pence: s.annualPence,
        saving_pence: s.savingPence,
      })),
    );

    const dashboard = await callRoute(dashboardPage as RouteModule, {
      path: "/dashboard",
      cookie: cookies.leader,
    });
    expect(dashboard.status).toBe(200);
    const dashboardData = dashboard.body as {
      figures: { byBoard: { boardId: number; costPence: number }[] };
    };
    const row = dashboardData.figures.byBoard.find((b) => b.boardId === boardId);
    expect(row?.costPence).toBe(58_350);
    const csv = await callRoute(dashboardCsv as RouteModule, {
      path: "/dashboard.csv?table=boards",
      cookie: cookies.leader,
    });
    expect(csv.status).toBe(200);
    const lines = String(csv.body).replace("\uFEFF", "").trim().split("\r\n");
    expect(lines[1]).toMatch(/^Scenario board,3,583\.50,/);

    const agency = await callRoute(agencyPage as RouteModule, {
      path: `/dashboard/agencies/${p.probation}`,
      params: { agencyId: String(p.probation) },
      cookie: cookies.leader,
    });
    expect(agency.status).toBe(200);
    const agencyData = agency.body as { burden: { totals: { costPence: number; personMinutes: number } } };
    const agencyApi = await callApi(agencyRollupApi as unknown as ApiModule, {
      path: `/api/v1/agencies/${p.probation}/rollup`,
      params: { agencyId: String(p.probation) },
      token: tokens.admin,
    });
    expect(agencyApi.status).toBe(200);
    expect(agencyApi.json).toMatchObject({
      cost_pence: agencyData.burden.totals.costPence,
      person_minutes: agencyData.burden.totals.personMinutes,
    });
    expect(agencyData.burden.totals.costPence).toBe(20_850);
  });

  it("refuses salary-level detail to secretaries, members and partners (404)", async () => {
    for (const role of ["secretary", "member", "partner"] as const) {
      const dashboard = await callRoute(dashboardPage as RouteModule, {
        path: "/dashboard",
        cookie: cookies[role],
      });
      expect(dashboard.status, `${role} dashboard`).toBe(404);
      const csv = await callRoute(dashboardCsv as RouteModule, {
        path: "/dashboard.csv?table=scorecard",
        cookie: cookies[role],
      });
      expect(csv.status, `${role} csv`).toBe(404);
      const agency = await callRoute(agencyPage as RouteModule, {
        path: `/dashboard/agencies/${p.probation}`,
        params: { agencyId: String(p.probation) },
        cookie: cookies[role],
      });
      expect(agency.status, `${role} agency burden`).toBe(404);
    }
    const memberApi = await callApi(agencyRollupApi as unknown as ApiModule, {
      path: `/api/v1/agencies/${p.probation}/rollup`,
      params: { agencyId: String(p.probation) },
      token: tokens.member,
    });
    expect(memberApi.status).toBe(404);
    // A partner does not read the board, so not its totals either.
    const partnerBoard = await callRoute(boardCostsPage as RouteModule, {
      path: `/boards/${boardId}/costs`,
      params: { boardId: String(boardId) },
      cookie: cookies.partner,
    });
    expect(partnerBoard.status).toBe(404);
    const admin = await callRoute(dashboardPage as RouteModule, {
      path: "/dashboard",
      cookie: cookies.admin,
    });
    expect(admin.status).toBe(200);
  });

  it("answers a bad period with the message beside the field (400)", async () => {
    const outcome = await callRoute(dashboardPage as RouteModule, {
      path: "/dashboard?from=2026-05-01&to=2026-04-01",
      cookie: cookies.leader,
    });
    expect(outcome.status).toBe(400);
    expect((outcome.body as { errors: Record<string, string[]> }).errors.to).toEqual([
      "The start must be on or before the end",
    ]);
  });
});
