import { sql } from "kysely";
import { inTransaction, type WorkspaceDb } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import { notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import type { FeedbackInput } from "./schemas";

/*
 * Attendee feedback (issue 7). After a held meeting each person who attended it (in person,
 * remotely, or as a deputy) is asked once whether it was a good use of their time: by email
 * (app/mail/handlers/meeting-feedback.server.ts) and on their home page. One answer per
 * person and meeting (a unique key); answering again changes their answer, so a mistaken
 * click can be put right. The average and count feed the meeting's rollup and verdict.
 *
 * Only the attendee answers for themselves: anyone else asking for the form gets 404.
 */

/** How long after a meeting its attendees are prompted on their home page. */
export const FEEDBACK_PROMPT_DAYS = 14;

export interface FeedbackMeeting {
  id: number;
  boardName: string;
  startsAt: Date;
  answer: { score: number; comment: string | null } | null;
}

/** Meetings held (not cancelled, started) that this person attended or deputised at. */
function attendedMeetings(db: WorkspaceDb, personId: number, now: Date) {
  return db
    .selectFrom("attendance as a")
    .innerJoin("meetings as m", "m.id", "a.meeting_id")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .leftJoin("meeting_feedback as f", (join) =>
      join.onRef("f.meeting_id", "=", "m.id").on("f.person_id", "=", personId),
    )
    .where((eb) =>
      eb.or([
        eb.and([eb("a.person_id", "=", personId), eb("a.status", "=", "attended")]),
        eb.and([eb("a.deputy_person_id", "=", personId), eb("a.status", "=", "deputy")]),
      ]),
    )
    .where("m.status", "<>", "cancelled")
    .where("m.starts_at", "<=", now);
}

/** The meeting to give feedback on, if the viewer attended it and it has been held; else 404. */
export async function feedbackMeeting(
  viewer: Viewer,
  meetingId: number,
  now = new Date(),
): Promise<FeedbackMeeting> {
  if (viewer.personId === null) notFound();
  const row = await attendedMeetings(viewer.db, viewer.personId, now)
    .select(["m.id", "b.name as board_name", "m.starts_at", "f.score", "f.comment"])
    .where("m.id", "=", meetingId)
    .executeTakeFirst();
  if (!row) notFound();
  return {
    id: Number(row.id),
    boardName: row.board_name,
    startsAt: new Date(row.starts_at),
    answer: row.score === null ? null : { score: Number(row.score), comment: row.comment },
  };
}

/** Saves the viewer's answer, or changes the one they gave; audited without the comment's text. */
export async function saveFeedback(
  viewer: Viewer,
  actor: AuditActor,
  meetingId: number,
  input: FeedbackInput,
  now = new Date(),
): Promise<void> {
  const meeting = await feedbackMeeting(viewer, meetingId, now);
  const personId = viewer.personId as number;
  await inTransaction(viewer.db, async (trx) => {
    await trx
      .insertInto("meeting_feedback")
      .values({
        workspace_id: viewer.workspace.id,
        meeting_id: meeting.id,
        person_id: personId,
        score: input.score,
        comment: input.comment,
      })
      .onConflict((oc) =>
        oc.columns(["workspace_id", "meeting_id", "person_id"]).doUpdateSet({
          score: input.score,
          comment: input.comment,
          updated_at: now,
        }),
      )
      .execute();
    await recordAudit(trx, actor, {
      event: meeting.answer ? "meeting_feedback.changed" : "meeting_feedback.given",
      entityType: "meeting",
      entityId: meeting.id,
      changes: { score: input.score, comment: input.comment !== null },
    });
  });
}

/** Held meetings of the last FEEDBACK_PROMPT_DAYS the viewer attended and has not answered, latest first. */
export async function pendingFeedback(
  viewer: Viewer,
  now = new Date(),
): Promise<Omit<FeedbackMeeting, "answer">[]> {
  if (viewer.personId === null) return [];
  const rows = await attendedMeetings(viewer.db, viewer.personId, now)
    .select(["m.id", "b.name as board_name", "m.starts_at"])
    .where("f.id", "is", null)
    .where(
      "m.starts_at",
      ">=",
      sql<Date>`${now}::timestamptz - make_interval(days => ${FEEDBACK_PROMPT_DAYS})`,
    )
    .orderBy("m.starts_at", "desc")
    .limit(10)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), boardName: r.board_name, startsAt: new Date(r.starts_at) }));
}

/** Those to ask about a meeting: its attendees with an account (the link needs signing in) who have not answered. */
export async function feedbackRecipients(db: WorkspaceDb, meetingId: number) {
  return (
    db
      .selectFrom("attendance as a")
      // The one costed: a deputy, when one was sent.
      .innerJoin("workspace_users as wu", (join) =>
        join.on(
          sql<boolean>`wu.person_id = case when a.status = 'deputy' then a.deputy_person_id else a.person_id end`,
        ),
      )
      .innerJoin("users as u", "u.id", "wu.user_id")
      .leftJoin("meeting_feedback as f", (join) =>
        join.onRef("f.meeting_id", "=", "a.meeting_id").onRef("f.person_id", "=", "wu.person_id"),
      )
      .select(["u.name", "u.email"])
      .where("a.meeting_id", "=", meetingId)
      .where("a.status", "in", ["attended", "deputy"])
      .where("u.disabled_at", "is", null)
      .where("f.id", "is", null)
      .orderBy("u.email")
      .execute()
  );
}

/** Held meetings that ended in the last `days` days: their attendees are due to be asked. */
export async function meetingsDueForFeedback(db: WorkspaceDb, now: Date, days = 3): Promise<number[]> {
  const rows = await db
    .selectFrom("meetings")
    .select("id")
    .where("status", "<>", "cancelled")
    .where(sql<Date>`starts_at + make_interval(mins => duration_minutes)`, "<=", now)
    .where("starts_at", ">=", sql<Date>`${now}::timestamptz - make_interval(days => ${days})`)
    .orderBy("id")
    .execute();
  return rows.map((r) => Number(r.id));
}
