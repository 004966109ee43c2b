import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../tests/database";
import type { DatabaseHandle } from "./client";
import { inTransaction, scopeToWorkspace, TenancyError, WORKSPACE_TABLES } from "./tenancy";

let handle: DatabaseHandle;
let north: number;
let south: number;

beforeAll(async () => {
  handle = await freshDatabase();
  const { db } = handle;
  const rows = await db
    .insertInto("workspaces")
    .values([
      { slug: "north", name: "North" },
      { slug: "south", name: "South" },
    ])
    .returning("id")
    .execute();
  north = rows[0]!.id;
  south = rows[1]!.id;
  for (const [workspace_id, name] of [
    [north, "North Police"],
    [south, "South Police"],
  ] as const) {
    const agency = await db
      .insertInto("agencies")
      .values({ workspace_id, name, type: "police" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("boards")
      .values({
        workspace_id,
        name: `${name} board`,
        slug: "lcjb",
        type: "lcjb",
        level: "local",
        frequency: "monthly",
      })
      .execute();
    await db
      .insertInto("people")
      .values({ workspace_id, agency_id: agency.id, full_name: `${name} officer` })
      .execute();
  }
});

afterAll(() => handle.close());

describe("workspace scope", () => {
  it("lists every workspace table the schema has, and only those", async () => {
    const result = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'workspace_id' and is_nullable = 'NO'
      order by table_name`.execute(handle.db);
    expect(new Set(result.rows.map((r) => r.table_name))).toEqual(WORKSPACE_TABLES);
  });

  it("confines selects, joins and sub-queries to the workspace", async () => {
    const db = scopeToWorkspace(handle.db, north);
    const boards = await db.selectFrom("boards").select("name").execute();
    expect(boards).toEqual([{ name: "North Police board" }]);

    const joined = await db
      .selectFrom("people as p")
      .innerJoin("agencies as a", "a.id", "p.agency_id")
      .select(["p.full_name", "a.name"])
      .execute();
    expect(joined).toEqual([{ full_name: "North Police officer", name: "North Police" }]);

    const counted = await db
      .selectFrom("boards")
      .select((eb) => eb.selectFrom("agencies").select(eb.fn.countAll<number>().as("n")).as("agencies"))
      .executeTakeFirstOrThrow();
    expect(counted.agencies).toBe(1);
  });

  it("cannot see or change another workspace's row even by its id", async () => {
    const southBoard = await handle.db
      .selectFrom("boards")
      .select("id")
      .where("workspace_id", "=", south)
      .executeTakeFirstOrThrow();
    const db = scopeToWorkspace(handle.db, north);
    expect(await db.selectFrom("boards").selectAll().where("id", "=", southBoard.id).execute()).toEqual([]);
    const updated = await db
      .updateTable("boards")
      .set({ name: "Hijacked" })
      .where("id", "=", southBoard.id)
      .execute();
    expect(updated[0]?.numUpdatedRows).toBe(0n);
    const deleted = await db.deleteFrom("boards").where("id", "=", southBoard.id).execute();
    expect(deleted[0]?.numDeletedRows).toBe(0n);
    const still = await handle.db
      .selectFrom("boards")
      .select("name")
      .where("id", "=", southBoard.id)
      .executeTakeFirst();
    expect(still?.name).toBe("South Police board");
  });

  it("refuses inserts for another workspace, moves between workspaces and unscoped raw SQL", async () => {
    const db = scopeToWorkspace(handle.db, north);
    await expect(
      db.insertInto("agencies").values({ workspace_id: south, name: "Sneaky", type: "other" }).execute(),
    ).rejects.toThrow(TenancyError);
    await expect(db.updateTable("agencies").set({ workspace_id: south }).execute()).rejects.toThrow(
      TenancyError,
    );
    await expect(sql`select * from boards`.execute(db)).rejects.toThrow(TenancyError);
    const raw = await sql<{
      n: number;
    }>`select count(*)::int as n from boards where workspace_id = ${north}`.execute(db);
    expect(raw.rows[0]?.n).toBe(1);
  });

  it("keeps the scope inside a transaction", async () => {
    const db = scopeToWorkspace(handle.db, north);
    const names = await inTransaction(db, (trx) => trx.selectFrom("agencies").select("name").execute());
    expect(names).toEqual([{ name: "North Police" }]);
  });

  it("lets the database refuse a row pointing into another workspace", async () => {
    const southAgency = await handle.db
      .selectFrom("agencies")
      .select("id")
      .where("workspace_id", "=", south)
      .executeTakeFirstOrThrow();
    await expect(
      handle.db
        .insertInto("people")
        .values({ workspace_id: north, agency_id: southAgency.id, full_name: "X" })
        .execute(),
    ).rejects.toThrow(/foreign key/);
  });
});
