import { formatPence } from "~/format";

/*
 * Words for the cost rollups, the dashboard and the scenarios: client-safe (pages and
 * their forms load it; the .server modules hold the queries).
 */

export const SCENARIO_KINDS = ["quarterly", "one_per_agency", "virtual"] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export const SCENARIO_LABELS: Record<ScenarioKind, string> = {
  quarterly: "Met quarterly instead",
  one_per_agency: "Sent one person per agency",
  virtual: "Met virtually",
};

export const SCENARIO_EXPLANATIONS: Record<ScenarioKind, string> = {
  quarterly: "Four meetings a year at the average cost of one of its recent meetings.",
  one_per_agency: "Each agency sends only its most costly attendee (the senior person who would still come).",
  virtual: "Everyone joins remotely: no travel time, no mileage, no venue or catering.",
};

/** "62%" (whole per cent), or "None" with nothing to divide by. */
export function formatShare(share: number | null): string {
  return share === null ? "None" : `${Math.round(share * 100)}%`;
}

/** Person-minutes as whole hours, for burden figures: 74,400 minutes → "1,240 hours". */
export function formatHours(minutes: number): string {
  const hours = Math.round(minutes / 60);
  return `${hours.toLocaleString("en-GB")} ${hours === 1 ? "hour" : "hours"}`;
}

/** An amount that may have nothing behind it (cost per outcome with no outcomes): "None". */
export function formatPenceOrNone(pence: number | null): string {
  return pence === null ? "None" : formatPence(pence);
}
