import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as actionObjectives from "~/routes/actions.$actionId_.objectives";
import * as plansPage from "~/routes/boards.$boardId_.plans._index";
import * as planPage from "~/routes/boards.$boardId_.plans.$planId";
import * as objectivePage from "~/routes/boards.$boardId_.plans.$planId_.objectives.$objectiveId";
import * as meetingPage from "~/routes/meetings.$meetingId._index";
import * as agendaItemPage from "~/routes/meetings.$meetingId.agenda_.$itemId";
import * as minutesEditor from "~/routes/meetings.$meetingId.minutes.edit";
import type { DatabaseHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { freshDatabase } from "../database";
import { callRoute, cookieFor, type RouteModule } from "../routes";

/*
 * The plan pages and the action log review rendered on the server from their real loaders
 * (and a refused form), on the demo partnership, as a browser without JavaScript gets them.
 */

let handle: DatabaseHandle;
let lcjb: number;
let planId: number;
let period: string;
let objectiveId: number;
let linkedActionId: number;
let meetingId: number;
let reviewItemId: number;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { db } = handle;
  const { workspaceId } = await seedDemo(db, { now: new Date("2026-11-23T12:00:00Z") });
  lcjb = Number(
    (
      await db
        .selectFrom("boards")
        .select("id")
        .where("workspace_id", "=", workspaceId)
        .where("slug", "=", "lcjb")
        .executeTakeFirstOrThrow()
    ).id,
  );
  const linked = await db
    .selectFrom("objective_actions as oa")
    .innerJoin("plan_objectives as po", "po.id", "oa.objective_id")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .innerJoin("plans as p", "p.id", "pp.plan_id")
    .select(["p.id as plan_id", "p.period", "po.id as objective_id", "oa.action_id"])
    .where("p.workspace_id", "=", workspaceId)
    .where("p.board_id", "=", lcjb)
    .orderBy("p.starts_on", "desc")
    .orderBy("po.id")
    .executeTakeFirstOrThrow();
  planId = Number(linked.plan_id);
  period = linked.period;
  objectiveId = Number(linked.objective_id);
  linkedActionId = Number(linked.action_id);
  const item = await db
    .selectFrom("agenda_items as ai")
    .innerJoin("meetings as m", "m.id", "ai.meeting_id")
    .select(["ai.id", "ai.meeting_id"])
    .where("m.workspace_id", "=", workspaceId)
    .where("m.board_id", "=", lcjb)
    .where("m.status", "=", "held")
    .where("ai.standing_kind", "=", "action_log_review")
    .orderBy("m.starts_at", "desc")
    .executeTakeFirstOrThrow();
  meetingId = Number(item.meeting_id);
  reviewItemId = Number(item.id);
  for (const role of ["secretary", "member"]) cookies[role] = await cookieFor(db, `${role}@demo.test`);
});
afterAll(() => handle?.close());

interface PageModule {
  default: ComponentType<never>;
}

async function render(
  module: object,
  pattern: string,
  path: string,
  params: Record<string, string>,
  cookie: string,
  post?: Record<string, string>,
): Promise<string> {
  const route = module as PageModule & RouteModule;
  const loaded = await callRoute(route, { path, params, cookie });
  expect(loaded.status).toBe(200);
  const acted = post ? await callRoute(route, { method: "POST", path, params, cookie, form: post }) : null;
  if (acted) expect(acted.status).toBe(400);
  const Stub = createRoutesStub([{ id: "page", path: pattern, Component: route.default as ComponentType }]);
  return renderToString(
    <Stub
      initialEntries={[path]}
      hydrationData={{
        loaderData: { page: loaded.body },
        actionData: acted ? { page: acted.body } : undefined,
      }}
    />,
  );
}

const planPath = () => `/boards/${lcjb}/plans/${planId}`;
const planParams = () => ({ boardId: String(lcjb), planId: String(planId) });

