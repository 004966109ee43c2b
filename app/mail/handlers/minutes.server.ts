import { z } from "zod";
import type { MinutesStatus } from "../../../db/schema";
import type { WorkspaceDb } from "../../../db/tenancy";
import { londonDate } from "../../format";
import { type JobContext, type JobHandler, PermanentJobError } from "../../jobs/worker.server";
import { deliverAll } from "../deliveries.server";
import { links } from "../links.server";
import { boardRoleHolders, currentMembers, uniqueRecipients } from "../recipients.server";
import { minutesCirculatedEmail, minutesPublishedEmail } from "../templates";

/*
 * Minutes emails, queued by the minutes work (public-urls.md): "circulated" asks the
 * board's members to read and comment; "published" tells members where to read them. Both
 * carry a link and the meeting's date, never a word of the minutes, so nothing
 * OFFICIAL-SENSITIVE can be in them. A job that runs after the minutes have moved on (sent
 * back to draft, say) sends nothing.
 */

export const MINUTES_CIRCULATED_QUEUE = "mail.minutes_circulated";
export const MINUTES_PUBLISHED_QUEUE = "mail.minutes_published";

const payloadSchema = z.object({ minutesId: z.number().int().positive() });

async function minutesFacts(context: JobContext) {
  const parsed = payloadSchema.safeParse(context.job.payload);
  if (!parsed.success)
    throw new PermanentJobError(`Not a minutes email: ${JSON.stringify(context.job.payload)}`);
  const db = context.workspaceDb();
  const row = await db
    .selectFrom("minutes as mi")
    .innerJoin("meetings as m", "m.id", "mi.meeting_id")
    .innerJoin("boards as b", "b.id", "m.board_id")
    .innerJoin("workspaces as w", "w.id", "b.workspace_id")
    .select([
      "mi.status",
      "m.id as meeting_id",
      "m.starts_at",
      "b.id as board_id",
      "b.name as board_name",
      "b.slug as board_slug",
      "b.visibility",
      "w.slug as workspace_slug",
    ])
    .where("mi.id", "=", parsed.data.minutesId)
    .executeTakeFirst();
  return row ? { db, ...row, board_id: Number(row.board_id), meeting_id: Number(row.meeting_id) } : undefined;
}

function stillAt(status: MinutesStatus, wanted: MinutesStatus): boolean {
  return status === wanted;
}

/** Members with sign-in access (who can comment), by their board grant. */
async function commenters(db: WorkspaceDb, boardId: number) {
  return boardRoleHolders(db, boardId, ["member"]);
}

export const sendMinutesCirculated: JobHandler = async (context) => {
  const facts = await minutesFacts(context);
  if (!facts || !stillAt(facts.status, "circulated")) return;
  const content = minutesCirculatedEmail({
    boardName: facts.board_name,
    meetingStartsAt: new Date(facts.starts_at),
    url: links.minutes(facts.meeting_id),
  });
  const recipients = uniqueRecipients(await commenters(facts.db, facts.board_id));
  await deliverAll(
    context,
    recipients.map((r) => ({ to: r.email, ...content })),
  );
};

export const sendMinutesPublished: JobHandler = async (context) => {
  const facts = await minutesFacts(context);
  if (!facts || !stillAt(facts.status, "published")) return;
  const isPublic = facts.visibility === "public";
  const content = minutesPublishedEmail({
    boardName: facts.board_name,
    meetingStartsAt: new Date(facts.starts_at),
    isPublic,
    url: isPublic
      ? links.publicMinutes(facts.workspace_slug, facts.board_slug, facts.meeting_id)
      : links.minutes(facts.meeting_id),
  });
  // A public page can be read by every member; a private board's only by those who sign in.
  const readers = await boardRoleHolders(facts.db, facts.board_id, ["member", "secretary"]);
  const members = isPublic ? await currentMembers(facts.db, facts.board_id, londonDate()) : [];
  await deliverAll(
    context,
    uniqueRecipients([...readers, ...members]).map((r) => ({ to: r.email, ...content })),
  );
};
