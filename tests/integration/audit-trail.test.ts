import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_PAGE_SIZE, csvField, csvLine } from "~/audit/audit-trail.server";
import { useDatabaseForTests } from "~/db.server";
import * as auditPage from "~/routes/admin.audit";
import * as auditCsv from "~/routes/admin.audit[.]csv";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { insertPartnership, insertUser } from "../factories";
import { callRoute, fieldErrors, routeArgs, routeRequest, signedIn } from "../routes";

let handle: DatabaseHandle;
let north: Awaited<ReturnType<typeof insertPartnership>>;
let south: Awaited<ReturnType<typeof insertPartnership>>;
let adaId: number;
let benId: number;
let adaCookie: string;
let benCookie: string;

type Page = Awaited<ReturnType<typeof auditPage.loader>>["data"];

const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  north = await insertPartnership(handle.db, "north");
  south = await insertPartnership(handle.db, "south");
  adaId = (await insertUser(handle.db, north.workspaceId, { email: "ada@north.test" }, [{ role: "admin" }]))
    .id;
  benId = (await insertUser(handle.db, north.workspaceId, { email: "ben@north.test" }, [{ role: "leader" }]))
    .id;
  adaCookie = await signedIn(handle.db, adaId, north.workspaceId);
  benCookie = await signedIn(handle.db, benId, north.workspaceId);

  // 120 events, one a minute, alternating actors, ending an hour ago; events share a
  // millisecond in pairs, differing only in microseconds, to test the cursor's precision.
  const base = new Date(now - 60 * 60 * 1000 - 120 * 60_000);
  const rows = Array.from({ length: 120 }, (_, i) => {
    const minute = Math.floor(i / 2) * 2;
    const micros = i % 2 === 0 ? "100" : "900";
    const at = new Date(base.getTime() + minute * 60_000).toISOString().replace("Z", `${micros}Z`);
    return {
      workspace_id: north.workspaceId,
      occurred_at: at,
      actor_user_id: i % 3 === 0 ? benId : adaId,
      actor_label: i % 3 === 0 ? "ben@north.test" : "ada@north.test",
      event: i % 2 === 0 ? "role.granted" : "meeting.updated",
      entity_type: i % 2 === 0 ? "user" : "meeting",
      entity_id: String(i),
      changes: JSON.stringify({ n: i }),
    };
  });
  await handle.db.insertInto("audit_events").values(rows).execute();
  // Old events in both workspaces, for retention.
  for (const workspace_id of [north.workspaceId, south.workspaceId]) {
    await handle.db
      .insertInto("audit_events")
      .values(
        [40, 100, 400].map((days) => ({
          workspace_id,
          occurred_at: new Date(now - days * DAY),
          actor_label: "system",
          event: "old.event",
          entity_type: "thing",
          entity_id: `${days}`,
        })),
      )
      .execute();
  }
});
afterAll(() => handle.close());

function open(query = "", cookie = adaCookie) {
  return callRoute(auditPage, { path: `/admin/audit${query}`, cookie });
}

function download(query = "", cookie = adaCookie) {
  return auditCsv.loader(routeArgs(routeRequest(`/admin/audit.csv${query}`, { cookie })));
}

describe("who may see the audit trail", () => {
  it("answers 404 to anyone but an admin, for the page, the export and the setting", async () => {
    expect((await open("", benCookie)).status).toBe(404);
    expect((await callRoute(auditCsv, { path: "/admin/audit.csv", cookie: benCookie })).status).toBe(404);
    const post = await callRoute(auditPage, {
      method: "POST",
      path: "/admin/audit",
      cookie: benCookie,
      form: { intent: "retention", days: "30" },
    });
    expect(post.status).toBe(404);
  });
});

