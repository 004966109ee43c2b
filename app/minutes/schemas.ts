import { z } from "zod";
import type { MinutesStatus } from "../../db/schema";
import { parseIsoDate } from "../admin/schemas";
import type { TagColour } from "../components/tag";

/*
 * Form schemas for writing minutes and moving them through their lifecycle, shared by the
 * pages (constraints) and the actions (validation). Every form carries the version of the
 * minutes it was opened on, so a change made meanwhile by someone else is never overwritten.
 */

export const MINUTES_STATUS_LABELS: Record<MinutesStatus, string> = {
  draft: "Draft",
  circulated: "Circulated for comment",
  approved: "Approved",
  published: "Published",
};

export const MINUTES_STATUS_COLOURS: Record<MinutesStatus, TagColour> = {
  draft: "grey",
  circulated: "yellow",
  approved: "blue",
  published: "green",
};

export const MAX_DISCUSSION = 100_000;
export const MAX_DECISION = 5_000;
export const MAX_ACTION_TITLE = 500;
export const MAX_COMMENT = 5_000;
export const MAX_REOPEN_REASON = 2_000;

export const STALE_MINUTES_MESSAGE =
  "Someone else saved these minutes after you opened them, so your changes have not been saved. Both versions are shown below: merge them, then save again.";
export const STALE_STATUS_MESSAGE =
  "These minutes have changed since you opened the page. Check them again before you carry on.";
export const LOCKED_MESSAGE =
  "These minutes have been approved, so they cannot be changed. Re-open them first if they need correcting.";

const version = z
  .number({ error: "Reload the page and try again" })
  .int("Reload the page and try again")
  .min(0, "Reload the page and try again");

const id = z.number().int().positive();

const dueDate = z
  .string()
  .trim()
  .max(20, "Enter a real due date, like 3 March 2027")
  .transform((text, ctx) => {
    const date = parseIsoDate(text);
    if (!date) {
      ctx.addIssue({ code: "custom", message: "Enter a real due date, like 3 March 2027" });
      return z.NEVER;
    }
    return date;
  });

const actionFields = {
  title: z.string().trim().max(MAX_ACTION_TITLE, "Enter an action of 500 characters or fewer").optional(),
  ownerAgency: id.optional(),
  ownerPerson: id.optional(),
  dueDate: dueDate.optional(),
};

/** An action's fields: all or nothing (a blank new action is ignored). */
function checkAction(
  action: { title?: string; ownerAgency?: number; ownerPerson?: number; dueDate?: string },
  ctx: z.RefinementCtx,
): void {
  if (!action.title) ctx.addIssue({ code: "custom", path: ["title"], message: "Enter the action" });
  if (!action.ownerAgency)
    ctx.addIssue({
      code: "custom",
      path: ["ownerAgency"],
      message: "Select the agency that owns the action",
    });
  if (!action.dueDate) ctx.addIssue({ code: "custom", path: ["dueDate"], message: "Enter the due date" });
}

const existingAction = z
  .object({ id, ...actionFields, remove: z.literal("on").optional() })
  .superRefine((action, ctx) => {
    if (!action.remove) checkAction(action, ctx);
  });

const newAction = z.object(actionFields).superRefine((action, ctx) => {
  const started = Boolean(action.title || action.ownerAgency || action.ownerPerson || action.dueDate);
  if (started) checkAction(action, ctx);
});

export const minutesItemSchema = z.object({
  id,
  discussion: z
    .string()
    .max(MAX_DISCUSSION, "Enter minutes of 100,000 characters or fewer for this item")
    .optional(),
  /** An existing decision; clearing its text removes it. */
  decisions: z
    .array(
      z.object({
        id,
        text: z.string().trim().max(MAX_DECISION, "Enter a decision of 5,000 characters or fewer").optional(),
      }),
    )
    .optional(),
  newDecision: z
    .string()
    .trim()
    .max(MAX_DECISION, "Enter a decision of 5,000 characters or fewer")
    .optional(),
  actions: z.array(existingAction).optional(),
  newAction: newAction.optional(),
});

export const minutesSchema = z.object({
  intent: z.enum(["save", "autosave"]).default("save"),
  version,
  items: z.array(minutesItemSchema).optional(),
});
export type MinutesInput = z.output<typeof minutesSchema>;
export type MinutesItemInput = z.output<typeof minutesItemSchema>;

export const commentSchema = z.object({
  intent: z.literal("comment"),
  item: id.optional(),
  body: z
    .string({ error: "Enter your comment" })
    .trim()
    .min(1, "Enter your comment")
    .max(MAX_COMMENT, "Enter a comment of 5,000 characters or fewer"),
});

export const resolveSchema = z.object({ intent: z.literal("resolve"), comment: id });

export const circulateSchema = z.object({ intent: z.literal("circulate"), version });
export const publishSchema = z.object({ intent: z.literal("publish"), version });

export const approveSchema = z
  .object({
    intent: z.literal("approve"),
    version,
    approvedBy: z.enum(["meeting", "chair"], { error: "Select how the minutes were approved" }),
    approvedAtMeeting: id.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.approvedBy === "meeting" && !value.approvedAtMeeting) {
      ctx.addIssue({
        code: "custom",
        path: ["approvedAtMeeting"],
        message: "Select the meeting that approved the minutes",
      });
    }
  });

export const reopenSchema = z.object({
  intent: z.literal("reopen"),
  version,
  reason: z
    .string({ error: "Enter why the minutes are being re-opened" })
    .trim()
    .min(1, "Enter why the minutes are being re-opened")
    .max(MAX_REOPEN_REASON, "Enter a reason of 2,000 characters or fewer"),
});

export type LifecycleChange =
  | z.output<typeof circulateSchema>
  | z.output<typeof publishSchema>
  | z.output<typeof approveSchema>
  | z.output<typeof reopenSchema>;
