import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../tests/database";
import { claimDataDir, type DatabaseHandle } from "./client";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle.close());

// The same assertions run on PGlite and on PostgreSQL (CI runs the suite on both).
describe(`values from the database (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("are the same JavaScript types on either engine", async () => {
    const { rows } = await sql<{
      count: number;
      big: number;
      amount: number;
      day: string;
      at: Date;
    }>`select count(*) as count, 9007199254740991::bigint as big, 12.50::numeric(6,2) as amount,
          date '2027-03-03' as day, timestamptz '2026-03-29 00:30:00+00' as at`.execute(handle.db);
    const row = rows[0]!;
    expect(row.count).toBe(1);
    expect(row.big).toBe(Number.MAX_SAFE_INTEGER);
    expect(row.amount).toBe(12.5);
    expect(row.day).toBe("2027-03-03");
    expect(row.at).toBeInstanceOf(Date);
    expect(row.at.toISOString()).toBe("2026-03-29T00:30:00.000Z");
  });

  it("round-trips integer pence and generated ids as numbers", async () => {
    const ws = await handle.db
      .insertInto("workspaces")
      .values({ slug: "types", name: "Types" })
      .returning(["id", "review_cost_per_outcome_pence", "default_on_cost_pct"])
      .executeTakeFirstOrThrow();
    expect(typeof ws.id).toBe("number");
    expect(ws.review_cost_per_outcome_pence).toBe(75000);
    expect(ws.default_on_cost_pct).toBe(30);
  });
});

describe("text parameters", () => {
  it("lose any NUL character, which PostgreSQL cannot store, in builders and raw SQL alike", async () => {
    const ws = await handle.db
      .insertInto("workspaces")
      .values({ slug: "nul", name: "North\u0000 Shire" })
      .returning("name")
      .executeTakeFirstOrThrow();
    expect(ws.name).toBe("North Shire");
    const { rows } = await sql<{ said: string; list: string[] }>`
      select ${"a\u0000b"}::text as said, ${["c\u0000", "d"]}::text[] as list`.execute(handle.db);
    expect(rows[0]).toEqual({ said: "ab", list: ["c", "d"] });
  });
});

describe("the embedded database's directory", () => {
  it("refuses a second process while the first holds it, and takes over from one that has died", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "boardledger-lock-"));
    const other = spawn("sleep", ["30"]);
    try {
      writeFileSync(path.join(dir, "boardledger.lock"), String(other.pid));
      expect(() => claimDataDir(dir)).toThrow(`is open in another process (pid ${other.pid})`);
    } finally {
      other.kill();
      await new Promise((resolve) => other.once("exit", resolve));
    }
    const release = claimDataDir(dir);
    expect(existsSync(path.join(dir, "boardledger.lock"))).toBe(true);
    release();
    expect(existsSync(path.join(dir, "boardledger.lock"))).toBe(false);
  });
});
