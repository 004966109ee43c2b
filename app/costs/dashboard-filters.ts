import type { BoardType } from "../../db/schema";
import { BOARD_TYPES } from "../boards/schemas";
import { londonDate } from "../format";
import { type Period, parsePeriod } from "./periods";

/*
 * The dashboard's filters in the URL (?from=&to=&scope=), shared by the page, its CSV
 * exports and the API: scope is "workspace", "type:<board type>" or "agency:<id>".
 * Client-safe.
 */

export type DashboardScope =
  | { kind: "workspace" }
  | { kind: "board_type"; boardType: BoardType }
  | { kind: "agency"; agencyId: number };

export function scopeValue(scope: DashboardScope): string {
  switch (scope.kind) {
    case "workspace":
      return "workspace";
    case "board_type":
      return `type:${scope.boardType}`;
    case "agency":
      return `agency:${scope.agencyId}`;
  }
}

export function parseScope(value: string | null): DashboardScope | null {
  if (value === null || value === "" || value === "workspace") return { kind: "workspace" };
  const [kind, rest] = value.split(":", 2);
  if (kind === "type" && (BOARD_TYPES as readonly string[]).includes(rest ?? ""))
    return { kind: "board_type", boardType: rest as BoardType };
  if (kind === "agency" && /^\d{1,15}$/.test(rest ?? "")) return { kind: "agency", agencyId: Number(rest) };
  return null;
}

export interface DashboardFilters {
  period: Period;
  scope: DashboardScope;
}

export function parseDashboardFilters(
  params: URLSearchParams,
  today: string = londonDate(),
): { ok: true; filters: DashboardFilters } | { ok: false; errors: Record<string, string[]> } {
  const period = parsePeriod(params, today);
  const scope = parseScope(params.get("scope"));
  const errors: Record<string, string[]> = period.ok ? {} : { ...period.errors };
  if (scope === null) errors.scope = ["Choose the whole partnership, a type of board or an agency"];
  if (!period.ok || scope === null) return { ok: false, errors };
  return { ok: true, filters: { period: period.period, scope } };
}

/** The query string that gives these filters back (for links, exports and the API). */
export function dashboardQuery(filters: DashboardFilters): string {
  const q = new URLSearchParams({ from: filters.period.from, to: filters.period.to });
  if (filters.scope.kind !== "workspace") q.set("scope", scopeValue(filters.scope));
  return q.toString();
}

/** The meetings list's filters that select a scope's meetings, for links from its figures. */
export function scopeMeetingFilters(scope: DashboardScope): { type?: BoardType; agency?: number } {
  switch (scope.kind) {
    case "workspace":
      return {};
    case "board_type":
      return { type: scope.boardType };
    case "agency":
      return { agency: scope.agencyId };
  }
}
