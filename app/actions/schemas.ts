import { z } from "zod";
import { isIsoDate } from "../audit/date-range";
import { ACTION_STATUSES } from "./labels";
import { ACTION_RAGS } from "./rag";

/*
 * Schemas shared by the action pages' forms and their loaders and actions: the action log's
 * filter (a GET form, so the URL keeps it) and a progress update.
 */

const MAX_ID = 2 ** 53 - 1;

const id = (message: string) =>
  z.number({ error: message }).int(message).positive(message).max(MAX_ID, message).optional();

const isoDate = (message: string) => z.string().trim().refine(isIsoDate, message).optional();

export const actionFilterSchema = z
  .object({
    q: z.string().trim().max(200, "Enter 200 characters or fewer to search for").optional(),
    board: id("Select a board from the list"),
    agency: id("Select an agency from the list"),
    /** A person's id, or "me" for the viewer's own actions. */
    owner: z
      .string()
      .trim()
      .regex(/^(me|[1-9]\d{0,14})$/, "Select an owner from the list")
      .optional(),
    status: z.array(z.enum(ACTION_STATUSES, { error: "Select a status from the list" })).optional(),
    rag: z.array(z.enum(ACTION_RAGS, { error: "Select a RAG status from the list" })).optional(),
    dueFrom: isoDate("Enter a real date for ‘due from’, like 2027-03-03"),
    dueTo: isoDate("Enter a real date for ‘due to’, like 2027-03-31"),
  })
  .superRefine((value, ctx) => {
    if (value.dueFrom && value.dueTo && value.dueTo < value.dueFrom) {
      ctx.addIssue({
        code: "custom",
        path: ["dueTo"],
        message: "‘Due to’ must be the same as or after ‘due from’",
      });
    }
  });
export type ActionFilterInput = z.infer<typeof actionFilterSchema>;

/** The filter's fields, in the order the query string and the export link carry them. */
export const ACTION_FILTER_FIELDS = [
  "q",
  "board",
  "agency",
  "owner",
  "status",
  "rag",
  "dueFrom",
  "dueTo",
] as const;

export const MAX_UPDATE_LENGTH = 10_000;
export const MAX_OUTCOME_LENGTH = 2_000;

export const actionUpdateSchema = z.object({
  body: z
    .string({ error: "Enter a progress update" })
    .trim()
    .min(1, "Enter a progress update")
    .max(MAX_UPDATE_LENGTH, "Enter a progress update of 10,000 characters or fewer"),
  status: z.enum(ACTION_STATUSES, { error: "Select the action’s status" }),
  outcome: z
    .string()
    .trim()
    .max(MAX_OUTCOME_LENGTH, "Enter an outcome of 2,000 characters or fewer")
    .optional(),
  /** The version of the action the form was opened on (optimistic concurrency). */
  version: z
    .number({ error: "Reload the page and try again" })
    .int("Reload the page and try again")
    .positive("Reload the page and try again"),
});
export type ActionUpdateInput = z.infer<typeof actionUpdateSchema>;
