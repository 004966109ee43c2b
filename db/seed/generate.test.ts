import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meetingCost } from "../../app/costs/costs.server";
import { refreshStaleRollups } from "../../app/costs/rollups.server";
import { parseSnapshot } from "../../app/minutes/snapshot";
import { type DatabaseHandle, openDatabase } from "../client";
import { migrateToLatest } from "../migrate";
import { scopeToWorkspace } from "../tenancy";
import { type GenerateSummary, generate } from "./generate";

describe("generate", () => {
  let handle: DatabaseHandle;
  let summary: GenerateSummary;
  const progress: string[] = [];

  beforeAll(async () => {
    handle = openDatabase({ dataDir: "memory://" });
    await migrateToLatest(handle.db);
    // Another workspace first, so the generator must start its ids after existing rows.
    const other = await handle.db
      .insertInto("workspaces")
      .values({ slug: "other", name: "Other" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto("agencies")
      .values({ workspace_id: other.id, name: "Other Police", type: "police" })
      .execute();
    summary = await generate(handle.db, {
      meetings: 300,
      engine: handle.engine,
      seed: 7,
      onProgress: (message) => progress.push(message),
    });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("loads the requested number of meetings with about ten attendance rows each, in its own workspace", async () => {
    const workspace = await handle.db
      .selectFrom("workspaces")
      .select(["id", "slug"])
      .where("id", "=", summary.workspaceId)
      .executeTakeFirstOrThrow();
    expect(workspace.slug).toBe("bench");
    const count = async (table: "meetings" | "attendance" | "agenda_items" | "actions") => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} where workspace_id = ${summary.workspaceId}
      `.execute(handle.db);
      return rows[0]?.n ?? 0;
    };
    expect(await count("meetings")).toBe(300);
    expect(summary.counts.meetings).toBe(300);
    const attendance = await count("attendance");
    expect(attendance).toBe(summary.counts.attendance);
    expect(attendance).toBeGreaterThan(2_500);
    expect(attendance).toBeLessThan(3_500);
    expect(await count("agenda_items")).toBeGreaterThan(1_200);
    expect(await count("actions")).toBeGreaterThan(250);
    expect(progress.some((m) => m.startsWith("attendance:"))).toBe(true);
  });

  it("has held meetings in the past with minutes, and scheduled ones ahead", async () => {
    const rows = await handle.db
      .selectFrom("meetings")
      .leftJoin("minutes", "minutes.meeting_id", "meetings.id")
      .select(["meetings.status", "meetings.starts_at", "minutes.id as minutesId"])
      .where("meetings.workspace_id", "=", summary.workspaceId)
      .execute();
    const now = new Date();
    const held = rows.filter((r) => r.status === "held");
    expect(held.length).toBeGreaterThan(200);
    expect(held.every((r) => r.starts_at < now && r.minutesId !== null)).toBe(true);
    expect(rows.filter((r) => r.status === "scheduled").every((r) => r.starts_at > now)).toBe(true);
  });

  it("writes the published version of every published minutes, a snapshot the public pages can read", async () => {
    const published = await handle.db
      .selectFrom("minutes")
      .select(["id", "version"])
      .where("workspace_id", "=", summary.workspaceId)
      .where("status", "=", "published")
      .execute();
    expect(published.length).toBeGreaterThan(50);
    const versions = await handle.db
      .selectFrom("minute_versions")
      .select(["minutes_id", "version", "status", "snapshot"])
      .where("workspace_id", "=", summary.workspaceId)
      .execute();
    expect(summary.counts.minute_versions).toBe(published.length);
    expect(versions.map((v) => [Number(v.minutes_id), v.version]).sort()).toEqual(
      published.map((m) => [Number(m.id), m.version]).sort(),
    );
    const snapshot = parseSnapshot(versions[0]?.snapshot);
    expect(snapshot?.items.length).toBeGreaterThan(0);
    expect(snapshot?.attendance.present.length).toBeGreaterThan(0);
    expect(snapshot?.meeting.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(versions.every((v) => v.status === "published" && parseSnapshot(v.snapshot) !== null)).toBe(true);
  });

  it("advances the identity sequences, so a later insert without an id succeeds", async () => {
    const agency = await handle.db
      .selectFrom("agencies")
      .select("id")
      .where("workspace_id", "=", summary.workspaceId)
      .executeTakeFirstOrThrow();
    const person = await handle.db
      .insertInto("people")
      .values({ workspace_id: summary.workspaceId, agency_id: agency.id, full_name: "Added later" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const board = await handle.db
      .selectFrom("boards")
      .select("id")
      .where("workspace_id", "=", summary.workspaceId)
      .executeTakeFirstOrThrow();
    const meeting = await handle.db
      .insertInto("meetings")
      .values({
        workspace_id: summary.workspaceId,
        board_id: board.id,
        starts_at: new Date(),
        duration_minutes: 60,
        format: "virtual",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto("attendance")
      .values({ workspace_id: summary.workspaceId, meeting_id: meeting.id, person_id: person.id })
      .execute();
    const maxPerson = await handle.db
      .selectFrom("people")
      .select((eb) => eb.fn.max("id").as("max"))
      .executeTakeFirstOrThrow();
    expect(person.id).toBe(maxPerson.max);
  });

  it("leaves every held meeting rolled up, agreeing with the live cost model, and rollups refreshable", async () => {
    const db = scopeToWorkspace(handle.db, summary.workspaceId);
    const { rows } = await sql<{ held: number; rolled: number; stale: number }>`
      select
        -- Held before the refresh's watermark (a later test's meeting may have started since).
        (select count(*)::int from meetings m join workspaces w on w.id = m.workspace_id
          where m.workspace_id = ${summary.workspaceId} and m.status <> 'cancelled'
            and m.starts_at < w.rollups_complete_until) as held,
        (select count(*)::int from meeting_rollups where workspace_id = ${summary.workspaceId}) as rolled,
        (select count(*)::int from meeting_rollups where workspace_id = ${summary.workspaceId} and stale) as stale
    `.execute(handle.db);
    expect(rows[0]?.rolled).toBe(rows[0]?.held);
    expect(rows[0]?.stale).toBe(0);
    const sample = await db
      .selectFrom("meeting_rollups")
      .select(["meeting_id", "cost_pence"])
      .orderBy("meeting_id")
      .limit(5)
      .execute();
    for (const row of sample)
      expect(row.cost_pence).toBe((await meetingCost(db, row.meeting_id))?.totalPence);
    // A change after loading is marked and refreshed like any other.
    const first = sample[0]!;
    await db
      .updateTable("meetings")
      .set({ venue_cost_pence: 12_345 })
      .where("id", "=", first.meeting_id)
      .execute();
    await refreshStaleRollups(db);
    const after = await db
      .selectFrom("meeting_rollups")
      .select("cost_pence")
      .where("meeting_id", "=", first.meeting_id)
      .executeTakeFirstOrThrow();
    expect(after.cost_pence).toBe((await meetingCost(db, first.meeting_id))?.totalPence);
  });

  it("refuses a workspace slug that is taken", async () => {
    await expect(generate(handle.db, { meetings: 10, engine: handle.engine })).rejects.toThrow(
      /already exists/,
    );
  });
});
