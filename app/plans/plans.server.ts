import { sql } from "kysely";
import type { ActionStatus, IsoDate, Rag } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { actionRef } from "../actions/labels";
import { type ActionRag, ragIsSql, ragSql } from "../actions/rag";
import { uniqueViolation } from "../admin/shared.server";
import type { AuditActor } from "../audit/audit.server";
import { recordAudit } from "../audit/audit.server";
import { boardScope, can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { londonDate } from "../format";
import {
  type NewObjectiveInput,
  type NewPlanInput,
  nextPeriod,
  type ObjectiveEditInput,
  type ObjectiveInput,
  type PriorityInput,
  periodBounds,
  periodOf,
} from "./schemas";

/*
 * A board's plans (DESIGN.md, Plan): one per period ("2026/27"), priorities in order, each
 * with its objectives (measure, target, current value, RAG, owner agency), and the actions
 * linked to each objective, from which the plan page shows its progress.
 *
 * Who: whoever reads the board reads its plans (`can.readBoard`: members, leaders, admins);
 * its secretary and admins change them (`can.runBoard`). Anyone else gets 404, partners
 * included: the role table gives partners their agency's actions, not the boards' plans.
 *
 * Links are made between an objective and an action of the same board. Progress counts
 * every linked action, in one grouped query per plan (a lateral join per objective), never
 * a query per objective.
 */

function validId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

export type FieldErrors = Record<string, string[]>;
/** A write: done, or the messages for the form (beside fields, or above them). */
export type PlanWrite<T = object> =
  | ({ ok: true } & T)
  | { ok: false; fieldErrors?: FieldErrors; formError?: string };

// ── What a plan holds ────────────────────────────────────────────────────────────────────

/** Progress from the actions linked to an objective. */
export interface ObjectiveProgress {
  linked: number;
  notStarted: number;
  inProgress: number;
  done: number;
  dropped: number;
  /** Not started or in progress, and past the due date (RAG red). */
  overdue: number;
  /** Done on or before the due date (London calendar). */
  doneOnTime: number;
}

export interface PlanObjective {
  id: number;
  priorityId: number;
  position: number;
  title: string;
  measure: string;
  target: string;
  currentValue: string;
  rag: Rag | null;
  ownerAgency: { id: number; name: string } | null;
  progress: ObjectiveProgress;
  /** The version an edit form must carry. */
  version: number;
}

export interface PlanPriority {
  id: number;
  position: number;
  title: string;
  objectives: PlanObjective[];
}

export interface PlanSummary {
  id: number;
  boardId: number;
  period: string;
  title: string;
  startsOn: IsoDate;
  endsOn: IsoDate;
}

export interface PlanDetail extends PlanSummary {
  priorities: PlanPriority[];
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────

interface BoardRef {
  id: number;
  name: string;
}

/** The board, if the viewer reads it (404 otherwise); with `run`, only if they run it. */
async function boardFor(viewer: Viewer, boardId: number, run = false): Promise<BoardRef> {
  ensure(validId(boardId) && (run ? can.runBoard(viewer, boardId) : can.readBoard(viewer, boardId)));
  const board = await viewer.db
    .selectFrom("boards")
    .select(["id", "name"])
    .where("id", "=", boardId)
    .executeTakeFirst();
  if (!board) notFound();
  return { id: Number(board.id), name: board.name };
}

/**
 * Answers 404 unless the viewer runs the board (its secretary, or an admin): checked before
 * a refused form is answered, so a form from someone who may not write reveals nothing.
 */
export async function ensureRunsBoard(viewer: Viewer, boardId: number): Promise<void> {
  await boardFor(viewer, boardId, true);
}

function toSummary(row: {
  id: number;
  board_id: number;
  period: string;
  title: string;
  starts_on: IsoDate;
  ends_on: IsoDate;
}): PlanSummary {
  return {
    id: Number(row.id),
    boardId: Number(row.board_id),
    period: row.period,
    title: row.title,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
  };
}

const PLAN_COLUMNS = ["id", "board_id", "period", "title", "starts_on", "ends_on"] as const;

/** A plan of the board (404 if it is not one of that board's). */
async function planOf(db: WorkspaceDb, boardId: number, planId: number): Promise<PlanSummary> {
  ensure(validId(planId));
  const row = await db
    .selectFrom("plans")
    .select([...PLAN_COLUMNS])
    .where("id", "=", planId)
    .where("board_id", "=", boardId)
    .executeTakeFirst();
  if (!row) notFound();
  return toSummary(row);
}

/**
 * Every objective of a plan with its priority, owner agency and its progress: one query,
 * the linked actions counted in a lateral sub-select per objective (by status, overdue on
 * `today`, done on time).
 */
function objectivesWithProgress(db: WorkspaceDb, today: IsoDate) {
  const red = ragIsSql({ status: sql.ref("la.status"), dueDate: sql.ref("la.due_date") }, "red", today);
  return db
    .selectFrom("plan_objectives as po")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .leftJoin("agencies as ag", "ag.id", "po.owner_agency_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("objective_actions as oa")
          .innerJoin("actions as la", "la.id", "oa.action_id")
          .whereRef("oa.objective_id", "=", "po.id")
          .select([
            sql<number>`count(la.id)`.as("linked"),
            sql<number>`count(la.id) filter (where la.status = 'open')`.as("not_started"),
            sql<number>`count(la.id) filter (where la.status = 'in_progress')`.as("in_progress"),
            sql<number>`count(la.id) filter (where la.status = 'done')`.as("done"),
            sql<number>`count(la.id) filter (where la.status = 'dropped')`.as("dropped"),
            sql<number>`count(la.id) filter (where ${red})`.as("overdue"),
            sql<number>`count(la.id) filter (where la.status = 'done' and (la.completed_at at time zone 'Europe/London')::date <= la.due_date)`.as(
              "done_on_time",
            ),
          ])
          .as("pg"),
      (join) => join.onTrue(),
    )
    .select([
      "po.id",
      "po.priority_id",
      "po.position",
      "po.title",
      "po.measure",
      "po.target",
      "po.current_value",
      "po.rag",
      "po.version",
      "ag.id as agency_id",
      "ag.name as agency_name",
      "pg.linked",
      "pg.not_started",
      "pg.in_progress",
      "pg.done",
      "pg.dropped",
      "pg.overdue",
      "pg.done_on_time",
    ])
    .orderBy("pp.position")
    .orderBy("pp.id")
    .orderBy("po.position")
    .orderBy("po.id");
}

type ObjectiveRow = Awaited<ReturnType<ReturnType<typeof objectivesWithProgress>["execute"]>>[number];

function toObjective(row: ObjectiveRow): PlanObjective {
  return {
    id: Number(row.id),
    priorityId: Number(row.priority_id),
    position: row.position,
    title: row.title,
    measure: row.measure,
    target: row.target,
    currentValue: row.current_value,
    rag: row.rag,
    ownerAgency:
      row.agency_id === null || row.agency_name === null
        ? null
        : { id: Number(row.agency_id), name: row.agency_name },
    progress: {
      linked: Number(row.linked ?? 0),
      notStarted: Number(row.not_started ?? 0),
      inProgress: Number(row.in_progress ?? 0),
      done: Number(row.done ?? 0),
      dropped: Number(row.dropped ?? 0),
      overdue: Number(row.overdue ?? 0),
      doneOnTime: Number(row.done_on_time ?? 0),
    },
    version: row.version,
  };
}

/** A plan's priorities, each with its objectives and their progress: two queries. */
async function planDetail(db: WorkspaceDb, plan: PlanSummary, today: IsoDate): Promise<PlanDetail> {
  const priorities = await db
    .selectFrom("plan_priorities")
    .select(["id", "position", "title"])
    .where("plan_id", "=", plan.id)
    .orderBy("position")
    .orderBy("id")
    .execute();
  const objectives = (
    await objectivesWithProgress(db, today).where("pp.plan_id", "=", plan.id).execute()
  ).map(toObjective);
  return {
    ...plan,
    priorities: priorities.map((priority) => ({
      id: Number(priority.id),
      position: priority.position,
      title: priority.title,
      objectives: objectives.filter((o) => o.priorityId === Number(priority.id)),
    })),
  };
}

export interface PlanListItem extends PlanSummary {
  priorities: number;
  objectives: number;
  /** Objectives by their RAG; those not yet assessed under `none`. */
  rags: Record<Rag | "none", number>;
  linkedActions: number;
}

export interface BoardPlans {
  board: BoardRef;
  plans: PlanListItem[];
  canRun: boolean;
  /** The period a new plan would most likely be for: the one after the latest, or this year's. */
  suggestedPeriod: string;
}

/** The board's plans, latest first, each with its counts (one grouped query). */
export async function listBoardPlans(viewer: Viewer, boardId: number, now = new Date()): Promise<BoardPlans> {
  const board = await boardFor(viewer, boardId);
  const rows = await viewer.db
    .selectFrom("plans as p")
    .leftJoin("plan_priorities as pp", "pp.plan_id", "p.id")
    .leftJoin("plan_objectives as po", "po.priority_id", "pp.id")
    .select([
      "p.id",
      "p.board_id",
      "p.period",
      "p.title",
      "p.starts_on",
      "p.ends_on",
      sql<number>`count(distinct pp.id)`.as("priorities"),
      sql<number>`count(po.id)`.as("objectives"),
      sql<number>`count(po.id) filter (where po.rag = 'red')`.as("red"),
      sql<number>`count(po.id) filter (where po.rag = 'amber')`.as("amber"),
      sql<number>`count(po.id) filter (where po.rag = 'green')`.as("green"),
      sql<number>`count(po.id) filter (where po.rag is null)`.as("none"),
      (eb) =>
        eb
          .selectFrom("objective_actions as oa")
          .innerJoin("plan_objectives as lo", "lo.id", "oa.objective_id")
          .innerJoin("plan_priorities as lp", "lp.id", "lo.priority_id")
          .whereRef("lp.plan_id", "=", "p.id")
          .select(sql<number>`count(distinct oa.action_id)`.as("n"))
          .as("linked_actions"),
    ])
    .where("p.board_id", "=", board.id)
    .groupBy(["p.id", "p.board_id", "p.period", "p.title", "p.starts_on", "p.ends_on"])
    .orderBy("p.starts_on", "desc")
    .execute();
  const plans = rows.map((row) => ({
    ...toSummary(row),
    priorities: Number(row.priorities),
    objectives: Number(row.objectives),
    rags: {
      red: Number(row.red),
      amber: Number(row.amber),
      green: Number(row.green),
      none: Number(row.none),
    },
    linkedActions: Number(row.linked_actions ?? 0),
  }));
  const latest = plans[0];
  return {
    board,
    plans,
    canRun: can.runBoard(viewer, board.id),
    suggestedPeriod: latest ? nextPeriod(latest.period) : periodOf(londonDate(now)),
  };
}

export interface PlanPage {
  board: BoardRef;
  plan: PlanDetail;
  /** The board's other plans, latest first, to move between periods. */
  periods: { id: number; period: string }[];
  canRun: boolean;
  /** The period a copy would be for, and the plan already there, if any. */
  copy: { period: string; existingPlanId: number | null };
  /** Agencies an objective may be owned by. */
  agencies: { value: string; label: string }[];
}

/** The plan page: priorities, objectives and their progress. 404 unless the viewer reads the board. */
export async function getPlanPage(
  viewer: Viewer,
  boardId: number,
  planId: number,
  now = new Date(),
): Promise<PlanPage> {
  const board = await boardFor(viewer, boardId);
  const summary = await planOf(viewer.db, board.id, planId);
  const plan = await planDetail(viewer.db, summary, londonDate(now));
  const periods = await viewer.db
    .selectFrom("plans")
    .select(["id", "period"])
    .where("board_id", "=", board.id)
    .orderBy("starts_on", "desc")
    .execute();
  const canRun = can.runBoard(viewer, board.id);
  const copyPeriod = nextPeriod(plan.period);
  const existing = periods.find((p) => p.period === copyPeriod);
  return {
    board,
    plan,
    periods: periods.map((p) => ({ id: Number(p.id), period: p.period })),
    canRun,
    copy: { period: copyPeriod, existingPlanId: existing ? Number(existing.id) : null },
    agencies: canRun ? await agencyOptions(viewer.db) : [],
  };
}

async function agencyOptions(db: WorkspaceDb, include: number | null = null) {
  const rows = await db
    .selectFrom("agencies")
    .select(["id", "name"])
    .where((eb) => eb.or([eb("archived_at", "is", null), eb("id", "=", include ?? 0)]))
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ value: String(row.id), label: row.name }));
}

