import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import {
  listMeetings,
  type MeetingFilters,
  type MeetingSort,
  meetingTable,
} from "~/meetings/meetings-list.server";
import * as meetingsPage from "~/routes/meetings._index";
import type { DatabaseHandle } from "../../db/client";
import { parseCsv } from "../csv";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertAttendance,
  insertBoard,
  insertMeeting,
  insertPartnership,
  insertPerson,
  insertUser,
  makeViewer,
  type TestGrant,
} from "../factories";
import { callRoute, signedIn } from "../routes";

/*
 * /meetings and /meetings.csv: who sees which meetings (boards they read; admins and
 * leaders all; partners none; never another workspace's), upcoming and past, filters by
 * board, London date range and status, and sorting and paging done in SQL.
 */

let handle: DatabaseHandle;
let ws: number;
let lcjb: number;
let other: number;
let agencyId: number;
let elsewhereMeetingId: number;
const cookies: Record<string, string> = {};
/** "Now" for the domain tests: upcoming is from 1 January 2027. */
const NOW = new Date("2027-01-01T00:00:00Z");
const lcjbUpcoming: number[] = [];
let lateNightId: number;

const filters = (values: Partial<MeetingFilters> = {}): MeetingFilters => ({ when: "upcoming", ...values });
const state = (
  values: Partial<{ sort: MeetingSort; dir: "asc" | "desc"; page: number; pageSize: number }> = {},
) => ({
  sort: "date" as MeetingSort,
  dir: "asc" as const,
  page: 1,
  pageSize: 25,
  ...values,
});
const viewerWith = (grants: TestGrant[]) => makeViewer(handle.db, ws, grants, { agencyId });

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { db } = handle;
  const p = await insertPartnership(db, "mlist");
  ws = p.workspaceId;
  lcjb = p.boardId;
  agencyId = p.agencyId;
  other = (await insertBoard(db, ws, { name: "Community safety" })).id;
  // 30 upcoming LCJB meetings, weekly from Tuesday 5 January 2027 at 10:00 (GMT).
  for (let i = 0; i < 30; i++) {
    const starts = new Date(Date.UTC(2027, 0, 5 + 7 * i, 10));
    lcjbUpcoming.push((await insertMeeting(db, ws, { board_id: lcjb, starts_at: starts })).id);
  }
  // 23:30 UTC on 31 March 2027 is 00:30 on 1 April in London (BST).
  lateNightId = (await insertMeeting(db, ws, { board_id: other, starts_at: "2027-03-31T23:30:00Z" })).id;
  await insertMeeting(db, ws, { board_id: other, starts_at: "2027-02-10T14:00:00Z", status: "cancelled" });
  await insertMeeting(db, ws, { board_id: lcjb, starts_at: "2026-10-06T09:00:00Z", status: "held" });
  await insertMeeting(db, ws, { board_id: lcjb, starts_at: "2026-11-03T10:00:00Z", status: "held" });
  await insertMeeting(db, ws, { board_id: other, starts_at: "2026-12-01T10:00:00Z", status: "held" });

  const elsewhere = await insertPartnership(db, "mlist-elsewhere");
  elsewhereMeetingId = (
    await insertMeeting(db, elsewhere.workspaceId, {
      board_id: elsewhere.boardId,
      starts_at: "2027-02-02T10:00:00Z",
    })
  ).id;

  const users: [string, TestGrant[]][] = [
    ["admin", [{ role: "admin" }]],
    ["secretary", [{ role: "secretary", board_id: lcjb }]],
    ["partner", [{ role: "partner", agency_id: agencyId }]],
  ];
  for (const [name, grants] of users) {
    const user = await insertUser(db, ws, { email: `${name}@mlist.test`, password: null }, grants);
    cookies[name] = await signedIn(db, user.id, ws);
  }
});

afterAll(() => handle?.close());

describe("who sees which meetings", () => {
  it("shows admins and leaders every board's meetings of their workspace, never another's", async () => {
    for (const role of ["admin", "leader"] as const) {
      const list = await listMeetings(viewerWith([{ role }]), filters(), state({ pageSize: 100 }), NOW);
      expect(list.total).toBe(32);
      expect(list.rows.map((r) => r.id)).not.toContain(elsewhereMeetingId);
    }
  });

  it("shows a secretary their own board's meetings only", async () => {
    const viewer = viewerWith([{ role: "secretary", board_id: lcjb }]);
    const list = await listMeetings(viewer, filters(), state({ pageSize: 100 }), NOW);
    expect(list.total).toBe(30);
    expect(new Set(list.rows.map((r) => r.boardId))).toEqual(new Set([lcjb]));
    const past = await listMeetings(viewer, filters({ when: "past" }), state({ pageSize: 100 }), NOW);
    expect(past.total).toBe(2);
    // Asking for another board's meetings finds none.
    const asked = await listMeetings(viewer, filters({ board: other }), state(), NOW);
    expect(asked.total).toBe(0);
  });

  it("shows a partner none", async () => {
    const list = await listMeetings(
      viewerWith([{ role: "partner", agency_id: agencyId }]),
      filters(),
      state(),
      NOW,
    );
    expect(list).toMatchObject({ rows: [], total: 0 });
  });
});

