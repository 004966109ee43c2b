import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "../../app/auth/viewer.server";
import { type BoardSort, getBoardPage, listBoards } from "../../app/boards/boards.server";
import type { SortDirection } from "../../app/components/table-state";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertAttendance,
  insertBoard,
  insertMeeting,
  insertMembership,
  insertPerson,
  insertWorkspace,
  makeViewer,
  type TestGrant,
} from "../factories";

/*
 * The boards domain against a real database: who sees which boards, the figures in the
 * list (member counts, meeting dates, meetings held), sorting and paging in SQL, and 404s.
 * "Now" is fixed at midday on 15 June 2026.
 */

const NOW = new Date("2026-06-15T12:00:00Z");

let handle: DatabaseHandle;
let ws: number;
let otherWs: number;
const boards = { alpha: 0, bravo: 0, charlie: 0, archived: 0, foreign: 0 };
let bravoAprilMeeting = 0;

beforeAll(async () => {
  handle = await freshDatabase();
  const db = handle.db;
  ws = (await insertWorkspace(db, { slug: "northshire", name: "Northshire partnership" })).id;
  otherWs = (await insertWorkspace(db, { slug: "southshire", name: "Southshire partnership" })).id;

  const police = (await insertAgency(db, ws, { name: "Northshire Police", type: "police" })).id;
  const probation = (await insertAgency(db, ws, { name: "Probation Service", type: "probation" })).id;
  const person = async (full_name: string, agency_id: number) =>
    (await insertPerson(db, ws, { full_name, agency_id, job_title: "Head of partnerships" })).id;
  const ann = await person("Ann Archer", police);
  const ben = await person("Ben Baker", probation);
  const cat = await person("Cat Cooper", police);
  const dan = await person("Dan Dale", probation);
  const eve = await person("Eve Evans", police);

  boards.alpha = (await insertBoard(db, ws, { name: "Alpha Local Criminal Justice Board", type: "lcjb" })).id;
  boards.bravo = (await insertBoard(db, ws, { name: "Bravo Community Safety Partnership", type: "csp" })).id;
  // Lower case on purpose: sorting by name ignores case.
  boards.charlie = (
    await insertBoard(db, ws, { name: "charlie youth justice board", type: "youth_justice" })
  ).id;
  boards.archived = (
    await insertBoard(db, ws, { name: "Archived board", archived_at: "2025-01-01T00:00:00Z" })
  ).id;
  boards.foreign = (await insertBoard(db, otherWs, { name: "Another workspace's board", type: "lcjb" })).id;

  // Alpha: 2 current members.
  await insertMembership(db, ws, {
    board_id: boards.alpha,
    person_id: ann,
    agency_id: police,
    role: "chair",
  });
  await insertMembership(db, ws, { board_id: boards.alpha, person_id: ben, agency_id: probation });
  // Bravo: 3 current members (Ben twice, counted once), one who left, one not yet started.
  await insertMembership(db, ws, {
    board_id: boards.bravo,
    person_id: cat,
    agency_id: police,
    role: "member",
  });
  await insertMembership(db, ws, {
    board_id: boards.bravo,
    person_id: ann,
    agency_id: police,
    role: "chair",
  });
  await insertMembership(db, ws, {
    board_id: boards.bravo,
    person_id: ben,
    agency_id: probation,
    role: "member",
  });
  await insertMembership(db, ws, {
    board_id: boards.bravo,
    person_id: ben,
    agency_id: probation,
    role: "adviser",
  });
  await insertMembership(db, ws, {
    board_id: boards.bravo,
    person_id: dan,
    agency_id: probation,
    from_date: "2024-01-01",
    to_date: "2026-06-14",
  });
  await insertMembership(db, ws, {
    board_id: boards.bravo,
    person_id: eve,
    agency_id: police,
    from_date: "2026-09-01",
  });
  // Ends today: still a member today.
  await insertMembership(db, ws, {
    board_id: boards.alpha,
    person_id: cat,
    agency_id: police,
    role: "observer",
    to_date: "2026-06-15",
  });

  // Alpha's meetings: next 1 July; last held 1 May (the cancelled one in June does not count);
  // one held within the last 12 months.
  await insertMeeting(db, ws, { board_id: boards.alpha, starts_at: "2026-07-01T09:00:00Z" });
  await insertMeeting(db, ws, { board_id: boards.alpha, starts_at: "2026-09-01T09:00:00Z" });
  await insertMeeting(db, ws, { board_id: boards.alpha, starts_at: "2026-05-01T09:00:00Z", status: "held" });
  await insertMeeting(db, ws, { board_id: boards.alpha, starts_at: "2025-01-01T10:00:00Z", status: "held" });
  await insertMeeting(db, ws, {
    board_id: boards.alpha,
    starts_at: "2026-06-01T09:00:00Z",
    status: "cancelled",
  });
  // A cancelled future meeting is not the next meeting.
  await insertMeeting(db, ws, {
    board_id: boards.alpha,
    starts_at: "2026-06-16T09:00:00Z",
    status: "cancelled",
  });

  // Bravo's: next 20 June; last 10 June (not yet marked held); two held in the last 12 months.
  await insertMeeting(db, ws, { board_id: boards.bravo, starts_at: "2026-06-20T13:00:00Z" });
  await insertMeeting(db, ws, { board_id: boards.bravo, starts_at: "2026-06-10T13:00:00Z" });
  await insertMeeting(db, ws, { board_id: boards.bravo, starts_at: "2026-03-01T10:00:00Z", status: "held" });
  bravoAprilMeeting = (
    await insertMeeting(db, ws, {
      board_id: boards.bravo,
      starts_at: "2026-04-01T09:00:00Z",
      status: "held",
      format: "hybrid",
      location: "Civic Centre",
    })
  ).id;
  await insertAttendance(db, ws, { meeting_id: bravoAprilMeeting, person_id: ann, status: "attended" });
  await insertAttendance(db, ws, { meeting_id: bravoAprilMeeting, person_id: ben, status: "apologies" });
  await insertAttendance(db, ws, {
    meeting_id: bravoAprilMeeting,
    person_id: cat,
    status: "deputy",
    deputy_person_id: dan,
  });

  // The other workspace's board has a meeting tomorrow: it must not show anywhere.
  await insertMeeting(db, otherWs, { board_id: boards.foreign, starts_at: "2026-06-16T09:00:00Z" });
});

