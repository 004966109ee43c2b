import { sql } from "kysely";
import type { IsoDate, Rag } from "../../db/schema";
import { ragIsSql } from "../actions/rag";
import type { Viewer } from "../auth/viewer.server";
import { ensureReadableBoard } from "../boards/boards.server";
import { londonDate } from "../format";

/*
 * A board's plan as the API gives it: read-only, for the board's readers (404 otherwise).
 *
 * STOPGAP: board plans belong to the actions branch (app/plans/plans.server.ts, with
 * getPlanPage and its progress SQL), which is not on main yet. This is the narrow
 * interface the API needs, `boardPlan(viewer, boardId, period?)`, read from the plan
 * tables the domain migration already has. When app/plans lands, this module becomes a
 * call to its getPlanPage and listBoardPlans, and the API's shape stays as it is.
 */

export interface PlanProgress {
  linked: number;
  done: number;
  open: number;
  overdue: number;
  dropped: number;
}

export interface BoardPlanObjective {
  id: number;
  position: number;
  title: string;
  measure: string;
  target: string;
  currentValue: string;
  rag: Rag | null;
  ownerAgency: { id: number; name: string } | null;
  progress: PlanProgress;
}

export interface BoardPlan {
  boardId: number;
  periods: { id: number; period: string }[];
  plan: {
    id: number;
    period: string;
    title: string;
    startsOn: IsoDate;
    endsOn: IsoDate;
    priorities: { id: number; position: number; title: string; objectives: BoardPlanObjective[] }[];
  } | null;
}

/** The plan for `period` ("2026/27"), or the one covering today, or the latest; null when none. */
export async function boardPlan(
  viewer: Viewer,
  boardId: number,
  period?: string,
  now = new Date(),
): Promise<BoardPlan> {
  await ensureReadableBoard(viewer, boardId);
  const today = londonDate(now);
  const plans = await viewer.db
    .selectFrom("plans")
    .select(["id", "period", "title", "starts_on", "ends_on"])
    .where("board_id", "=", boardId)
    .orderBy("starts_on", "desc")
    .execute();
  const chosen = period
    ? plans.find((p) => p.period === period)
    : (plans.find((p) => p.starts_on <= today && today <= p.ends_on) ?? plans[0]);
  const periods = plans.map((p) => ({ id: Number(p.id), period: p.period }));
  if (!chosen) return { boardId, periods, plan: null };

  const objectives = await viewer.db
    .selectFrom("plan_objectives as po")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .leftJoin("agencies as ag", "ag.id", "po.owner_agency_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("objective_actions as oa")
          .innerJoin("actions as pa", "pa.id", "oa.action_id")
          .whereRef("oa.objective_id", "=", "po.id")
          .select([
            sql<number>`count(pa.id)`.as("linked"),
            sql<number>`count(pa.id) filter (where pa.status = 'done')`.as("done"),
            sql<number>`count(pa.id) filter (where pa.status in ('open', 'in_progress'))`.as("open"),
            sql<number>`count(pa.id) filter (where ${ragIsSql({ status: sql.ref("pa.status"), dueDate: sql.ref("pa.due_date") }, "red", today)})`.as(
              "overdue",
            ),
            sql<number>`count(pa.id) filter (where pa.status = 'dropped')`.as("dropped"),
          ])
          .as("pg"),
      (join) => join.onTrue(),
    )
    .select([
      "pp.id as priority_id",
      "po.id",
      "po.position",
      "po.title",
      "po.measure",
      "po.target",
      "po.current_value",
      "po.rag",
      "ag.id as agency_id",
      "ag.name as agency_name",
      "pg.linked",
      "pg.done",
      "pg.open",
      "pg.overdue",
      "pg.dropped",
    ])
    .where("pp.plan_id", "=", chosen.id)
    .orderBy("po.position")
    .orderBy("po.id")
    .execute();
  const priorities = await viewer.db
    .selectFrom("plan_priorities")
    .select(["id", "position", "title"])
    .where("plan_id", "=", chosen.id)
    .orderBy("position")
    .orderBy("id")
    .execute();

  return {
    boardId,
    periods,
    plan: {
      id: Number(chosen.id),
      period: chosen.period,
      title: chosen.title,
      startsOn: chosen.starts_on,
      endsOn: chosen.ends_on,
      priorities: priorities.map((priority) => ({
        id: Number(priority.id),
        position: priority.position,
        title: priority.title,
        objectives: objectives
          .filter((o) => Number(o.priority_id) === Number(priority.id))
          .map((o) => ({
            id: Number(o.id),
            position: o.position,
            title: o.title,
            measure: o.measure,
            target: o.target,
            currentValue: o.current_value,
            rag: o.rag,
            ownerAgency:
              o.agency_id === null || o.agency_name === null
                ? null
                : { id: Number(o.agency_id), name: o.agency_name },
            progress: {
              linked: Number(o.linked ?? 0),
              done: Number(o.done ?? 0),
              open: Number(o.open ?? 0),
              overdue: Number(o.overdue ?? 0),
              dropped: Number(o.dropped ?? 0),
            },
          })),
      })),
    },
  };
}
