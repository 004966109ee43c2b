/*
 * Dates for people are formatted in app/format.ts ("3 March 2027", "3 March 2027, 10:00am",
 * Europe/London). This module only re-exports them for pages that import from here;
 * import from "~/format" in new code.
 */
export { formatDate, formatDateTime } from "../format";
