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
    for (const command of ["migrate", "seed-demo", "generate", "create-user", "create-workspace", "boot"]) {
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
});
