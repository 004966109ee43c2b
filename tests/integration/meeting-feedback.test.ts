import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MeetingVerdictView } from "~/costs/rollups.server";
import { useDatabaseForTests } from "~/db.server";
import { enqueueJob } from "~/jobs/queue.server";
import { jobHandlers } from "~/jobs/registry.server";
import { JobWorker } from "~/jobs/worker.server";
import { WORKSPACE_FEEDBACK_QUEUE } from "~/mail/handlers/meeting-feedback.server";
import { clearRecordedMail, recordedMail } from "~/mail/mailer.server";
import * as home from "~/routes/_index";
import * as meetingPage from "~/routes/meetings.$meetingId._index";
import * as feedbackPage from "~/routes/meetings.$meetingId.feedback";
import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertAttendance,
  insertBoard,
  insertMeeting,
  insertPerson,
  insertUser,
  insertWorkspace,
} from "../factories";
import { callRoute, fieldErrors, signedIn } from "../routes";

/*
 * Attendee feedback: "Was this meeting a good use of your time?" asked of those who attended
 * a held meeting (a deputy in the place of the member who sent them), once each by email
 * and on their home page; an answer given again changes it. The average and count sit beside
 * the cost and among the verdict's reasons.
 */

let handle: DatabaseHandle;
let ws: number;
let db: WorkspaceDb;
let boardId: number;
const cookies: Record<string, string> = {};
const m: Record<string, number> = {};

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const root = handle.db;
  ws = (await insertWorkspace(root, { slug: "feedback", name: "Feedback partnership" })).id;
  db = scopeToWorkspace(root, ws);
  const agencyId = (await insertAgency(root, ws, { name: "Probation", type: "probation" })).id;
  boardId = (await insertBoard(root, ws, { name: "Reducing Reoffending Board", slug: "rrb" })).id;
  const people: Record<string, number> = {};
  for (const name of ["ada", "bob", "cy", "dee"]) {
    people[name] = (await insertPerson(root, ws, { agency_id: agencyId, full_name: name })).id;
    const user = await insertUser(
      root,
      ws,
      { email: `${name}@feedback.test`, name, person_id: people[name] },
      [{ role: "member", board_id: boardId }],
    );
    cookies[name] = await signedIn(root, user.id, ws);
  }
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  // Yesterday's meeting: Ada attended, Bob sent Cy as his deputy, Dee sent apologies.
  m.recent = (
    await insertMeeting(root, ws, {
      board_id: boardId,
      starts_at: hoursAgo(26),
      status: "held",
      duration_minutes: 60,
    })
  ).id;
  await insertAttendance(root, ws, { meeting_id: m.recent, person_id: people.ada!, status: "attended" });
  await insertAttendance(root, ws, {
    meeting_id: m.recent,
    person_id: people.bob!,
    status: "deputy",
    deputy_person_id: people.cy!,
  });
  await insertAttendance(root, ws, { meeting_id: m.recent, person_id: people.dee!, status: "apologies" });
  m.future = (await insertMeeting(root, ws, { board_id: boardId, starts_at: hoursAgo(-48) })).id;
  await insertAttendance(root, ws, { meeting_id: m.future, person_id: people.ada!, status: "attended" });
});
afterAll(() => handle.close());
beforeEach(() => clearRecordedMail());

const form = (meetingId: number, cookie: string, values: Record<string, string>) =>
  callRoute(feedbackPage, {
    method: "POST",
    path: `/meetings/${meetingId}/feedback`,
    params: { meetingId: String(meetingId) },
    cookie,
    form: values,
  });
const page = (meetingId: number, cookie: string) =>
  callRoute(feedbackPage, {
    path: `/meetings/${meetingId}/feedback`,
    params: { meetingId: String(meetingId) },
    cookie,
  });

