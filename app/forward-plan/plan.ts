/* The forward plan's periods, shared by the page and the server (no server code here). */

export const PLAN_MONTHS = [3, 6, 12] as const;
export type PlanMonths = (typeof PLAN_MONTHS)[number];
export const DEFAULT_PLAN_MONTHS: PlanMonths = 6;
export const RESTRICTED_TITLE = "Restricted item";