/** A board's plan as the JSON API gives it: the plans' periods, and one plan in full. */
export interface BoardPlan {
  boardId: number;
  periods: { id: number; period: string }[];
  plan: PlanDetail | null;
}

/**
 * The plan for `period` ("2026/27"), or else the one covering today, or else the latest;
 * null when there is none. 404 unless the viewer reads the board.
 */
export async function boardPlan(
  viewer: Viewer,
  boardId: number,
  period?: string,
  now = new Date(),
): Promise<BoardPlan> {
  const board = await boardFor(viewer, boardId);
  const today = londonDate(now);
  const plans = (
    await viewer.db
      .selectFrom("plans")
      .select([...PLAN_COLUMNS])
      .where("board_id", "=", board.id)
      .orderBy("starts_on", "desc")
      .execute()
  ).map(toSummary);
  const chosen = period
    ? plans.find((p) => p.period === period)
    : (plans.find((p) => p.startsOn <= today && today <= p.endsOn) ?? plans[0]);
  return {
    boardId: board.id,
    periods: plans.map((p) => ({ id: p.id, period: p.period })),
    plan: chosen ? await planDetail(viewer.db, chosen, today) : null,
  };
}

// ── Writing a plan ───────────────────────────────────────────────────────────────────────

const DUPLICATE_PERIOD = (period: string) => `This board already has a plan for ${period}`;

