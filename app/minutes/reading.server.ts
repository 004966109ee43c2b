import { diffWordsWithSpace } from "diff";
import type { MinutesStatus } from "../../db/schema";
import type { WorkspaceDb } from "../../db/tenancy";
import { can } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { offsetOf, type TableState, type TableStateOptions } from "../components/table-state";
import { formatDate, formatDateTime } from "../format";
import { CLASSIFICATION_LABELS } from "../meetings/schemas";
import { type MinutesDocument, minutesDocument } from "./document.server";
import {
  approvalMeetings,
  type Option,
  readableMeeting,
  runnableMeeting,
  type Writable,
  writability,
} from "./minutes.server";
import { type MinutesSnapshot, parseSnapshot, type SnapshotItem } from "./snapshot";
import { findMinutes, type MinutesMeeting, type MinutesRecord } from "./snapshot.server";

/*
 * Reading minutes: the minutes page of a meeting (the document, its comments and what the
 * viewer may do next), and, for those who run the board, the history of versions and the
 * differences between any two of them.
 */

export interface VersionInfo {
  version: number;
  status: MinutesStatus;
  savedAt: Date;
  savedBy: string | null;
  note: string | null;
}

interface StoredVersion extends VersionInfo {
  snapshot: MinutesSnapshot;
}

async function storedVersion(
  db: WorkspaceDb,
  minutesId: number,
  which: { version: number },
): Promise<StoredVersion | null> {
  const row = await db
    .selectFrom("minute_versions as v")
    .leftJoin("users as u", "u.id", "v.created_by")
    .select(["v.version", "v.status", "v.created_at", "u.name as saved_by", "v.note", "v.snapshot"])
    .where("v.minutes_id", "=", minutesId)
    .where("v.version", "=", which.version)
    .executeTakeFirst();
  const snapshot = row ? parseSnapshot(row.snapshot) : null;
  if (!row || !snapshot) return null;
  return {
    version: row.version,
    status: row.status,
    savedAt: new Date(row.created_at),
    savedBy: row.saved_by,
    note: row.note,
    snapshot,
  };
}

/** The number of the latest published version of the minutes, if they were ever published. */
async function latestPublishedVersion(db: WorkspaceDb, minutesId: number): Promise<number | null> {
  const row = await db
    .selectFrom("minute_versions")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("minutes_id", "=", minutesId)
    .where("status", "=", "published")
    .executeTakeFirst();
  return row?.version == null ? null : Number(row.version);
}

// ── The minutes page ────────────────────────────────────────────────────────────────────