afterAll(() => handle?.close());

const viewer = (grants: readonly TestGrant[]) => makeViewer(handle.db, ws, grants);
const admin = () => viewer([{ role: "admin" }]);

async function names(who: Viewer, sort: BoardSort = "name", dir: SortDirection = "asc") {
  const list = await listBoards(who, { sort, dir, page: 1, pageSize: 25, now: NOW });
  return list.rows.map((row) => row.name);
}

describe("listBoards", () => {
  it("shows an admin every board of the workspace, not archived ones, sorted by name ignoring case", async () => {
    expect(await names(admin())).toEqual([
      "Alpha Local Criminal Justice Board",
      "Bravo Community Safety Partnership",
      "charlie youth justice board",
    ]);
    expect(await names(admin(), "name", "desc")).toEqual([
      "charlie youth justice board",
      "Bravo Community Safety Partnership",
      "Alpha Local Criminal Justice Board",
    ]);
  });

  it("shows a leader every board too", async () => {
    expect(await names(viewer([{ role: "leader" }]))).toHaveLength(3);
  });

  it("sorts by next meeting, boards with none last in either direction", async () => {
    expect(await names(admin(), "next-meeting", "asc")).toEqual([
      "Bravo Community Safety Partnership",
      "Alpha Local Criminal Justice Board",
      "charlie youth justice board",
    ]);
    expect(await names(admin(), "next-meeting", "desc")).toEqual([
      "Alpha Local Criminal Justice Board",
      "Bravo Community Safety Partnership",
      "charlie youth justice board",
    ]);
  });

  it("sorts by members, by type (as its label reads) and by meetings held", async () => {
    // Alpha and Bravo both have 3 members: a tie is broken by name.
    expect(await names(admin(), "members", "desc")).toEqual([
      "Alpha Local Criminal Justice Board",
      "Bravo Community Safety Partnership",
      "charlie youth justice board",
    ]);
    expect(await names(admin(), "members", "asc")).toEqual([
      "charlie youth justice board",
      "Alpha Local Criminal Justice Board",
      "Bravo Community Safety Partnership",
    ]);
    expect(await names(admin(), "type", "asc")).toEqual([
      "Bravo Community Safety Partnership",
      "Alpha Local Criminal Justice Board",
      "charlie youth justice board",
    ]);
    expect(await names(admin(), "meetings-held", "desc")).toEqual([
      "Bravo Community Safety Partnership",
      "Alpha Local Criminal Justice Board",
      "charlie youth justice board",
    ]);
    expect(await names(admin(), "last-meeting", "desc")).toEqual([
      "Bravo Community Safety Partnership",
      "Alpha Local Criminal Justice Board",
      "charlie youth justice board",
    ]);
  });

  it("counts current members and dates the next and last meetings", async () => {
    const list = await listBoards(admin(), { sort: "name", dir: "asc", page: 1, pageSize: 25, now: NOW });
    const byName = Object.fromEntries(list.rows.map((row) => [row.name, row]));
    expect(byName["Alpha Local Criminal Justice Board"]).toMatchObject({
      id: boards.alpha,
      type: "lcjb",
      level: "local",
      frequency: "monthly",
      memberCount: 3,
      nextMeetingAt: new Date("2026-07-01T09:00:00Z"),
      lastMeetingAt: new Date("2026-05-01T09:00:00Z"),
      meetingsHeldLastYear: 1,
    });
    expect(byName["Bravo Community Safety Partnership"]).toMatchObject({
      memberCount: 3,
      nextMeetingAt: new Date("2026-06-20T13:00:00Z"),
      lastMeetingAt: new Date("2026-06-10T13:00:00Z"),
      meetingsHeldLastYear: 2,
    });
    expect(byName["charlie youth justice board"]).toMatchObject({
      memberCount: 0,
      nextMeetingAt: null,
      lastMeetingAt: null,
      meetingsHeldLastYear: 0,
    });
    expect(list.total).toBe(3);
  });

  it("shows a secretary or a member only their own boards", async () => {
    expect(await names(viewer([{ role: "secretary", board_id: boards.bravo }]))).toEqual([
      "Bravo Community Safety Partnership",
    ]);
    expect(await names(viewer([{ role: "member", board_id: boards.alpha }]))).toEqual([
      "Alpha Local Criminal Justice Board",
    ]);
    expect(
      await names(
        viewer([
          { role: "member", board_id: boards.alpha },
          { role: "secretary", board_id: boards.charlie },
        ]),
      ),
    ).toEqual(["Alpha Local Criminal Justice Board", "charlie youth justice board"]);
  });

  it("shows a partner no boards, and never another workspace's board", async () => {
    const partner = await listBoards(viewer([{ role: "partner", agency_id: 1 }]), {
      sort: "name",
      dir: "asc",
      page: 1,
      pageSize: 25,
      now: NOW,
    });
    expect(partner).toMatchObject({ rows: [], total: 0 });
    // A grant naming a board of another workspace reaches nothing.
    expect(await names(viewer([{ role: "secretary", board_id: boards.foreign }]))).toEqual([]);
  });

  it("pages in SQL with the total on every page", async () => {
    const page = (n: number) =>
      listBoards(admin(), { sort: "name", dir: "asc", page: n, pageSize: 2, now: NOW });
    const first = await page(1);
    expect(first.rows.map((row) => row.name)).toEqual([
      "Alpha Local Criminal Justice Board",
      "Bravo Community Safety Partnership",
    ]);
    expect(first.total).toBe(3);
    const second = await page(2);
    expect(second.rows.map((row) => row.name)).toEqual(["charlie youth justice board"]);
    expect(second.total).toBe(3);
    const beyond = await page(3);
    expect(beyond.rows).toEqual([]);
    expect(beyond.total).toBe(3);
  });

  it("answers with one query however many boards there are", async () => {
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery(args) {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    for (let i = 0; i < 20; i++) await insertBoard(handle.db, otherWs, { name: `Extra board ${i}` });
    const many = makeViewer(handle.db.withPlugin(counting), otherWs, [{ role: "admin" }]);
    const list = await listBoards(many, { sort: "members", dir: "desc", page: 1, pageSize: 10, now: NOW });
    expect(list.rows).toHaveLength(10);
    expect(list.total).toBe(21);
    expect(queries).toBe(1);
  });
});

describe("getBoardPage", () => {
  it("gives the board's details, current members in role order and its meetings", async () => {
    const page = await getBoardPage(admin(), boards.bravo, { now: NOW });
    expect(page.board).toMatchObject({
      id: boards.bravo,
      name: "Bravo Community Safety Partnership",
      type: "csp",
    });
    expect(page.members.map((m) => [m.name, m.role, m.agencyName])).toEqual([
      ["Ann Archer", "chair", "Northshire Police"],
      ["Ben Baker", "member", "Probation Service"],
      ["Cat Cooper", "member", "Northshire Police"],
      ["Ben Baker", "adviser", "Probation Service"],
    ]);
    expect(page.upcomingMeetings.map((m) => m.startsAt)).toEqual([new Date("2026-06-20T13:00:00Z")]);
    expect(page.recentMeetings.map((m) => m.startsAt)).toEqual([
      new Date("2026-06-10T13:00:00Z"),
      new Date("2026-04-01T09:00:00Z"),
      new Date("2026-03-01T10:00:00Z"),
    ]);
    const april = page.recentMeetings.find((m) => m.id === bravoAprilMeeting);
    expect(april).toMatchObject({
      status: "held",
      format: "hybrid",
      location: "Civic Centre",
      attended: 2,
      invited: 3,
    });
    expect(page.canRun).toBe(true);
  });

  it("lets a member read their board but not run it", async () => {
    const page = await getBoardPage(viewer([{ role: "member", board_id: boards.alpha }]), boards.alpha, {
      now: NOW,
    });
    expect(page.board.name).toBe("Alpha Local Criminal Justice Board");
    expect(page.canRun).toBe(false);
  });

  it("answers 404 for another workspace's board, even to an admin", async () => {
    await expect(getBoardPage(admin(), boards.foreign, { now: NOW })).rejects.toMatchObject({ status: 404 });
  });

  it("answers 404 for a board the viewer may not read, or that does not exist", async () => {
    const secretary = viewer([{ role: "secretary", board_id: boards.bravo }]);
    await expect(getBoardPage(secretary, boards.alpha, { now: NOW })).rejects.toMatchObject({ status: 404 });
    await expect(
      getBoardPage(viewer([{ role: "partner", agency_id: 1 }]), boards.bravo),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(getBoardPage(admin(), 999_999)).rejects.toMatchObject({ status: 404 });
    await expect(getBoardPage(admin(), -1)).rejects.toMatchObject({ status: 404 });
  });
});
