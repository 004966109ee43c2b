import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import { getPlanPage } from "~/plans/plans.server";
import { STALE_OBJECTIVE_MESSAGE } from "~/plans/schemas";
import * as actionPage from "~/routes/actions.$actionId";
import * as actionObjectives from "~/routes/actions.$actionId_.objectives";
import * as plansRoute from "~/routes/boards.$boardId_.plans._index";
import * as planRoute from "~/routes/boards.$boardId_.plans.$planId";
import * as objectiveRoute from "~/routes/boards.$boardId_.plans.$planId_.objectives.$objectiveId";
import { callRoute, fieldErrors, type RouteModule } from "../routes";
import { type ActionsFixture, actionsFixture, NOW } from "./actions-fixture";

/*
 * Board plans through their routes, as the framework calls them with real session cookies:
 * starting a plan, priorities and objectives, linking the board's actions (from the
 * objective and from the action), progress from those actions, editing, copying forward
 * and removing, and every refusal: 404 for those who may not, messages beside the fields,
 * and nothing written either way.
 *
 * The Alpha board's secretary runs it; its member reads it; the partner (police) reads the
 * police's actions but not the board's plans; the outsider is another workspace's admin.
 */

let f: ActionsFixture;
const plans = plansRoute as unknown as RouteModule;
const plan = planRoute as unknown as RouteModule;
const objective = objectiveRoute as unknown as RouteModule;
const objectivesOfAction = actionObjectives as unknown as RouteModule;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  f = await actionsFixture("plans");
  useDatabaseForTests(f.handle);
});
afterAll(() => f?.handle.close());

type Role = keyof ActionsFixture["cookies"];

const boardParams = () => ({ boardId: String(f.boards.alpha) });

function post(
  module: RouteModule,
  role: Role,
  path: string,
  params: Record<string, string>,
  form: Record<string, string>,
) {
  return callRoute(module, { method: "POST", path, params, cookie: f.cookies[role], form });
}

function get(module: RouteModule, role: Role, path: string, params: Record<string, string>) {
  return callRoute(module, { path, params, cookie: f.cookies[role] });
}