describe("the list", () => {
  it("pages newest first with exact cursors, forwards and back", async () => {
    const seen: number[] = [];
    let page = (await open()).body as Page;
    expect(page.newerHref).toBeNull();
    const pages: Page[] = [page];
    while (page.olderHref) {
      page = (await open(page.olderHref)).body as Page;
      pages.push(page);
    }
    for (const p of pages) seen.push(...p.events.map((e) => e.id));
    // Everything once, newest first: 120 + 3 old north events; no south events.
    expect(seen).toHaveLength(123);
    expect(new Set(seen).size).toBe(123);
    expect(pages.map((p) => p.events.length)).toEqual([AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE, 23]);
    const isos = pages.flatMap((p) => p.events.map((e) => e.iso));
    expect([...isos].sort().reverse()).toEqual(isos);
    // Pairs share a millisecond: the cursor must keep the microseconds.
    expect(isos[0]).toMatch(/\.\d{6}Z$/);

    // Back from the last page to the middle one, and to the first.
    const back = (await open(pages[2]!.newerHref!)).body as Page;
    expect(back.events.map((e) => e.id)).toEqual(pages[1]!.events.map((e) => e.id));
    const first = (await open(back.newerHref!)).body as Page;
    expect(first.events.map((e) => e.id)).toEqual(pages[0]!.events.map((e) => e.id));
    expect(first.newerHref).toBeNull();
    // A broken cursor is the first page, not an error.
    expect(((await open("?before=nonsense")).body as Page).events[0]!.id).toBe(pages[0]!.events[0]!.id);
  });

  it("filters by event (exactly or as a prefix), record type, actor and London dates", async () => {
    const granted = (await open("?event=role")).body as Page;
    expect(granted.events.length).toBe(AUDIT_PAGE_SIZE);
    expect(granted.events.every((e) => e.event === "role.granted")).toBe(true);
    expect(granted.exportHref).toBe("/admin/audit.csv?event=role");
    // "_" is not a wildcard: "role_granted" finds nothing.
    expect(((await open("?event=role_granted")).body as Page).events).toEqual([]);
    expect(((await open("?event=role.gran")).body as Page).events).toEqual([]);

    const meetings = (await open(`?entityType=meeting&actor=${benId}`)).body as Page;
    expect(meetings.events.length).toBeGreaterThan(0);
    expect(
      meetings.events.every((e) => e.entity.startsWith("meeting ") && e.actor.includes("ben@north.test")),
    ).toBe(true);

    const day = new Date(now - 100 * DAY);
    const london = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(day);
    const onDay = (await open(`?from=${london}&to=${london}`)).body as Page;
    expect(onDay.events.map((e) => e.entity)).toEqual(["thing 100"]);
    expect(onDay.filterValues).toMatchObject({ from: london, to: london });
  });

  it("counts a London day from London midnight, in summer time too", async () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    await handle.db
      .insertInto("audit_events")
      .values({
        workspace_id: north.workspaceId,
        occurred_at: "2025-06-30T23:30:00Z",
        actor_label: "system",
        event: "summer.event",
        entity_type: "thing",
      })
      .execute();
    expect(((await open("?event=summer&from=2025-07-01&to=2025-07-01")).body as Page).events).toHaveLength(1);
    expect(((await open("?event=summer&from=2025-06-30&to=2025-06-30")).body as Page).events).toHaveLength(0);
    await handle.db.deleteFrom("audit_events").where("event", "=", "summer.event").execute();
  });

  it("refuses a bad filter beside its field, keeping what was typed", async () => {
    const bad = await open("?from=2026-02-30&to=2026-01-01&event=<script>");
    expect(bad.status).toBe(400);
    const body = bad.body as Page;
    expect(body.events).toEqual([]);
    expect(fieldErrors(body.filterResult, "from")).toEqual(["Enter a real start date, like 2027-03-03"]);
    expect(fieldErrors(body.filterResult, "event")[0]).toMatch(/^Enter an event name using letters/);
    expect(body.filterResult?.initialValue).toMatchObject({ from: "2026-02-30", event: "<script>" });
    const reversed = (await open("?from=2026-02-01&to=2026-01-01")).body as Page;
    expect(fieldErrors(reversed.filterResult, "to")).toEqual([
      "The end date must be the same as or after the start date",
    ]);
  });
});

