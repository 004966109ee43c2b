import { z } from "zod";
import { feedbackRecipients, meetingsDueForFeedback } from "../../feedback/feedback.server";
import { enqueueJob } from "../../jobs/queue.server";
import { type JobHandler, PermanentJobError } from "../../jobs/worker.server";
import { deliverAll } from "../deliveries.server";
import { links } from "../links.server";
import { meetingFeedbackEmail } from "../templates";
import { fanOut } from "./action-reminders.server";

/*
 * Feedback requests on the scheduler (app/jobs/registry.server.ts): every day at 5pm London
 * time a "feedback.daily" slot fans out one job per workspace, which queues one email job
 * for each meeting that ended in the last three days. That job's dedupe key names the
 * meeting, so its attendees are asked once however many slots see it; the email goes to
 * those who have not answered yet when it runs.
 */

export const FEEDBACK_DAILY_QUEUE = "feedback.daily";
export const WORKSPACE_FEEDBACK_QUEUE = "feedback.workspace";
export const MEETING_FEEDBACK_QUEUE = "mail.meeting_feedback";

export const fanOutFeedbackRequests = fanOut(WORKSPACE_FEEDBACK_QUEUE, "meeting-feedback-requests");

const slotSchema = z.object({ slot: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
const meetingSchema = z.object({ meetingId: z.number().int().positive() });

/** One workspace's meetings due for feedback requests: one email job each, once per meeting. */
export const queueFeedbackRequests: JobHandler = async (context) => {
  if (!slotSchema.safeParse(context.job.payload).success)
    throw new PermanentJobError(`Not a feedback slot: ${JSON.stringify(context.job.payload)}`);
  const db = context.workspaceDb();
  const workspaceId = context.job.workspaceId ?? 0;
  for (const meetingId of await meetingsDueForFeedback(db, new Date())) {
    await enqueueJob(db, {
      queue: MEETING_FEEDBACK_QUEUE,
      payload: { meetingId },
      dedupeKey: `meeting-feedback:${workspaceId}:${meetingId}`,
    });
  }
};

/** Asks a meeting's attendees (with an account, not yet answered) whether it was a good use of their time. */
export const sendFeedbackRequest: JobHandler = async (context) => {
  const parsed = meetingSchema.safeParse(context.job.payload);
  if (!parsed.success)
    throw new PermanentJobError(`Not a feedback request: ${JSON.stringify(context.job.payload)}`);
  const db = context.workspaceDb();
  const meeting = await db
    .selectFrom("meetings as m")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .select(["m.id", "m.starts_at", "m.status", "b.name as board_name"])
    .where("m.id", "=", parsed.data.meetingId)
    .executeTakeFirst();
  // Deleted or cancelled since: nobody to ask.
  if (!meeting || meeting.status === "cancelled") return;
  const content = meetingFeedbackEmail({
    boardName: meeting.board_name,
    startsAt: new Date(meeting.starts_at),
    url: links.meetingFeedback(Number(meeting.id)),
  });
  const recipients = await feedbackRecipients(db, Number(meeting.id));
  await deliverAll(
    context,
    recipients.map((r) => ({ to: r.email, ...content })),
  );
};
