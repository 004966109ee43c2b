import { sql } from "kysely";
import type { ActionStatus, Classification, ReminderFrequency } from "../../db/schema";
import { inTransaction, type WorkspaceDb } from "../../db/tenancy";
import { recordAudit } from "../audit/audit.server";
import type { Viewer } from "../auth/viewer.server";
import { peopleAddresses, type Recipient } from "../mail/recipients.server";

/*
 * Action reminders (issue 6). Dates are Europe/London calendar dates ("YYYY-MM-DD"), the
 * day the scheduler's slot fell on.
 *
 * - "due_soon": on the day 7 days before the due date; if that day was missed (the action
 *   was added or re-dated later, or no instance ran) on the first run after it, while the
 *   action is still not due.
 * - "overdue": on the first day after the due date; if missed, on a run within the week after.
 *
 * Each is recorded in action_reminders (action, kind, due date) in the same transaction as
 * the email job it queues, so it is decided once: a second run, a second instance or a
 * restart finds the row and queues nothing. A new due date is a new reminder.
 *
 * Who is reminded: the action's owner (the address of their user account, else their
 * person record); when the owner has no address, the owning agency's partners; failing
 * those, the board's secretaries. A user who chose the weekly digest gets no individual
 * reminders, only the Monday summary.
 */

export type ReminderKind = "due_soon" | "overdue";
export const OPEN_STATUSES = ["open", "in_progress"] as const satisfies readonly ActionStatus[];
/** How far back the digest looks for overdue actions (older ones are for the action log). */
const DIGEST_OVERDUE_DAYS = 90;

export interface DueReminder {
  actionId: number;
  kind: ReminderKind;
  dueDate: string;
}

/** Records the reminders that fall due on `today` and are not yet recorded; the new ones. */
export async function recordDueReminders(trx: WorkspaceDb, today: string): Promise<DueReminder[]> {
  const due = (kind: ReminderKind, window: ReturnType<typeof sql<boolean>>) =>
    trx
      .selectFrom("actions")
      .select(["workspace_id", "id as action_id", sql<ReminderKind>`${kind}::text`.as("kind"), "due_date"])
      .where("status", "in", OPEN_STATUSES)
      .where(window);
  const soon = due("due_soon", sql<boolean>`due_date between ${today}::date + 1 and ${today}::date + 7`);
  const overdue = due("overdue", sql<boolean>`due_date between ${today}::date - 7 and ${today}::date - 1`);
  const rows = await trx
    .insertInto("action_reminders")
    .columns(["workspace_id", "action_id", "kind", "due_date"])
    .expression(soon.unionAll(overdue))
    .onConflict((oc) => oc.doNothing())
    .returning(["action_id", "kind", "due_date"])
    .execute();
  return rows
    .map((r) => ({ actionId: Number(r.action_id), kind: r.kind, dueDate: String(r.due_date) }))
    .sort((a, b) => a.actionId - b.actionId || a.kind.localeCompare(b.kind));
}

export interface ReminderActionRow {
  id: number;
  title: string;
  classification: Classification;
  status: ActionStatus;
  dueDate: string;
  boardId: number;
  boardName: string;
  ownerAgencyId: number;
  ownerPersonId: number | null;
}

const actionColumns = [
  "a.id",
  "a.title",
  "a.classification",
  "a.status",
  "a.due_date",
  "a.board_id",
  "b.name as board_name",
  "a.owner_agency_id",
  "a.owner_person_id",
] as const;

function toRow(r: {
  id: number;
  title: string;
  classification: Classification;
  status: ActionStatus;
  due_date: string;
  board_id: number;
  board_name: string;
  owner_agency_id: number;
  owner_person_id: number | null;
}): ReminderActionRow {
  return {
    id: Number(r.id),
    title: r.title,
    classification: r.classification,
    status: r.status,
    dueDate: String(r.due_date),
    boardId: Number(r.board_id),
    boardName: r.board_name,
    ownerAgencyId: Number(r.owner_agency_id),
    ownerPersonId: r.owner_person_id === null ? null : Number(r.owner_person_id),
  };
}

