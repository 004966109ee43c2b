import { sql } from "kysely";
import type { ActionStatus, IsoDate } from "../../db/schema";
import { can, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { londonDate } from "../format";
import { actionRef } from "./labels";
import { type ActionRag, ragSql } from "./rag";

/*
 * The "action log review" standing item of a meeting's agenda: the board's actions that
 * are open, and those closed since the board's previous held meeting.
 *
 * The lists are as at the end of the meeting once it is over (so the minutes of a past
 * meeting show what that meeting reviewed, not today's log), and as things stand now
 * before and during it:
 *   open    raised before that moment, and not closed by then (still open, or closed after);
 *   closed  done or dropped between the start of the previous held meeting and that moment.
 * One query: the meeting, its review item and the previous held meeting in CTEs, and the
 * board's actions joined to them (the (board, due date) and (board, completed at) indexes).
 */

export interface ReviewAction {
  id: number;
  ref: string;
  title: string;
  ownerAgency: string;
  ownerPerson: string | null;
  dueDate: IsoDate;
  status: ActionStatus;
  /** Today's RAG. */
  rag: ActionRag;
  completedAt: Date | null;
}

export interface ActionLogReview {
  /** The agenda item of kind "action log review". */
  agendaItemId: number;
  /** The board's previous held meeting, from whose start "closed since" counts; null for the first. */
  previousMeeting: { id: number; startsAt: Date } | null;
  /** The moment the lists are as at: now, or the meeting's end once it is over. */
  asAt: Date;
  /** Whether the meeting is over, so the lists are as they stood at its end. */
  frozen: boolean;
  open: ReviewAction[];
  closed: ReviewAction[];
}

/**
 * The action log review of a meeting, or null when its agenda has no such item. 404 unless
 * the viewer reads the meeting's board (who then reads its actions in full, sensitive ones too).
 */
export async function actionLogReview(
  viewer: Viewer,
  meetingId: number,
  now: Date = new Date(),
): Promise<ActionLogReview | null> {
  if (!Number.isSafeInteger(meetingId) || meetingId <= 0) notFound();
  const today = londonDate(now);
  const rows = await viewer.db
    .with("m", (db) =>
      db
        .selectFrom("meetings")
        .select([
          "id",
          "board_id",
          "starts_at",
          sql<Date>`least(${now}::timestamptz, starts_at + duration_minutes * interval '1 minute')`.as(
            "as_at",
          ),
        ])
        .where("id", "=", meetingId),
    )
    .with("item", (db) =>
      db
        .selectFrom("agenda_items")
        .select("id")
        .where("meeting_id", "=", meetingId)
        .where("standing_kind", "=", "action_log_review")
        .orderBy("position")
        .limit(1),
    )
    .with("prev", (db) =>
      db
        .selectFrom("meetings as pm")
        .innerJoin("m", "m.board_id", "pm.board_id")
        .select(["pm.id", "pm.starts_at"])
        .where("pm.status", "=", "held")
        .whereRef("pm.starts_at", "<", "m.starts_at")
        .orderBy("pm.starts_at", "desc")
        .limit(1),
    )
    .selectFrom("m")
    .leftJoin("item", (join) => join.onTrue())
    .leftJoin("prev", (join) => join.onTrue())
    .leftJoin("actions as a", (join) =>
      join.onRef("a.board_id", "=", "m.board_id").on(
        // Open now, or closed since the previous meeting (which covers closed after as_at):
        // each half has its index (actions_board_open_idx, actions_completed_idx).
        sql<boolean>`a.created_at < m.as_at and (
          a.status in ('open', 'in_progress')
          or a.completed_at >= coalesce(prev.starts_at, '-infinity'::timestamptz)
        )`,
      ),
    )
    .leftJoin("agencies as ag", "ag.id", "a.owner_agency_id")
    .leftJoin("people as op", "op.id", "a.owner_person_id")
    .select([
      "m.board_id",
      "m.as_at",
      "item.id as item_id",
      "prev.id as prev_id",
      "prev.starts_at as prev_starts_at",
      "a.id",
      "a.title",
      "ag.name as agency",
      "op.full_name as person",
      "a.due_date",
      "a.status",
      "a.completed_at",
      ragSql({ status: sql.ref("a.status"), dueDate: sql.ref("a.due_date") }, today).as("rag"),
      sql<boolean>`(a.status in ('open', 'in_progress') or a.completed_at >= m.as_at)`.as("open_then"),
    ])
    .orderBy("a.due_date")
    .orderBy("a.id")
    .execute();

  const first = rows[0];
  if (!first || !can.readBoard(viewer, Number(first.board_id))) notFound();
  if (first.item_id === null) return null;
  const asAt = new Date(first.as_at);
  const review: ActionLogReview = {
    agendaItemId: Number(first.item_id),
    previousMeeting:
      first.prev_id === null || first.prev_starts_at === null
        ? null
        : { id: Number(first.prev_id), startsAt: new Date(first.prev_starts_at) },
    asAt,
    frozen: asAt.getTime() < now.getTime(),
    open: [],
    closed: [],
  };
  for (const row of rows) {
    if (row.id === null || row.title === null || row.due_date === null || row.status === null) continue;
    const action: ReviewAction = {
      id: Number(row.id),
      ref: actionRef(Number(row.id)),
      title: row.title,
      ownerAgency: row.agency ?? "",
      ownerPerson: row.person,
      dueDate: row.due_date,
      status: row.status,
      rag: row.rag,
      completedAt: row.completed_at ? new Date(row.completed_at) : null,
    };
    (row.open_then ? review.open : review.closed).push(action);
  }
  return review;
}
