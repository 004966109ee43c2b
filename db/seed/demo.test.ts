import { verify } from "@node-rs/argon2";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../client";
import { migrateToLatest } from "../migrate";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoSummary, seedDemo } from "./demo";

const now = new Date("2026-11-23T12:00:00Z");

async function freshSeededDatabase(): Promise<{ handle: DatabaseHandle; summary: DemoSummary }> {
  const handle = openDatabase({ dataDir: "memory://" });
  await migrateToLatest(handle.db);
  const summary = await seedDemo(handle.db, { now });
  return { handle, summary };
}

async function tableCounts(
  handle: DatabaseHandle,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
      handle.db,
    );
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

describe("seedDemo", () => {
  let handle: DatabaseHandle;
  let summary: DemoSummary;

  beforeAll(async () => {
    ({ handle, summary } = await freshSeededDatabase());
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("creates the demo workspace, flagged as a demo", async () => {
    const workspace = await handle.db
      .selectFrom("workspaces")
      .selectAll()
      .where("id", "=", summary.workspaceId)
      .executeTakeFirstOrThrow();
    expect(workspace.slug).toBe("demo");
    expect(workspace.is_demo).toBe(true);
    expect(summary.counts.agencies).toBeGreaterThanOrEqual(8);
    expect(summary.counts.people).toBeGreaterThanOrEqual(60);
    expect(summary.counts.boards).toBeGreaterThanOrEqual(6);
  });

  it("creates the five demo accounts with the right grants, all signing in with the demo password", async () => {
    const rows = await handle.db
      .selectFrom("users")
      .innerJoin("workspace_users", "workspace_users.user_id", "users.id")
      .innerJoin("role_grants", (join) =>
        join
          .onRef("role_grants.user_id", "=", "users.id")
          .onRef("role_grants.workspace_id", "=", "workspace_users.workspace_id"),
      )
      .leftJoin("boards", "boards.id", "role_grants.board_id")
      .leftJoin("agencies", "agencies.id", "role_grants.agency_id")
      .leftJoin("people", "people.id", "workspace_users.person_id")
      .select([
        "users.email",
        "users.password_hash",
        "role_grants.role",
        "boards.slug as board",
        "agencies.type as agencyType",
        "people.agency_id as personAgency",
        "workspace_users.person_id",
        "role_grants.agency_id",
      ])
      .where("workspace_users.workspace_id", "=", summary.workspaceId)
      .orderBy("users.email")
      .execute();
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    expect([...byEmail.keys()].sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    for (const account of DEMO_ACCOUNTS) expect(byEmail.get(account.email)?.role).toBe(account.role);
    expect(byEmail.get("secretary@demo.test")?.board).toBe("lcjb");
    expect(byEmail.get("member@demo.test")?.board).toBe("lcjb");
    const partner = byEmail.get("partner@demo.test");
    expect(partner?.agencyType).toBe("police");
    expect(partner?.personAgency).toBe(partner?.agency_id);

    // One argon2id hash (OWASP parameters) shared by all five, and it verifies.
    const hashes = new Set(rows.map((r) => r.password_hash));
    expect(hashes.size).toBe(1);
    const [stored] = [...hashes];
    expect(stored?.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    expect(await verify(stored ?? "", DEMO_PASSWORD)).toBe(true);
    expect(await verify(stored ?? "", "wrong-password")).toBe(false);
  });

  it("links the secretary and member accounts to people who sit on the LCJB in those roles", async () => {
    const rows = await handle.db
      .selectFrom("users")
      .innerJoin("workspace_users", "workspace_users.user_id", "users.id")
      .innerJoin("memberships", "memberships.person_id", "workspace_users.person_id")
      .innerJoin("boards", "boards.id", "memberships.board_id")
      .select(["users.email", "memberships.role"])
      .where("boards.slug", "=", "lcjb")
      .where("memberships.to_date", "is", null)
      .execute();
    const roles = new Map(rows.map((r) => [r.email, r.role]));
    expect(roles.get("secretary@demo.test")).toBe("secretary");
    expect(roles.get("member@demo.test")).toBe("member");
  });

  it("gives the LCJB members, held meetings in the past and scheduled meetings ahead", async () => {
    const lcjb = await handle.db
      .selectFrom("boards")
      .selectAll()
      .where("slug", "=", "lcjb")
      .where("workspace_id", "=", summary.workspaceId)
      .executeTakeFirstOrThrow();
    const members = await handle.db
      .selectFrom("memberships")
      .select(["role"])
      .where("board_id", "=", lcjb.id)
      .where("to_date", "is", null)
      .execute();
    expect(members.length).toBeGreaterThanOrEqual(8);
    expect(members.map((m) => m.role)).toEqual(
      expect.arrayContaining(["chair", "vice_chair", "secretary", "member"]),
    );

    const meetings = await handle.db
      .selectFrom("meetings")
      .select(["starts_at", "status"])
      .where("board_id", "=", lcjb.id)
      .execute();
    const held = meetings.filter((m) => m.status === "held");
    const scheduled = meetings.filter((m) => m.status === "scheduled");
    expect(held.length).toBeGreaterThanOrEqual(10);
    expect(held.every((m) => m.starts_at < now)).toBe(true);
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    expect(scheduled.every((m) => m.starts_at > now)).toBe(true);
    // 10:00 London time all year round: 09:00 UTC in summer, 10:00 UTC in winter.
    const london = new Set(
      meetings.map((m) =>
        m.starts_at.toLocaleTimeString("en-GB", {
          timeZone: "Europe/London",
          hour: "2-digit",
          minute: "2-digit",
        }),
      ),
    );
    expect([...london]).toEqual(["10:00"]);
    expect(new Set(meetings.map((m) => m.starts_at.getUTCHours()))).toEqual(new Set([9, 10]));
  });

  it("has minutes at every status, and approved minutes record the meeting that approved them", async () => {
    const rows = await handle.db
      .selectFrom("minutes")
      .select(["status", "approved_at_meeting_id", "version"])
      .where("workspace_id", "=", summary.workspaceId)
      .execute();
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set(["draft", "circulated", "approved", "published"]),
    );
    const approved = rows.filter((r) => r.status === "approved" || r.status === "published");
    expect(approved.every((r) => r.approved_at_meeting_id !== null)).toBe(true);
    const versions = await tableCounts(handle, ["minute_versions"]);
    expect(versions.minute_versions).toBe(rows.reduce((sum, r) => sum + r.version, 0));
    expect(summary.counts.minute_comments).toBeGreaterThan(0);
  });

  it("has actions at every status, some of them overdue", async () => {
    const today = "2026-11-23";
    const actions = await handle.db
      .selectFrom("actions")
      .select(["status", "due_date", "completed_at"])
      .where("workspace_id", "=", summary.workspaceId)
      .execute();
    expect(new Set(actions.map((a) => a.status))).toEqual(
      new Set(["open", "in_progress", "done", "dropped"]),
    );
    const overdue = actions.filter(
      (a) => (a.status === "open" || a.status === "in_progress") && a.due_date < today,
    );
    expect(overdue.length).toBeGreaterThan(0);
    const closed = actions.filter((a) => a.status === "done" || a.status === "dropped");
    expect(closed.every((a) => a.completed_at !== null && a.completed_at <= now)).toBe(true);
    expect(summary.counts.action_updates).toBeGreaterThan(0);
    expect(summary.counts.objective_actions).toBeGreaterThan(0);
  });

  it("includes meetings a leader should consider stopping: information only, no decisions, no actions", async () => {
    const { rows } = await sql<{ id: number }>`
      select m.id
      from meetings m
      join agenda_items a on a.meeting_id = m.id
      where m.workspace_id = ${summary.workspaceId} and m.status = 'held'
        and not exists (select 1 from decisions d where d.meeting_id = m.id)
        and not exists (select 1 from actions x where x.meeting_id = m.id)
      group by m.id
      having count(*) filter (where a.purpose = 'information') >= 0.6 * count(*)
    `.execute(handle.db);
    expect(rows.length).toBeGreaterThanOrEqual(3);
  });

  it("has two boards whose attendees overlap enough to be merge candidates", async () => {
    const { rows } = await sql<{ jaccard: number }>`
      with present as (
        select distinct m.board_id, coalesce(a.deputy_person_id, a.person_id) as person_id
        from attendance a join meetings m on m.id = a.meeting_id
        where m.workspace_id = ${summary.workspaceId} and m.status = 'held'
          and a.status in ('attended', 'deputy') and m.starts_at > ${now}::timestamptz - interval '12 months'
      )
      select (
          select count(*) from present x join present y using (person_id)
          where x.board_id = b1.id and y.board_id = b2.id
        )::float / nullif((select count(distinct person_id) from present where board_id in (b1.id, b2.id)), 0) as jaccard
      from boards b1 join boards b2 on b2.workspace_id = b1.workspace_id and b1.id < b2.id
      where b1.workspace_id = ${summary.workspaceId}
      order by jaccard desc nulls last
      limit 1
    `.execute(handle.db);
    expect(rows[0]?.jaccard).toBeGreaterThanOrEqual(0.5);
  });

  it("gives the same rows for the same `now` in a second fresh database", async () => {
    const second = await freshSeededDatabase();
    try {
      expect(second.summary.counts).toEqual(summary.counts);
      const tables = Object.keys(summary.counts);
      expect(await tableCounts(second.handle, tables)).toEqual(await tableCounts(handle, tables));
      const fingerprint = (h: DatabaseHandle) =>
        h.db
          .selectFrom("meetings")
          .innerJoin("boards", "boards.id", "meetings.board_id")
          .select(["boards.slug", "meetings.starts_at", "meetings.status"])
          .orderBy("meetings.id")
          .execute();
      expect(await fingerprint(second.handle)).toEqual(await fingerprint(handle));
    } finally {
      await second.handle.close();
    }
    // Seeding a whole partnership again takes a while on a busy machine.
  }, 120_000);

  it("refuses to seed a second demo workspace", async () => {
    await expect(seedDemo(handle.db, { now })).rejects.toThrow(/already exists/);
  });
});