async function counts() {
  const count = async (table: "plans" | "plan_priorities" | "plan_objectives" | "objective_actions") =>
    Number(
      (
        await f.root
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("workspace_id", "=", f.ws)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    plans: await count("plans"),
    priorities: await count("plan_priorities"),
    objectives: await count("plan_objectives"),
    links: await count("objective_actions"),
  };
}

async function auditEvents(event: string) {
  return f.root
    .selectFrom("audit_events")
    .select(["entity_id", "changes"])
    .where("workspace_id", "=", f.ws)
    .where("event", "=", event)
    .orderBy("id")
    .execute();
}

// Made as the tests go: the 2026/27 plan, its priority and objective.
let planId: number;
let priorityId: number;
let objectiveId: number;

describe("starting a plan", () => {
  it("lets the secretary start a plan for a financial year, which runs 1 April to 31 March", async () => {
    const outcome = await post(plans, "secretary", `/boards/${f.boards.alpha}/plans`, boardParams(), {
      period: "2026/27",
      title: "Alpha plan 2026/27",
    });
    expect(outcome.status).toBe(302);
    const created = await f.root
      .selectFrom("plans")
      .select(["id", "period", "title", "starts_on", "ends_on", "board_id"])
      .where("workspace_id", "=", f.ws)
      .executeTakeFirstOrThrow();
    planId = Number(created.id);
    expect(outcome.location).toBe(`/boards/${f.boards.alpha}/plans/${planId}?done=created`);
    expect(created).toMatchObject({
      period: "2026/27",
      title: "Alpha plan 2026/27",
      starts_on: "2026-04-01",
      ends_on: "2027-03-31",
      board_id: f.boards.alpha,
    });
    expect(await auditEvents("plan.created")).toHaveLength(1);
  });

  it("refuses a period that is not one financial year, and a second plan for the same period, beside the period", async () => {
    const before = await counts();
    const wrong = await post(plans, "secretary", `/boards/${f.boards.alpha}/plans`, boardParams(), {
      period: "2026/28",
      title: "Odd",
    });
    expect(wrong.status).toBe(400);
    expect(fieldErrors(wrong.body, "period")).toEqual(["Enter the period as a financial year, like 2026/27"]);
    const blank = await post(plans, "secretary", `/boards/${f.boards.alpha}/plans`, boardParams(), {
      period: "2027/28",
      title: "  ",
    });
    expect(fieldErrors(blank.body, "title")).toEqual(["Enter the plan’s title"]);
    const twice = await post(plans, "secretary", `/boards/${f.boards.alpha}/plans`, boardParams(), {
      period: "2026/27",
      title: "Again",
    });
    expect(twice.status).toBe(409);
    expect(fieldErrors(twice.body, "period")).toEqual(["This board already has a plan for 2026/27"]);
    expect(await counts()).toEqual(before);
  });

  it("answers 404 to everyone who does not run the board, valid form or not, and writes nothing", async () => {
    const before = await counts();
    for (const role of ["member", "leader", "partner", "outsider"] as const) {
      for (const form of <Record<string, string>[]>[
        { period: "2027/28", title: "Sneaky" },
        { period: "nonsense" },
      ]) {
        const outcome = await post(plans, role, `/boards/${f.boards.alpha}/plans`, boardParams(), form);
        expect(outcome.status, role).toBe(404);
      }
    }
    expect(await counts()).toEqual(before);
  });

  it("lists the board's plans for its readers, and answers 404 to a partner and another workspace", async () => {
    for (const role of ["admin", "leader", "secretary", "member"] as const) {
      const outcome = await get(plans, role, `/boards/${f.boards.alpha}/plans`, boardParams());
      expect(outcome.status, role).toBe(200);
      const body = outcome.body as { plans: { period: string }[]; canRun: boolean; suggestedPeriod: string };
      expect(body.plans.map((p) => p.period)).toEqual(["2026/27"]);
      expect(body.canRun).toBe(role === "admin" || role === "secretary");
      expect(body.suggestedPeriod).toBe("2027/28");
    }
    for (const role of ["partner", "outsider"] as const) {
      expect((await get(plans, role, `/boards/${f.boards.alpha}/plans`, boardParams())).status, role).toBe(
        404,
      );
    }
    // The member of Alpha does not read Bravo's plans.
    const bravo = await get(plans, "member", `/boards/${f.boards.bravo}/plans`, {
      boardId: String(f.boards.bravo),
    });
    expect(bravo.status).toBe(404);
  });
});

describe("priorities and objectives", () => {
  const planPath = () => `/boards/${f.boards.alpha}/plans/${planId}`;
  const planParams = () => ({ boardId: String(f.boards.alpha), planId: String(planId) });

  it("adds a priority, and refuses a blank one beside its title", async () => {
    const blank = await post(plan, "secretary", planPath(), planParams(), {
      intent: "add-priority",
      title: "",
    });
    expect(blank.status).toBe(400);
    expect(fieldErrors(blank.body, "title")).toEqual(["Enter the priority’s title"]);
    expect((await counts()).priorities).toBe(0);

    const outcome = await post(plan, "secretary", planPath(), planParams(), {
      intent: "add-priority",
      title: "Safer streets",
    });
    expect(outcome).toMatchObject({ status: 302, location: `${planPath()}?done=priority` });
    priorityId = Number(
      (
        await f.root
          .selectFrom("plan_priorities")
          .select("id")
          .where("plan_id", "=", planId)
          .executeTakeFirstOrThrow()
      ).id,
    );
    expect(await auditEvents("plan.priority_added")).toHaveLength(1);
  });

  it("adds an objective under a priority, with its measure, target, value, RAG and owner agency", async () => {
    const outcome = await post(plan, "secretary", planPath(), planParams(), {
      intent: "add-objective",
      priority: String(priorityId),
      title: "Fewer repeat offences",
      measure: "Proven reoffending rate",
      target: "25%",
      current_value: "28%",
      rag: "amber",
      owner_agency: String(f.agencies.police),
    });
    expect(outcome.status).toBe(302);
    const row = await f.root
      .selectFrom("plan_objectives")
      .selectAll()
      .where("priority_id", "=", priorityId)
      .executeTakeFirstOrThrow();
    objectiveId = Number(row.id);
    expect(outcome.location).toBe(`${planPath()}?done=objective#objective-${objectiveId}`);
    expect(row).toMatchObject({
      position: 0,
      title: "Fewer repeat offences",
      measure: "Proven reoffending rate",
      target: "25%",
      current_value: "28%",
      rag: "amber",
      owner_agency_id: f.agencies.police,
    });
  });

  it("refuses an objective with no title, a wrong RAG, another plan's priority or another workspace's agency, beside each field", async () => {
    const before = await counts();
    const bad = await post(plan, "secretary", planPath(), planParams(), {
      intent: "add-objective",
      priority: String(priorityId),
      title: "",
      rag: "purple",
    });
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad.body, "title")).toEqual(["Enter the objective’s title"]);
    expect(fieldErrors(bad.body, "rag")).toEqual(["Select red, amber, green or not assessed"]);

    const foreignAgency = Number(
      (
        await f.root
          .selectFrom("agencies")
          .select("id")
          .where("workspace_id", "=", f.otherWs)
          .executeTakeFirstOrThrow()
      ).id,
    );
    const agency = await post(plan, "secretary", planPath(), planParams(), {
      intent: "add-objective",
      priority: String(priorityId),
      title: "Borrowed agency",
      owner_agency: String(foreignAgency),
    });
    expect(agency.status).toBe(400);
    expect(fieldErrors(agency.body, "owner_agency")).toEqual(["Select an agency from the list"]);

    const otherPriority = await post(plan, "secretary", planPath(), planParams(), {
      intent: "add-objective",
      priority: String(priorityId + 1000),
      title: "Elsewhere",
    });
    expect(otherPriority.status).toBe(400);
    expect(fieldErrors(otherPriority.body, "priority")).toEqual(["Select the priority the objective serves"]);
    expect(await counts()).toEqual(before);
  });

  it("answers 404 to the member and partner posting to the plan, and to a plan of another board", async () => {
    const before = await counts();
    for (const role of ["member", "partner", "leader", "outsider"] as const) {
      const outcome = await post(plan, role, planPath(), planParams(), {
        intent: "add-priority",
        title: "Mine",
      });
      expect(outcome.status, role).toBe(404);
    }
    // The plan is Alpha's: under Bravo's address it does not exist, even for an admin.
    const wrongBoard = await get(plan, "admin", `/boards/${f.boards.bravo}/plans/${planId}`, {
      boardId: String(f.boards.bravo),
      planId: String(planId),
    });
    expect(wrongBoard.status).toBe(404);
    expect((await get(plan, "partner", planPath(), planParams())).status).toBe(404);
    expect((await get(plan, "member", planPath(), planParams())).status).toBe(200);
    expect(await counts()).toEqual(before);
  });
});

