import { z } from "zod";

// Form schemas shared by the page (constraints) and the action (validation).

export const emailField = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .max(320, "Enter an email address of 320 characters or fewer")
  .email("Enter an email address in the correct format, like name@example.org");

export const signInSchema = z.object({
  email: emailField,
  password: z
    .string({ error: "Enter your password" })
    .max(1024, "Enter a correct email address and password"),
  redirectTo: z.string().optional(),
});

export const twoFactorSchema = z.object({
  code: z
    .string({ error: "Enter the code from your authenticator app, or a recovery code" })
    .trim()
    .max(40, "Enter a correct code"),
  redirectTo: z.string().optional(),
});

export const newPasswordSchema = z.object({
  password: z
    .string({ error: "Enter a new password" })
    .max(1024, "Enter a password of 256 characters or fewer"),
  confirm: z.string({ error: "Enter the password again" }),
});

export const changePasswordSchema = newPasswordSchema.extend({
  current: z.string({ error: "Enter your current password" }).max(1024),
});

export const forgotPasswordSchema = z.object({ email: emailField });

/** Only same-site paths may be redirected to after sign-in (no open redirects). */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to?.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
