import type { z } from "zod";
import { z as zod } from "zod";
import { actionFiltersFrom, getAction, listActionsAfter, postUpdate } from "../actions/actions.server";
import { ACTION_STATUS_LABELS } from "../actions/labels";
import type { Viewer } from "../auth/viewer.server";
import { ensureReadableBoard, getBoardPage, listBoards } from "../boards/boards.server";
import { meetingVerdict } from "../costs/rollups.server";
import { getMeetingPage, getReadableMeeting, meetingCostView } from "../meetings/meetings.server";
import { listMeetingsAfter } from "../meetings/meetings-list.server";
import { boardPlan } from "../plans/plans.server";
import { decodeCursor, encodeCursor } from "./cursor";
import { ApiProblem } from "./handler.server";
import {
  actionDetailJson,
  actionJson,
  actionUpdateJson,
  boardDetailJson,
  boardJson,
  boardPlanJson,
  meetingCostJson,
  meetingDetailJson,
  meetingJson,
} from "./present";
import { PROBLEM_TYPES } from "./problem.server";
import {
  type ActionUpdateRequest,
  type actionListQuery,
  type boardListQuery,
  type boardMeetingsQuery,
  DEFAULT_LIMIT,
  inPostgresRange,
} from "./schemas";

/*
 * What each endpoint does, in terms of the domain modules: they decide who may see what
 * (through the one authorisation module) and own the SQL; this module only turns cursors
 * into keys and keys back into cursors, and domain answers into the API's shapes.
 */

function badCursor(): never {
  throw new ApiProblem({
    status: 422,
    type: PROBLEM_TYPES.validation,
    title: "Your request has errors",
    detail: "Correct this field and send it again: cursor.",
    errors: [
      {
        in: "query",
        field: "cursor",
        message: "This is not a cursor from this list: start again without one",
      },
    ],
  });
}

function keyOf<T extends zod.ZodRawShape>(kind: string, cursor: string | undefined, shape: T) {
  if (cursor === undefined) return null;
  return decodeCursor(kind, cursor, shape) ?? badCursor();
}

// ── Boards ───────────────────────────────────────────────────────────────────────────────

export async function boardsPage(viewer: Viewer, query: z.output<typeof boardListQuery>) {
  const after = keyOf("boards", query.cursor, { name: zod.string(), id: zod.number().int() });
  const limit = query.limit ?? DEFAULT_LIMIT;
  // One more than asked for, to know whether there is a next page.
  const list = await listBoards(viewer, {
    sort: "name",
    dir: "asc",
    page: 1,
    pageSize: limit + 1,
    ...(after ? { after } : {}),
  });
  const rows = list.rows.slice(0, limit);
  const last = rows.at(-1);
  return {
    data: rows.map(boardJson),
    next_cursor:
      list.rows.length > limit && last ? encodeCursor("boards", { name: last.name, id: last.id }) : null,
  };
}

export async function boardDetail(viewer: Viewer, boardId: number) {
  return boardDetailJson(await getBoardPage(viewer, boardId, { meetingsEach: 0 }));
}

export async function boardMeetingsPage(
  viewer: Viewer,
  boardId: number,
  query: z.output<typeof boardMeetingsQuery>,
) {
  await ensureReadableBoard(viewer, boardId);
  const when = query.when ?? "upcoming";
  const key = keyOf(`meetings:${when}`, query.cursor, {
    starts_at: zod.iso.datetime().refine(inPostgresRange),
    id: zod.number().int(),
  });
  const page = await listMeetingsAfter(
    viewer,
    { when, board: boardId, status: query.status, from: query.from, to: query.to },
    key ? { startsAt: new Date(key.starts_at), id: key.id } : null,
    query.limit ?? DEFAULT_LIMIT,
  );
  return {
    data: page.rows.map(meetingJson),
    next_cursor: page.next
      ? encodeCursor(`meetings:${when}`, { starts_at: page.next.startsAt.toISOString(), id: page.next.id })
      : null,
  };
}

export async function boardPlanDetail(viewer: Viewer, boardId: number, period: string | undefined) {
  return boardPlanJson(await boardPlan(viewer, boardId, period));
}

// ── Meetings ─────────────────────────────────────────────────────────────────────────────

export async function meetingDetail(viewer: Viewer, meetingId: number) {
  return meetingDetailJson(await getMeetingPage(viewer, meetingId));
}

export async function meetingCost(viewer: Viewer, meetingId: number) {
  const readable = await getReadableMeeting(viewer, meetingId);
  const [cost, verdict] = await Promise.all([
    meetingCostView(viewer, readable.id),
    meetingVerdict(viewer.db, readable.id),
  ]);
  return meetingCostJson(readable.id, cost, verdict);
}

// ── Actions ──────────────────────────────────────────────────────────────────────────────

export async function actionsPage(viewer: Viewer, query: z.output<typeof actionListQuery>) {
  const key = keyOf("actions", query.cursor, {
    due_date: zod.iso.date().refine(inPostgresRange),
    id: zod.number().int(),
  });
  const filters = actionFiltersFrom({
    q: query.q,
    board: query.board,
    agency: query.agency,
    owner: query.owner,
    status: query.status,
    rag: query.rag,
    dueFrom: query.due_from,
    dueTo: query.due_to,
  });
  const page = await listActionsAfter(
    viewer,
    filters,
    key ? { dueDate: key.due_date, id: key.id } : null,
    query.limit ?? DEFAULT_LIMIT,
  );
  return {
    data: page.rows.map(actionJson),
    next_cursor: page.next
      ? encodeCursor("actions", { due_date: page.next.dueDate, id: page.next.id })
      : null,
  };
}

export async function actionDetail(viewer: Viewer, actionId: number) {
  return actionDetailJson(await getAction(viewer, actionId));
}

export async function postActionUpdate(
  viewer: Viewer,
  actionId: number,
  input: ActionUpdateRequest,
  meta: { ip: string },
) {
  const now = new Date();
  const outcome = await postUpdate(viewer, actionId, input, { ip: meta.ip, now });
  if (!outcome.ok && outcome.reason === "stale") {
    throw new ApiProblem({
      status: 409,
      type: PROBLEM_TYPES.versionConflict,
      title: "The action has changed",
      detail:
        `Someone updated this action after you read it (it is now ‘${ACTION_STATUS_LABELS[outcome.currentStatus]}’, ` +
        `version ${outcome.currentVersion}), so your update was not saved. Read it again, then send your update with its current version.`,
      extensions: { current_version: outcome.currentVersion, current_status: outcome.currentStatus },
    });
  }
  if (!outcome.ok) {
    throw new ApiProblem({
      status: 422,
      type: PROBLEM_TYPES.validation,
      title: "Your request has errors",
      detail: `Correct ${Object.keys(outcome.fieldErrors).join(", ")} and send it again.`,
      errors: Object.entries(outcome.fieldErrors).flatMap(([field, messages]) =>
        (messages ?? []).map((message) => ({ in: "body" as const, field, pointer: `/${field}`, message })),
      ),
    });
  }
  // The update as written (its author may not read the action's other updates: a partner
  // on an OFFICIAL-SENSITIVE action of a board they do not sit on).
  const update = {
    id: outcome.updateId,
    at: now,
    authorName: viewer.user.name,
    body: input.body,
    statusTo: outcome.statusChanged ? (input.status ?? null) : null,
  };
  return { update: actionUpdateJson(update), action: actionDetailJson(await getAction(viewer, actionId)) };
}