describe("the CSV export", () => {
  it("quotes fields as RFC 4180 says and defuses spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@sum")).toBe("'@sum");
    expect(csvField(null)).toBe("");
    expect(csvField(-5)).toBe("-5");
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });

  it("downloads the filtered events as an attachment, every one of them", async () => {
    await handle.db
      .insertInto("audit_events")
      .values({
        workspace_id: north.workspaceId,
        actor_label: '=cmd|" /C calc"!A0, "Mallory"',
        event: "sign_in.failed",
        entity_type: "user",
        changes: JSON.stringify({ note: "line one\nline two" }),
      })
      .execute();
    const response = await download("?event=sign_in");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="audit-north-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A UTF-8 byte-order mark first, so Excel reads names with accents right.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    expect(lines[0]).toBe("occurred_at,actor,actor_user_id,event,entity_type,entity_id,changes,ip");
    expect(lines[1]).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z,"'=cmd\|"" \/C calc""!A0, ""Mallory""",,sign_in\.failed,user,,"\{""note"":""line one\\nline two""\}",$/,
    );
    expect(lines[2]).toBe("");
    expect(lines).toHaveLength(3);

    // More events than one batch, in order, no duplicates; another workspace's never.
    const many = Array.from({ length: 1_100 }, (_, i) => ({
      workspace_id: north.workspaceId,
      occurred_at: new Date(now - 2 * DAY + i * 1000),
      actor_label: "bulk",
      event: "bulk.event",
      entity_type: "thing",
      entity_id: String(i),
    }));
    await handle.db.insertInto("audit_events").values(many).execute();
    await handle.db
      .insertInto("audit_events")
      .values({
        workspace_id: south.workspaceId,
        actor_label: "south",
        event: "bulk.event",
        entity_type: "thing",
      })
      .execute();
    const bulk = (await (await download("?event=bulk.event")).text()).trim().split("\r\n").slice(1);
    expect(bulk).toHaveLength(1_100);
    expect(bulk[0]!.split(",")[5]).toBe("1099");
    expect(bulk.at(-1)!.split(",")[5]).toBe("0");
    expect(bulk.some((line) => line.includes("south"))).toBe(false);

    const bad = await download("?from=yesterday");
    expect(bad.status).toBe(400);
  });
});

describe("retention", () => {
  function save(form: Record<string, string>, cookie = adaCookie) {
    return callRoute(auditPage, {
      method: "POST",
      path: "/admin/audit",
      cookie,
      form: { intent: "retention", ...form },
    });
  }

  it("shows the setting and refuses a value outside 30 to 36,500 days", async () => {
    expect(((await open()).body as Page).retentionDays).toBe(730);
    for (const days of ["10", "29", "36501", "abc", "45.5", ""]) {
      const refused = await save({ days });
      expect(refused.status, days).toBe(400);
      expect(fieldErrors(refused.body, "days")[0], days).toMatch(
        /^Enter (a|the) (number|whole number) of days/,
      );
      expect(
        (refused.body as { result: { initialValue: { days?: string } } }).result.initialValue.days ?? "",
      ).toBe(days);
    }
    expect(((await open()).body as Page).retentionDays).toBe(730);
  });

  it("asks before deleting, then saves and applies it in this workspace only", async () => {
    const oldNorth = () =>
      handle.db
        .selectFrom("audit_events")
        .select("entity_id")
        .where("workspace_id", "=", north.workspaceId)
        .where("event", "=", "old.event")
        .orderBy("entity_id")
        .execute();
    // 500 days deletes nothing: saved at once.
    const saved = await save({ days: "500" });
    expect(saved.body).toMatchObject({ notice: "Audit events are now kept for 500 days" });

    // 90 days would delete the 100- and 400-day-old events: asks first, changes nothing.
    const asked = await save({ days: "90" });
    expect(asked.status).toBe(200);
    expect((asked.body as { confirm: unknown }).confirm).toMatchObject({ days: 90, count: 2 });
    expect((await oldNorth()).map((r) => r.entity_id)).toEqual(["100", "40", "400"]);
    expect(((await open()).body as Page).retentionDays).toBe(500);

    const confirmed = await save({ days: "90", confirm: "yes" });
    expect(confirmed.body).toMatchObject({
      notice: "Audit events are now kept for 90 days. 2 events older than that were deleted",
    });
    expect((await oldNorth()).map((r) => r.entity_id)).toEqual(["40"]);
    expect(((await open()).body as Page).retentionDays).toBe(90);
    const southOld = await handle.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("workspace_id", "=", south.workspaceId)
      .where("event", "=", "old.event")
      .executeTakeFirstOrThrow();
    expect(Number(southOld.n)).toBe(3);
    const event = await handle.db
      .selectFrom("audit_events")
      .select(["actor_user_id", "changes"])
      .where("event", "=", "audit.retention_changed")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_user_id: adaId, changes: { from: 500, to: 90, events_deleted: 2 } });
    const setting = await sql<{
      d: number;
    }>`select audit_retention_days as d from workspaces where id = ${south.workspaceId}`.execute(handle.db);
    expect(Number(setting.rows[0]!.d)).toBe(730);
  });
});
