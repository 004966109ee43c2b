import type { z } from "zod";
import { AgencyRollupSchema, agencyPath, agencyRollupQuery, BoardRollupSchema } from "./rollup-schemas";
import {
  ActionDetailSchema,
  ActionPageSchema,
  ActionUpdateRequestSchema,
  ActionUpdateResultSchema,
  actionListQuery,
  actionPath,
  BoardDetailSchema,
  BoardPageSchema,
  BoardPlanSchema,
  boardListQuery,
  boardMeetingsQuery,
  boardPath,
  boardPlanQuery,
  MeetingCostSchema,
  MeetingDetailSchema,
  MeetingPageSchema,
  meetingPath,
  noQuery,
} from "./schemas";

/*
 * Every endpoint of the JSON API, declared once: its method and path, who may call it (a
 * read or a write token), the schemas of its path, query, body and response, and the
 * problems it may answer. The route modules (app/routes/api.v1.*) serve these declarations
 * through apiRoute (app/api/handler.server.ts), and app/api/openapi.ts writes the OpenAPI
 * document from them, so the document is the code.
 */

export type ApiScope = "read" | "write";

export interface Endpoint {
  operationId: string;
  method: "GET" | "POST";
  /** As OpenAPI writes it: /api/v1/actions/{actionId}. */
  path: string;
  summary: string;
  description: string;
  tag: "Boards" | "Meetings" | "Actions" | "Costs";
  /** The token scope needed. */
  scope: ApiScope;
  // biome-ignore lint/suspicious/noExplicitAny: any zod object of path parameters
  params: z.ZodObject<any>;
  // biome-ignore lint/suspicious/noExplicitAny: any zod object of query parameters
  query: z.ZodObject<any>;
  body?: z.ZodType;
  response: { status: 200 | 201; description: string; schema: z.ZodType };
  /** The problem statuses this endpoint may answer besides 401, 406, 429 and 500. */
  problems: readonly number[];
}

function endpoint<const E extends Endpoint>(definition: E): E {
  return definition;
}

const noParams = noQuery;

