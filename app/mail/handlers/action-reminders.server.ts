import { z } from "zod";
import { inTransaction, scopeToWorkspace } from "../../../db/tenancy";
import {
  anyoneWantsDigest,
  digestActions,
  OPEN_STATUSES,
  type ReminderActionRow,
  recordDueReminders,
  reminderAction,
  reminderRecipients,
} from "../../actions/reminders.server";
import { enqueueJob } from "../../jobs/queue.server";
import { type JobContext, type JobHandler, PermanentJobError } from "../../jobs/worker.server";
import { deliverAll } from "../deliveries.server";
import { links } from "../links.server";
import { actionDigestEmail, actionReminderEmail, type ReminderAction } from "../templates";

/*
 * Reminders on the scheduler (app/jobs/registry.server.ts):
 * - every day at 7am London time a "reminders.daily" slot fans out one job per workspace,
 *   which records the reminders due that day and queues one email job for each;
 * - every Monday at 7am a "reminders.weekly" slot fans out one digest job per workspace,
 *   which sends each digest user one summary.
 * Every job's dedupe key names its day, so each runs once however many instances tick.
 */

export const REMINDERS_DAILY_QUEUE = "reminders.daily";
export const REMINDERS_WEEKLY_QUEUE = "reminders.weekly";
export const WORKSPACE_REMINDERS_QUEUE = "reminders.workspace";
export const WORKSPACE_DIGEST_QUEUE = "reminders.digest";
export const ACTION_REMINDER_QUEUE = "mail.action_reminder";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const slotSchema = z.object({ slot: z.string().regex(DATE) });
const reminderSchema = z.object({
  actionId: z.number().int().positive(),
  kind: z.enum(["due_soon", "overdue"]),
  dueDate: z.string().regex(DATE),
});

function payload<T>(context: JobContext, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(context.job.payload);
  if (!parsed.success)
    throw new PermanentJobError(
      `Unexpected payload for ${context.job.queue}: ${JSON.stringify(context.job.payload)}`,
    );
  return parsed.data;
}

/** A scheduler slot: one job per workspace, for that day. */
export function fanOut(queue: string, prefix: string): JobHandler {
  return async (context) => {
    const { slot } = payload(context, slotSchema);
    const workspaces = await context.db.selectFrom("workspaces").select("id").orderBy("id").execute();
    for (const { id } of workspaces) {
      await enqueueJob(scopeToWorkspace(context.db, Number(id)), {
        queue,
        payload: { slot },
        dedupeKey: `${prefix}:${id}:${slot}`,
      });
    }
  };
}

export const fanOutDailyReminders = fanOut(WORKSPACE_REMINDERS_QUEUE, "action-reminders");
export const fanOutWeeklyDigests = fanOut(WORKSPACE_DIGEST_QUEUE, "action-digest");

/** One workspace's reminders for the day: recorded, each with its email job, all at once. */
export const queueWorkspaceReminders: JobHandler = async (context) => {
  const { slot } = payload(context, slotSchema);
  const workspaceId = context.job.workspaceId ?? 0;
  await inTransaction(context.workspaceDb(), async (trx) => {
    for (const reminder of await recordDueReminders(trx, slot)) {
      await enqueueJob(trx, {
        queue: ACTION_REMINDER_QUEUE,
        payload: { ...reminder },
        dedupeKey: `action-reminder:${workspaceId}:${reminder.actionId}:${reminder.kind}:${reminder.dueDate}`,
      });
    }
  });
};

function reminderContent(action: ReminderActionRow): ReminderAction {
  return {
    title: action.title,
    classification: action.classification,
    boardName: action.boardName,
    dueDate: action.dueDate,
    status: action.status,
    url: links.action(action.id),
  };
}

/** One action's reminder, to those who take reminders one by one. */
export const sendActionReminder: JobHandler = async (context) => {
  const reminder = payload(context, reminderSchema);
  const db = context.workspaceDb();
  const action = await reminderAction(db, reminder.actionId);
  // Done, dropped or re-dated since it was queued: nothing to remind about.
  if (
    !action ||
    !(OPEN_STATUSES as readonly string[]).includes(action.status) ||
    action.dueDate !== reminder.dueDate
  )
    return;
  const recipients = (await reminderRecipients(db, [action])).get(action.id) ?? [];
  const content = actionReminderEmail(reminderContent(action), reminder.kind);
  await deliverAll(
    context,
    recipients.filter((r) => r.frequency === "each").map((r) => ({ to: r.email, ...content })),
  );
};

/** One workspace's Monday digests: one email per digest user with their actions. */
export const sendWorkspaceDigests: JobHandler = async (context) => {
  const { slot } = payload(context, slotSchema);
  const db = context.workspaceDb();
  if (!(await anyoneWantsDigest(db))) return;
  const actions = await digestActions(db, slot);
  const recipients = await reminderRecipients(db, actions);
  const byEmail = new Map<string, { overdue: ReminderAction[]; dueSoon: ReminderAction[] }>();
  for (const action of actions) {
    for (const recipient of recipients.get(action.id) ?? []) {
      if (recipient.frequency !== "weekly") continue;
      const email = recipient.email.toLowerCase();
      const lists = byEmail.get(email) ?? { overdue: [], dueSoon: [] };
      (action.dueDate < slot ? lists.overdue : lists.dueSoon).push(reminderContent(action));
      byEmail.set(email, lists);
    }
  }
  await deliverAll(
    context,
    [...byEmail]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([email, lists]) => ({
        to: email,
        ...actionDigestEmail({
          weekOf: slot,
          ...lists,
          actionsUrl: links.actions(),
          accountUrl: links.reminderSettings(),
        }),
      })),
  );
};