/** Starts a plan for a period, with no priorities yet. The board's secretary or an admin. */
export async function createPlan(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  input: NewPlanInput,
): Promise<PlanWrite<{ planId: number }>> {
  const board = await boardFor(viewer, boardId, true);
  const { startsOn, endsOn } = periodBounds(input.period);
  try {
    return await inTransaction(viewer.db, async (trx) => {
      const plan = await trx
        .insertInto("plans")
        .values({
          workspace_id: workspaceIdOf(trx),
          board_id: board.id,
          period: input.period,
          title: input.title,
          starts_on: startsOn,
          ends_on: endsOn,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        event: "plan.created",
        entityType: "plan",
        entityId: plan.id,
        changes: { board_id: board.id, period: input.period, title: input.title },
      });
      return { ok: true, planId: Number(plan.id) } as const;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) {
      return { ok: false, fieldErrors: { period: [DUPLICATE_PERIOD(input.period)] } };
    }
    throw error;
  }
}

/** The plan, locked for the rest of the transaction, if it is the board's and the viewer runs it. */
async function lockPlan(trx: WorkspaceDb, viewer: Viewer, boardId: number, planId: number) {
  ensure(validId(boardId) && validId(planId) && can.runBoard(viewer, boardId));
  const plan = await trx
    .selectFrom("plans")
    .select([...PLAN_COLUMNS])
    .where("id", "=", planId)
    .where("board_id", "=", boardId)
    .forUpdate()
    .executeTakeFirst();
  if (!plan) notFound();
  return toSummary(plan);
}

/** Adds a priority at the end of the plan. */
export async function addPriority(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  planId: number,
  input: PriorityInput,
): Promise<PlanWrite<{ priorityId: number }>> {
  return inTransaction(viewer.db, async (trx) => {
    const plan = await lockPlan(trx, viewer, boardId, planId);
    const priority = await trx
      .insertInto("plan_priorities")
      .values((eb) => ({
        workspace_id: workspaceIdOf(trx),
        plan_id: plan.id,
        position: eb
          .selectFrom("plan_priorities")
          .select(sql<number>`coalesce(max(position) + 1, 0)`.as("next"))
          .where("plan_id", "=", plan.id),
        title: input.title,
      }))
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      event: "plan.priority_added",
      entityType: "plan",
      entityId: plan.id,
      changes: { priority_id: Number(priority.id), title: input.title },
    });
    return { ok: true, priorityId: Number(priority.id) } as const;
  });
}

