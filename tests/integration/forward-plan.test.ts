import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import { addMonthsToIsoDate, type ForwardPlan } from "~/forward-plan/forward-plan.server";
import * as forwardPlanRoute from "~/routes/forward-plan";
import type { DatabaseHandle } from "../../db/client";
import type { AgendaPurpose, Classification } from "../../db/schema";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertBoard,
  insertMeeting,
  insertPerson,
  insertUser,
  insertWorkspace,
} from "../factories";
import type { RouteModule } from "../routes";
import { callRoute, signedIn } from "../routes";

/*
 * The forward plan: decision items on the agendas of scheduled meetings from today, on the
 * boards the viewer reads, filterable by board and by the presenter's agency; never another
 * workspace's; a partner (who reads no board) gets an empty plan.
 */

const route = forwardPlanRoute as unknown as RouteModule;
const DAY = 24 * 60 * 60 * 1000;

let handle: DatabaseHandle;
const ids: Record<string, number> = {};
const cookies: Record<string, string> = {};

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const db = handle.db;
  const inDays = (days: number) => new Date(Date.now() + days * DAY);

  const setUp = async (slug: string) => {
    const ws = (await insertWorkspace(db, { slug, name: slug })).id;
    const police = (await insertAgency(db, ws, { name: `${slug} Police`, type: "police" })).id;
    const probation = (await insertAgency(db, ws, { name: `${slug} Probation`, type: "probation" })).id;
    const officer = (await insertPerson(db, ws, { full_name: `${slug} Officer`, agency_id: police })).id;
    const manager = (await insertPerson(db, ws, { full_name: `${slug} Manager`, agency_id: probation })).id;
    return { ws, police, probation, officer, manager };
  };
  const item = async (
    ws: number,
    meetingId: number,
    position: number,
    title: string,
    presenter: number | null,
    purpose: AgendaPurpose = "decision",
    classification: Classification = "official",
  ) =>
    handle.db
      .insertInto("agenda_items")
      .values({
        workspace_id: ws,
        meeting_id: meetingId,
        position,
        title,
        purpose,
        presenter_person_id: presenter,
        classification,
      })
      .execute();

  const here = await setUp("here");
  Object.assign(ids, { police: here.police, probation: here.probation });
  const ws = here.ws;
  ids.lcjb = (await insertBoard(db, ws, { name: "LCJB" })).id;
  ids.csp = (await insertBoard(db, ws, { name: "CSP" })).id;
  ids.hidden = (await insertBoard(db, ws, { name: "Hidden board" })).id;

  const soon = (await insertMeeting(db, ws, { board_id: ids.lcjb, starts_at: inDays(10) })).id;
  await item(ws, soon, 1, "Approve the reducing reoffending strategy", here.officer);
  await item(ws, soon, 2, "Discuss the performance report", here.officer, "discussion");
  await item(ws, soon, 3, "Agree the MAPPA case review", here.manager, "decision", "official_sensitive");
  const cancelled = (
    await insertMeeting(db, ws, { board_id: ids.lcjb, starts_at: inDays(15), status: "cancelled" })
  ).id;
  await item(ws, cancelled, 1, "Decision at a cancelled meeting", here.officer);
  const past = (await insertMeeting(db, ws, { board_id: ids.lcjb, starts_at: inDays(-10) })).id;
  await item(ws, past, 1, "Decision already past", here.officer);
  const held = (await insertMeeting(db, ws, { board_id: ids.lcjb, starts_at: inDays(-20), status: "held" }))
    .id;
  await item(ws, held, 1, "Decision already held", here.officer);
  const later = (await insertMeeting(db, ws, { board_id: ids.lcjb, starts_at: inDays(240) })).id;
  await item(ws, later, 1, "Adopt next year's plan", here.manager);
  const csp = (await insertMeeting(db, ws, { board_id: ids.csp, starts_at: inDays(20) })).id;
  await item(ws, csp, 1, "Fund the night-time economy scheme", here.manager);
  const hidden = (await insertMeeting(db, ws, { board_id: ids.hidden, starts_at: inDays(5) })).id;
  await item(ws, hidden, 1, "Decision on a board the member does not sit on", here.officer);

  const there = await setUp("there");
  const theirBoard = (await insertBoard(db, there.ws, { name: "Their LCJB" })).id;
  const theirs = (await insertMeeting(db, there.ws, { board_id: theirBoard, starts_at: inDays(7) })).id;
  await item(there.ws, theirs, 1, "Another workspace's decision", there.officer);

  const users = {
    admin: await insertUser(db, ws, { email: "admin@plan.test" }, [{ role: "admin" }]),
    member: await insertUser(db, ws, { email: "member@plan.test" }, [{ role: "member", board_id: ids.lcjb }]),
    partner: await insertUser(db, ws, { email: "partner@plan.test" }, [
      { role: "partner", agency_id: here.police },
    ]),
  };
  for (const [name, user] of Object.entries(users)) cookies[name] = await signedIn(db, user.id, ws);
  const outsider = await insertUser(db, there.ws, { email: "admin@there.test" }, [{ role: "admin" }]);
  cookies.outsider = await signedIn(db, outsider.id, there.ws);
});