export async function reminderAction(
  db: WorkspaceDb,
  actionId: number,
): Promise<ReminderActionRow | undefined> {
  const row = await db
    .selectFrom("actions as a")
    .innerJoin("boards as b", "b.id", "a.board_id")
    .select(actionColumns)
    .where("a.id", "=", actionId)
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Open actions overdue (up to 90 days) or due in the 7 days from `weekOf`, for the digest. */
export async function digestActions(db: WorkspaceDb, weekOf: string): Promise<ReminderActionRow[]> {
  const rows = await db
    .selectFrom("actions as a")
    .innerJoin("boards as b", "b.id", "a.board_id")
    .select(actionColumns)
    .where("a.status", "in", OPEN_STATUSES)
    .where(
      sql<boolean>`a.due_date between ${weekOf}::date - ${DIGEST_OVERDUE_DAYS}::int and ${weekOf}::date + 6`,
    )
    .orderBy("a.due_date")
    .orderBy("a.id")
    .execute();
  return rows.map(toRow);
}

export interface ReminderRecipient extends Recipient {
  frequency: ReminderFrequency;
}

/** Who is reminded about each action, by action id (see the top of this module). */
export async function reminderRecipients(
  db: WorkspaceDb,
  actions: readonly ReminderActionRow[],
): Promise<Map<number, ReminderRecipient[]>> {
  const owners = await peopleAddresses(
    db,
    actions.flatMap((a) => (a.ownerPersonId === null ? [] : [a.ownerPersonId])),
  );
  const ownerless = actions.filter((a) => a.ownerPersonId === null || !owners.has(a.ownerPersonId));
  const partners = await grantHolders(
    db,
    "partner",
    "agency_id",
    ownerless.map((a) => a.ownerAgencyId),
  );
  const unreached = ownerless.filter((a) => !partners.has(a.ownerAgencyId));
  const secretaries = await grantHolders(
    db,
    "secretary",
    "board_id",
    unreached.map((a) => a.boardId),
  );

  const chosen = new Map<number, Recipient[]>();
  for (const action of actions) {
    const owner = action.ownerPersonId === null ? undefined : owners.get(action.ownerPersonId);
    chosen.set(
      action.id,
      owner ? [owner] : (partners.get(action.ownerAgencyId) ?? secretaries.get(action.boardId) ?? []),
    );
  }
  const frequencies = await reminderFrequencies(
    db,
    [...chosen.values()].flat().map((r) => r.email),
  );
  return new Map(
    [...chosen].map(([id, recipients]) => [
      id,
      recipients.map((r) => ({ ...r, frequency: frequencies.get(r.email.toLowerCase()) ?? "each" })),
    ]),
  );
}

/** Users (not disabled) holding `role` for each of these agencies or boards. */
async function grantHolders(
  db: WorkspaceDb,
  role: "partner" | "secretary",
  column: "agency_id" | "board_id",
  ids: readonly number[],
): Promise<Map<number, Recipient[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select([`g.${column} as scope_id`, "u.name", "u.email"])
    .where("g.role", "=", role)
    .where(`g.${column}`, "in", [...new Set(ids)])
    .where("u.disabled_at", "is", null)
    .orderBy("u.email")
    .execute();
  const holders = new Map<number, Recipient[]>();
  for (const row of rows) {
    const id = Number(row.scope_id);
    holders.set(id, [...(holders.get(id) ?? []), { name: row.name, email: row.email }]);
  }
  return holders;
}

/** The reminder preference of each address that is a user's (others are "each"). */
async function reminderFrequencies(
  db: WorkspaceDb,
  emails: readonly string[],
): Promise<Map<string, ReminderFrequency>> {
  const unique = [...new Set(emails.map((e) => e.toLowerCase()))];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom("users")
    .select(["email", "reminder_frequency"])
    .where("email", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.email, r.reminder_frequency]));
}

/** Whether anyone in the workspace chose the weekly digest (most weeks, nobody needs one). */
export async function anyoneWantsDigest(db: WorkspaceDb): Promise<boolean> {
  const row = await db
    .selectFrom("workspace_users as wu")
    .innerJoin("users as u", "u.id", "wu.user_id")
    .select("u.id")
    .where("u.reminder_frequency", "=", "weekly")
    .where("u.disabled_at", "is", null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The viewer's reminder preference (it is their account's, in every workspace). */
export async function reminderFrequencyOf(viewer: Viewer): Promise<ReminderFrequency> {
  const row = await viewer.db
    .selectFrom("users")
    .select("reminder_frequency")
    .where("id", "=", viewer.user.id)
    .executeTakeFirstOrThrow();
  return row.reminder_frequency;
}

/** Changes the viewer's reminder preference, with an audit event. */
export async function setReminderFrequency(
  viewer: Viewer,
  frequency: ReminderFrequency,
  meta: { ip?: string | null } = {},
): Promise<void> {
  await inTransaction(viewer.db, async (trx) => {
    const before = await trx
      .selectFrom("users")
      .select("reminder_frequency")
      .where("id", "=", viewer.user.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.reminder_frequency === frequency) return;
    await trx
      .updateTable("users")
      .set({ reminder_frequency: frequency, updated_at: new Date() })
      .where("id", "=", viewer.user.id)
      .execute();
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: meta.ip },
      {
        event: "reminders.preference_changed",
        entityType: "user",
        entityId: viewer.user.id,
        changes: { from: before.reminder_frequency, to: frequency },
      },
    );
  });
}