describe("filters, sorting and paging", () => {
  const admin = () => viewerWith([{ role: "admin" }]);

  it("pages in SQL, in date order", async () => {
    const page3 = await listMeetings(
      admin(),
      filters({ board: lcjb }),
      state({ page: 3, pageSize: 10 }),
      NOW,
    );
    expect(page3.total).toBe(30);
    expect(page3.rows.map((r) => r.id)).toEqual(lcjbUpcoming.slice(20, 30));
    const desc = await listMeetings(
      admin(),
      filters({ board: lcjb }),
      state({ dir: "desc", pageSize: 5 }),
      NOW,
    );
    expect(desc.rows.map((r) => r.id)).toEqual(lcjbUpcoming.slice(25).reverse());
  });

  it("lists past meetings latest first by default", async () => {
    const table = meetingTable("past");
    expect(table.firstDirection?.date).toBe("desc");
    const past = await listMeetings(admin(), filters({ when: "past" }), state({ dir: "desc" }), NOW);
    expect(past.rows.map((r) => r.startsAt.toISOString())).toEqual([
      "2026-12-01T10:00:00.000Z",
      "2026-11-03T10:00:00.000Z",
      "2026-10-06T09:00:00.000Z",
    ]);
  });

  it("sorts by board", async () => {
    const list = await listMeetings(admin(), filters(), state({ sort: "board", pageSize: 3 }), NOW);
    expect(list.rows.map((r) => r.boardName)).toEqual(["Community safety", "Community safety", "mlist LCJB"]);
  });

  it("filters by board, status and London dates", async () => {
    const cancelled = await listMeetings(admin(), filters({ status: "cancelled" }), state(), NOW);
    expect(cancelled.total).toBe(1);
    expect(cancelled.rows[0]?.status).toBe("cancelled");
    const march = await listMeetings(
      admin(),
      filters({ board: other, from: "2027-03-01", to: "2027-03-31" }),
      state(),
      NOW,
    );
    expect(march.total).toBe(0);
    const april = await listMeetings(
      admin(),
      filters({ board: other, from: "2027-04-01", to: "2027-04-01" }),
      state(),
      NOW,
    );
    expect(april.rows.map((r) => r.id)).toEqual([lateNightId]);
    const january = await listMeetings(
      admin(),
      filters({ from: "2027-01-01", to: "2027-01-31" }),
      state(),
      NOW,
    );
    expect(january.total).toBe(4);
  });
});

describe("filters for the dashboard's scopes", () => {
  it("finds the meetings a type of board held, and those an agency took part in (invited, or sending a deputy)", async () => {
    const { db } = handle;
    const council = (await insertAgency(db, ws, { name: "Scope Council" })).id;
    const probation = (await insertAgency(db, ws, { name: "Scope Probation", type: "probation" })).id;
    const officer = (await insertPerson(db, ws, { agency_id: council })).id;
    const deputy = (await insertPerson(db, ws, { agency_id: probation })).id;
    const csp = (await insertBoard(db, ws, { name: "Scope CSP", type: "csp" })).id;
    const invited = (
      await insertMeeting(db, ws, { board_id: csp, starts_at: "2026-09-01T10:00:00Z", status: "held" })
    ).id;
    const deputised = (
      await insertMeeting(db, ws, { board_id: csp, starts_at: "2026-09-08T10:00:00Z", status: "held" })
    ).id;
    const apart = (
      await insertMeeting(db, ws, { board_id: csp, starts_at: "2026-09-15T10:00:00Z", status: "held" })
    ).id;
    await insertAttendance(db, ws, { meeting_id: invited, person_id: officer, status: "attended" });
    // The council's officer sends probation's deputy: both agencies took part.
    await insertAttendance(db, ws, {
      meeting_id: deputised,
      person_id: officer,
      status: "deputy",
      deputy_person_id: deputy,
    });
    const admin = viewerWith([{ role: "admin" }]);
    const ids = async (values: Partial<MeetingFilters>) =>
      (await listMeetings(admin, filters({ when: "past", ...values }), state({ pageSize: 100 }), NOW)).rows
        .map((r) => r.id)
        .sort((a, b) => a - b);
    expect(await ids({ type: "csp" })).toEqual([invited, deputised, apart]);
    expect(await ids({ agency: council })).toEqual([invited, deputised]);
    expect(await ids({ agency: probation })).toEqual([deputised]);
    expect(await ids({ agency: probation, type: "lcjb" })).toEqual([]);

    // And in the page's URL, with its filters kept for the export.
    const page = await callRoute(meetingsPage, {
      path: `/meetings?when=past&agency=${probation}`,
      cookie: cookies.admin,
    });
    const body = page.body as { list: { rows: { id: number }[] }; exportHref: string };
    expect(body.list.rows.map((r) => r.id)).toEqual([deputised]);
    expect(body.exportHref).toContain(`agency=${probation}`);
    const refused = await callRoute(meetingsPage, {
      path: "/meetings?when=past&agency=x&type=nope",
      cookie: cookies.admin,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      errors: { agency: ["Choose an agency"], type: ["Choose a type of board"] },
    });
  });
});

