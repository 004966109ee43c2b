import type { ActionStatus } from "../../db/schema";
import type { TagColour } from "../components/tag";
import type { ActionRag } from "./rag";

/*
 * The words and tag colours people see for an action's status and RAG, in one place for
 * the pages and the CSV export. A status and the RAG it leads to share a colour (done and
 * complete are both teal), and every tag carries its word, never colour alone.
 */

export const ACTION_STATUSES = [
  "open",
  "in_progress",
  "done",
  "dropped",
] as const satisfies readonly ActionStatus[];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  open: "Not started",
  in_progress: "In progress",
  done: "Done",
  dropped: "Dropped",
};

export const ACTION_STATUS_COLOURS: Record<ActionStatus, TagColour> = {
  open: "grey",
  in_progress: "blue",
  done: "teal",
  dropped: "purple",
};

export const RAG_LABELS: Record<ActionRag, string> = {
  red: "Red",
  amber: "Amber",
  green: "Green",
  complete: "Complete",
  dropped: "Dropped",
};

/** What each RAG means, for the key under the table and the filter's hints. */
export const RAG_MEANINGS: Record<ActionRag, string> = {
  red: "past its due date",
  amber: "not started and due within 14 days",
  green: "on track",
  complete: "done",
  dropped: "dropped",
};

export const RAG_COLOURS: Record<ActionRag, TagColour> = {
  red: "red",
  amber: "orange",
  green: "green",
  complete: "teal",
  dropped: "purple",
};

/** An action's reference, as people quote it: "ACT-42". */
export function actionRef(id: number): string {
  return `ACT-${id}`;
}

/** Closing statuses: they need an outcome and set the completion time. */
export function isClosed(status: ActionStatus): status is "done" | "dropped" {
  return status === "done" || status === "dropped";
}
