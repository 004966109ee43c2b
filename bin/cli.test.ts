import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "./cli";

/* The operator CLI refuses bad arguments with a clear message and a non-zero exit, before touching a database. */

afterEach(() => vi.restoreAllMocks());

function captureOutput() {
  const errors: string[] = [];
  const logs: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.join(" ")));
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logs.push(args.join(" ")));
  return { errors, logs };
}

describe("npm run cli", () => {
  // None of these may open a database: a mistyped command must not create ./data.
  it("lists its commands for help", async () => {
    const { logs } = captureOutput();
    expect(await main(["help"])).toBe(0);
    const text = logs.join("\n");
    for (const command of [
      "migrate",
      "seed-demo",
      "generate",
      "create-user",
      "create-workspace",
      "create-token",
      "boot",
    ]) {
      expect(text).toContain(command);
    }
  });

  it("refuses an unknown command with exit code 2", async () => {
    const { errors } = captureOutput();
    expect(await main(["migrat"])).toBe(2);
    expect(errors.join("\n")).toContain('Unknown command "migrat"');
  });

  it("refuses an unknown option with the command's usage", async () => {
    const { errors } = captureOutput();
    expect(await main(["generate", "--meeting", "5"])).toBe(2);
    expect(errors.join("\n")).toMatch(
      /Unknown option '--meeting'[\s\S]*Usage: npm run cli -- generate --meetings N/,
    );
  });

  it("refuses a meeting count that is not a positive whole number", async () => {
    for (const bad of ["0", "ten", "1.5", "=-5"]) {
      const { errors } = captureOutput();
      const code = await main(
        bad.startsWith("=") ? ["generate", `--meetings${bad}`] : ["generate", "--meetings", bad],
      );
      expect(code).toBe(2);
      expect(errors.join("\n")).toContain("--meetings needs a whole number of 1 or more.");
      vi.restoreAllMocks();
    }
  });

  it("refuses create-token without an email, with a scope other than read or write, or a bad expiry", async () => {
    const cases: [string[], RegExp][] = [
      [["create-token", "--scope", "read"], /--email: is required/],
      [["create-token", "--email", "a@b.test", "--scope", "admin"], /--scope: must be one of read, write/],
      [
        ["create-token", "--email", "a@b.test", "--scope", "write", "--expires-days", "400"],
        /--expires-days: must be a whole number from 1 to 366/,
      ],
      [
        ["create-token", "--email", "a@b.test", "--scope", "read", "--expires-days", "soon"],
        /--expires-days/,
      ],
    ];
    for (const [args, message] of cases) {
      const { errors } = captureOutput();
      expect(await main(args)).toBe(2);
      expect(errors.join("\n")).toMatch(message);
      expect(errors.join("\n")).toContain(
        "Usage: npm run cli -- create-token --email EMAIL --scope read|write",
      );
      vi.restoreAllMocks();
    }
  });
});
