import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import type { DatabaseHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { type ApiModule, callApi, tokenFor } from "../api";
import { freshDatabase } from "../database";
import { callRoute, cookieFor, type RouteModule, type RouteOutcome } from "../routes";

/*
 * Every route × every role, with the answer each should get. A route file with no row
 * here fails the test, so a new page cannot ship without deciding who may see it.
 *
 * Answers: a status code, "sign-in" (sent to sign in), or "redirect" (any other redirect).
 * What a role may not see answers 404, never 403.
 */

const ROLES = ["anonymous", "admin", "leader", "secretary", "member", "partner", "outsider"] as const;
type Role = (typeof ROLES)[number];
type Answer = number | "sign-in" | "redirect";
type Expect = Record<Role, Answer>;

interface Fixture {
  workspaceId: number;
  lcjbId: number;
  /** A board the demo secretary and member do not sit on. */
  otherBoardId: number;
  policeId: number;
  personId: number;
  /** An LCJB action the police lead (the demo partner's agency). */
  policeActionId: number;
  /** An action that neither the demo secretary's, member's nor partner's board or agency touches. */
  hiddenActionId: number;
  /** A held demo LCJB meeting (it has a register). */
  lcjbMeetingId: number;
  /** A demo LCJB meeting (not cancelled), an OFFICIAL-SENSITIVE item on its agenda, and a paper of that item. */
  agendaMeetingId: number;
  sensitiveItemId: number;
  sensitivePaperId: number;
  /** A demo LCJB meeting whose minutes are published. */
  publishedMinutesMeetingId: number;
  /** A failed email job of the demo workspace (/admin/jobs retries it). */
  failedJobId: number;
  /** The latest LCJB plan and one of its objectives. */
  lcjbPlanId: number;
  lcjbObjectiveId: number;
}

interface Row {
  route: string;
  method?: "GET" | "POST";
  path: (f: Fixture) => string;
  params?: (f: Fixture) => Record<string, string>;
  form?: Record<string, string> | ((f: Fixture) => Record<string, string>);
  /** The JSON API: each role sends its own read and write token (not the cookie), and a JSON body. */
  api?: { json?: (f: Fixture) => unknown };
  expect: Expect;
}

const everyone = (answer: Answer): Expect => ({
  anonymous: answer,
  admin: answer,
  leader: answer,
  secretary: answer,
  member: answer,
  partner: answer,
  outsider: answer,
});
const signedIn = (answer: Answer): Expect => ({ ...everyone(answer), anonymous: "sign-in" });
// The outsider is an admin too, of their own workspace: workspace pages answer them with
// their own workspace's data; this workspace's records (by id) do not exist for them.
const adminOnly: Expect = { ...signedIn(404), admin: 200, outsider: 200 };
const adminOnlyWrite: Expect = { ...signedIn(404), admin: "redirect", outsider: "redirect" };
const adminAndLeader: Expect = { ...signedIn(404), admin: 200, leader: 200, outsider: 200 };
/** The JSON API: every token-holder gets this; no token is 401. */
const apiToken = (answer: Answer): Expect => ({ ...everyone(answer), anonymous: 401 });
/** Another workspace's admin asking for this workspace's record: it does not exist for them. */
const adminAndLeaderHere: Expect = { ...adminAndLeader, outsider: 404 };

const rows: Row[] = [
  { route: "$", path: () => "/no-such-page", params: () => ({ "*": "no-such-page" }), expect: everyone(404) },
  { route: "_index", path: () => "/", expect: { ...everyone("redirect"), anonymous: "sign-in" } },
  { route: "healthz", path: () => "/healthz", expect: everyone(200) },
  // Prometheus metrics: only with the METRICS_TOKEN bearer (tests/integration/metrics.test.ts).
  { route: "metrics", path: () => "/metrics", expect: everyone(404) },
  { route: "sign-in._index", path: () => "/sign-in", expect: { ...everyone("redirect"), anonymous: 200 } },
  {
    route: "sign-in.two-factor",
    path: () => "/sign-in/two-factor",
    expect: { ...everyone("redirect"), anonymous: "sign-in" },
  },
  { route: "sign-out", path: () => "/sign-out", expect: everyone("redirect") },
  { route: "sign-out", method: "POST", path: () => "/sign-out", expect: everyone("sign-in") },
  { route: "forgot-password", path: () => "/forgot-password", expect: everyone(200) },
  {
    route: "invitations.$token",
    path: () => "/invitations/1.forged",
    params: () => ({ token: "1.forged" }),
    expect: everyone(404),
  },
  {
    route: "reset-password.$token",
    path: () => "/reset-password/forged",
    params: () => ({ token: "forged" }),
    expect: everyone(410),
  },
  { route: "reset-password.done", path: () => "/reset-password/done", expect: everyone(200) },
  { route: "dev.mail", path: () => "/dev/mail", expect: everyone(200) },

  { route: "account._index", path: () => "/account", expect: signedIn(200) },
  { route: "account.password", path: () => "/account/password", expect: signedIn(200) },
  { route: "account.two-factor", path: () => "/account/two-factor", expect: signedIn(200) },
  { route: "account.passkeys", path: () => "/account/passkeys", expect: signedIn(200) },
  { route: "account.tokens", path: () => "/account/tokens", expect: signedIn(200) },
  // A form with no name: refused, nothing made, for everyone signed in (their own tokens only).
  {
    route: "account.tokens",
    method: "POST",
    path: () => "/account/tokens",
    form: { intent: "create" },
    expect: signedIn(400),
  },

  { route: "workspace", path: () => "/workspace", expect: signedIn(200) },
  {
    route: "workspace",
    method: "POST",
    path: () => "/workspace",
    form: (f) => ({ workspaceId: String(f.workspaceId) }),
    expect: { ...signedIn("redirect"), outsider: 404 },
  },
  { route: "actions._index", path: () => "/actions", expect: signedIn(200) },
  { route: "actions[.]csv", path: () => "/actions.csv", expect: signedIn(200) },
  {
    route: "actions.$actionId",
    path: (f) => `/actions/${f.policeActionId}`,
    params: (f) => ({ actionId: String(f.policeActionId) }),
    expect: { ...signedIn(200), outsider: 404 },
  },
  {
    route: "actions.$actionId",
    path: (f) => `/actions/${f.hiddenActionId}`,
    params: (f) => ({ actionId: String(f.hiddenActionId) }),
    expect: adminAndLeaderHere,
  },
  {
    // A stale version, so nothing is written: those who may update hear 409, the rest 404.
    route: "actions.$actionId",
    method: "POST",
    path: (f) => `/actions/${f.policeActionId}`,
    params: (f) => ({ actionId: String(f.policeActionId) }),
    form: { body: "Matrix update", status: "in_progress", version: "999999" },
    expect: { ...signedIn(404), admin: 409, secretary: 409, partner: 409 },
  },
  // An action's plan objectives: the readers of its board (not the partner, who reads the action only).
  {
    route: "actions.$actionId_.objectives",
    path: (f) => `/actions/${f.policeActionId}/objectives`,
    params: (f) => ({ actionId: String(f.policeActionId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    // No objective chosen, so nothing is written: those who run the board hear 400, the rest 404.
    route: "actions.$actionId_.objectives",
    method: "POST",
    path: (f) => `/actions/${f.policeActionId}/objectives`,
    params: (f) => ({ actionId: String(f.policeActionId) }),
    form: { intent: "link" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },

  { route: "boards._index", path: () => "/boards", expect: signedIn(200) },
  {
    route: "boards.$boardId",
    path: (f) => `/boards/${f.lcjbId}`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    route: "boards.$boardId",
    path: (f) => `/boards/${f.otherBoardId}`,
    params: (f) => ({ boardId: String(f.otherBoardId) }),
    expect: { ...adminAndLeaderHere },
  },
  // A board's costs: board totals for its readers (no salaries).
  {
    route: "boards.$boardId_.costs",
    path: (f) => `/boards/${f.lcjbId}/costs`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    route: "boards.$boardId_.costs",
    path: (f) => `/boards/${f.otherBoardId}/costs`,
    params: (f) => ({ boardId: String(f.otherBoardId) }),
    expect: { ...adminAndLeaderHere },
  },

  // Adding boards is for admins; editing a board and its members is for whoever runs it.
  { route: "boards.new", path: () => "/boards/new", expect: adminOnly },
  {
    route: "boards.new",
    method: "POST",
    path: () => "/boards/new",
    form: { name: "", type: "csp" },
    expect: { ...signedIn(404), admin: 400, outsider: 400 },
  },
  {
    route: "boards.$boardId_.edit",
    path: (f) => `/boards/${f.lcjbId}/edit`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "boards.$boardId_.edit",
    method: "POST",
    path: (f) => `/boards/${f.lcjbId}/edit`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    form: { name: "", type: "csp" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  {
    // Archiving is for admins only, even though the secretary may edit the board.
    route: "boards.$boardId_.edit",
    method: "POST",
    path: (f) => `/boards/${f.otherBoardId}/edit`,
    params: (f) => ({ boardId: String(f.otherBoardId) }),
    form: { intent: "archive" },
    expect: { ...signedIn(404), admin: "redirect" },
  },
  {
    route: "boards.$boardId_.members",
    path: (f) => `/boards/${f.lcjbId}/members`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "boards.$boardId_.members",
    method: "POST",
    path: (f) => `/boards/${f.lcjbId}/members`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    form: { intent: "add", person_id: "", role: "member", from_date: "2026-01-01" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  // Board plans: the board's readers read them; its secretary and admins change them. Blank
  // forms write nothing: those who run the board hear 400, the rest 404.
  {
    route: "boards.$boardId_.plans._index",
    path: (f) => `/boards/${f.lcjbId}/plans`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    route: "boards.$boardId_.plans._index",
    method: "POST",
    path: (f) => `/boards/${f.lcjbId}/plans`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    form: { period: "next year", title: "" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  {
    route: "boards.$boardId_.plans._index",
    path: (f) => `/boards/${f.otherBoardId}/plans`,
    params: (f) => ({ boardId: String(f.otherBoardId) }),
    expect: adminAndLeaderHere,
  },
  {
    route: "boards.$boardId_.plans.$planId",
    path: (f) => `/boards/${f.lcjbId}/plans/${f.lcjbPlanId}`,
    params: (f) => ({ boardId: String(f.lcjbId), planId: String(f.lcjbPlanId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    route: "boards.$boardId_.plans.$planId",
    method: "POST",
    path: (f) => `/boards/${f.lcjbId}/plans/${f.lcjbPlanId}`,
    params: (f) => ({ boardId: String(f.lcjbId), planId: String(f.lcjbPlanId) }),
    form: { intent: "add-priority", title: "" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  {
    route: "boards.$boardId_.plans.$planId_.objectives.$objectiveId",
    path: (f) => `/boards/${f.lcjbId}/plans/${f.lcjbPlanId}/objectives/${f.lcjbObjectiveId}`,
    params: (f) => ({
      boardId: String(f.lcjbId),
      planId: String(f.lcjbPlanId),
      objectiveId: String(f.lcjbObjectiveId),
    }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    route: "boards.$boardId_.plans.$planId_.objectives.$objectiveId",
    method: "POST",
    path: (f) => `/boards/${f.lcjbId}/plans/${f.lcjbPlanId}/objectives/${f.lcjbObjectiveId}`,
    params: (f) => ({
      boardId: String(f.lcjbId),
      planId: String(f.lcjbPlanId),
      objectiveId: String(f.lcjbObjectiveId),
    }),
    form: { intent: "save", title: "" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  { route: "admin._index", path: () => "/admin", expect: adminAndLeader },
  { route: "admin.agencies._index", path: () => "/admin/agencies", expect: adminAndLeader },
  { route: "admin.agencies.new", path: () => "/admin/agencies/new", expect: adminOnly },
  {
    route: "admin.agencies.new",
    method: "POST",
    path: () => "/admin/agencies/new",
    form: { name: "Matrix agency", type: "voluntary" },
    expect: adminOnlyWrite,
  },
  {
    // Salaries and rate cards: admins and leaders only.
    route: "admin.agencies.$agencyId",
    path: (f) => `/admin/agencies/${f.policeId}`,
    params: (f) => ({ agencyId: String(f.policeId) }),
    expect: adminAndLeaderHere,
  },
  { route: "admin.rate-cards[.]csv", path: () => "/admin/rate-cards.csv", expect: adminAndLeader },
  { route: "admin.people._index", path: () => "/admin/people", expect: adminOnly },
  { route: "admin.people.new", path: () => "/admin/people/new", expect: adminOnly },
  {
    route: "admin.people.$personId",
    path: (f) => `/admin/people/${f.personId}`,
    params: (f) => ({ personId: String(f.personId) }),
    expect: { ...adminOnly, outsider: 404 },
  },
  { route: "admin.settings", path: () => "/admin/settings", expect: adminOnly },
  { route: "admin.users._index", path: () => "/admin/users", expect: adminOnly },
  {
    route: "admin.users._index",
    method: "POST",
    path: () => "/admin/users",
    form: { intent: "end-sessions", userId: "1" },
    expect: { ...signedIn(404), admin: 200 },
  },
  { route: "admin.users.invite", path: () => "/admin/users/invite", expect: adminOnly },
  { route: "admin.audit", path: () => "/admin/audit", expect: adminOnly },
  { route: "admin.audit[.]csv", path: () => "/admin/audit.csv", expect: adminOnly },
  { route: "admin.security", path: () => "/admin/security", expect: adminOnly },

  // The attendance register: the board's secretary and admins; a stale version writes nothing.
  {
    route: "meetings.$meetingId.register",
    path: (f) => `/meetings/${f.lcjbMeetingId}/register`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "meetings.$meetingId.register",
    method: "POST",
    path: (f) => `/meetings/${f.lcjbMeetingId}/register`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    form: { intent: "save", version: "0".repeat(64) },
    expect: { ...signedIn(404), admin: 409, secretary: 409 },
  },
  {
    route: "meetings.$meetingId.declarations",
    path: (f) => `/meetings/${f.lcjbMeetingId}/declarations`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    // No text, so nothing is written: those who run the board hear 400, the rest 404.
    route: "meetings.$meetingId.declarations",
    method: "POST",
    path: (f) => `/meetings/${f.lcjbMeetingId}/declarations`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    form: { intent: "declare" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },

  // The agenda builder and its items: the board's secretary and admins; a blank title writes nothing.
  {
    route: "meetings.$meetingId.agenda",
    path: (f) => `/meetings/${f.agendaMeetingId}/agenda`,
    params: (f) => ({ meetingId: String(f.agendaMeetingId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "meetings.$meetingId.agenda",
    method: "POST",
    path: (f) => `/meetings/${f.agendaMeetingId}/agenda`,
    params: (f) => ({ meetingId: String(f.agendaMeetingId) }),
    form: {
      intent: "add",
      title: "",
      purpose: "decision",
      minutes_allowed: "10",
      classification: "official",
    },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  {
    route: "meetings.$meetingId.agenda_.$itemId",
    path: (f) => `/meetings/${f.agendaMeetingId}/agenda/${f.sensitiveItemId}`,
    params: (f) => ({ meetingId: String(f.agendaMeetingId), itemId: String(f.sensitiveItemId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "meetings.$meetingId.agenda_.$itemId",
    method: "POST",
    path: (f) => `/meetings/${f.agendaMeetingId}/agenda/${f.sensitiveItemId}`,
    params: (f) => ({ meetingId: String(f.agendaMeetingId), itemId: String(f.sensitiveItemId) }),
    form: {
      intent: "save",
      title: "",
      purpose: "decision",
      minutes_allowed: "10",
      classification: "official",
    },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  {
    // An OFFICIAL-SENSITIVE item's paper: the board's readers only.
    route: "papers.$paperId",
    path: (f) => `/papers/${f.sensitivePaperId}`,
    params: (f) => ({ paperId: String(f.sensitivePaperId) }),
    expect: { ...signedIn(404), admin: 200, leader: 200, secretary: 200, member: 200 },
  },
  // Meetings: scheduling, the meeting page, editing and cancelling. Invalid forms write nothing.
  {
    route: "boards.$boardId_.meetings.new",
    path: (f) => `/boards/${f.lcjbId}/meetings/new`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "boards.$boardId_.meetings.new",
    method: "POST",
    path: (f) => `/boards/${f.lcjbId}/meetings/new`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    form: { date: "", start_time: "10:00", duration_minutes: "90", format: "virtual" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  {
    route: "meetings.$meetingId._index",
    path: (f) => `/meetings/${f.lcjbMeetingId}`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    route: "meetings.$meetingId.edit",
    path: (f) => `/meetings/${f.lcjbMeetingId}/edit`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "meetings.$meetingId.edit",
    method: "POST",
    path: (f) => `/meetings/${f.lcjbMeetingId}/edit`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    form: { date: "", start_time: "10:00", duration_minutes: "90", format: "virtual" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  {
    route: "meetings.$meetingId.cancel",
    path: (f) => `/meetings/${f.lcjbMeetingId}/cancel`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "meetings.$meetingId.cancel",
    method: "POST",
    path: (f) => `/meetings/${f.lcjbMeetingId}/cancel`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    form: { reason: "" },
    expect: { ...signedIn(404), admin: 400, secretary: 400 },
  },
  // Attendee feedback (issue 7): only those who attended the held meeting answer; to anyone else it does not exist.
  {
    route: "meetings.$meetingId.feedback",
    path: (f) => `/meetings/${f.lcjbMeetingId}/feedback`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...signedIn(404), secretary: 200, member: 200 },
  },
  {
    route: "meetings.$meetingId.feedback",
    method: "POST",
    path: (f) => `/meetings/${f.lcjbMeetingId}/feedback`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    form: { score: "" },
    expect: { ...signedIn(404), secretary: 400, member: 400 },
  },
  // Register of interests (issue 4): admins keep it; anyone who reads a board sees its members' current interests.
  {
    route: "admin.people.$personId_.interests",
    path: (f) => `/admin/people/${f.personId}/interests`,
    params: (f) => ({ personId: String(f.personId) }),
    expect: { ...adminOnly, outsider: 404 },
  },
  {
    route: "admin.people.$personId_.interests",
    method: "POST",
    path: (f) => `/admin/people/${f.personId}/interests`,
    params: (f) => ({ personId: String(f.personId) }),
    form: { intent: "add", description: "Matrix interest", declaredOn: "2025-01-01" },
    expect: { ...adminOnlyWrite, outsider: 404 },
  },
  {
    route: "boards.$boardId_.interests",
    path: (f) => `/boards/${f.lcjbId}/interests`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  // Forward plan: every signed-in viewer; a partner (who reads no board) gets an empty plan.
  // The leaders' dashboard, its exports and agency burden: salary-level detail, admins and leaders only.
  { route: "dashboard", path: () => "/dashboard", expect: adminAndLeader },
  { route: "dashboard[.]csv", path: () => "/dashboard.csv?table=boards", expect: adminAndLeader },
  {
    route: "dashboard_.agencies.$agencyId",
    path: (f) => `/dashboard/agencies/${f.policeId}`,
    params: (f) => ({ agencyId: String(f.policeId) }),
    expect: adminAndLeaderHere,
  },
  { route: "forward-plan", path: () => "/forward-plan", expect: signedIn(200) },
  // Meetings list and exports: the outsider (an admin elsewhere) sees their own workspace's.
  { route: "meetings._index", path: () => "/meetings", expect: signedIn(200) },
  { route: "meetings[.]csv", path: () => "/meetings.csv?when=past", expect: signedIn(200) },
  {
    route: "meetings.$meetingId.attendance[.]csv",
    path: (f) => `/meetings/${f.lcjbMeetingId}/attendance.csv`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: adminAndLeaderHere,
  },
  {
    route: "attendance[.]csv",
    path: () => "/attendance.csv?from=2020-01-01&to=2030-12-31",
    expect: adminAndLeader,
  },
  // Minutes (issue 5): every reader of the board reads them; the secretary and admins write and
  // move them on; members (and those who run the board) comment. Stale or empty forms write nothing.
  {
    route: "meetings.$meetingId.minutes._index",
    path: (f) => `/meetings/${f.publishedMinutesMeetingId}/minutes`,
    params: (f) => ({ meetingId: String(f.publishedMinutesMeetingId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },
  {
    route: "meetings.$meetingId.minutes._index",
    method: "POST",
    path: (f) => `/meetings/${f.publishedMinutesMeetingId}/minutes`,
    params: (f) => ({ meetingId: String(f.publishedMinutesMeetingId) }),
    form: { intent: "approve", version: "0", approvedBy: "chair" },
    expect: { ...signedIn(404), admin: 409, secretary: 409 },
  },
  {
    route: "meetings.$meetingId.minutes._index",
    method: "POST",
    path: (f) => `/meetings/${f.publishedMinutesMeetingId}/minutes`,
    params: (f) => ({ meetingId: String(f.publishedMinutesMeetingId) }),
    form: { intent: "comment", body: "" },
    expect: { ...signedIn(404), admin: 400, secretary: 400, member: 400 },
  },
  {
    route: "meetings.$meetingId.minutes.edit",
    path: (f) => `/meetings/${f.publishedMinutesMeetingId}/minutes/edit`,
    params: (f) => ({ meetingId: String(f.publishedMinutesMeetingId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  {
    route: "meetings.$meetingId.minutes.edit",
    method: "POST",
    path: (f) => `/meetings/${f.publishedMinutesMeetingId}/minutes/edit`,
    params: (f) => ({ meetingId: String(f.publishedMinutesMeetingId) }),
    form: { intent: "save", version: "999999" },
    expect: { ...signedIn(404), admin: 409, secretary: 409 },
  },
  {
    route: "meetings.$meetingId.minutes.history",
    path: (f) => `/meetings/${f.publishedMinutesMeetingId}/minutes/history`,
    params: (f) => ({ meetingId: String(f.publishedMinutesMeetingId) }),
    expect: { ...signedIn(404), admin: 200, secretary: 200 },
  },
  // Public pages and feeds: anyone, signed in or not, for public boards; a private board is 404 to all.
  {
    route: "public.$workspaceSlug._index",
    path: () => "/public/demo",
    params: () => ({ workspaceSlug: "demo" }),
    expect: everyone(200),
  },
  {
    route: "public.$workspaceSlug.minutes[.]atom",
    path: () => "/public/demo/minutes.atom",
    params: () => ({ workspaceSlug: "demo" }),
    expect: everyone(200),
  },
  {
    route: "public.$workspaceSlug.boards.$boardSlug._index",
    path: () => "/public/demo/boards/lcjb",
    params: () => ({ workspaceSlug: "demo", boardSlug: "lcjb" }),
    expect: everyone(200),
  },
  {
    route: "public.$workspaceSlug.boards.$boardSlug._index",
    path: () => "/public/demo/boards/mappa-smb",
    params: () => ({ workspaceSlug: "demo", boardSlug: "mappa-smb" }),
    expect: everyone(404),
  },
  {
    route: "public.$workspaceSlug.boards.$boardSlug.minutes[.]atom",
    path: () => "/public/demo/boards/lcjb/minutes.atom",
    params: () => ({ workspaceSlug: "demo", boardSlug: "lcjb" }),
    expect: everyone(200),
  },
  {
    route: "public.$workspaceSlug.boards.$boardSlug.minutes[.]atom",
    path: () => "/public/demo/boards/mappa-smb/minutes.atom",
    params: () => ({ workspaceSlug: "demo", boardSlug: "mappa-smb" }),
    expect: everyone(404),
  },
  {
    route: "public.$workspaceSlug.boards.$boardSlug.minutes.$meetingId",
    path: (f) => `/public/demo/boards/lcjb/minutes/${f.publishedMinutesMeetingId}`,
    params: (f) => ({
      workspaceSlug: "demo",
      boardSlug: "lcjb",
      meetingId: String(f.publishedMinutesMeetingId),
    }),
    expect: everyone(200),
  },
  {
    // Minutes not yet published: 404 for everyone, signed in or not.
    route: "public.$workspaceSlug.boards.$boardSlug.minutes.$meetingId",
    path: (f) => `/public/demo/boards/lcjb/minutes/${f.lcjbMeetingId}`,
    params: (f) => ({ workspaceSlug: "demo", boardSlug: "lcjb", meetingId: String(f.lcjbMeetingId) }),
    expect: everyone(404),
  },
  // Email and jobs (mail branch): the job queue is for admins; a job of another workspace does not exist for them.
  { route: "admin.jobs", path: () => "/admin/jobs", expect: adminOnly },
  {
    route: "admin.jobs",
    method: "POST",
    path: () => "/admin/jobs",
    form: (f) => ({ intent: "retry", jobId: String(f.failedJobId) }),
    expect: { ...signedIn(404), admin: "redirect" },
  },
  { route: "account.reminders", path: () => "/account/reminders", expect: signedIn(200) },
  {
    route: "account.reminders",
    method: "POST",
    path: () => "/account/reminders",
    form: { frequency: "" },
    expect: signedIn(400),
  },
  {
    // A public board's calendar: anyone, signed in or not.
    route: "public.$workspaceSlug.boards.$boardSlug.meetings[.]ics",
    path: () => "/public/demo/boards/lcjb/meetings.ics",
    params: () => ({ workspaceSlug: "demo", boardSlug: "lcjb" }),
    expect: everyone(200),
  },
  {
    // A private board has no public calendar.
    route: "public.$workspaceSlug.boards.$boardSlug.meetings[.]ics",
    path: () => "/public/demo/boards/mappa-smb/meetings.ics",
    params: () => ({ workspaceSlug: "demo", boardSlug: "mappa-smb" }),
    expect: everyone(404),
  },
  {
    route: "meetings.$meetingId.calendar[.]ics",
    path: (f) => `/meetings/${f.lcjbMeetingId}/calendar.ics`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...signedIn(200), partner: 404, outsider: 404 },
  },

  // The JSON API: a bearer token per role (anonymous: none, so 401); cookies are not accepted.
  { route: "api.v1.openapi[.]json", path: () => "/api/v1/openapi.json", expect: everyone(200) },
  {
    route: "api.v1.$",
    path: () => "/api/v1/no-such-thing",
    params: () => ({ "*": "no-such-thing" }),
    expect: everyone(404),
  },
  { route: "api.v1.boards._index", api: {}, path: () => "/api/v1/boards", expect: apiToken(200) },
  {
    route: "api.v1.boards.$boardId._index",
    api: {},
    path: (f) => `/api/v1/boards/${f.lcjbId}`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...apiToken(200), partner: 404, outsider: 404 },
  },
  {
    route: "api.v1.boards.$boardId._index",
    api: {},
    path: (f) => `/api/v1/boards/${f.otherBoardId}`,
    params: (f) => ({ boardId: String(f.otherBoardId) }),
    expect: { ...apiToken(404), admin: 200, leader: 200 },
  },
  {
    route: "api.v1.boards.$boardId.meetings",
    api: {},
    path: (f) => `/api/v1/boards/${f.lcjbId}/meetings?when=past`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...apiToken(200), partner: 404, outsider: 404 },
  },
  {
    route: "api.v1.boards.$boardId.plan",
    api: {},
    path: (f) => `/api/v1/boards/${f.lcjbId}/plan`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...apiToken(200), partner: 404, outsider: 404 },
  },
  {
    route: "api.v1.meetings.$meetingId._index",
    api: {},
    path: (f) => `/api/v1/meetings/${f.lcjbMeetingId}`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...apiToken(200), partner: 404, outsider: 404 },
  },
  {
    route: "api.v1.meetings.$meetingId.cost",
    api: {},
    path: (f) => `/api/v1/meetings/${f.lcjbMeetingId}/cost`,
    params: (f) => ({ meetingId: String(f.lcjbMeetingId) }),
    expect: { ...apiToken(200), partner: 404, outsider: 404 },
  },
  {
    route: "api.v1.boards.$boardId.rollup",
    api: {},
    path: (f) => `/api/v1/boards/${f.lcjbId}/rollup`,
    params: (f) => ({ boardId: String(f.lcjbId) }),
    expect: { ...apiToken(200), partner: 404, outsider: 404 },
  },
  {
    route: "api.v1.agencies.$agencyId.rollup",
    api: {},
    path: (f) => `/api/v1/agencies/${f.policeId}/rollup`,
    params: (f) => ({ agencyId: String(f.policeId) }),
    expect: { ...apiToken(404), admin: 200, leader: 200 },
  },
  { route: "api.v1.actions._index", api: {}, path: () => "/api/v1/actions", expect: apiToken(200) },
  {
    route: "api.v1.actions.$actionId._index",
    api: {},
    path: (f) => `/api/v1/actions/${f.policeActionId}`,
    params: (f) => ({ actionId: String(f.policeActionId) }),
    expect: { ...apiToken(200), outsider: 404 },
  },
  {
    route: "api.v1.actions.$actionId._index",
    api: {},
    path: (f) => `/api/v1/actions/${f.hiddenActionId}`,
    params: (f) => ({ actionId: String(f.hiddenActionId) }),
    expect: { ...apiToken(404), admin: 200, leader: 200 },
  },
  {
    // A stale version, so nothing is written: those who may update hear 409, the rest 404.
    route: "api.v1.actions.$actionId.updates",
    method: "POST",
    api: { json: () => ({ body: "Matrix update", status: "in_progress", version: 999_999 }) },
    path: (f) => `/api/v1/actions/${f.policeActionId}/updates`,
    params: (f) => ({ actionId: String(f.policeActionId) }),
    expect: { ...apiToken(404), admin: 409, secretary: 409, partner: 409 },
  },
];

const ROUTES_DIR = path.resolve("app/routes");

function routeFiles(): string[] {
  return readdirSync(ROUTES_DIR)
    .filter((f) => /\.(tsx|ts)$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => f.replace(/\.(tsx|ts)$/, ""));
}

async function importRoute(route: string): Promise<RouteModule> {
  const file = readdirSync(ROUTES_DIR).find((f) => f.replace(/\.(tsx|ts)$/, "") === route);
  if (!file) throw new Error(`No route file for ${route}`);
  return (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
}

function answerOf(outcome: RouteOutcome): Answer {
  if (outcome.status >= 300 && outcome.status < 400) {
    return outcome.location?.startsWith("/sign-in?") || outcome.location === "/sign-in"
      ? "sign-in"
      : "redirect";
  }
  return outcome.status;
}

/**
 * An API row's answer for a role: with its write token (a read token must answer the same
 * to a GET, and 403 to a POST the role could otherwise attempt).
 */
async function apiAnswer(module: ApiModule, row: Row, role: Role): Promise<number> {
  const request = {
    method: row.method ?? "GET",
    path: row.path(fixture),
    params: row.params?.(fixture),
    body: row.api?.json?.(fixture),
  };
  const written = await callApi(module, { ...request, token: tokens[role]?.write ?? null });
  const readOnly = await callApi(module, { ...request, token: tokens[role]?.read ?? null });
  const readExpected = request.method === "GET" || role === "anonymous" ? written.status : 403;
  if (readOnly.status !== readExpected) return -readOnly.status;
  return written.status;
}

const tokens: Partial<Record<Role, { read: string; write: string }>> = {};

let handle: DatabaseHandle;
let fixture: Fixture;
let cookies: Partial<Record<Role, string>> = {};

/** Fresh sessions for every role (a row may sign them out). */
async function signInEveryone(): Promise<Partial<Record<Role, string>>> {
  const signedIn: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    if (role === "anonymous") continue;
    signedIn[role] = await cookieFor(
      handle.db,
      role === "outsider" ? "outsider@elsewhere.test" : `${role}@demo.test`,
    );
  }
  return signedIn;
}

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { workspaceId } = await seedDemo(handle.db, { now: new Date("2026-11-23T12:00:00Z") });
  const { db } = handle;
  const board = (slug: string) =>
    db
      .selectFrom("boards")
      .select("id")
      .where("workspace_id", "=", workspaceId)
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
  const lcjb = await board("lcjb");
  const secretaryBoards = await db
    .selectFrom("role_grants")
    .innerJoin("users", "users.id", "role_grants.user_id")
    .select("role_grants.board_id")
    .where("users.email", "in", ["secretary@demo.test", "member@demo.test"])
    .execute();
  const other = await db
    .selectFrom("boards")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where(
      "id",
      "not in",
      secretaryBoards.map((g) => g.board_id ?? 0),
    )
    .executeTakeFirstOrThrow();
  const police = await db
    .selectFrom("agencies")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("type", "=", "police")
    .executeTakeFirstOrThrow();
  const person = await db
    .selectFrom("people")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  const policeAction = await db
    .selectFrom("actions")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("board_id", "=", lcjb.id)
    .where("owner_agency_id", "=", police.id)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  // The agencies of the demo secretary, member and partner: an action none of them touches.
  const theirAgencies = (
    await db
      .selectFrom("workspace_users")
      .innerJoin("users", "users.id", "workspace_users.user_id")
      .innerJoin("people", "people.id", "workspace_users.person_id")
      .select("people.agency_id")
      .where("users.email", "in", ["secretary@demo.test", "member@demo.test", "partner@demo.test"])
      .execute()
  ).map((p) => p.agency_id);
  const hiddenAction = await db
    .selectFrom("actions as a")
    .select("a.id")
    .where("a.workspace_id", "=", workspaceId)
    .where("a.board_id", "<>", lcjb.id)
    .where("a.owner_agency_id", "not in", theirAgencies)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("action_supporting_agencies as s")
            .select("s.agency_id")
            .whereRef("s.action_id", "=", "a.id")
            .where("s.agency_id", "in", theirAgencies),
        ),
      ),
    )
    .orderBy("a.id")
    .executeTakeFirstOrThrow();
  const lcjbMeeting = await db
    .selectFrom("meetings")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("board_id", "=", lcjb.id)
    .where("status", "=", "held")
    .orderBy("starts_at", "desc")
    .executeTakeFirstOrThrow();
  const sensitiveItem = await db
    .selectFrom("agenda_items")
    .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
    .select(["agenda_items.id", "agenda_items.meeting_id"])
    .where("agenda_items.workspace_id", "=", workspaceId)
    .where("meetings.board_id", "=", lcjb.id)
    .where("meetings.status", "<>", "cancelled")
    .where("agenda_items.classification", "=", "official_sensitive")
    .orderBy("meetings.starts_at")
    .orderBy("agenda_items.id")
    .executeTakeFirstOrThrow();
  const sensitivePaper = await db
    .insertInto("papers")
    .values({
      workspace_id: workspaceId,
      agenda_item_id: sensitiveItem.id,
      filename: "matrix.pdf",
      content_type: "application/pdf",
      size_bytes: 8,
      content: new TextEncoder().encode("%PDF-1.7"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const publishedMinutes = await db
    .selectFrom("minutes")
    .innerJoin("meetings", "meetings.id", "minutes.meeting_id")
    .select("minutes.meeting_id")
    .where("minutes.workspace_id", "=", workspaceId)
    .where("meetings.board_id", "=", lcjb.id)
    .where("minutes.status", "=", "published")
    .orderBy("meetings.starts_at", "desc")
    .executeTakeFirstOrThrow();
  const failedJob = await db
    .insertInto("jobs")
    .values({
      workspace_id: workspaceId,
      queue: "mail.meeting_invitation",
      payload: JSON.stringify({ meetingId: lcjbMeeting.id }),
      status: "failed",
      attempts: 8,
      last_error: "GOV.UK Notify refused to send an email (403)",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const lcjbObjective = await db
    .selectFrom("plan_objectives as po")
    .innerJoin("plan_priorities as pp", "pp.id", "po.priority_id")
    .innerJoin("plans as p", "p.id", "pp.plan_id")
    .select(["po.id", "p.id as plan_id"])
    .where("p.workspace_id", "=", workspaceId)
    .where("p.board_id", "=", lcjb.id)
    .orderBy("p.starts_on", "desc")
    .orderBy("po.id")
    .executeTakeFirstOrThrow();
  fixture = {
    lcjbPlanId: lcjbObjective.plan_id,
    lcjbObjectiveId: lcjbObjective.id,
    publishedMinutesMeetingId: publishedMinutes.meeting_id,
    failedJobId: failedJob.id,
    agendaMeetingId: sensitiveItem.meeting_id,
    sensitiveItemId: sensitiveItem.id,
    sensitivePaperId: sensitivePaper.id,
    lcjbMeetingId: lcjbMeeting.id,
    workspaceId,
    lcjbId: lcjb.id,
    otherBoardId: other.id,
    policeId: police.id,
    personId: person.id,
    policeActionId: policeAction.id,
    hiddenActionId: hiddenAction.id,
  };

  // An admin of another workspace.
  const elsewhere = await db
    .insertInto("workspaces")
    .values({ slug: "elsewhere", name: "Elsewhere" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const outsider = await db
    .insertInto("users")
    .values({ email: "outsider@elsewhere.test", name: "Out Sider" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("workspace_users")
    .values({ workspace_id: elsewhere.id, user_id: outsider.id })
    .execute();
  await db
    .insertInto("role_grants")
    .values({ workspace_id: elsewhere.id, user_id: outsider.id, role: "admin" })
    .execute();

  cookies = await signInEveryone();
  for (const role of ROLES) {
    if (role === "anonymous") continue;
    const email = role === "outsider" ? "outsider@elsewhere.test" : `${role}@demo.test`;
    tokens[role] = {
      read: (await tokenFor(handle.db, email, "read")).token,
      write: (await tokenFor(handle.db, email, "write")).token,
    };
  }
});

afterAll(() => handle.close());

describe("the authorisation matrix", () => {
  it("has a row for every route", () => {
    const covered = new Set(rows.map((r) => r.route));
    const missing = routeFiles().filter((route) => !covered.has(route));
    expect(missing, "routes with no row in the authorisation matrix").toEqual([]);
  });

  for (const row of rows) {
    const method = row.method ?? "GET";
    it(`${method} ${row.route}`, async () => {
      const module = await importRoute(row.route);
      // Fresh sessions for every row: an earlier row may have signed someone out.
      cookies = await signInEveryone();
      const actual: Partial<Expect> = {};
      for (const role of ROLES) {
        if (row.api) {
          actual[role] = await apiAnswer(module as unknown as ApiModule, row, role);
          continue;
        }
        const outcome = await callRoute(module, {
          method,
          path: row.path(fixture),
          params: row.params?.(fixture),
          cookie: cookies[role] ?? null,
          form: typeof row.form === "function" ? row.form(fixture) : row.form,
        });
        actual[role] = answerOf(outcome);
      }
      expect(actual, `${method} ${row.route} answered ${JSON.stringify(actual)}`).toEqual(row.expect);
    });
  }
});

describe("salaries and sensitive detail", () => {
  it("shows salary figures to leaders on an agency's rate card", async () => {
    const module = await importRoute("admin.agencies.$agencyId");
    const outcome = await callRoute(module, {
      path: `/admin/agencies/${fixture.policeId}`,
      params: { agencyId: String(fixture.policeId) },
      cookie: cookies.leader,
    });
    expect(JSON.stringify(outcome.body)).toMatch(/salary/i);
  });

  it("never puts salary figures in the boards list or a board page", async () => {
    for (const role of ["secretary", "member"] as const) {
      for (const route of ["boards._index", "boards.$boardId"]) {
        const outcome = await callRoute(await importRoute(route), {
          path: route === "boards._index" ? "/boards" : `/boards/${fixture.lcjbId}`,
          params: { boardId: String(fixture.lcjbId) },
          cookie: cookies[role],
        });
        expect(outcome.status).toBe(200);
        expect(JSON.stringify(outcome.body)).not.toMatch(/salary/i);
      }
    }
  });
});