export interface CommentView {
  id: number;
  itemId: number | null;
  author: string;
  body: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export interface MinutesPage {
  meeting: MinutesMeeting;
  minutes: MinutesRecord | null;
  writable: Writable;
  document: MinutesDocument | null;
  /** The version the document is, when there is one. */
  shown: VersionInfo | null;
  /** A reader sees the last published version while the secretary corrects re-opened minutes. */
  showingPublished: boolean;
  comments: CommentView[];
  openComments: number;
  canRun: boolean;
  /** May comment now (a member or secretary of the board, minutes circulated). */
  canComment: boolean;
  approvalMeetings: Option[];
  /** The public page of these minutes, when they are published on a public board. */
  publicPath: string | null;
}

/**
 * The minutes of a meeting for anyone who reads its board. Those who run the board see the
 * current version; others see circulated, approved and published minutes, never a draft
 * (while re-opened minutes are corrected, they see the version last published).
 */
export async function getMinutesPage(
  viewer: Viewer,
  meetingId: number,
  now: Date = new Date(),
): Promise<MinutesPage> {
  const meeting = await readableMeeting(viewer, meetingId);
  const canRun = can.runBoard(viewer, meeting.boardId);
  const minutes = await findMinutes(viewer.db, meeting.id);
  const lastPublished = minutes ? await latestPublishedVersion(viewer.db, minutes.id) : null;
  let shown: StoredVersion | null = null;
  let showingPublished = false;
  if (minutes && (canRun || minutes.status !== "draft")) {
    shown = await storedVersion(viewer.db, minutes.id, { version: minutes.version });
  } else if (minutes && lastPublished !== null) {
    shown = await storedVersion(viewer.db, minutes.id, { version: lastPublished });
    showingPublished = shown !== null;
  }

  const visibleComments = minutes && (canRun || minutes.status !== "draft");
  const comments = visibleComments
    ? await viewer.db
        .selectFrom("minute_comments as c")
        .leftJoin("users as a", "a.id", "c.author_id")
        .leftJoin("users as r", "r.id", "c.resolved_by")
        .select([
          "c.id",
          "c.agenda_item_id",
          "a.name as author",
          "c.body",
          "c.created_at",
          "c.resolved_at",
          "r.name as resolved_by",
        ])
        .where("c.minutes_id", "=", minutes.id)
        .orderBy("c.created_at")
        .orderBy("c.id")
        .execute()
    : [];

  const candidates =
    canRun && minutes?.status === "circulated" ? await approvalMeetings(viewer.db, meeting, now) : [];
  const { snapshot, ...info } = shown ?? { snapshot: null };
  return {
    meeting,
    minutes,
    writable: writability(meeting, now),
    document: snapshot ? minutesDocument(snapshot, { public: false }) : null,
    shown: shown ? (info as VersionInfo) : null,
    showingPublished,
    comments: comments.map((c) => ({
      id: Number(c.id),
      itemId: c.agenda_item_id === null ? null : Number(c.agenda_item_id),
      author: c.author ?? "A former user",
      body: c.body,
      createdAt: new Date(c.created_at),
      resolvedAt: c.resolved_at,
      resolvedBy: c.resolved_by,
    })),
    openComments: comments.filter((c) => c.resolved_at === null).length,
    canRun,
    canComment: minutes?.status === "circulated" && can.commentOnMinutes(viewer, meeting.boardId),
    approvalMeetings: candidates.map((c) => ({ value: String(c.id), label: formatDateTime(c.startsAt) })),
    publicPath:
      lastPublished !== null && meeting.boardVisibility === "public"
        ? `/public/${viewer.workspace.slug}/boards/${meeting.boardSlug}/minutes/${meeting.id}`
        : null,
  };
}

/** A one-line summary of the minutes of a meeting, for the meeting and board pages. */
export async function minutesStatusOf(
  viewer: Viewer,
  meetingId: number,
): Promise<{ status: MinutesStatus; version: number } | null> {
  const row = await viewer.db
    .selectFrom("minutes")
    .select(["status", "version"])
    .where("meeting_id", "=", meetingId)
    .executeTakeFirst();
  return row ? { status: row.status, version: row.version } : null;
}

// ── History and differences ────────────────────────────────────────────────────────────

export const VERSION_TABLE: TableStateOptions<"version"> = {
  sortable: ["version"],
  defaultSort: "version",
  firstDirection: { version: "desc" },
  defaultPageSize: 25,
};

export interface MinutesHistory {
  meeting: MinutesMeeting;
  minutes: MinutesRecord | null;
  versions: VersionInfo[];
  total: number;
}

/** Every version of the minutes, newest first by default: those who run the board only. */
export async function listVersions(
  viewer: Viewer,
  meetingId: number,
  state: TableState<"version">,
): Promise<MinutesHistory> {
  const meeting = await runnableMeeting(viewer, meetingId);
  const minutes = await findMinutes(viewer.db, meeting.id);
  if (!minutes) return { meeting, minutes, versions: [], total: 0 };
  const rows = await viewer.db
    .selectFrom("minute_versions as v")
    .leftJoin("users as u", "u.id", "v.created_by")
    .select(["v.version", "v.status", "v.created_at", "u.name as saved_by", "v.note"])
    .where("v.minutes_id", "=", minutes.id)
    .orderBy("v.version", state.dir)
    .limit(state.pageSize)
    .offset(offsetOf(state))
    .execute();
  const total = await viewer.db
    .selectFrom("minute_versions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("minutes_id", "=", minutes.id)
    .executeTakeFirstOrThrow();
  return {
    meeting,
    minutes,
    versions: rows.map((r) => ({
      version: r.version,
      status: r.status,
      savedAt: new Date(r.created_at),
      savedBy: r.saved_by,
      note: r.note,
    })),
    total: Number(total.n),
  };
}

export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface DiffSection {
  title: string;
  change: "added" | "removed" | "changed";
  parts: DiffPart[];
}

export interface VersionDiff {
  from: VersionInfo;
  to: VersionInfo;
  sections: DiffSection[];
  unchanged: number;
}

function attendanceText(snapshot: MinutesSnapshot): string {
  const { present, apologies, absent } = snapshot.attendance;
  const names = (people: { name: string; agency: string }[]) =>
    people.length ? people.map((p) => `${p.name} (${p.agency})`).join(", ") : "None";
  return [
    `Present: ${present.length ? present.map((p) => `${p.name} (${p.agency}${p.deputyFor ? `, for ${p.deputyFor}` : ""})`).join(", ") : "None"}`,
    `Apologies: ${names(apologies)}`,
    `Absent: ${names(absent)}`,
  ].join("\n");
}

function declarationLines(declarations: MinutesSnapshot["declarations"]): string[] {
  return declarations.map((d) => `• ${d.name} (${d.agency}): ${d.text}`);
}

function itemText(item: SnapshotItem): string {
  const lines = [`${CLASSIFICATION_LABELS[item.classification]}`];
  if (item.declarations.length)
    lines.push("", "Declarations of interest:", ...declarationLines(item.declarations));
  lines.push("", item.discussion.trim() || "(No minutes)");
  if (item.decisions.length) lines.push("", "Decisions:", ...item.decisions.map((d) => `• ${d.text}`));
  if (item.actions.length)
    lines.push(
      "",
      "Actions:",
      ...item.actions.map(
        (a) =>
          `• ${a.title}: ${a.ownerAgency}${a.ownerPerson ? ` (${a.ownerPerson})` : ""}, due ${formatDate(a.dueDate)}`,
      ),
    );
  return lines.join("\n");
}

function approvalText(snapshot: MinutesSnapshot): string {
  const approval = snapshot.approval;
  if (!approval) return "Not approved";
  return approval.atMeeting
    ? `Approved at the meeting of ${formatDate(approval.atMeeting.startsAt)}`
    : `Approved by the chair on ${formatDate(approval.approvedAt)}`;
}

/** The word-by-word differences between two versions, section by section (unchanged ones counted). */
export function diffSnapshots(from: MinutesSnapshot, to: MinutesSnapshot): Omit<VersionDiff, "from" | "to"> {
  const sections: DiffSection[] = [];
  let unchanged = 0;
  const compare = (title: string, before: string | null, after: string | null) => {
    if (before === after) {
      unchanged++;
      return;
    }
    if (before === null)
      sections.push({ title, change: "added", parts: [{ value: after ?? "", added: true }] });
    else if (after === null)
      sections.push({ title, change: "removed", parts: [{ value: before, removed: true }] });
    else {
      const parts = diffWordsWithSpace(before, after).map((p) => ({
        value: p.value,
        ...(p.added ? { added: true } : {}),
        ...(p.removed ? { removed: true } : {}),
      }));
      sections.push({ title, change: "changed", parts });
    }
  };
  compare("Attendance", attendanceText(from), attendanceText(to));
  compare(
    "Declarations of interest",
    declarationLines(from.declarations).join("\n") || "None",
    declarationLines(to.declarations).join("\n") || "None",
  );
  const before = new Map(from.items.map((item) => [item.agendaItemId, item]));
  const after = new Map(to.items.map((item) => [item.agendaItemId, item]));
  for (const item of to.items) {
    const old = before.get(item.agendaItemId);
    compare(`${item.position + 1}. ${item.title}`, old ? itemText(old) : null, itemText(item));
  }
  for (const item of from.items) {
    if (!after.has(item.agendaItemId)) compare(`${item.position + 1}. ${item.title}`, itemText(item), null);
  }
  compare("Approval", approvalText(from), approvalText(to));
  return { sections, unchanged };
}

/** The differences between two versions of a meeting's minutes: those who run the board only. */
export async function versionDiff(
  viewer: Viewer,
  meetingId: number,
  fromVersion: number,
  toVersion: number,
): Promise<VersionDiff | null> {
  const meeting = await runnableMeeting(viewer, meetingId);
  const minutes = await findMinutes(viewer.db, meeting.id);
  if (!minutes) return null;
  const from = await storedVersion(viewer.db, minutes.id, { version: fromVersion });
  const to = await storedVersion(viewer.db, minutes.id, { version: toVersion });
  if (!from || !to) return null;
  const { snapshot: a, ...fromInfo } = from;
  const { snapshot: b, ...toInfo } = to;
  return { from: fromInfo, to: toInfo, ...diffSnapshots(a, b) };
}