export const endpoints = {
  listBoards: endpoint({
    operationId: "listBoards",
    method: "GET",
    path: "/api/v1/boards",
    summary: "The boards you may read",
    description:
      "Every board of the workspace for admins and leaders; the boards they sit on for secretaries and members; none for partners (who see actions, not boards). In name order.",
    tag: "Boards",
    scope: "read",
    params: noParams,
    query: boardListQuery,
    response: { status: 200, description: "A page of boards", schema: BoardPageSchema },
    problems: [422],
  }),
  getBoard: endpoint({
    operationId: "getBoard",
    method: "GET",
    path: "/api/v1/boards/{boardId}",
    summary: "A board, with its members today",
    description: "404 if the board does not exist or you may not read it.",
    tag: "Boards",
    scope: "read",
    params: boardPath,
    query: noQuery,
    response: { status: 200, description: "The board", schema: BoardDetailSchema },
    problems: [404, 422],
  }),
  listBoardMeetings: endpoint({
    operationId: "listBoardMeetings",
    method: "GET",
    path: "/api/v1/boards/{boardId}/meetings",
    summary: "A board's meetings",
    description:
      "Upcoming meetings (from now, soonest first) or past ones (latest first), filtered as the meetings page filters them.",
    tag: "Meetings",
    scope: "read",
    params: boardPath,
    query: boardMeetingsQuery,
    response: { status: 200, description: "A page of meetings", schema: MeetingPageSchema },
    problems: [404, 422],
  }),
  getBoardPlan: endpoint({
    operationId: "getBoardPlan",
    method: "GET",
    path: "/api/v1/boards/{boardId}/plan",
    summary: "A board's plan: priorities, objectives and their progress",
    description:
      "For the board's readers. Each objective's progress counts the actions linked to it (done, open, overdue, dropped).",
    tag: "Boards",
    scope: "read",
    params: boardPath,
    query: boardPlanQuery,
    response: { status: 200, description: "The plan", schema: BoardPlanSchema },
    problems: [404, 422],
  }),
  getMeeting: endpoint({
    operationId: "getMeeting",
    method: "GET",
    path: "/api/v1/meetings/{meetingId}",
    summary: "A meeting: its agenda, register and cost",
    description:
      "Everyone who reads the board sees the agenda (OFFICIAL-SENSITIVE items included: they sit on the board), the register and the meeting's total cost; admins and leaders also see each attendee's cost.",
    tag: "Meetings",
    scope: "read",
    params: meetingPath,
    query: noQuery,
    response: { status: 200, description: "The meeting", schema: MeetingDetailSchema },
    problems: [404, 422],
  }),
  getMeetingCost: endpoint({
    operationId: "getMeetingCost",
    method: "GET",
    path: "/api/v1/meetings/{meetingId}/cost",
    summary: "What a meeting cost",
    description:
      "The same figures as the meeting page, from the one cost model (docs/cost-model.md): the total for board readers, each attendee's cost for admins and leaders.",
    tag: "Meetings",
    scope: "read",
    params: meetingPath,
    query: noQuery,
    response: { status: 200, description: "The meeting's cost", schema: MeetingCostSchema },
    problems: [404, 422],
  }),
  getBoardRollup: endpoint({
    operationId: "getBoardRollup",
    method: "GET",
    path: "/api/v1/boards/{boardId}/rollup",
    summary: "A board's costs and what they produced",
    description:
      "The figures of the board's costs page (/boards/{id}/costs): the last 12 months' cost, meetings, hours, outcomes and verdicts, its financial years and quarters, attendance by agency, the projected annual cost and the scenarios. Board totals only, for everyone who reads the board.",
    tag: "Costs",
    scope: "read",
    params: boardPath,
    query: noQuery,
    response: { status: 200, description: "The board's rollup", schema: BoardRollupSchema },
    problems: [404, 422],
  }),
  getAgencyRollup: endpoint({
    operationId: "getAgencyRollup",
    method: "GET",
    path: "/api/v1/agencies/{agencyId}/rollup",
    summary: "What partnership meetings cost an agency",
    description:
      "The agency burden page's figures over a period (the last 12 months by default): staff time and cost in total, per board, per grade and per person. Salary-level detail, so for admins and leaders only: 404 for everyone else.",
    tag: "Costs",
    scope: "read",
    params: agencyPath,
    query: agencyRollupQuery,
    response: { status: 200, description: "The agency's rollup", schema: AgencyRollupSchema },
    problems: [404, 422],
  }),
  listActions: endpoint({
    operationId: "listActions",
    method: "GET",
    path: "/api/v1/actions",
    summary: "Actions, with the action log's filters",
    description:
      "Every action you may read: those of the boards you sit on, and those your agency (or the agency you are partner for) leads or supports, on any board. An OFFICIAL-SENSITIVE action of a board you do not sit on keeps only its OFFICIAL fields (restricted: true). In due-date order, then id.",
    tag: "Actions",
    scope: "read",
    params: noParams,
    query: actionListQuery,
    response: { status: 200, description: "A page of actions", schema: ActionPageSchema },
    problems: [422],
  }),
  getAction: endpoint({
    operationId: "getAction",
    method: "GET",
    path: "/api/v1/actions/{actionId}",
    summary: "An action with its progress updates",
    description: "404 if it does not exist or you may not read it.",
    tag: "Actions",
    scope: "read",
    params: actionPath,
    query: noQuery,
    response: { status: 200, description: "The action", schema: ActionDetailSchema },
    problems: [404, 422],
  }),
  postActionUpdate: endpoint({
    operationId: "postActionUpdate",
    method: "POST",
    path: "/api/v1/actions/{actionId}/updates",
    summary: "Post a progress update, optionally changing the status",
    description:
      "Needs a write token, and a user who may update the action (its board's secretary, a partner for its lead agency, or a board member from that agency). Send the version you read: if the action has changed since, nothing is written and the answer is 409. Closing (done or dropped) needs an outcome.",
    tag: "Actions",
    scope: "write",
    params: actionPath,
    query: noQuery,
    body: ActionUpdateRequestSchema,
    response: {
      status: 201,
      description: "The update was posted; the action as it is now",
      schema: ActionUpdateResultSchema,
    },
    problems: [400, 403, 404, 409, 413, 415, 422],
  }),
} as const;

export type Endpoints = typeof endpoints;
