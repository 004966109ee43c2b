import { z } from "zod";

/*
 * Personal access tokens for the JSON API (/api/v1): what the account page's form and the
 * operator CLI accept. Shared by both, so they refuse the same things.
 */

export const API_TOKEN_SCOPES = ["read", "write"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const API_TOKEN_SCOPE_LABELS: Record<ApiTokenScope, string> = {
  read: "Read only",
  write: "Read and write",
};

/** Every token expires: at most a year and a day, so a forgotten integration stops by itself. */
export const MAX_TOKEN_DAYS = 366;
export const DEFAULT_TOKEN_DAYS = 90;
export const TOKEN_DAY_CHOICES = [7, 30, 90, 180, 366] as const;

export const apiTokenSchema = z.object({
  name: z
    .string({ error: "Enter a name for the token, such as the system that will use it" })
    .trim()
    .min(1, "Enter a name for the token, such as the system that will use it")
    .max(100, "Enter a name of 100 characters or fewer"),
  scope: z.enum(API_TOKEN_SCOPES, { error: "Select what the token may do" }),
  expiresInDays: z
    .number({ error: "Select when the token expires" })
    .int("Select when the token expires")
    .min(1, "Select when the token expires")
    .max(MAX_TOKEN_DAYS, `A token can last ${MAX_TOKEN_DAYS} days at most`),
});
export type ApiTokenInput = z.output<typeof apiTokenSchema>;

export const revokeApiTokenSchema = z.object({
  tokenId: z.number({ error: "Select a token" }).int().positive(),
});
