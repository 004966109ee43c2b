import { z } from "zod";
import type { Role } from "../../db/schema";
import { newPasswordSchema } from "./schemas";

// Form schemas for invitations and the admin users page, shared by the page and the action.

export const ROLES = ["admin", "leader", "secretary", "member", "partner"] as const satisfies readonly Role[];

export const ROLE_CHOICES: { value: Role; label: string; hint: string }[] = [
  {
    value: "admin",
    label: "Admin",
    hint: "Everything, including agencies, rate cards, users and the audit trail",
  },
  { value: "leader", label: "Leader", hint: "Reads every board and every dashboard, salaries included" },
  {
    value: "secretary",
    label: "Secretary of a board",
    hint: "Runs one board: meetings, agendas, register, minutes, actions, plan",
  },
  {
    value: "member",
    label: "Member of a board",
    hint: "Reads one board, comments on draft minutes, updates their agency's actions",
  },
  {
    value: "partner",
    label: "Partner for an agency",
    hint: "Reads and updates the actions one agency owns, on any board",
  },
];

const id = (message: string) =>
  z
    .number({ error: message })
    .int(message)
    .positive(message)
    .max(2 ** 53 - 1, message);

const roleFields = {
  role: z.enum(ROLES, { error: "Select a role" }),
  boardId: id("Select a board").optional(),
  agencyId: id("Select an agency").optional(),
};

/** A role with the board or agency it needs: secretary and member need a board, partner an agency. */
function requireScope(value: { role: Role; boardId?: number; agencyId?: number }, ctx: z.RefinementCtx) {
  if ((value.role === "secretary" || value.role === "member") && value.boardId === undefined) {
    ctx.addIssue({ code: "custom", path: ["boardId"], message: "Select the board for this role" });
  }
  if (value.role === "partner" && value.agencyId === undefined) {
    ctx.addIssue({ code: "custom", path: ["agencyId"], message: "Select the agency for this role" });
  }
}

export const inviteSchema = z
  .object({
    email: z
      .string({ error: "Enter the email address of the person to invite" })
      .trim()
      .toLowerCase()
      .max(320, "Enter an email address of 320 characters or fewer")
      .email("Enter an email address in the correct format, like name@example.org"),
    ...roleFields,
  })
  .superRefine(requireScope);
export type InviteValues = z.infer<typeof inviteSchema>;

export const acceptInvitationSchema = newPasswordSchema.extend({
  name: z
    .string({ error: "Enter your full name" })
    .trim()
    .min(1, "Enter your full name")
    .max(200, "Enter a name of 200 characters or fewer"),
});

export const grantRoleSchema = z
  .object({
    intent: z.literal("grant"),
    userId: id("Choose a user"),
    ...roleFields,
  })
  .superRefine(requireScope);
export type GrantRoleValues = z.infer<typeof grantRoleSchema>;

export const userIntentSchema = z.object({
  intent: z.enum(["disable", "enable", "end-sessions"]),
  userId: id("Choose a user"),
});

export const revokeRoleSchema = z.object({
  intent: z.literal("revoke"),
  userId: id("Choose a user"),
  grantId: id("Choose a role"),
});

export const USER_SORTS = ["name", "email", "last-sign-in", "status"] as const;
export type UserSort = (typeof USER_SORTS)[number];