/** The plan's priority, locked, or a message for the form when it is not one of the plan's. */
async function lockPriority(trx: WorkspaceDb, planId: number, priorityId: number) {
  return trx
    .selectFrom("plan_priorities")
    .select(["id", "title"])
    .where("id", "=", priorityId)
    .where("plan_id", "=", planId)
    .forUpdate()
    .executeTakeFirst();
}

const NOT_THIS_PLAN = "Choose a priority of this plan";

/** Renames one of the plan's priorities. */
export async function renamePriority(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  planId: number,
  priorityId: number,
  input: PriorityInput,
): Promise<PlanWrite> {
  return inTransaction(viewer.db, async (trx) => {
    const plan = await lockPlan(trx, viewer, boardId, planId);
    const priority = await lockPriority(trx, plan.id, priorityId);
    if (!priority) return { ok: false, formError: NOT_THIS_PLAN } as const;
    await trx
      .updateTable("plan_priorities")
      .set({ title: input.title })
      .where("id", "=", priority.id)
      .execute();
    await recordAudit(trx, actor, {
      event: "plan.priority_renamed",
      entityType: "plan",
      entityId: plan.id,
      changes: { priority_id: Number(priority.id), title: [priority.title, input.title] },
    });
    return { ok: true } as const;
  });
}

/**
 * Removes a priority that has no objectives (its objectives are removed one by one first,
 * each after its own confirmation), and closes the gap in the order.
 */
export async function removePriority(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  planId: number,
  priorityId: number,
): Promise<PlanWrite> {
  return inTransaction(viewer.db, async (trx) => {
    const plan = await lockPlan(trx, viewer, boardId, planId);
    const priority = await lockPriority(trx, plan.id, priorityId);
    if (!priority) return { ok: false, formError: NOT_THIS_PLAN } as const;
    const objective = await trx
      .selectFrom("plan_objectives")
      .select("id")
      .where("priority_id", "=", priority.id)
      .limit(1)
      .executeTakeFirst();
    if (objective) {
      return {
        ok: false,
        formError: `“${priority.title}” still has objectives: remove them first, or rename the priority`,
      } as const;
    }
    const removed = await trx
      .deleteFrom("plan_priorities")
      .where("id", "=", priority.id)
      .returning("position")
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("plan_priorities")
      .set((eb) => ({ position: eb("position", "-", 1) }))
      .where("plan_id", "=", plan.id)
      .where("position", ">", removed.position)
      .execute();
    await recordAudit(trx, actor, {
      event: "plan.priority_removed",
      entityType: "plan",
      entityId: plan.id,
      changes: { priority_id: Number(priority.id), title: priority.title },
    });
    return { ok: true } as const;
  });
}

