import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import type { AuditActor } from "../audit/audit.server";
import { recordAudit } from "../audit/audit.server";
import { can } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import { CANCELLED_MESSAGE, PAPER_KINDS as KINDS, MAX_PAPER_BYTES, type Magic } from "./schemas";

/*
 * Papers: files attached to agenda items, kept in the papers table. A file is accepted only
 * when its name, its declared type and its first bytes agree on one of the kinds below; it
 * is served back only as an attachment, to those who may read its agenda item.
 */

const WRONG_TYPE =
  "The selected file must be a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument, plain text or CSV file";
export const TOO_BIG = "The selected file must be 10 MB or smaller";
const EMPTY = "The selected file is empty";

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot < 0 ? "" : filename.slice(dot + 1).toLowerCase();
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function magicMatches(magic: Magic, bytes: Uint8Array): boolean {
  if (magic === "pdf") return startsWith(bytes, [0x25, 0x50, 0x44, 0x46]); // %PDF
  if (magic === "zip") return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]); // PK\x03\x04
  // Plain text or CSV: UTF-8, no NUL bytes, and not a PDF or a ZIP in disguise.
  if (bytes.includes(0)) return false;
  if (magicMatches("pdf", bytes) || magicMatches("zip", bytes)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export type CheckedPaper =
  | { ok: true; filename: string; contentType: string; content: Uint8Array }
  | { ok: false; message: string };

/** Checks a file's size, name, declared type and first bytes; the message goes beside the field. */
export async function checkPaper(file: File): Promise<CheckedPaper> {
  if (file.size === 0) return { ok: false, message: EMPTY };
  if (file.size > MAX_PAPER_BYTES) return { ok: false, message: TOO_BIG };
  const filename = safeFilename(file.name);
  const kind = KINDS.find((k) => k.extensions.includes(extensionOf(filename)));
  const declared = file.type.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!kind || (declared !== kind.contentType && !kind.alsoDeclaredAs?.includes(declared))) {
    return { ok: false, message: WRONG_TYPE };
  }
  const content = new Uint8Array(await file.arrayBuffer());
  if (!magicMatches(kind.magic, content)) {
    return {
      ok: false,
      message: `The selected file is not ${kind.label}, although its name says it is`,
    };
  }
  return { ok: true, filename, contentType: kind.contentType, content };
}

/** A file name safe to store and to send back: no path, no control or quoting characters. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}"*:<>?|;]/gu, "_")
    .replace(/^[.\s]+/, "")
    .trim();
  if (cleaned.length === 0) return "paper";
  if (cleaned.length <= 200) return cleaned;
  const ext = extensionOf(cleaned);
  return `${cleaned.slice(0, 190)}${ext ? `.${ext}` : ""}`;
}

/** The Content-Disposition of a download: an ASCII name, and the exact name for browsers that read it. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function addPaper(
  db: WorkspaceDb,
  actor: AuditActor,
  meetingId: number,
  itemId: number,
  paper: { filename: string; contentType: string; content: Uint8Array },
): Promise<{ ok: true; id: number } | { ok: false; message: string }> {
  return inTransaction(db, async (trx) => {
    const meeting = await lockedMeeting(trx, meetingId);
    if (meeting?.status !== "scheduled" && meeting?.status !== "held")
      return { ok: false, message: CANCELLED_MESSAGE };
    const row = await trx
      .insertInto("papers")
      .values({
        workspace_id: workspaceIdOf(trx),
        agenda_item_id: itemId,
        filename: paper.filename,
        content_type: paper.contentType,
        size_bytes: paper.content.byteLength,
        content: paper.content,
        uploaded_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      event: "paper.uploaded",
      entityType: "paper",
      entityId: row.id,
      changes: {
        agenda_item_id: itemId,
        content_type: paper.contentType,
        size_bytes: paper.content.byteLength,
      },
    });
    return { ok: true, id: row.id };
  });
}

/** Removes a paper of this item; false if there is no such paper. */
export async function removePaper(
  db: WorkspaceDb,
  actor: AuditActor,
  meetingId: number,
  itemId: number,
  paperId: number,
): Promise<{ ok: true } | { ok: false; message?: string }> {
  return inTransaction(db, async (trx) => {
    const meeting = await lockedMeeting(trx, meetingId);
    if (meeting?.status !== "scheduled" && meeting?.status !== "held")
      return { ok: false, message: CANCELLED_MESSAGE };
    const removed = await trx
      .deleteFrom("papers")
      .where("id", "=", paperId)
      .where("agenda_item_id", "=", itemId)
      .returning("id")
      .executeTakeFirst();
    if (!removed) return { ok: false };
    await recordAudit(trx, actor, {
      event: "paper.removed",
      entityType: "paper",
      entityId: paperId,
      changes: { agenda_item_id: itemId },
    });
    return { ok: true };
  });
}

function lockedMeeting(trx: WorkspaceDb, meetingId: number) {
  return trx
    .selectFrom("meetings")
    .select("status")
    .where("id", "=", meetingId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * A paper with its content, if the viewer may read it: a reader of its board, and for an
 * OFFICIAL-SENSITIVE item one who may read sensitive text. Otherwise undefined (answer 404).
 */
export async function paperForViewer(viewer: Viewer, paperId: number) {
  const paper = await viewer.db
    .selectFrom("papers")
    .innerJoin("agenda_items", "agenda_items.id", "papers.agenda_item_id")
    .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
    .select([
      "papers.id",
      "papers.filename",
      "papers.content_type",
      "papers.size_bytes",
      "papers.content",
      "agenda_items.classification",
      "meetings.board_id",
    ])
    .where("papers.id", "=", paperId)
    .executeTakeFirst();
  if (!paper || !can.readBoard(viewer, paper.board_id)) return undefined;
  if (paper.classification === "official_sensitive" && !can.readSensitive(viewer, paper.board_id)) {
    return undefined;
  }
  return paper;
}
