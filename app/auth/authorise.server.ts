import { recordAudit } from "../audit/audit.server";
import { currentRequestContext } from "../request-context.server";
import type { Viewer, ViewerState } from "./viewer.server";

/*
 * The one authorisation module (DESIGN.md, "Who may do what"). Every loader, action and
 * API handler asks these questions; no page does its own check. What a viewer may not see
 * answers 404 (notFound), so the existence of a record is never revealed.
 */

export const can = {
  /** Admins and leaders read every board; secretaries and members read their own. */
  readBoard(viewer: Viewer, boardId: number): boolean {
    const r = viewer.roles;
    return r.admin || r.leader || r.secretaryOf.has(boardId) || r.memberOf.has(boardId);
  },
  /** Run a board: meetings, agendas, register, minutes, actions, plan. */
  runBoard(viewer: Viewer, boardId: number): boolean {
    return viewer.roles.admin || viewer.roles.secretaryOf.has(boardId);
  },
  /** OFFICIAL-SENSITIVE text: members, secretaries, leaders and admins of that board. */
  readSensitive(viewer: Viewer, boardId: number): boolean {
    return can.readBoard(viewer, boardId);
  },
  /** Comment on circulated draft minutes. */
  commentOnMinutes(viewer: Viewer, boardId: number): boolean {
    return can.runBoard(viewer, boardId) || viewer.roles.memberOf.has(boardId);
  },
  /** Salaries, rate cards and per-attendee costs. */
  seeSalaries(viewer: Viewer): boolean {
    return viewer.roles.admin || viewer.roles.leader;
  },
  /** Cost dashboards across the workspace. */
  readDashboards(viewer: Viewer): boolean {
    return viewer.roles.admin || viewer.roles.leader;
  },
  /** Agencies, rate cards, people, users, settings, audit trail. */
  administer(viewer: Viewer): boolean {
    return viewer.roles.admin;
  },
  /** Read the actions an agency owns (partners: their agency, on any board). */
  readAgencyActions(viewer: Viewer, agencyId: number): boolean {
    const r = viewer.roles;
    return r.admin || r.leader || r.partnerFor.has(agencyId) || viewer.agencyId === agencyId;
  },
  /**
   * Read an action: everyone who reads its board, and everyone who reads the actions of its
   * lead agency or of one of its supporting agencies. (Its OFFICIAL-SENSITIVE text needs
   * `readSensitive` on its board as well.) `actionScope` is the same rule for lists.
   */
  readAction(
    viewer: Viewer,
    action: { board_id: number; owner_agency_id: number; supporting_agency_ids: readonly number[] },
  ): boolean {
    return (
      can.readBoard(viewer, action.board_id) ||
      can.readAgencyActions(viewer, action.owner_agency_id) ||
      action.supporting_agency_ids.some((agencyId) => can.readAgencyActions(viewer, agencyId))
    );
  },
  /** Update an action: the board's secretary, or the owning agency's partner or board member. */
  updateAction(viewer: Viewer, action: { board_id: number; owner_agency_id: number }): boolean {
    const r = viewer.roles;
    if (can.runBoard(viewer, action.board_id)) return true;
    if (r.partnerFor.has(action.owner_agency_id)) return true;
    return r.memberOf.has(action.board_id) && viewer.agencyId === action.owner_agency_id;
  },
};

/**
 * `can.readAction` as a list query applies it: every action of the workspace, or those on
 * `boardIds` (the boards the viewer reads, whose OFFICIAL-SENSITIVE text they may also
 * read) plus those that one of `agencyIds` leads or supports (the agencies whose actions
 * they read, on any board).
 */
export type ActionScope = { all: true } | { all: false; boardIds: number[]; agencyIds: number[] };

export function actionScope(viewer: Viewer): ActionScope {
  const r = viewer.roles;
  if (r.admin || r.leader) return { all: true };
  // The boards for which can.readBoard holds, and the agencies for which can.readAgencyActions does.
  const boardIds = [...new Set([...r.secretaryOf, ...r.memberOf])];
  const agencyIds = [...new Set([...r.partnerFor, ...(viewer.agencyId === null ? [] : [viewer.agencyId])])];
  return { all: false, boardIds, agencyIds };
}

/**
 * `can.readBoard` as a list query applies it: every board of the workspace (admins and
 * leaders), or the boards the viewer is secretary or member of (none for a partner).
 */
export type BoardScope = { all: true } | { all: false; boardIds: number[] };

export function boardScope(viewer: Viewer): BoardScope {
  const r = viewer.roles;
  if (r.admin || r.leader) return { all: true };
  return { all: false, boardIds: [...new Set([...r.secretaryOf, ...r.memberOf])] };
}

/**
 * Answers 404 from a loader or action: the record does not exist for this viewer.
 * A signed-in viewer's refusal is written to the audit trail ("access.refused": refused,
 * or asked for something that is not there; the answer is the same by design).
 */
export function notFound(): never {
  recordRefusal();
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

function recordRefusal(): void {
  const context = currentRequestContext();
  const pending = context?.viewerState?.state as Promise<ViewerState> | undefined;
  if (!context || !pending) return;
  const { pathname } = new URL(context.request.url);
  const method = context.request.method;
  // Not awaited: the 404 must not wait on, or fail with, the audit write.
  void pending
    .then((state) =>
      state.kind === "signed-in"
        ? recordAudit(
            state.viewer.db,
            { userId: state.viewer.user.id, label: state.viewer.user.email },
            {
              event: "access.refused",
              entityType: "route",
              entityId: pathname.slice(0, 500),
              changes: { method },
            },
          )
        : undefined,
    )
    .catch(() => {});
}

/** Throws 404 unless `allowed`. */
export function ensure(allowed: boolean): asserts allowed {
  if (!allowed) notFound();
}

/** The main navigation a viewer sees. */
export function navigationFor(viewer: Viewer): { href: string; label: string }[] {
  const r = viewer.roles;
  const items = [];
  if (r.admin || r.leader || r.secretaryOf.size > 0 || r.memberOf.size > 0)
    items.push({ href: "/boards", label: "Boards" });
  if (r.admin || r.leader || r.secretaryOf.size > 0 || r.memberOf.size > 0) {
    items.push({ href: "/meetings", label: "Meetings" });
  }
  items.push({ href: "/actions", label: "Actions" });
  if (r.admin || r.leader || r.secretaryOf.size > 0 || r.memberOf.size > 0) {
    items.push({ href: "/forward-plan", label: "Forward plan" });
  }
  if (can.readDashboards(viewer)) items.push({ href: "/dashboard", label: "Dashboard" });
  if (can.administer(viewer)) items.push({ href: "/admin", label: "Admin" });
  // Leaders read agencies and rate cards but change nothing.
  else if (can.seeSalaries(viewer)) items.push({ href: "/admin/agencies", label: "Rate cards" });
  return items;
}