/** An objective's values as stored; the owner agency checked to be one of this workspace's. */
async function objectiveValues(
  trx: WorkspaceDb,
  input: ObjectiveInput,
): Promise<{ ok: true; values: ObjectiveValues } | { ok: false; fieldErrors: FieldErrors }> {
  if (input.owner_agency !== undefined) {
    const agency = await trx
      .selectFrom("agencies")
      .select("id")
      .where("id", "=", input.owner_agency)
      .executeTakeFirst();
    if (!agency) return { ok: false, fieldErrors: { owner_agency: ["Select an agency from the list"] } };
  }
  return {
    ok: true,
    values: {
      title: input.title,
      measure: input.measure ?? "",
      target: input.target ?? "",
      current_value: input.current_value ?? "",
      rag: input.rag ?? null,
      owner_agency_id: input.owner_agency ?? null,
    },
  };
}

interface ObjectiveValues {
  title: string;
  measure: string;
  target: string;
  current_value: string;
  rag: Rag | null;
  owner_agency_id: number | null;
}

/** Adds an objective at the end of one of the plan's priorities. */
export async function addObjective(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  planId: number,
  input: NewObjectiveInput,
): Promise<PlanWrite<{ objectiveId: number }>> {
  return inTransaction(viewer.db, async (trx) => {
    const plan = await lockPlan(trx, viewer, boardId, planId);
    const priority = await trx
      .selectFrom("plan_priorities")
      .select("id")
      .where("id", "=", input.priority)
      .where("plan_id", "=", plan.id)
      .executeTakeFirst();
    if (!priority)
      return { ok: false, fieldErrors: { priority: ["Select the priority the objective serves"] } };
    const checked = await objectiveValues(trx, input);
    if (!checked.ok) return checked;
    const objective = await trx
      .insertInto("plan_objectives")
      .values((eb) => ({
        workspace_id: workspaceIdOf(trx),
        priority_id: priority.id,
        position: eb
          .selectFrom("plan_objectives")
          .select(sql<number>`coalesce(max(position) + 1, 0)`.as("next"))
          .where("priority_id", "=", priority.id),
        ...checked.values,
      }))
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      event: "plan.objective_added",
      entityType: "plan_objective",
      entityId: objective.id,
      changes: { plan_id: plan.id, priority_id: Number(priority.id), ...checked.values },
    });
    return { ok: true, objectiveId: Number(objective.id) } as const;
  });
}

/**
 * Copies a plan forward to the next period: its title (with the period in it moved on),
 * priorities and objectives (title, measure, target, owner agency), in the same order.
 * Current values and RAGs are not copied (they are this year's assessment, not next
 * year's), nor are the links to actions (those belong to this year's work): the new plan
 * starts unassessed. Refused if the board already has a plan for that period.
 */
