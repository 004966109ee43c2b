import {
  ACTION_REMINDER_QUEUE,
  fanOutDailyReminders,
  fanOutWeeklyDigests,
  queueWorkspaceReminders,
  REMINDERS_DAILY_QUEUE,
  REMINDERS_WEEKLY_QUEUE,
  sendActionReminder,
  sendWorkspaceDigests,
  WORKSPACE_DIGEST_QUEUE,
  WORKSPACE_REMINDERS_QUEUE,
} from "../mail/handlers/action-reminders.server";
import {
  FEEDBACK_DAILY_QUEUE,
  fanOutFeedbackRequests,
  MEETING_FEEDBACK_QUEUE,
  queueFeedbackRequests,
  sendFeedbackRequest,
  WORKSPACE_FEEDBACK_QUEUE,
} from "../mail/handlers/meeting-feedback.server";
import { MEETING_INVITATION_QUEUE, sendMeetingInvitation } from "../mail/handlers/meeting-invitation.server";
import {
  MINUTES_CIRCULATED_QUEUE,
  MINUTES_PUBLISHED_QUEUE,
  sendMinutesCirculated,
  sendMinutesPublished,
} from "../mail/handlers/minutes.server";
import { daily, type Schedule, weekly } from "./scheduler.server";
import type { JobHandlers } from "./worker.server";

/*
 * Every queue the worker knows, with its handler, and the schedules that feed some of them.
 * A job on a queue missing here is retried (another instance, mid-deploy, may know it) and
 * then fails visibly on /admin/jobs.
 */

export const jobHandlers: JobHandlers = {
  [MEETING_INVITATION_QUEUE]: sendMeetingInvitation,
  [MINUTES_CIRCULATED_QUEUE]: sendMinutesCirculated,
  [MINUTES_PUBLISHED_QUEUE]: sendMinutesPublished,
  [REMINDERS_DAILY_QUEUE]: fanOutDailyReminders,
  [WORKSPACE_REMINDERS_QUEUE]: queueWorkspaceReminders,
  [ACTION_REMINDER_QUEUE]: sendActionReminder,
  [REMINDERS_WEEKLY_QUEUE]: fanOutWeeklyDigests,
  [WORKSPACE_DIGEST_QUEUE]: sendWorkspaceDigests,
  [FEEDBACK_DAILY_QUEUE]: fanOutFeedbackRequests,
  [WORKSPACE_FEEDBACK_QUEUE]: queueFeedbackRequests,
  [MEETING_FEEDBACK_QUEUE]: sendFeedbackRequest,
};

/** Times are Europe/London: reminders arrive at the start of the working day. */
export const schedules: readonly Schedule[] = [
  daily("action-reminders", REMINDERS_DAILY_QUEUE, "07:00"),
  weekly("action-digest", REMINDERS_WEEKLY_QUEUE, "monday", "07:00"),
  // After the working day's meetings; a meeting is asked about once (app/mail/handlers/meeting-feedback.server.ts).
  daily("meeting-feedback", FEEDBACK_DAILY_QUEUE, "17:00"),
];

/** What each queue's jobs are, in words, for the admin page. */
export const QUEUE_LABELS: Record<string, string> = {
  [MEETING_INVITATION_QUEUE]: "Meeting invitation",
  [MINUTES_CIRCULATED_QUEUE]: "Minutes circulated",
  [MINUTES_PUBLISHED_QUEUE]: "Minutes published",
  [ACTION_REMINDER_QUEUE]: "Action reminder",
  [WORKSPACE_REMINDERS_QUEUE]: "Daily reminder check",
  [WORKSPACE_DIGEST_QUEUE]: "Weekly action summaries",
  [REMINDERS_DAILY_QUEUE]: "Daily reminders (all workspaces)",
  [REMINDERS_WEEKLY_QUEUE]: "Weekly summaries (all workspaces)",
  [MEETING_FEEDBACK_QUEUE]: "Meeting feedback request",
  [WORKSPACE_FEEDBACK_QUEUE]: "Daily feedback requests check",
  [FEEDBACK_DAILY_QUEUE]: "Daily feedback requests (all workspaces)",
};
