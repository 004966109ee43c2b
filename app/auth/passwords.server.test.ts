import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.server";

describe("new passwords", () => {
  it("refuses short, overlong and common passwords, with no composition rules", () => {
    expect(passwordProblem("short")).toMatch(/at least 8 characters/);
    expect(passwordProblem("x".repeat(257))).toMatch(/256 characters or fewer/);
    expect(passwordProblem("password123")).toMatch(/most common/);
    expect(passwordProblem("Password123")).toMatch(/most common/);
    expect(passwordProblem("iloveyou")).toMatch(/most common/);
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("alllowercaseletters")).toBeNull();
  });

  it("refuses a password built from the email address", () => {
    expect(passwordProblem("jsmith-secret-99", { email: "jsmith@example.org" })).toMatch(/email/);
  });
});

describe("password hashes", () => {
  it("are argon2id and verify only the right password", async () => {
    const stored = await hashPassword("a long enough passphrase");
    expect(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    expect(await verifyPassword(stored, "a long enough passphrase")).toBe(true);
    expect(await verifyPassword(stored, "a long enough passphrasE")).toBe(false);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });
});
