import { z } from "zod";
import type { WorkspaceDb } from "../../../db/tenancy";
import { buildCalendar, meetingUid } from "../../calendar/icalendar.server";
import { enqueueJob } from "../../jobs/queue.server";
import { type JobHandler, PermanentJobError } from "../../jobs/worker.server";
import { deliverAll } from "../deliveries.server";
import { links, organizerAddress } from "../links.server";
import { peopleAddresses, uniqueRecipients } from "../recipients.server";
import { meetingInvitationEmail } from "../templates";

/*
 * Meeting invitations: when a meeting is scheduled, moved or cancelled, everyone on its
 * register (and a named deputy) who has an address gets an email with an .ics invitation
 * (METHOD:REQUEST, or CANCEL), whose UID and SEQUENCE match the board's calendar feed, so
 * their calendar updates the one event instead of adding another.
 */

export const MEETING_INVITATION_QUEUE = "mail.meeting_invitation";

/** Queues the invitation for the meeting as it now is; call it in the change's transaction. */
export async function enqueueMeetingInvitation(
  trx: WorkspaceDb,
  meeting: { id: number; sequence: number },
): Promise<boolean> {
  return enqueueJob(trx, {
    queue: MEETING_INVITATION_QUEUE,
    payload: { meetingId: meeting.id, sequence: meeting.sequence },
    dedupeKey: `meeting-invitation:${meeting.id}:${meeting.sequence}`,
  });
}

const payloadSchema = z.object({
  meetingId: z.number().int().positive(),
  sequence: z.number().int().min(0).optional(),
});

async function invitationMeeting(db: WorkspaceDb, meetingId: number) {
  return db
    .selectFrom("meetings as m")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .select([
      "m.id",
      "m.starts_at",
      "m.duration_minutes",
      "m.format",
      "m.location",
      "m.status",
      "m.cancelled_reason",
      "m.sequence",
      "m.updated_at",
      "b.name as board_name",
    ])
    .where("m.id", "=", meetingId)
    .executeTakeFirst();
}

export const sendMeetingInvitation: JobHandler = async (context) => {
  const parsed = payloadSchema.safeParse(context.job.payload);
  if (!parsed.success)
    throw new PermanentJobError(`Not a meeting invitation: ${JSON.stringify(context.job.payload)}`);
  const db = context.workspaceDb();
  const meeting = await invitationMeeting(db, parsed.data.meetingId);
  // Deleted since, or changed again: the newer change has its own job with the newer details.
  if (!meeting) return;
  if (parsed.data.sequence !== undefined && parsed.data.sequence < meeting.sequence) return;

  const register = await db
    .selectFrom("attendance")
    .select(["person_id", "deputy_person_id"])
    .where("meeting_id", "=", meeting.id)
    .execute();
  const personIds = register.flatMap((r) => [
    Number(r.person_id),
    ...(r.deputy_person_id ? [Number(r.deputy_person_id)] : []),
  ]);
  const recipients = uniqueRecipients([...(await peopleAddresses(db, personIds)).values()]);

  const workspaceId = context.job.workspaceId ?? 0;
  const cancelled = meeting.status === "cancelled";
  const startsAt = new Date(meeting.starts_at);
  const content = meetingInvitationEmail({
    boardName: meeting.board_name,
    startsAt,
    durationMinutes: meeting.duration_minutes,
    format: meeting.format,
    location: meeting.location,
    sequence: meeting.sequence,
    cancelled,
    cancelledReason: meeting.cancelled_reason,
    meetingUrl: links.meeting(meeting.id),
    calendarUrl: links.meetingCalendar(meeting.id),
  });
  const method = cancelled ? "CANCEL" : "REQUEST";
  await deliverAll(
    context,
    recipients.map((recipient) => ({
      to: recipient.email,
      ...content,
      attachments: [
        {
          filename: cancelled ? "cancellation.ics" : "invitation.ics",
          contentType: `text/calendar; charset=utf-8; method=${method}`,
          content: buildCalendar({
            name: meeting.board_name,
            method,
            events: [
              {
                uid: meetingUid(workspaceId, meeting.id),
                sequence: meeting.sequence,
                start: startsAt,
                durationMinutes: meeting.duration_minutes,
                summary: meeting.board_name,
                description: `Agenda and papers: ${links.meeting(meeting.id)}`,
                location: meeting.location,
                url: links.meeting(meeting.id),
                cancelled,
                changedAt: new Date(meeting.updated_at),
                organizer: { name: meeting.board_name, email: organizerAddress() },
                attendee: recipient,
              },
            ],
          }),
        },
      ],
    })),
  );
};