describe("the /meetings page", () => {
  it("answers with the secretary's board's meetings only", async () => {
    const outcome = await callRoute(meetingsPage, {
      path: "/meetings?when=past&pageSize=100",
      cookie: cookies.secretary,
    });
    expect(outcome.status).toBe(200);
    const body = outcome.body as { list: { rows: { boardId: number }[] } };
    expect(body.list.rows.length).toBeGreaterThan(0);
    expect(body.list.rows.every((r) => r.boardId === lcjb)).toBe(true);
  });

  it("renders the tabs, the filters, links to each meeting and the export", async () => {
    const path = `/meetings?when=past&board=${lcjb}`;
    const loaded = await callRoute(meetingsPage, { path, cookie: cookies.admin });
    const Stub = createRoutesStub([
      { id: "page", path: "/meetings", Component: meetingsPage.default as ComponentType },
    ]);
    const html = renderToString(
      createElement(Stub, { initialEntries: [path], hydrationData: { loaderData: { page: loaded.body } } }),
    );
    expect(html).toMatch(/aria-current="page"[^>]*>Past<\/a>/);
    expect(html).toMatch(/href="\/meetings\/\d+"/);
    expect(html).toContain(`href="/meetings.csv?board=${lcjb}&amp;when=past&amp;sort=date&amp;dir=desc"`);
    expect(html).toContain('name="from"');
  });

  it("answers a partner with an empty list", async () => {
    const outcome = await callRoute(meetingsPage, { path: "/meetings?when=past", cookie: cookies.partner });
    expect(outcome.status).toBe(200);
    expect((outcome.body as { list: { total: number } }).list.total).toBe(0);
  });

  it("refuses a bad filter with messages beside the fields", async () => {
    const outcome = await callRoute(meetingsPage, {
      path: "/meetings?from=2027-05-01&to=2027-04-01",
      cookie: cookies.admin,
    });
    expect(outcome.status).toBe(400);
    const errors = (outcome.body as { errors: Record<string, string[]> }).errors;
    expect(errors.to?.[0]).toMatch(/after the start date/);
    const status = await callRoute(meetingsPage, { path: "/meetings?status=nope", cookie: cookies.admin });
    expect(status.status).toBe(400);
    expect((status.body as { errors: Record<string, string[]> }).errors.status).toHaveLength(1);
  });

  it("redirects a page beyond the last to the last", async () => {
    const outcome = await callRoute(meetingsPage, {
      path: "/meetings?when=past&page=99",
      cookie: cookies.admin,
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe("/meetings?when=past&page=1");
  });
});

describe("/meetings.csv", () => {
  it("exports the filtered meetings with the same visibility, as an uncached attachment", async () => {
    const csvRoute = await import("~/routes/meetings[.]csv");
    const outcome = await callRoute(csvRoute, {
      path: "/meetings.csv?when=past&sort=date&dir=asc",
      cookie: cookies.secretary,
    });
    expect(outcome.status).toBe(200);
    expect(outcome.headers?.get("Content-Disposition")).toMatch(/^attachment; filename="meetings-/);
    expect(outcome.headers?.get("Cache-Control")).toBe("private, no-store");
    const [header, ...rows] = parseCsv(outcome.body as string);
    expect(header).toEqual([
      "Board",
      "Date",
      "Time (Europe/London)",
      "Duration (minutes)",
      "Format",
      "Location",
      "Status",
      "Attended",
      "Total cost (£)",
      "Verdict",
      "Verdict reasons",
    ]);
    expect(rows).toEqual([
      // Nobody recorded, nothing decided: it cost nothing, so nothing to review.
      ...["2026-10-06", "2026-11-03"].map((date) => [
        "mlist LCJB",
        date,
        "10:00",
        "120",
        "In person",
        "",
        "Held",
        "0",
        "0.00",
        "Worth holding",
        "£0.00 for no decisions or actions",
      ]),
    ]);
    const partner = await callRoute(csvRoute, { path: "/meetings.csv", cookie: cookies.partner });
    expect(parseCsv(partner.body as string)).toHaveLength(1);
    const bad = await callRoute(csvRoute, { path: "/meetings.csv?from=2027-13-45", cookie: cookies.admin });
    expect(bad.status).toBe(400);
  });
});
