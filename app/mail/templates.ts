import type { ActionStatus, Classification, MeetingFormat } from "../../db/schema";
import { MEETING_FORMAT_LABELS } from "../boards/labels";
import { formatDate, formatTime } from "../format";

/*
 * The words of every email the worker sends, as plain text in GOV.UK style. They are built
 * only from what may go to anyone on the list: board names, dates, places, links, and the
 * titles of OFFICIAL actions. Minutes text, agenda items and OFFICIAL-SENSITIVE titles never
 * appear; an email links to the page where a signed-in reader sees what they are entitled to.
 */

export interface EmailContent {
  subject: string;
  text: string;
}

const SIGN_OFF = "\n\nThis email was sent by Boardledger. Please do not reply to it.";

// ── Meetings ─────────────────────────────────────────────────────────────────────────────

export interface InvitationFacts {
  boardName: string;
  startsAt: Date;
  durationMinutes: number;
  format: MeetingFormat;
  location: string;
  /** 0 when first scheduled. */
  sequence: number;
  cancelled: boolean;
  cancelledReason: string | null;
  meetingUrl: string;
  calendarUrl: string;
}

function when(facts: Pick<InvitationFacts, "startsAt" | "durationMinutes">): string {
  const end = new Date(facts.startsAt.getTime() + facts.durationMinutes * 60_000);
  return `${formatDate(facts.startsAt)}, ${formatTime(facts.startsAt)} to ${formatTime(end)} (UK time)`;
}

function where(facts: Pick<InvitationFacts, "format" | "location">): string {
  const format = MEETING_FORMAT_LABELS[facts.format];
  return facts.location.trim() ? `${facts.location.trim()} (${format.toLowerCase()})` : format;
}

export function meetingInvitationEmail(facts: InvitationFacts): EmailContent {
  const heading = `${facts.boardName}, ${formatDate(facts.startsAt)} at ${formatTime(facts.startsAt)}`;
  if (facts.cancelled) {
    return {
      subject: `Cancelled: ${heading}`,
      text: [
        `The meeting of the ${facts.boardName} on ${formatDate(facts.startsAt)} at ${formatTime(facts.startsAt)} has been cancelled.`,
        facts.cancelledReason ? `Reason: ${facts.cancelledReason}` : null,
        "The attached calendar file removes it from your calendar.",
        `Meeting page: ${facts.meetingUrl}`,
      ]
        .filter((line) => line !== null)
        .join("\n\n")
        .concat(SIGN_OFF),
    };
  }
  const updated = facts.sequence > 0;
  return {
    subject: `${updated ? "Updated invitation" : "Invitation"}: ${heading}`,
    text: [
      updated
        ? `The meeting of the ${facts.boardName} has changed. These are the new details.`
        : `You are invited to a meeting of the ${facts.boardName}.`,
      `When: ${when(facts)}\nWhere: ${where(facts)}`,
      `The agenda and papers are on the meeting page: ${facts.meetingUrl}`,
      `To add it to your calendar, open the attached invitation, or use this link: ${facts.calendarUrl}`,
    ]
      .join("\n\n")
      .concat(SIGN_OFF),
  };
}

// ── Minutes ──────────────────────────────────────────────────────────────────────────────

export interface MinutesFacts {
  boardName: string;
  meetingStartsAt: Date;
  url: string;
}

export function minutesCirculatedEmail(facts: MinutesFacts): EmailContent {
  const meeting = `${facts.boardName} meeting on ${formatDate(facts.meetingStartsAt)}`;
  return {
    subject: `Draft minutes for comment: ${meeting}`,
    text: [
      `The draft minutes of the ${meeting} have been circulated for comment.`,
      `Read them and comment on each item after signing in: ${facts.url}`,
    ]
      .join("\n\n")
      .concat(SIGN_OFF),
  };
}

