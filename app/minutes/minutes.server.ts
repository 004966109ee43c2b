import type { AgendaPurpose, Classification, MinutesStatus } from "../../db/schema";
import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import { can, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { enqueueJob } from "../jobs/queue.server";
import { type LifecycleChange, type MinutesInput, STALE_STATUS_MESSAGE } from "./schemas";
import type { MinutesSnapshot } from "./snapshot";
import {
  attendanceOf,
  declarationsOf,
  findMeeting,
  findMinutes,
  itemRows,
  type MinutesMeeting,
  type MinutesRecord,
  takeSnapshot,
} from "./snapshot.server";

/*
 * Writing minutes and taking them from draft to published (issue 5).
 *
 * - Every write (a save, an autosave, a change of status) bumps minutes.version and stores
 *   the whole document as a new minute_versions row, in one transaction with its audit
 *   event. Each write names the version it was based on; if the minutes moved on meanwhile
 *   it is refused and the current minutes returned, so nobody's text is lost.
 * - draft → circulated → approved → published. Text can change while draft or circulated;
 *   approved and published minutes only after they are deliberately re-opened (back to
 *   draft, with a reason), which never touches what was published: public pages show the
 *   latest published version until the corrected minutes are published again.
 * - Circulating and publishing queue their emails (the mail branch's worker sends them) in
 *   the same transaction.
 * - Those who run the board write and move minutes; members comment while they are
 *   circulated; anyone who reads the board reads them once circulated. Everyone else: 404.
 *   OFFICIAL-SENSITIVE text never goes into the audit trail.
 */

export type { MinutesMeeting, MinutesRecord };

function validId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

/** Why minutes cannot be written for a meeting yet, if they cannot. */
export type Writable = "ok" | "cancelled" | "not-started";

export function writability(meeting: MinutesMeeting, now: Date): Writable {
  if (meeting.status === "cancelled") return "cancelled";
  if (meeting.status !== "held" && meeting.startsAt.getTime() > now.getTime()) return "not-started";
  return "ok";
}

const EDITABLE: ReadonlySet<MinutesStatus> = new Set(["draft", "circulated"]);

async function readableMeeting(viewer: Viewer, meetingId: number): Promise<MinutesMeeting> {
  if (!validId(meetingId)) notFound();
  const meeting = await findMeeting(viewer.db, meetingId);
  if (!meeting || !can.readBoard(viewer, meeting.boardId)) notFound();
  return meeting;
}

async function runnableMeeting(viewer: Viewer, meetingId: number): Promise<MinutesMeeting> {
  if (!validId(meetingId)) notFound();
  const meeting = await findMeeting(viewer.db, meetingId);
  if (!meeting || !can.runBoard(viewer, meeting.boardId)) notFound();
  return meeting;
}

// ── The editor ──────────────────────────────────────────────────────────────────────────

export interface EditorAction {
  id: number;
  title: string;
  ownerAgencyId: number;
  ownerPersonId: number | null;
  dueDate: string;
  /** Progress updates in the action log: such an action is dropped there, not removed here. */
  updates: number;
}

export interface EditorItem {
  id: number;
  position: number;
  title: string;
  purpose: AgendaPurpose;
  classification: Classification;
  discussion: string;
  decisions: { id: number; text: string }[];
  actions: EditorAction[];
}

/** The minutes as they stand, for the editor and for a refused (stale) save. */
export interface MinutesContent {
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
  items: EditorItem[];
}

export interface Option {
  value: string;
  label: string;
}

export interface MinutesEditor {
  meeting: MinutesMeeting;
  minutes: MinutesRecord | null;
  writable: Writable;
  content: MinutesContent;
  attendance: MinutesSnapshot["attendance"];
  /** Declarations of interest recorded at the meeting: the minutes take them when saved. */
  declarations: { id: number; name: string; item: string | null }[];
  agencies: Option[];
  people: Option[];
}

async function editorItems(
  db: WorkspaceDb,
  meetingId: number,
  minutesId: number | null,
): Promise<EditorItem[]> {
  const rows = await itemRows(db, meetingId, minutesId);
  return rows.map(({ actions, ...item }) => ({
    ...item,
    actions: actions.map((a) => ({
      id: a.id,
      title: a.title,
      ownerAgencyId: a.ownerAgencyId,
      ownerPersonId: a.ownerPersonId,
      dueDate: a.dueDate,
      updates: a.updates,
    })),
  }));
}

async function contentOf(
  db: WorkspaceDb,
  meetingId: number,
  minutes: MinutesRecord | null,
): Promise<MinutesContent> {
  return {
    version: minutes?.version ?? 0,
    updatedAt: minutes?.updatedAt ?? null,
    updatedBy: minutes?.updatedBy ?? null,
    items: await editorItems(db, meetingId, minutes?.id ?? null),
  };
}

/** The minutes editor of a meeting: its board's secretary or an admin; else 404. */
export async function getMinutesEditor(
  viewer: Viewer,
  meetingId: number,
  now: Date = new Date(),
): Promise<MinutesEditor> {
  const meeting = await runnableMeeting(viewer, meetingId);
  const minutes = await findMinutes(viewer.db, meeting.id);
  const content = await contentOf(viewer.db, meeting.id, minutes);
  const owners = content.items.flatMap((item) => item.actions);
  const agencies = await viewer.db
    .selectFrom("agencies")
    .select(["id", "name"])
    .where((eb) =>
      eb.or([eb("archived_at", "is", null), eb("id", "in", [0, ...owners.map((a) => a.ownerAgencyId)])]),
    )
    .orderBy("name")
    .orderBy("id")
    .execute();
  const people = await viewer.db
    .selectFrom("people as p")
    .innerJoin("agencies as ag", "ag.id", "p.agency_id")
    .select(["p.id", "p.full_name", "ag.name as agency"])
    .where((eb) =>
      eb.or([
        eb("p.archived_at", "is", null),
        eb("p.id", "in", [0, ...owners.flatMap((a) => (a.ownerPersonId ? [a.ownerPersonId] : []))]),
      ]),
    )
    .orderBy("p.full_name")
    .orderBy("p.id")
    .execute();
  return {
    meeting,
    minutes,
    writable: writability(meeting, now),
    content,
    attendance: await attendanceOf(viewer.db, meeting.id),
    declarations: (await declarationsOf(viewer.db, meeting.id)).map((d) => {
      const item = content.items.find((i) => i.id === d.agendaItemId);
      return { id: d.id, name: d.name, item: item ? `${item.position + 1}. ${item.title}` : null };
    }),
    agencies: agencies.map((a) => ({ value: String(a.id), label: a.name })),
    people: people.map((p) => ({ value: String(p.id), label: `${p.full_name} (${p.agency})` })),
  };
}

// ── Saving ──────────────────────────────────────────────────────────────────────────────

export type SaveOutcome =
  | { ok: true; version: number; savedAt: Date }
  | { ok: false; reason: "stale"; current: MinutesContent }
  | { ok: false; reason: "locked" | "cancelled" | "not-started" }
  | { ok: false; reason: "invalid"; fieldErrors: Record<string, string[]> };

interface Plan {
  items: { agendaItemId: number; discussion: string }[];
  decisionUpdates: { id: number; text: string }[];
  decisionRemovals: number[];
  newDecisions: { agendaItemId: number; text: string }[];
  actionUpdates: {
    id: number;
    title: string;
    ownerAgencyId: number;
    ownerPersonId: number | null;
    dueDate: string;
  }[];
  actionRemovals: number[];
  newActions: {
    agendaItemId: number;
    classification: Classification;
    title: string;
    ownerAgencyId: number;
    ownerPersonId: number | null;
    dueDate: string;
  }[];
}

/**
 * Checks the form against the meeting as it is (agenda items, decisions and actions of this
 * meeting, agencies and people of this workspace) and turns it into the writes to make.
 * An autosave leaves new decisions and actions for the next real save, so a half-typed
 * one is never created twice.
 */
async function planSave(
  db: WorkspaceDb,
  input: MinutesInput,
  current: EditorItem[],
): Promise<{ ok: true; plan: Plan } | { ok: false; fieldErrors: Record<string, string[]> }> {
  const errors: Record<string, string[]> = {};
  const fail = (name: string, message: string) => {
    errors[name] = [message];
  };
  const autosave = input.intent === "autosave";
  const itemsById = new Map(current.map((item) => [item.id, item]));
  const decisionItem = new Map(
    current.flatMap((item) => item.decisions.map((d) => [d.id, item.id] as const)),
  );
  const actionsById = new Map(current.flatMap((item) => item.actions.map((a) => [a.id, a] as const)));

  const agencyIds = new Set<number>();
  const personIds = new Set<number>();
  for (const item of input.items ?? []) {
    for (const action of [...(item.actions ?? []), ...(item.newAction ? [item.newAction] : [])]) {
      if (action.ownerAgency) agencyIds.add(action.ownerAgency);
      if (action.ownerPerson) personIds.add(action.ownerPerson);
    }
  }
  const knownAgencies = new Set(
    agencyIds.size === 0
      ? []
      : (
          await db
            .selectFrom("agencies")
            .select("id")
            .where("id", "in", [...agencyIds])
            .execute()
        ).map((r) => Number(r.id)),
  );
  const knownPeople = new Set(
    personIds.size === 0
      ? []
      : (
          await db
            .selectFrom("people")
            .select("id")
            .where("id", "in", [...personIds])
            .execute()
        ).map((r) => Number(r.id)),
  );

  const plan: Plan = {
    items: [],
    decisionUpdates: [],
    decisionRemovals: [],
    newDecisions: [],
    actionUpdates: [],
    actionRemovals: [],
    newActions: [],
  };
  for (const [i, item] of (input.items ?? []).entries()) {
    const agendaItem = itemsById.get(item.id);
    if (!agendaItem) {
      fail(`items[${i}].discussion`, "This item is no longer on the agenda. Reload the page.");
      continue;
    }
    plan.items.push({ agendaItemId: item.id, discussion: item.discussion ?? "" });
    for (const [j, decision] of (item.decisions ?? []).entries()) {
      const under = decisionItem.get(decision.id);
      if (under === undefined) {
        // Removed by someone else while this form was open: keep what this person wrote.
        if (decision.text && !autosave)
          plan.newDecisions.push({ agendaItemId: item.id, text: decision.text });
      } else if (under !== item.id) {
        fail(`items[${i}].decisions[${j}].text`, "This decision belongs to another item. Reload the page.");
      } else if (!decision.text) plan.decisionRemovals.push(decision.id);
      else plan.decisionUpdates.push({ id: decision.id, text: decision.text });
    }
    if (item.newDecision && !autosave)
      plan.newDecisions.push({ agendaItemId: item.id, text: item.newDecision });

    const checkOwners = (name: string, action: { ownerAgency?: number; ownerPerson?: number }) => {
      if (action.ownerAgency && !knownAgencies.has(action.ownerAgency))
        fail(`${name}.ownerAgency`, "Select the agency that owns the action");
      if (action.ownerPerson && !knownPeople.has(action.ownerPerson))
        fail(`${name}.ownerPerson`, "Select the person who owns the action, or leave it blank");
    };
    for (const [k, action] of (item.actions ?? []).entries()) {
      const name = `items[${i}].actions[${k}]`;
      const existing = actionsById.get(action.id);
      if (!existing) {
        // Removed by someone else while this form was open: keep what this person wrote.
        if (!action.remove && action.title && action.ownerAgency && action.dueDate && !autosave) {
          checkOwners(name, action);
          plan.newActions.push({
            agendaItemId: item.id,
            classification: agendaItem.classification,
            title: action.title,
            ownerAgencyId: action.ownerAgency,
            ownerPersonId: action.ownerPerson ?? null,
            dueDate: action.dueDate,
          });
        }
        continue;
      }
      if (!agendaItem.actions.some((a) => a.id === action.id)) {
        fail(`${name}.title`, "This action belongs to another item. Reload the page.");
        continue;
      }
      if (action.remove) {
        if (existing.updates > 0) {
          fail(
            `${name}.remove`,
            "This action has progress updates in the action log. Drop it there instead of removing it.",
          );
        } else plan.actionRemovals.push(action.id);
        continue;
      }
      checkOwners(name, action);
      if (action.title && action.ownerAgency && action.dueDate) {
        plan.actionUpdates.push({
          id: action.id,
          title: action.title,
          ownerAgencyId: action.ownerAgency,
          ownerPersonId: action.ownerPerson ?? null,
          dueDate: action.dueDate,
        });
      }
    }
    const added = item.newAction;
    if (added?.title && added.ownerAgency && added.dueDate && !autosave) {
      checkOwners(`items[${i}].newAction`, added);
      plan.newActions.push({
        agendaItemId: item.id,
        classification: agendaItem.classification,
        title: added.title,
        ownerAgencyId: added.ownerAgency,
        ownerPersonId: added.ownerPerson ?? null,
        dueDate: added.dueDate,
      });
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, fieldErrors: errors } : { ok: true, plan };
}

/** Writes a new version row of the minutes as they now stand. */
async function recordVersion(
  trx: WorkspaceDb,
  viewer: Viewer,
  meeting: MinutesMeeting,
  minutes: {
    id: number;
    version: number;
    status: MinutesStatus;
    approvedAt: Date | null;
    approvedAtMeetingId: number | null;
  },
  note: string | null,
  now: Date,
): Promise<void> {
  const snapshot = await takeSnapshot(trx, meeting, minutes.id, minutes);
  await trx
    .insertInto("minute_versions")
    .values({
      workspace_id: workspaceIdOf(trx),
      minutes_id: minutes.id,
      version: minutes.version,
      status: minutes.status,
      snapshot: JSON.stringify(snapshot),
      created_by: viewer.user.id,
      created_at: now,
      note,
    })
    .execute();
}

/**
 * Saves the minutes' text, decisions and actions as a new version, if `input.version` is
 * still the current version. The first save creates the minutes (as a draft).
 */
export async function saveMinutes(
  viewer: Viewer,
  actor: AuditActor,
  meetingId: number,
  input: MinutesInput,
  now: Date = new Date(),
): Promise<SaveOutcome> {
  const meeting = await runnableMeeting(viewer, meetingId);
  const writable = writability(meeting, now);
  if (writable !== "ok") return { ok: false, reason: writable };
  const workspaceId = viewer.workspace.id;

  return inTransaction(viewer.db, async (trx): Promise<SaveOutcome> => {
    // The meeting row is the lock: two first saves (no minutes row yet) queue here too.
    await findMeeting(trx, meeting.id, { lock: true });
    const minutes = await findMinutes(trx, meeting.id, { lock: true });
    const currentVersion = minutes?.version ?? 0;
    if (input.version !== currentVersion) {
      return { ok: false, reason: "stale", current: await contentOf(trx, meeting.id, minutes) };
    }
    if (minutes && !EDITABLE.has(minutes.status)) return { ok: false, reason: "locked" };

    const items = await editorItems(trx, meeting.id, minutes?.id ?? null);
    const planned = await planSave(trx, input, items);
    if (!planned.ok) return { ok: false, reason: "invalid", fieldErrors: planned.fieldErrors };
    const { plan } = planned;

    const version = currentVersion + 1;
    let minutesId: number;
    if (minutes) {
      minutesId = minutes.id;
      await trx
        .updateTable("minutes")
        .set({ version, updated_at: now, updated_by: viewer.user.id })
        .where("id", "=", minutes.id)
        .where("version", "=", currentVersion)
        .execute();
    } else {
      const created = await trx
        .insertInto("minutes")
        .values({
          workspace_id: workspaceId,
          meeting_id: meeting.id,
          status: "draft",
          version,
          updated_at: now,
          updated_by: viewer.user.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      minutesId = Number(created.id);
    }

    if (plan.items.length > 0) {
      await trx
        .insertInto("minute_items")
        .values(
          plan.items.map((item) => ({
            workspace_id: workspaceId,
            minutes_id: minutesId,
            agenda_item_id: item.agendaItemId,
            discussion: item.discussion,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(["workspace_id", "minutes_id", "agenda_item_id"])
            .doUpdateSet((eb) => ({ discussion: eb.ref("excluded.discussion") })),
        )
        .execute();
    }
    for (const decision of plan.decisionUpdates) {
      await trx
        .updateTable("decisions")
        .set({ text: decision.text })
        .where("id", "=", decision.id)
        .where("meeting_id", "=", meeting.id)
        .where("text", "<>", decision.text)
        .execute();
    }
    if (plan.decisionRemovals.length > 0) {
      await trx
        .deleteFrom("decisions")
        .where("id", "in", plan.decisionRemovals)
        .where("meeting_id", "=", meeting.id)
        .execute();
    }
    const addedDecisions =
      plan.newDecisions.length === 0
        ? []
        : await trx
            .insertInto("decisions")
            .values(
              plan.newDecisions.map((d) => ({
                workspace_id: workspaceId,
                board_id: meeting.boardId,
                meeting_id: meeting.id,
                agenda_item_id: d.agendaItemId,
                text: d.text,
              })),
            )
            .returning("id")
            .execute();
    for (const action of plan.actionUpdates) {
      await trx
        .updateTable("actions")
        .set((eb) => ({
          title: action.title,
          owner_agency_id: action.ownerAgencyId,
          owner_person_id: action.ownerPersonId,
          due_date: action.dueDate,
          version: eb("version", "+", 1),
          updated_at: now,
        }))
        .where("id", "=", action.id)
        .where("meeting_id", "=", meeting.id)
        .where((eb) =>
          eb.or([
            eb("title", "<>", action.title),
            eb("owner_agency_id", "<>", action.ownerAgencyId),
            eb("owner_person_id", "is distinct from", action.ownerPersonId),
            eb("due_date", "<>", action.dueDate),
          ]),
        )
        .execute();
    }
    if (plan.actionRemovals.length > 0) {
      await trx
        .deleteFrom("actions")
        .where("id", "in", plan.actionRemovals)
        .where("meeting_id", "=", meeting.id)
        .execute();
    }
    const addedActions =
      plan.newActions.length === 0
        ? []
        : await trx
            .insertInto("actions")
            .values(
              plan.newActions.map((a) => ({
                workspace_id: workspaceId,
                board_id: meeting.boardId,
                meeting_id: meeting.id,
                agenda_item_id: a.agendaItemId,
                title: a.title,
                classification: a.classification,
                owner_agency_id: a.ownerAgencyId,
                owner_person_id: a.ownerPersonId,
                due_date: a.dueDate,
                created_at: now,
                updated_at: now,
              })),
            )
            .returning("id")
            .execute();

    const status = minutes?.status ?? "draft";
    await recordVersion(
      trx,
      viewer,
      meeting,
      { id: minutesId, version, status, approvedAt: null, approvedAtMeetingId: null },
      input.intent === "autosave" ? "Autosaved" : null,
      now,
    );
    // Ids and counts only: the text may be OFFICIAL-SENSITIVE.
    await recordAudit(trx, actor, {
      event: minutes ? "minutes.saved" : "minutes.created",
      entityType: "minutes",
      entityId: minutesId,
      changes: {
        meeting_id: meeting.id,
        version,
        autosave: input.intent === "autosave",
        decisions_added: addedDecisions.map((d) => Number(d.id)),
        decisions_removed: plan.decisionRemovals,
        actions_added: addedActions.map((a) => Number(a.id)),
        actions_removed: plan.actionRemovals,
      },
    });
    return { ok: true, version, savedAt: now };
  });
}

// ── Lifecycle ───────────────────────────────────────────────────────────────────────────

export type ChangeOutcome =
  | { ok: true; status: MinutesStatus; version: number }
  | { ok: false; status: 400 | 409; message: string; field?: string };

const FROM: Record<LifecycleChange["intent"], readonly MinutesStatus[]> = {
  circulate: ["draft"],
  approve: ["circulated"],
  publish: ["approved"],
  reopen: ["approved", "published"],
};

const WRONG_STATUS: Record<LifecycleChange["intent"], string> = {
  circulate: "Only draft minutes can be circulated.",
  approve: "Minutes must be circulated for comment before they are approved.",
  publish: "Minutes must be approved before they are published.",
  reopen: "Only approved or published minutes need re-opening; these can be edited as they are.",
};

/** The meetings that may have approved these minutes: the board's later meetings that have started. */
export async function approvalMeetings(
  db: WorkspaceDb,
  meeting: MinutesMeeting,
  now: Date = new Date(),
): Promise<{ id: number; startsAt: Date }[]> {
  const rows = await db
    .selectFrom("meetings")
    .select(["id", "starts_at"])
    .where("board_id", "=", meeting.boardId)
    .where("status", "<>", "cancelled")
    .where("starts_at", ">", meeting.startsAt)
    .where("starts_at", "<=", now)
    .orderBy("starts_at")
    .limit(12)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), startsAt: new Date(r.starts_at) }));
}

/**
 * Moves the minutes on: circulate (draft), approve (circulated, no open comments), publish
 * (approved), re-open (approved or published, with a reason). Refused if the minutes changed
 * since the page was opened. Circulating and publishing queue their email in the same
 * transaction.
 */
export async function changeMinutesStatus(
  viewer: Viewer,
  actor: AuditActor,
  meetingId: number,
  change: LifecycleChange,
  now: Date = new Date(),
): Promise<ChangeOutcome> {
  const meeting = await runnableMeeting(viewer, meetingId);
  return inTransaction(viewer.db, async (trx): Promise<ChangeOutcome> => {
    const minutes = await findMinutes(trx, meeting.id, { lock: true });
    if (!minutes) return { ok: false, status: 409, message: "These minutes have not been written yet." };
    if (minutes.version !== change.version) return { ok: false, status: 409, message: STALE_STATUS_MESSAGE };
    if (!FROM[change.intent].includes(minutes.status))
      return { ok: false, status: 409, message: WRONG_STATUS[change.intent] };

    const version = minutes.version + 1;
    let status: MinutesStatus = minutes.status;
    let approvedAt = minutes.approvedAt;
    let approvedAtMeetingId = minutes.approvedAtMeetingId;
    let note: string | null = null;
    const base = { version, updated_at: now, updated_by: viewer.user.id };

    if (change.intent === "circulate") {
      status = "circulated";
      await trx
        .updateTable("minutes")
        .set({ ...base, status, circulated_at: now })
        .where("id", "=", minutes.id)
        .execute();
    } else if (change.intent === "approve") {
      const open = await trx
        .selectFrom("minute_comments")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("minutes_id", "=", minutes.id)
        .where("resolved_at", "is", null)
        .executeTakeFirstOrThrow();
      if (Number(open.n) > 0) {
        const n = Number(open.n);
        return {
          ok: false,
          status: 409,
          message: `Resolve the ${n === 1 ? "open comment" : `${n} open comments`} before approving the minutes.`,
        };
      }
      approvedAtMeetingId = null;
      if (change.approvedBy === "meeting") {
        const candidates = await approvalMeetings(trx, meeting, now);
        if (!candidates.some((c) => c.id === change.approvedAtMeeting)) {
          return {
            ok: false,
            status: 400,
            field: "approvedAtMeeting",
            message: "Select a later meeting of this board that has taken place",
          };
        }
        approvedAtMeetingId = change.approvedAtMeeting ?? null;
      }
      status = "approved";
      approvedAt = now;
      await trx
        .updateTable("minutes")
        .set({
          ...base,
          status,
          approved_at: now,
          approved_at_meeting_id: approvedAtMeetingId,
          approved_by: viewer.user.id,
        })
        .where("id", "=", minutes.id)
        .execute();
    } else if (change.intent === "publish") {
      status = "published";
      await trx
        .updateTable("minutes")
        .set({ ...base, status, published_at: now })
        .where("id", "=", minutes.id)
        .execute();
    } else {
      status = "draft";
      approvedAt = null;
      approvedAtMeetingId = null;
      note = `Re-opened: ${change.reason}`;
      await trx
        .updateTable("minutes")
        .set({ ...base, status, approved_at: null, approved_at_meeting_id: null, approved_by: null })
        .where("id", "=", minutes.id)
        .execute();
    }

    if (change.intent === "circulate" || change.intent === "publish") {
      const kind = change.intent === "circulate" ? "circulated" : "published";
      await enqueueJob(trx, {
        queue: `mail.minutes_${kind}`,
        payload: { minutesId: minutes.id },
        dedupeKey: `minutes-${kind}:${minutes.id}:${version}`,
      });
    }
    await recordVersion(
      trx,
      viewer,
      meeting,
      { id: minutes.id, version, status, approvedAt, approvedAtMeetingId },
      note,
      now,
    );
    const events: Record<LifecycleChange["intent"], string> = {
      circulate: "minutes.circulated",
      approve: "minutes.approved",
      publish: "minutes.published",
      reopen: "minutes.reopened",
    };
    await recordAudit(trx, actor, {
      event: events[change.intent],
      entityType: "minutes",
      entityId: minutes.id,
      changes: {
        meeting_id: meeting.id,
        version,
        from: minutes.status,
        to: status,
        ...(change.intent === "approve"
          ? { approved_by: change.approvedBy, approved_at_meeting_id: approvedAtMeetingId }
          : {}),
        ...(change.intent === "reopen" ? { reason: change.reason } : {}),
      },
    });
    return { ok: true, status, version };
  });
}

// ── Comments ────────────────────────────────────────────────────────────────────────────

export type CommentOutcome = { ok: true } | { ok: false; status: 400 | 409; message: string; field?: string };

/** A meeting whose minutes the viewer may comment on (a member or secretary of its board); else 404. */
export async function commentableMeeting(viewer: Viewer, meetingId: number): Promise<MinutesMeeting> {
  if (!validId(meetingId)) notFound();
  const meeting = await findMeeting(viewer.db, meetingId);
  if (!meeting || !can.commentOnMinutes(viewer, meeting.boardId)) notFound();
  return meeting;
}

/** A member's (or the secretary's) comment on circulated minutes, on one item or the whole. */
export async function addComment(
  viewer: Viewer,
  actor: AuditActor,
  meetingId: number,
  input: { item?: number; body: string },
): Promise<CommentOutcome> {
  const meeting = await commentableMeeting(viewer, meetingId);
  return inTransaction(viewer.db, async (trx): Promise<CommentOutcome> => {
    const minutes = await findMinutes(trx, meeting.id, { lock: true });
    if (minutes?.status !== "circulated") {
      return {
        ok: false,
        status: 409,
        message: "Comments can only be made while the minutes are circulated.",
      };
    }
    if (input.item !== undefined) {
      const item = await trx
        .selectFrom("agenda_items")
        .select("id")
        .where("id", "=", input.item)
        .where("meeting_id", "=", meeting.id)
        .executeTakeFirst();
      if (!item)
        return { ok: false, status: 400, field: "item", message: "This item is no longer on the agenda" };
    }
    const comment = await trx
      .insertInto("minute_comments")
      .values({
        workspace_id: workspaceIdOf(trx),
        minutes_id: minutes.id,
        agenda_item_id: input.item ?? null,
        author_id: viewer.user.id,
        body: input.body,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      event: "minutes.commented",
      entityType: "minute_comment",
      entityId: Number(comment.id),
      changes: { minutes_id: minutes.id, agenda_item_id: input.item ?? null },
    });
    return { ok: true };
  });
}

/** The secretary marks a comment as dealt with. */
export async function resolveComment(
  viewer: Viewer,
  actor: AuditActor,
  meetingId: number,
  commentId: number,
  now: Date = new Date(),
): Promise<CommentOutcome> {
  const meeting = await runnableMeeting(viewer, meetingId);
  return inTransaction(viewer.db, async (trx): Promise<CommentOutcome> => {
    const resolved = await trx
      .updateTable("minute_comments")
      .set({ resolved_at: now, resolved_by: viewer.user.id })
      .where("id", "=", commentId)
      .where("resolved_at", "is", null)
      .where("minutes_id", "in", (eb) =>
        eb.selectFrom("minutes").select("id").where("meeting_id", "=", meeting.id),
      )
      .returning("id")
      .executeTakeFirst();
    if (!resolved) return { ok: false, status: 409, message: "This comment has already been resolved." };
    await recordAudit(trx, actor, {
      event: "minutes.comment_resolved",
      entityType: "minute_comment",
      entityId: commentId,
      changes: { meeting_id: meeting.id },
    });
    return { ok: true };
  });
}

export { readableMeeting, runnableMeeting };
