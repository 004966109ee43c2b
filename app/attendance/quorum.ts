import type { AttendanceStatus } from "../../db/schema";

/*
 * Quorum (DESIGN.md, "Board"): the number of member agencies that must be present. An
 * agency is present when one of its members attended, or sent a deputy (who counts for the
 * agency of the member they stand in for). Non-members and those who sent apologies, were
 * absent or are only invited count for nothing.
 */

export interface QuorumRow {
  status: AttendanceStatus;
  /** The agency the person represents on this board, or null if they are not a member. */
  memberAgencyId: number | null;
}

export interface Quorum {
  /** Distinct member agencies present. */
  present: number;
  needed: number;
  quorate: boolean;
}

export function quorum(rows: readonly QuorumRow[], needed: number): Quorum {
  const agencies = new Set<number>();
  for (const row of rows) {
    if (row.memberAgencyId === null) continue;
    if (row.status === "attended" || row.status === "deputy") agencies.add(row.memberAgencyId);
  }
  return { present: agencies.size, needed, quorate: agencies.size >= needed };
}

/** "Quorate: 5 of 4 agencies needed" / "Not quorate: 2 of 4 agencies needed". */
export function quorumSummary(q: Quorum): string {
  const counts = `${q.present} of ${q.needed} ${q.needed === 1 ? "agency" : "agencies"} needed`;
  return q.quorate ? `Quorate: ${counts}` : `Not quorate: ${counts}`;
}