export function minutesPublishedEmail(facts: MinutesFacts & { isPublic: boolean }): EmailContent {
  const meeting = `${facts.boardName} meeting on ${formatDate(facts.meetingStartsAt)}`;
  return {
    subject: `Minutes published: ${meeting}`,
    text: [
      `The approved minutes of the ${meeting} have been published.`,
      facts.isPublic ? `Read them: ${facts.url}` : `Read them after signing in: ${facts.url}`,
    ]
      .join("\n\n")
      .concat(SIGN_OFF),
  };
}

// ── Actions ──────────────────────────────────────────────────────────────────────────────

export interface ReminderAction {
  title: string;
  classification: Classification;
  boardName: string;
  dueDate: string;
  status: ActionStatus;
  url: string;
}

/** An action as an email may name it: an OFFICIAL-SENSITIVE action by its board only. */
export function actionLabel(action: Pick<ReminderAction, "title" | "classification" | "boardName">): string {
  return action.classification === "official_sensitive"
    ? `An OFFICIAL-SENSITIVE action of the ${action.boardName} (sign in to see it)`
    : `"${action.title}" (${action.boardName})`;
}

export function actionReminderEmail(action: ReminderAction, kind: "due_soon" | "overdue"): EmailContent {
  const due = formatDate(action.dueDate);
  const subject =
    kind === "due_soon"
      ? `Action due on ${due}: ${action.boardName}`
      : `Action overdue since ${due}: ${action.boardName}`;
  return {
    subject,
    text: [
      kind === "due_soon"
        ? `This action is due on ${due}, in 7 days or fewer:`
        : `This action was due on ${due} and is not marked as done:`,
      actionLabel(action),
      `Post an update or mark it done: ${action.url}`,
      "You get this email because you or your agency own the action. You can choose one weekly summary instead on your account page.",
    ]
      .join("\n\n")
      .concat(SIGN_OFF),
  };
}

export interface DigestFacts {
  weekOf: string;
  overdue: ReminderAction[];
  dueSoon: ReminderAction[];
  actionsUrl: string;
  accountUrl: string;
}

const DIGEST_LIMIT = 50;

function digestLines(actions: readonly ReminderAction[]): string {
  const lines = actions
    .slice(0, DIGEST_LIMIT)
    .map((a) => `- ${actionLabel(a)}, due ${formatDate(a.dueDate)}: ${a.url}`);
  if (actions.length > DIGEST_LIMIT) lines.push(`- and ${actions.length - DIGEST_LIMIT} more`);
  return lines.join("\n");
}

export function actionDigestEmail(facts: DigestFacts): EmailContent {
  const total = facts.overdue.length + facts.dueSoon.length;
  return {
    subject: `Your actions for the week of ${formatDate(facts.weekOf)}: ${total} ${total === 1 ? "needs" : "need"} attention`,
    text: [
      facts.overdue.length > 0 ? `Overdue (${facts.overdue.length}):\n${digestLines(facts.overdue)}` : null,
      facts.dueSoon.length > 0
        ? `Due in the next 7 days (${facts.dueSoon.length}):\n${digestLines(facts.dueSoon)}`
        : null,
      `All your actions: ${facts.actionsUrl}`,
      `You get one summary a week because you chose it. To get a reminder for each action instead, change it on your account page: ${facts.accountUrl}`,
    ]
      .filter((part) => part !== null)
      .join("\n\n")
      .concat(SIGN_OFF),
  };
}

// ── Attendee feedback ────────────────────────────────────────────────────────────────────

export interface FeedbackRequestFacts {
  boardName: string;
  startsAt: Date;
  url: string;
}

export function meetingFeedbackEmail(facts: FeedbackRequestFacts): EmailContent {
  const meeting = `${facts.boardName} meeting on ${formatDate(facts.startsAt)}`;
  return {
    subject: `Was it a good use of your time? ${meeting}`,
    text: [
      `You attended the ${meeting}.`,
      "Was this meeting a good use of your time? Answer from 1 to 5, with a comment if you like. It takes a minute, and helps the partnership decide which meetings are worth holding.",
      `Answer after signing in: ${facts.url}`,
    ]
      .join("\n\n")
      .concat(SIGN_OFF),
  };
}