describe("attendee feedback", () => {
  it("is asked of those who attended, by email once, after the meeting", async () => {
    const worker = new JobWorker({ db: handle.db, handlers: jobHandlers, backoffMs: () => 60_000 });
    await enqueueJob(db, { queue: WORKSPACE_FEEDBACK_QUEUE, payload: { slot: "2026-11-30" } });
    await worker.drain();
    const asked = recordedMail()
      .map((mail) => mail.to)
      .sort();
    // Ada attended; Cy deputised for Bob; neither Bob (who sent a deputy) nor Dee (apologies).
    expect(asked).toEqual(["ada@feedback.test", "cy@feedback.test"]);
    const mail = recordedMail()[0]!;
    expect(mail.subject).toMatch(/^Was it a good use of your time\? Reducing Reoffending Board meeting on /);
    expect(mail.text).toContain(`/meetings/${m.recent}/feedback`);

    // The next day's slot sees the same meeting: nobody is asked twice.
    clearRecordedMail();
    await enqueueJob(db, { queue: WORKSPACE_FEEDBACK_QUEUE, payload: { slot: "2026-12-01" } });
    await worker.drain();
    expect(recordedMail()).toEqual([]);
  });

  it("prompts an attendee on their home page until they answer", async () => {
    const outcome = await callRoute(home, { path: "/", cookie: cookies.ada });
    expect(outcome.status).toBe(200);
    expect((outcome.body as { feedback: { id: number }[] }).feedback.map((f) => f.id)).toEqual([m.recent]);
    // Dee sent apologies: straight on to her boards.
    expect((await callRoute(home, { path: "/", cookie: cookies.dee })).location).toBe("/boards");
  });

  it("is only for those who attended a held meeting: anyone else is told it does not exist", async () => {
    expect((await page(m.recent!, cookies.ada!)).status).toBe(200);
    expect((await page(m.recent!, cookies.cy!)).status).toBe(200);
    expect((await page(m.recent!, cookies.bob!)).status).toBe(404);
    expect((await page(m.recent!, cookies.dee!)).status).toBe(404);
    expect((await page(m.future!, cookies.ada!)).status).toBe(404);
    expect((await form(m.recent!, cookies.dee!, { score: "5" })).status).toBe(404);
  });

  it("refuses an answer without a score, saying so beside the field", async () => {
    const outcome = await form(m.recent!, cookies.ada!, { score: "7", comment: "Great" });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body, "score")).toEqual([
      "Choose how good a use of your time the meeting was, from 1 to 5",
    ]);
  });

  it("saves one answer each; answering again changes it; the average sits beside the cost and in the reasons", async () => {
    expect((await form(m.recent!, cookies.ada!, { score: "2", comment: "Too long" })).location).toBe(
      `/meetings/${m.recent}/feedback?done=saved`,
    );
    expect((await form(m.recent!, cookies.cy!, { score: "5", comment: "" })).status).toBe(302);
    expect((await form(m.recent!, cookies.ada!, { score: "4", comment: "" })).status).toBe(302);

    const answers = await db
      .selectFrom("meeting_feedback")
      .select(["person_id", "score", "comment"])
      .where("meeting_id", "=", m.recent!)
      .orderBy("score")
      .execute();
    expect(answers.map((a) => [a.score, a.comment])).toEqual([
      [4, null],
      [5, null],
    ]);
    expect(
      ((await page(m.recent!, cookies.ada!)).body as { meeting: { answer: unknown } }).meeting.answer,
    ).toEqual({
      score: 4,
      comment: null,
    });

    const meeting = await callRoute(meetingPage, {
      path: `/meetings/${m.recent}`,
      params: { meetingId: String(m.recent) },
      cookie: cookies.dee,
    });
    const verdict = (meeting.body as { verdict: MeetingVerdictView }).verdict;
    expect(verdict).toMatchObject({ feedbackCount: 2, feedbackAverage: 4.5 });
    expect(verdict.reasons).toContain("Rated 4.5 out of 5 by 2 attendees");
    // Answered: no more prompt, and the audit trail has both answers and the change.
    expect((await callRoute(home, { path: "/", cookie: cookies.ada })).location).toBe("/boards");
    const events = await db
      .selectFrom("audit_events")
      .select("event")
      .where("entity_type", "=", "meeting")
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.event)).toEqual([
      "meeting_feedback.given",
      "meeting_feedback.given",
      "meeting_feedback.changed",
    ]);
  });
});