describe("plan pages as rendered", () => {
  it("lists the board's plans for a member, with no form to start one", async () => {
    const html = await render(
      plansPage,
      "/boards/:boardId/plans",
      `/boards/${lcjb}/plans`,
      { boardId: String(lcjb) },
      cookies.member!,
    );
    expect(html).toContain(`href="/boards/${lcjb}/plans/${planId}"`);
    expect(html).toContain(period);
    expect(html).not.toContain("Start a plan");
  });

  it("shows the secretary each objective's progress and the forms to add, change and copy forward", async () => {
    const html = await render(
      planPage,
      "/boards/:boardId/plans/:planId",
      planPath(),
      planParams(),
      cookies.secretary!,
    );
    expect(html).toContain("Priority 1:");
    expect(html).toMatch(/\d+ actions? linked/);
    expect(html).toContain(`href="${planPath()}/objectives/${objectiveId}"`);
    expect(html).toContain("Add an objective");
    expect(html).toContain("Change priority 1");
    expect(html).toMatch(/Copy forward to \d{4}\/\d{2}/);
  });

  it("keeps what was typed and shows the message beside the refused field when adding an objective", async () => {
    const html = await render(
      planPage,
      "/boards/:boardId/plans/:planId",
      planPath(),
      planParams(),
      cookies.secretary!,
      {
        intent: "add-objective",
        title: "",
        measure: "Hate crime reports",
      },
    );
    expect(html).toContain("There is a problem");
    expect(html).toContain("Enter the objective’s title");
    expect(html).toContain("Select the priority the objective serves");
    expect(html).toContain('value="Hate crime reports"');
  });

  it("shows an objective's linked actions, and for the secretary the forms to link, edit and remove", async () => {
    const path = `${planPath()}/objectives/${objectiveId}`;
    const params = { ...planParams(), objectiveId: String(objectiveId) };
    const pattern = "/boards/:boardId/plans/:planId/objectives/:objectiveId";
    const secretary = await render(objectivePage, pattern, path, params, cookies.secretary!);
    expect(secretary).toContain(`href="/actions/${linkedActionId}"`);
    expect(secretary).toContain(`ACT-${linkedActionId}`);
    expect(secretary).toContain("Edit the objective");
    expect(secretary).toContain("Remove this objective");
    const member = await render(objectivePage, pattern, path, params, cookies.member!);
    expect(member).toContain(`ACT-${linkedActionId}`);
    expect(member).not.toContain("Edit the objective");
    expect(member).not.toContain("Unlink");
  });

  it("shows the objectives an action serves from the action's side", async () => {
    const html = await render(
      actionObjectives,
      "/actions/:actionId/objectives",
      `/actions/${linkedActionId}/objectives`,
      { actionId: String(linkedActionId) },
      cookies.secretary!,
    );
    expect(html).toContain(`href="${planPath()}/objectives/${objectiveId}"`);
    expect(html).toContain("Unlink");
  });
});

describe("the action log review as rendered", () => {
  it("is on the meeting page, the agenda item's page and beside the item in the minutes editor", async () => {
    const meeting = await render(
      meetingPage,
      "/meetings/:meetingId",
      `/meetings/${meetingId}`,
      { meetingId: String(meetingId) },
      cookies.member!,
    );
    expect(meeting).toContain("Action log review");
    expect(meeting).toMatch(/Open actions \(\d+\)/);
    expect(meeting).toContain("Closed since the previous meeting");
    expect(meeting).toContain("As the action log stood at the end of the meeting");

    const item = await render(
      agendaItemPage,
      "/meetings/:meetingId/agenda/:itemId",
      `/meetings/${meetingId}/agenda/${reviewItemId}`,
      { meetingId: String(meetingId), itemId: String(reviewItemId) },
      cookies.secretary!,
    );
    expect(item).toContain("The action log for review");
    expect(item).toMatch(/Open actions \(\d+\)/);

    const editor = await render(
      minutesEditor,
      "/meetings/:meetingId/minutes/edit",
      `/meetings/${meetingId}/minutes/edit`,
      { meetingId: String(meetingId) },
      cookies.secretary!,
    );
    const section = editor.slice(editor.indexOf(`id="item-${reviewItemId}"`));
    expect(section).toMatch(/The action log: \d+ open, \d+ closed since the last meeting/);
  });
});