export async function copyPlanForward(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  planId: number,
): Promise<PlanWrite<{ planId: number; period: string }>> {
  try {
    return await inTransaction(viewer.db, async (trx) => {
      const from = await lockPlan(trx, viewer, boardId, planId);
      const period = nextPeriod(from.period);
      const exists = await trx
        .selectFrom("plans")
        .select("id")
        .where("board_id", "=", from.boardId)
        .where("period", "=", period)
        .executeTakeFirst();
      if (exists) return { ok: false, formError: DUPLICATE_PERIOD(period) } as const;
      const { startsOn, endsOn } = periodBounds(period);
      const title = from.title.includes(from.period)
        ? from.title.replaceAll(from.period, period)
        : `${from.title} (${period})`.slice(0, 300);
      const plan = await trx
        .insertInto("plans")
        .values({
          workspace_id: workspaceIdOf(trx),
          board_id: from.boardId,
          period,
          title,
          starts_on: startsOn,
          ends_on: endsOn,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      // Priorities keep their order, numbered afresh from 0; objectives follow them by that number.
      const priorities = await trx
        .insertInto("plan_priorities")
        .columns(["workspace_id", "plan_id", "position", "title"])
        .expression((eb) =>
          eb
            .selectFrom("plan_priorities")
            .select([
              "workspace_id",
              sql<number>`${plan.id}::bigint`.as("plan_id"),
              sql<number>`(row_number() over (order by position, id) - 1)::int`.as("position"),
              "title",
            ])
            .where("plan_id", "=", from.id),
        )
        .returning("id")
        .execute();
      const objectives = await trx
        .insertInto("plan_objectives")
        .columns(["workspace_id", "priority_id", "position", "title", "measure", "target", "owner_agency_id"])
        .expression((eb) =>
          eb
            .selectFrom("plan_objectives as o")
            .innerJoin(
              (inner) =>
                inner
                  .selectFrom("plan_priorities")
                  .select([
                    "id",
                    sql<number>`(row_number() over (order by position, id) - 1)::int`.as("rank"),
                  ])
                  .where("plan_id", "=", from.id)
                  .as("op"),
              (join) => join.onRef("op.id", "=", "o.priority_id"),
            )
            .innerJoin("plan_priorities as np", (join) =>
              join.onRef("np.position", "=", "op.rank").on("np.plan_id", "=", plan.id),
            )
            .select([
              "o.workspace_id",
              "np.id",
              sql<number>`(row_number() over (partition by o.priority_id order by o.position, o.id) - 1)::int`.as(
                "position",
              ),
              "o.title",
              "o.measure",
              "o.target",
              "o.owner_agency_id",
            ]),
        )
        .returning("id")
        .execute();
      await recordAudit(trx, actor, {
        event: "plan.copied_forward",
        entityType: "plan",
        entityId: plan.id,
        changes: {
          from_plan_id: from.id,
          period: [from.period, period],
          priorities: priorities.length,
          objectives: objectives.length,
        },
      });
      return { ok: true, planId: Number(plan.id), period } as const;
    });
  } catch (error) {
    // Two copies at once: the loser finds the plan already there.
    if (uniqueViolation(error) !== null)
      return { ok: false, formError: "This plan has already been copied forward" };
    throw error;
  }
}

// ── An objective ─────────────────────────────────────────────────────────────────────────

export interface LinkedAction {
  id: number;
  ref: string;
  title: string;
  ownerAgency: string;
  dueDate: IsoDate;
  status: ActionStatus;
  rag: ActionRag;
  completedAt: Date | null;
}

export interface ObjectivePage {
  board: BoardRef;
  plan: PlanSummary;
  priority: { id: number; title: string };
  objective: PlanObjective;
  /** Newest due first; an action of another board the viewer does not read shows as restricted. */
  actions: LinkedAction[];
  canRun: boolean;
  /** The board's actions that may be linked: not linked yet, and open or closed within the plan's period. */
  candidates: { value: string; label: string }[];
  agencies: { value: string; label: string }[];
}

/** The objective, if it belongs to that plan of that board; 404 otherwise. */
async function objectiveOf(db: WorkspaceDb, planId: number, objectiveId: number) {
  ensure(validId(objectiveId));
  const row = await db
    .selectFrom("plan_objectives as po")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .select(["po.id", "po.title", "po.rag", "pp.id as priority_id", "pp.title as priority_title"])
    .where("po.id", "=", objectiveId)
    .where("pp.plan_id", "=", planId)
    .executeTakeFirst();
  if (!row) notFound();
  return row;
}

/** The objective's page: its fields, progress and linked actions; for those who run the board, forms. */
export async function getObjectivePage(
  viewer: Viewer,
  boardId: number,
  planId: number,
  objectiveId: number,
  now = new Date(),
): Promise<ObjectivePage> {
  const board = await boardFor(viewer, boardId);
  const plan = await planOf(viewer.db, board.id, planId);
  const found = await objectiveOf(viewer.db, plan.id, objectiveId);
  const today = londonDate(now);
  const objective = toObjective(
    await objectivesWithProgress(viewer.db, today).where("po.id", "=", found.id).executeTakeFirstOrThrow(),
  );
  // Links made here are to this board's actions, which every reader of the board reads in
  // full; any made to another board's action are named only for those who read that board.
  const scope = boardScope(viewer);
  const readable = scope.all ? null : [board.id, ...scope.boardIds];
  const rows = await viewer.db
    .selectFrom("objective_actions as oa")
    .innerJoin("actions as a", "a.id", "oa.action_id")
    .innerJoin("agencies as ag", "ag.id", "a.owner_agency_id")
    .select([
      "a.id",
      readable === null
        ? sql<string>`a.title`.as("title")
        : sql<string>`(case when a.board_id in (${sql.join(readable)}) then a.title else 'Action of another board' end)`.as(
            "title",
          ),
      "ag.name as agency",
      "a.due_date",
      "a.status",
      "a.completed_at",
      ragSql({ status: sql.ref("a.status"), dueDate: sql.ref("a.due_date") }, today).as("rag"),
    ])
    .where("oa.objective_id", "=", objective.id)
    .orderBy("a.due_date", "desc")
    .orderBy("a.id", "desc")
    .execute();
  const canRun = can.runBoard(viewer, board.id);
  const candidates = canRun
    ? await viewer.db
        .selectFrom("actions as a")
        .select(["a.id", "a.title", "a.due_date"])
        .where("a.board_id", "=", board.id)
        .where((eb) =>
          eb.or([
            eb("a.status", "in", ["open", "in_progress"]),
            eb(sql<IsoDate>`(a.completed_at at time zone 'Europe/London')::date`, ">=", plan.startsOn),
          ]),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("objective_actions as x")
                .select("x.action_id")
                .whereRef("x.action_id", "=", "a.id")
                .where("x.objective_id", "=", objective.id),
            ),
          ),
        )
        .orderBy("a.due_date")
        .orderBy("a.id")
        .execute()
    : [];
  return {
    board,
    plan,
    priority: { id: Number(found.priority_id), title: found.priority_title },
    objective,
    actions: rows.map((row) => ({
      id: Number(row.id),
      ref: actionRef(Number(row.id)),
      title: row.title,
      ownerAgency: row.agency,
      dueDate: row.due_date,
      status: row.status,
      rag: row.rag,
      completedAt: row.completed_at ? new Date(row.completed_at) : null,
    })),
    canRun,
    candidates: candidates.map((c) => ({
      value: String(c.id),
      label: `${actionRef(Number(c.id))}: ${c.title} (due ${c.due_date})`,
    })),
    agencies: canRun ? await agencyOptions(viewer.db, objective.ownerAgency?.id ?? null) : [],
  };
}

