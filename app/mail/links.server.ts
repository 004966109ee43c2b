import { appUrl } from "./mailer.server";

/*
 * The addresses emails link to, in one place (APP_URL as the base). Public pages follow the
 * fixed public URL scheme; the signed-in minutes page is the minutes work's
 * /meetings/:meetingId/minutes.
 */

const encode = encodeURIComponent;

export const links = {
  meeting: (meetingId: number) => `${appUrl()}/meetings/${meetingId}`,
  meetingCalendar: (meetingId: number) => `${appUrl()}/meetings/${meetingId}/calendar.ics`,
  minutes: (meetingId: number) => `${appUrl()}/meetings/${meetingId}/minutes`,
  meetingFeedback: (meetingId: number) => `${appUrl()}/meetings/${meetingId}/feedback`,
  publicMinutes: (workspaceSlug: string, boardSlug: string, meetingId: number) =>
    `${appUrl()}/public/${encode(workspaceSlug)}/boards/${encode(boardSlug)}/minutes/${meetingId}`,
  publicBoard: (workspaceSlug: string, boardSlug: string) =>
    `${appUrl()}/public/${encode(workspaceSlug)}/boards/${encode(boardSlug)}`,
  action: (actionId: number) => `${appUrl()}/actions/${actionId}`,
  actions: () => `${appUrl()}/actions`,
  reminderSettings: () => `${appUrl()}/account/reminders`,
};

/** The address meeting invitations come from (their iCalendar ORGANIZER). */
export function organizerAddress(): string {
  const from = process.env.MAIL_FROM;
  const address = from ? (/<([^>]+)>/.exec(from)?.[1] ?? from).trim() : "";
  return address.includes("@") ? address : `no-reply@${new URL(appUrl()).hostname}`;
}
