import type { Viewer } from "./viewer.server";

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
  /** Update an action: the board's secretary, or the owning agency's partner or board member. */
  updateAction(viewer: Viewer, action: { board_id: number; owner_agency_id: number }): boolean {
    const r = viewer.roles;
    if (can.runBoard(viewer, action.board_id)) return true;
    if (r.partnerFor.has(action.owner_agency_id)) return true;
    return r.memberOf.has(action.board_id) && viewer.agencyId === action.owner_agency_id;
  },
};

/** Answers 404 from a loader or action: the record does not exist for this viewer. */
export function notFound(): never {
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
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
  items.push({ href: "/actions", label: "Actions" });
  // The leaders' dashboard joins the navigation when it is built (issue 7).
  if (can.administer(viewer)) items.push({ href: "/admin", label: "Admin" });
  // Leaders read agencies and rate cards but change nothing.
  else if (can.seeSalaries(viewer)) items.push({ href: "/admin/agencies", label: "Rate cards" });
  return items;
}