/** The objective locked for the rest of the transaction, if it is that plan's and the viewer runs the board. */
async function lockObjective(
  trx: WorkspaceDb,
  viewer: Viewer,
  boardId: number,
  planId: number,
  objectiveId: number,
) {
  const plan = await lockPlan(trx, viewer, boardId, planId);
  ensure(validId(objectiveId));
  const objective = await trx
    .selectFrom("plan_objectives as po")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .selectAll("po")
    .where("po.id", "=", objectiveId)
    .where("pp.plan_id", "=", plan.id)
    .forUpdate()
    .executeTakeFirst();
  if (!objective) notFound();
  return { plan, objective };
}

/**
 * Changes an objective's title, measure, target, current value, RAG or owner agency. The form
 * names the version it was opened on; if the objective has changed since, nothing is saved.
 */
export async function updateObjective(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  planId: number,
  objectiveId: number,
  input: ObjectiveEditInput,
): Promise<PlanWrite<{ version: number }> | { ok: false; stale: true }> {
  return inTransaction(viewer.db, async (trx) => {
    const { objective } = await lockObjective(trx, viewer, boardId, planId, objectiveId);
    // The row is locked: nobody can change it between this check and the update.
    if (objective.version !== input.version) return { ok: false, stale: true } as const;
    const checked = await objectiveValues(trx, input);
    if (!checked.ok) return checked;
    const version = objective.version + 1;
    await trx
      .updateTable("plan_objectives")
      .set({ ...checked.values, version })
      .where("id", "=", objective.id)
      .execute();
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [key, value] of Object.entries(checked.values) as [keyof ObjectiveValues, unknown][]) {
      const before =
        objective[key] === null ? null : key === "owner_agency_id" ? Number(objective[key]) : objective[key];
      if (before !== value) changes[key] = [before, value];
    }
    await recordAudit(trx, actor, {
      event: "plan.objective_updated",
      entityType: "plan_objective",
      entityId: objective.id,
      changes: { ...changes, version: [objective.version, version] },
    });
    return { ok: true, version } as const;
  });
}

/** Removes an objective and its links (the actions stay in the action log). */
export async function removeObjective(
  viewer: Viewer,
  actor: AuditActor,
  boardId: number,
  planId: number,
  objectiveId: number,
): Promise<PlanWrite> {
  return inTransaction(viewer.db, async (trx) => {
    const { plan, objective } = await lockObjective(trx, viewer, boardId, planId, objectiveId);
    const links = await trx
      .deleteFrom("objective_actions")
      .where("objective_id", "=", objective.id)
      .returning("action_id")
      .execute();
    await trx.deleteFrom("plan_objectives").where("id", "=", objective.id).execute();
    await recordAudit(trx, actor, {
      event: "plan.objective_removed",
      entityType: "plan_objective",
      entityId: objective.id,
      changes: {
        plan_id: plan.id,
        title: objective.title,
        unlinked_actions: links.map((l) => Number(l.action_id)),
      },
    });
    return { ok: true } as const;
  });
}

// ── Links between objectives and actions ─────────────────────────────────────────────────

const NOT_THIS_BOARD = "Select an action of this board";

/** Which link: an objective (of `planId`, when the form came from that plan's page) and an action. */
export interface LinkTarget {
  objectiveId: number;
  actionId: number;
  planId?: number;
}

/**
 * Links an action to an objective, both of the same board, which the viewer runs. Linking
 * again is harmless (nothing changes, nothing is recorded). 404 when the viewer may not run
 * the board or the objective is not there; a message beside the field when the action is
 * not one of the board's.
 */
export async function linkAction(viewer: Viewer, actor: AuditActor, target: LinkTarget): Promise<PlanWrite> {
  return writeLink(viewer, actor, target, "link");
}

/** Removes the link between an action and an objective (the action and the objective stay). */
export async function unlinkAction(
  viewer: Viewer,
  actor: AuditActor,
  target: LinkTarget,
): Promise<PlanWrite> {
  return writeLink(viewer, actor, target, "unlink");
}

