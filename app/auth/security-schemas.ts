import { z } from "zod";

// Form schemas for passkeys and the workspace's sign-in policy, shared by pages and actions.

const passkeyName = z
  .string({ error: "Enter a name for this passkey" })
  .trim()
  .min(1, "Enter a name for this passkey")
  .max(60, "Enter a name of 60 characters or fewer");

/** The browser's answer to a passkey dialog, as JSON in a hidden field. */
const credential = z
  .string({ error: "Your browser did not send a passkey. Try again" })
  .max(32_768, "Your browser sent a passkey response that could not be read. Try again");

const ref = z
  .string({ error: "That passkey could not be found" })
  .max(1400, "That passkey could not be found");

export const addPasskeySchema = z.object({
  intent: z.literal("add"),
  name: passkeyName,
  credential,
});

export const renamePasskeySchema = z.object({
  intent: z.literal("rename"),
  ref,
  name: passkeyName,
});

export const removePasskeySchema = z.object({
  intent: z.literal("remove"),
  ref,
});

/** The second step of sign-in with a passkey, and setting one up there. */
export const usePasskeySchema = z.object({
  intent: z.literal("passkey"),
  credential,
  redirectTo: z.string().optional(),
});

export const enrolPasskeySchema = z.object({
  intent: z.literal("add-passkey"),
  name: passkeyName,
  credential,
  redirectTo: z.string().optional(),
});

export const securityPolicySchema = z.object({
  requireTwoFactor: z.boolean().default(false),
});