describe("linking actions to objectives, and progress", () => {
  const objectivePath = () => `/boards/${f.boards.alpha}/plans/${planId}/objectives/${objectiveId}`;
  const objectiveParams = () => ({
    boardId: String(f.boards.alpha),
    planId: String(planId),
    objectiveId: String(objectiveId),
  });

  it("links the board's actions from the objective's page, once each, and offers only the board's actions", async () => {
    const page = await get(objective, "secretary", objectivePath(), objectiveParams());
    const candidates = (page.body as { candidates: { value: string }[] }).candidates.map((c) =>
      Number(c.value),
    );
    expect(candidates.sort((a, b) => a - b)).toEqual(
      [f.actions.alphaPolice, f.actions.alphaSecret].sort((a, b) => a - b),
    );

    for (const action of [f.actions.alphaPolice, f.actions.alphaSecret, f.actions.alphaPolice]) {
      const outcome = await post(objective, "secretary", objectivePath(), objectiveParams(), {
        intent: "link",
        actionId: String(action),
      });
      expect(outcome).toMatchObject({ status: 302, location: `${objectivePath()}?done=linked#actions` });
    }
    expect((await counts()).links).toBe(2);
    // Linking twice records one event per link actually made.
    expect(await auditEvents("plan.action_linked")).toHaveLength(2);
  });

  it("refuses another board's action beside the field, and answers 404 to a member posting", async () => {
    const before = await counts();
    const other = await post(objective, "secretary", objectivePath(), objectiveParams(), {
      intent: "link",
      actionId: String(f.actions.bravoSupport),
    });
    expect(other.status).toBe(400);
    expect(fieldErrors(other.body, "actionId")).toEqual(["Select an action of this board"]);
    const none = await post(objective, "secretary", objectivePath(), objectiveParams(), { intent: "link" });
    expect(fieldErrors(none.body, "actionId")).toEqual(["Select an action from the list"]);
    const member = await post(objective, "member", objectivePath(), objectiveParams(), {
      intent: "link",
      actionId: String(f.actions.alphaPolice),
    });
    expect(member.status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("shows each objective's progress from its linked actions: by status, overdue, and done on time", async () => {
    // On 15 June 2026 alphaSecret (due 14 June, not started) is overdue; alphaPolice (due 20 June) is not.
    let page = await getPlanPage(f.viewers.member, f.boards.alpha, planId, NOW);
    expect(page.plan.priorities[0]?.objectives[0]?.progress).toEqual({
      linked: 2,
      notStarted: 2,
      inProgress: 0,
      done: 0,
      dropped: 0,
      overdue: 1,
      doneOnTime: 0,
    });
    // alphaPolice done on its due date (London), alphaSecret done a day late.
    await f.root
      .updateTable("actions")
      .set({ status: "done", completed_at: new Date("2026-06-20T22:30:00Z"), outcome: "Done" })
      .where("id", "=", f.actions.alphaPolice)
      .execute();
    await f.root
      .updateTable("actions")
      .set({ status: "done", completed_at: new Date("2026-06-15T09:00:00Z"), outcome: "Late" })
      .where("id", "=", f.actions.alphaSecret)
      .execute();
    page = await getPlanPage(f.viewers.member, f.boards.alpha, planId, NOW);
    expect(page.plan.priorities[0]?.objectives[0]?.progress).toMatchObject({
      linked: 2,
      done: 2,
      overdue: 0,
      // 23:30 on 20 June in London is still the due date; the other was a day late.
      doneOnTime: 1,
    });
    expect(page.canRun).toBe(false);
  });

  it("edits the objective through the year, recording what changed, and refuses a wrong RAG beside it", async () => {
    const bad = await post(objective, "secretary", objectivePath(), objectiveParams(), {
      intent: "save",
      title: "Fewer repeat offences",
      rag: "blue",
    });
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad.body, "rag")).toEqual(["Select red, amber, green or not assessed"]);

    const edit = {
      intent: "save",
      title: "Fewer repeat offences",
      measure: "Proven reoffending rate",
      target: "25%",
      current_value: "26%",
      rag: "green",
      owner_agency: String(f.agencies.probation),
      version: "1",
    };
    const outcome = await post(objective, "secretary", objectivePath(), objectiveParams(), edit);
    expect(outcome).toMatchObject({ status: 302, location: `${objectivePath()}?done=saved` });
    const [event] = await auditEvents("plan.objective_updated");
    expect(event?.changes).toEqual({
      current_value: ["28%", "26%"],
      rag: ["amber", "green"],
      owner_agency_id: [f.agencies.police, f.agencies.probation],
      version: [1, 2],
    });
    // A second person's form, opened before that save: refused, nothing overwritten, typing kept.
    const stale = await post(objective, "admin", objectivePath(), objectiveParams(), {
      ...edit,
      current_value: "31%",
      rag: "red",
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      result: {
        error: { "": [STALE_OBJECTIVE_MESSAGE] },
        initialValue: { current_value: "31%", rag: "red" },
      },
    });
    expect(await auditEvents("plan.objective_updated")).toHaveLength(1);
    const member = await get(objective, "member", objectivePath(), objectiveParams());
    expect(member.body).toMatchObject({
      objective: { currentValue: "26%", rag: "green", ownerAgency: { name: "Probation Service" } },
      canRun: false,
      candidates: [],
    });
    expect((await get(objective, "partner", objectivePath(), objectiveParams())).status).toBe(404);
  });

  it("shows the linked objectives on the action's page to the board's readers, not to the partner", async () => {
    const path = `/actions/${f.actions.alphaPolice}`;
    const params = { actionId: String(f.actions.alphaPolice) };
    const member = await callRoute(actionPage as unknown as RouteModule, {
      path,
      params,
      cookie: f.cookies.member,
    });
    expect(member.body).toMatchObject({
      objectives: { linked: [{ id: objectiveId, title: "Fewer repeat offences" }], canRun: false },
    });
    const partner = await callRoute(actionPage as unknown as RouteModule, {
      path,
      params,
      cookie: f.cookies.partner,
    });
    expect(partner.status).toBe(200);
    expect((partner.body as { objectives: unknown }).objectives).toBeNull();
  });

  it("links and unlinks from the action's side for those who run the board; 404 for the rest", async () => {
    const path = `/actions/${f.actions.alphaPolice}/objectives`;
    const params = { actionId: String(f.actions.alphaPolice) };
    expect((await get(objectivesOfAction, "member", path, params)).status).toBe(200);
    expect((await get(objectivesOfAction, "partner", path, params)).status).toBe(404);
    const before = await counts();
    for (const role of ["member", "partner", "leader"] as const) {
      const outcome = await post(objectivesOfAction, role, path, params, {
        intent: "unlink",
        objectiveId: String(objectiveId),
      });
      expect(outcome.status, role).toBe(404);
    }
    const blank = await post(objectivesOfAction, "secretary", path, params, { intent: "link" });
    expect(blank.status).toBe(400);
    expect(fieldErrors(blank.body, "objectiveId")).toEqual(["Select an objective from the list"]);
    expect(await counts()).toEqual(before);

    const unlinked = await post(objectivesOfAction, "secretary", path, params, {
      intent: "unlink",
      objectiveId: String(objectiveId),
    });
    expect(unlinked).toMatchObject({ status: 302, location: `${path}?done=unlinked` });
    expect((await counts()).links).toBe(before.links - 1);
    const page = await get(objectivesOfAction, "secretary", path, params);
    expect(page.body).toMatchObject({ linked: [], candidates: [{ value: String(objectiveId) }] });
    const linked = await post(objectivesOfAction, "secretary", path, params, {
      intent: "link",
      objectiveId: String(objectiveId),
    });
    expect(linked).toMatchObject({ status: 302, location: `${path}?done=linked` });
    expect((await counts()).links).toBe(before.links);
  });

  it("refuses, from the action's side, an objective of another board's plan", async () => {
    const bravoPlan = await f.root
      .insertInto("plans")
      .values({
        workspace_id: f.ws,
        board_id: f.boards.bravo,
        period: "2026/27",
        title: "Bravo plan",
        starts_on: "2026-04-01",
        ends_on: "2027-03-31",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const bravoPriority = await f.root
      .insertInto("plan_priorities")
      .values({ workspace_id: f.ws, plan_id: bravoPlan.id, position: 0, title: "Bravo priority" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const bravoObjective = await f.root
      .insertInto("plan_objectives")
      .values({ workspace_id: f.ws, priority_id: bravoPriority.id, position: 0, title: "Bravo objective" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const before = await counts();
    const path = `/actions/${f.actions.alphaPolice}/objectives`;
    // The Alpha secretary does not run Bravo: its objective does not exist for them.
    const secretary = await post(
      objectivesOfAction,
      "secretary",
      path,
      { actionId: String(f.actions.alphaPolice) },
      {
        intent: "link",
        objectiveId: String(bravoObjective.id),
      },
    );
    expect(secretary.status).toBe(404);
    // An admin runs both boards, but the two do not belong together.
    const admin = await post(
      objectivesOfAction,
      "admin",
      path,
      { actionId: String(f.actions.alphaPolice) },
      {
        intent: "link",
        objectiveId: String(bravoObjective.id),
      },
    );
    expect(admin.status).toBe(400);
    expect(fieldErrors(admin.body, "objectiveId")).toEqual(["Select an objective of this board’s plans"]);
    expect(await counts()).toEqual(before);
  });
});

describe("copying a plan forward, and removing an objective", () => {
  const planPath = () => `/boards/${f.boards.alpha}/plans/${planId}`;
  const planParams = () => ({ boardId: String(f.boards.alpha), planId: String(planId) });

  it("copies priorities and objectives to the next period, without current values, RAGs or links", async () => {
    await post(plan, "secretary", planPath(), planParams(), {
      intent: "add-priority",
      title: "Victims first",
    });
    const second = Number(
      (
        await f.root
          .selectFrom("plan_priorities")
          .select("id")
          .where("plan_id", "=", planId)
          .where("title", "=", "Victims first")
          .executeTakeFirstOrThrow()
      ).id,
    );
    for (const title of ["Faster court dates", "Victim contact in 5 days"]) {
      await post(plan, "secretary", planPath(), planParams(), {
        intent: "add-objective",
        priority: String(second),
        title,
        current_value: "Some",
        rag: "red",
      });
    }
    const outcome = await post(plan, "secretary", planPath(), planParams(), { intent: "copy-forward" });
    expect(outcome.status).toBe(302);
    const copy = await f.root
      .selectFrom("plans")
      .selectAll()
      .where("workspace_id", "=", f.ws)
      .where("board_id", "=", f.boards.alpha)
      .where("period", "=", "2027/28")
      .executeTakeFirstOrThrow();
    expect(outcome.location).toBe(`/boards/${f.boards.alpha}/plans/${copy.id}?done=copied`);
    expect(copy).toMatchObject({
      title: "Alpha plan 2027/28",
      starts_on: "2027-04-01",
      ends_on: "2028-03-31",
    });

    const copied = await getPlanPage(f.viewers.secretary, f.boards.alpha, Number(copy.id), NOW);
    expect(
      copied.plan.priorities.map((p) => ({
        position: p.position,
        title: p.title,
        objectives: p.objectives.map((o) => ({
          position: o.position,
          title: o.title,
          measure: o.measure,
          target: o.target,
          currentValue: o.currentValue,
          rag: o.rag,
          owner: o.ownerAgency?.id ?? null,
          linked: o.progress.linked,
        })),
      })),
    ).toEqual([
      {
        position: 0,
        title: "Safer streets",
        objectives: [
          {
            position: 0,
            title: "Fewer repeat offences",
            measure: "Proven reoffending rate",
            target: "25%",
            currentValue: "",
            rag: null,
            owner: f.agencies.probation,
            linked: 0,
          },
        ],
      },
      {
        position: 1,
        title: "Victims first",
        objectives: [
          {
            position: 0,
            title: "Faster court dates",
            measure: "",
            target: "",
            currentValue: "",
            rag: null,
            owner: null,
            linked: 0,
          },
          {
            position: 1,
            title: "Victim contact in 5 days",
            measure: "",
            target: "",
            currentValue: "",
            rag: null,
            owner: null,
            linked: 0,
          },
        ],
      },
    ]);
    // The original keeps its values and links.
    const original = await getPlanPage(f.viewers.secretary, f.boards.alpha, planId, NOW);
    expect(original.plan.priorities[0]?.objectives[0]).toMatchObject({ currentValue: "26%", rag: "green" });
    expect(original.copy).toEqual({ period: "2027/28", existingPlanId: Number(copy.id) });
    const [event] = await auditEvents("plan.copied_forward");
    expect(event?.changes).toMatchObject({
      from_plan_id: planId,
      priorities: 2,
      objectives: 3,
    });
  });

  it("refuses to copy a plan a second time, and answers 404 to the member", async () => {
    const before = await counts();
    const again = await post(plan, "secretary", planPath(), planParams(), { intent: "copy-forward" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: "This board already has a plan for 2027/28" });
    const member = await post(plan, "member", planPath(), planParams(), { intent: "copy-forward" });
    expect(member.status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("renames a priority, refuses a blank name beside it, and removes a priority only once it is empty", async () => {
    const before = await counts();
    const blank = await post(plan, "secretary", planPath(), planParams(), {
      intent: "rename-priority",
      priorityId: String(priorityId),
      title: " ",
    });
    expect(blank.status).toBe(400);
    expect(fieldErrors(blank.body, "title")).toEqual(["Enter the priority’s title"]);
    const notOurs = await post(plan, "secretary", planPath(), planParams(), {
      intent: "rename-priority",
      priorityId: String(priorityId + 1000),
      title: "Elsewhere",
    });
    expect(notOurs.status).toBe(400);
    expect(notOurs.body).toMatchObject({ error: "Choose a priority of this plan" });
    const full = await post(plan, "secretary", planPath(), planParams(), {
      intent: "remove-priority",
      priorityId: String(priorityId),
    });
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({
      error: "“Safer streets” still has objectives: remove them first, or rename the priority",
    });
    expect(
      await post(plan, "member", planPath(), planParams(), {
        intent: "remove-priority",
        priorityId: String(priorityId),
      }),
    ).toMatchObject({ status: 404 });
    expect(await counts()).toEqual(before);

    const renamed = await post(plan, "secretary", planPath(), planParams(), {
      intent: "rename-priority",
      priorityId: String(priorityId),
      title: "Safer streets and roads",
    });
    expect(renamed).toMatchObject({
      status: 302,
      location: `${planPath()}?done=renamed#priority-${priorityId}`,
    });
    const [event] = await auditEvents("plan.priority_renamed");
    expect(event?.changes).toMatchObject({ title: ["Safer streets", "Safer streets and roads"] });

    // An empty priority between two others goes, and the order closes up.
    await post(plan, "secretary", planPath(), planParams(), { intent: "add-priority", title: "Spare" });
    await post(plan, "secretary", planPath(), planParams(), { intent: "add-priority", title: "Last" });
    const positions = async () =>
      (
        await f.root
          .selectFrom("plan_priorities")
          .select(["id", "title", "position"])
          .where("plan_id", "=", planId)
          .orderBy("position")
          .execute()
      ).map((p) => [p.title, p.position]);
    expect(await positions()).toEqual([
      ["Safer streets and roads", 0],
      ["Victims first", 1],
      ["Spare", 2],
      ["Last", 3],
    ]);
    const spare = await f.root
      .selectFrom("plan_priorities")
      .select("id")
      .where("plan_id", "=", planId)
      .where("title", "=", "Spare")
      .executeTakeFirstOrThrow();
    const removed = await post(plan, "secretary", planPath(), planParams(), {
      intent: "remove-priority",
      priorityId: String(spare.id),
    });
    expect(removed).toMatchObject({ status: 302, location: `${planPath()}?done=priority-removed` });
    expect(await positions()).toEqual([
      ["Safer streets and roads", 0],
      ["Victims first", 1],
      ["Last", 2],
    ]);
  });

  it("removes an objective after a confirmation page, and its links, leaving the actions in the log", async () => {
    const path = `/boards/${f.boards.alpha}/plans/${planId}/objectives/${objectiveId}`;
    const params = {
      boardId: String(f.boards.alpha),
      planId: String(planId),
      objectiveId: String(objectiveId),
    };
    const confirm = await get(objective, "secretary", `${path}?remove=confirm`, params);
    expect(confirm.body).toMatchObject({ confirmRemove: true });
    expect(await post(objective, "member", path, params, { intent: "remove" })).toMatchObject({
      status: 404,
    });
    const before = await counts();
    const outcome = await post(objective, "secretary", path, params, { intent: "remove" });
    expect(outcome).toMatchObject({
      status: 302,
      location: `/boards/${f.boards.alpha}/plans/${planId}?done=removed`,
    });
    expect(await counts()).toMatchObject({ objectives: before.objectives - 1, links: before.links - 2 });
    const actions = await f.root
      .selectFrom("actions")
      .select("id")
      .where("id", "in", [f.actions.alphaPolice, f.actions.alphaSecret])
      .execute();
    expect(actions).toHaveLength(2);
    expect((await get(objective, "secretary", path, params)).status).toBe(404);
  });
});