async function writeLink(
  viewer: Viewer,
  actor: AuditActor,
  { objectiveId, actionId, planId }: LinkTarget,
  change: "link" | "unlink",
): Promise<PlanWrite> {
  ensure(validId(objectiveId) && (planId === undefined || validId(planId)));
  return inTransaction(viewer.db, async (trx) => {
    let query = trx
      .selectFrom("plan_objectives as po")
      .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
      .innerJoin("plans as p", "p.id", "pp.plan_id")
      .select(["po.id", "p.board_id", "p.id as plan_id"])
      .where("po.id", "=", objectiveId);
    if (planId !== undefined) query = query.where("p.id", "=", planId);
    const objective = await query.forUpdate("po").executeTakeFirst();
    if (!objective || !can.runBoard(viewer, objective.board_id)) notFound();
    const action = validId(actionId)
      ? await trx
          .selectFrom("actions")
          .select(["id", "board_id"])
          .where("id", "=", actionId)
          .executeTakeFirst()
      : undefined;
    if (change === "link" && (!action || action.board_id !== objective.board_id)) {
      return { ok: false, fieldErrors: { actionId: [NOT_THIS_BOARD] } } as const;
    }
    const result =
      change === "link"
        ? await trx
            .insertInto("objective_actions")
            .values({ workspace_id: workspaceIdOf(trx), objective_id: objective.id, action_id: actionId })
            .onConflict((oc) => oc.doNothing())
            .returning("action_id")
            .execute()
        : await trx
            .deleteFrom("objective_actions")
            .where("objective_id", "=", objective.id)
            .where("action_id", "=", actionId)
            .returning("action_id")
            .execute();
    if (result.length > 0) {
      await recordAudit(trx, actor, {
        event: change === "link" ? "plan.action_linked" : "plan.action_unlinked",
        entityType: "plan_objective",
        entityId: objective.id,
        changes: { plan_id: Number(objective.plan_id), action_id: actionId },
      });
    }
    return { ok: true } as const;
  });
}

export interface ActionObjective {
  id: number;
  title: string;
  priority: string;
  plan: { id: number; period: string };
  rag: Rag | null;
}

export interface ActionObjectives {
  action: { id: number; ref: string; title: string; boardId: number; boardName: string };
  linked: ActionObjective[];
  /** The board's objectives not linked yet, in the plans that have not ended (for those who run the board). */
  candidates: { value: string; label: string }[];
  canRun: boolean;
}

/**
 * The plan objectives an action serves. For readers of its board (404 for anyone else, so
 * a partner, who reads the action but not the board's plan, sees none of it); the
 * objectives it may still be linked to for those who run the board.
 */
export async function getActionObjectives(
  viewer: Viewer,
  actionId: number,
  now = new Date(),
): Promise<ActionObjectives> {
  ensure(validId(actionId));
  const action = await viewer.db
    .selectFrom("actions as a")
    .innerJoin("boards as b", "b.id", "a.board_id")
    .select(["a.id", "a.title", "a.board_id", "b.name as board_name"])
    .where("a.id", "=", actionId)
    .executeTakeFirst();
  if (!action || !can.readBoard(viewer, action.board_id)) notFound();
  const objectives = await viewer.db
    .selectFrom("plan_objectives as po")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .innerJoin("plans as p", "p.id", "pp.plan_id")
    .leftJoin("objective_actions as oa", (join) =>
      join.onRef("oa.objective_id", "=", "po.id").on("oa.action_id", "=", action.id),
    )
    .select([
      "po.id",
      "po.title",
      "po.rag",
      "pp.title as priority",
      "p.id as plan_id",
      "p.period",
      "p.ends_on",
      sql<boolean>`(oa.action_id is not null)`.as("linked"),
    ])
    .where("p.board_id", "=", action.board_id)
    .orderBy("p.starts_on", "desc")
    .orderBy("pp.position")
    .orderBy("pp.id")
    .orderBy("po.position")
    .orderBy("po.id")
    .execute();
  const today = londonDate(now);
  const canRun = can.runBoard(viewer, action.board_id);
  return {
    action: {
      id: Number(action.id),
      ref: actionRef(Number(action.id)),
      title: action.title,
      boardId: Number(action.board_id),
      boardName: action.board_name,
    },
    linked: objectives
      .filter((o) => o.linked)
      .map((o) => ({
        id: Number(o.id),
        title: o.title,
        priority: o.priority,
        plan: { id: Number(o.plan_id), period: o.period },
        rag: o.rag,
      })),
    candidates: canRun
      ? objectives
          .filter((o) => !o.linked && o.ends_on >= today)
          .map((o) => ({ value: String(o.id), label: `${o.period}: ${o.priority} – ${o.title}` }))
      : [],
    canRun,
  };
}