afterAll(() => handle.close());

async function plan(cookie: string | undefined, query = ""): Promise<ForwardPlan> {
  const outcome = await callRoute(route, { path: `/forward-plan${query}`, cookie });
  expect(outcome.status).toBe(200);
  return outcome.body as ForwardPlan;
}
const titles = (p: ForwardPlan) => p.items.map((i) => i.title);

describe("the forward plan", () => {
  it("lists decision items of scheduled meetings in the next 6 months, by date", async () => {
    const p = await plan(cookies.admin);
    expect(p.filter.months).toBe(6);
    expect(p.until).toBe(addMonthsToIsoDate(p.from, 6));
    expect(titles(p)).toEqual([
      "Decision on a board the member does not sit on",
      "Approve the reducing reoffending strategy",
      "Agree the MAPPA case review",
      "Fund the night-time economy scheme",
    ]);
    expect(p.total).toBe(4);
    expect(p.items[1]).toMatchObject({
      boardName: "LCJB",
      presenterName: "here Officer",
      presenterAgency: "here Police",
      restricted: false,
    });
  });

  it("looks 12 months ahead when asked, and falls back to 6 for anything else", async () => {
    expect(titles(await plan(cookies.admin, "?months=12"))).toContain("Adopt next year's plan");
    expect((await plan(cookies.admin, "?months=7")).filter.months).toBe(6);
  });

  it("filters by board and by the presenter's agency", async () => {
    expect(titles(await plan(cookies.admin, `?board=${ids.csp}`))).toEqual([
      "Fund the night-time economy scheme",
    ]);
    expect(titles(await plan(cookies.admin, `?agency=${ids.probation}`))).toEqual([
      "Agree the MAPPA case review",
      "Fund the night-time economy scheme",
    ]);
    expect(titles(await plan(cookies.admin, `?board=${ids.lcjb}&agency=${ids.police}`))).toEqual([
      "Approve the reducing reoffending strategy",
    ]);
  });

  it("pages through the plan", async () => {
    const first = await plan(cookies.admin, "?pageSize=2");
    const second = await plan(cookies.admin, "?pageSize=2&page=2");
    expect(first.total).toBe(4);
    expect([...titles(first), ...titles(second)]).toEqual(titles(await plan(cookies.admin)));
  });

  it("shows a member only the boards they read", async () => {
    const p = await plan(cookies.member);
    expect(titles(p)).toEqual(["Approve the reducing reoffending strategy", "Agree the MAPPA case review"]);
    expect(p.boards.map((b) => b.name)).toEqual(["LCJB"]);
    expect(titles(await plan(cookies.member, `?board=${ids.hidden}`))).toEqual([]);
  });

  it("gives a partner, who reads no board, an empty plan", async () => {
    const p = await plan(cookies.partner);
    expect(p.items).toEqual([]);
    expect(p.total).toBe(0);
    expect(p.boards).toEqual([]);
  });

  it("never shows another workspace's items", async () => {
    expect(titles(await plan(cookies.outsider))).toEqual(["Another workspace's decision"]);
    expect(titles(await plan(cookies.outsider, `?board=${ids.lcjb}`))).toEqual([]);
  });

  it("sends those not signed in to sign in", async () => {
    const outcome = await callRoute(route, { path: "/forward-plan" });
    expect(outcome.status).toBe(302);
  });

  it("adds months to a date, keeping the day where the month has it", () => {
    expect(addMonthsToIsoDate("2026-11-30", 3)).toBe("2027-02-28");
    expect(addMonthsToIsoDate("2026-08-31", 6)).toBe("2027-02-28");
    expect(addMonthsToIsoDate("2026-01-15", 12)).toBe("2027-01-15");
  });

  it("renders the plan with its filters", async () => {
    const Stub = createRoutesStub([
      { id: "page", path: "/forward-plan", Component: forwardPlanRoute.default as ComponentType },
    ]);
    const html = renderToString(
      createElement(Stub, {
        initialEntries: [`/forward-plan?board=${ids.lcjb}`],
        hydrationData: { loaderData: { page: await plan(cookies.admin, `?board=${ids.lcjb}`) } },
      }),
    );
    expect(html).toContain("Approve the reducing reoffending strategy");
    expect(html).toContain("here Police");
    expect(html).toContain("Next 12 months");
  });
});
