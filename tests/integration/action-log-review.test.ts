import type { Insertable, KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionLogReview } from "~/actions/review.server";
import { useDatabaseForTests } from "~/db.server";
import * as meetingPage from "~/routes/meetings.$meetingId._index";
import type { DatabaseHandle } from "../../db/client";
import type { ActionsTable } from "../../db/schema";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertBoard,
  insertMeeting,
  insertPartnership,
  insertUser,
  insertWorkspace,
  makeViewer,
} from "../factories";
import { callRoute, cookieFor, type RouteModule } from "../routes";

/*
 * The "action log review" agenda item: the board's open actions and those closed since its
 * previous held meeting, as at the end of a meeting that is over, as things stand before.
 *
 *   meetings  March (held), May (held, reviewed), June (scheduled, reviewed), 1 May other board
 *   action    raised   closed          at May's end (10:00–12:00, 12 May)   on 20 June (June: prev = May)
 *   early     1 Feb    done 5 Mar      closed before March: neither          neither
 *   sinceMar  1 Feb    done 20 Apr     closed since March                     neither (before May)
 *   afterMay  1 Apr    done 1 Jun      open (closed after the meeting)        closed since May
 *   open      1 Apr    –               open                                   open
 *   dropped   1 Apr    dropped 5 May   closed since March                     neither
 *   late      1 Jun    –               not yet raised                         open
 *   other board, other workspace: never.
 */

let handle: DatabaseHandle;
let ws: number;
let board: number;
let may: number;
let june: number;
let noReview: number;
const actions: Record<string, number> = {};
const NOW = new Date("2026-06-20T12:00:00Z");

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const db = handle.db;
  ws = (await insertWorkspace(db, { slug: "review" })).id;
  const agency = (await insertAgency(db, ws, { name: "Probation" })).id;
  board = (await insertBoard(db, ws, { name: "Reducing reoffending" })).id;
  const otherBoard = (await insertBoard(db, ws, { name: "Other board" })).id;
  const elsewhere = await insertPartnership(db, "reviewelsewhere");

  await insertMeeting(db, ws, { board_id: board, starts_at: "2026-03-10T10:00:00Z", status: "held" });
  may = (await insertMeeting(db, ws, { board_id: board, starts_at: "2026-05-12T09:00:00Z", status: "held" }))
    .id;
  june = (await insertMeeting(db, ws, { board_id: board, starts_at: "2026-06-23T09:00:00Z" })).id;
  // A held meeting of another board between March and May does not count as the previous one.
  await insertMeeting(db, ws, { board_id: otherBoard, starts_at: "2026-05-01T09:00:00Z", status: "held" });
  // A cancelled meeting of this board is not "held" either.
  await insertMeeting(db, ws, { board_id: board, starts_at: "2026-04-15T09:00:00Z", status: "cancelled" });
  noReview = (await insertMeeting(db, ws, { board_id: board, starts_at: "2026-07-14T09:00:00Z" })).id;
  for (const meetingId of [may, june]) {
    await db
      .insertInto("agenda_items")
      .values([
        {
          workspace_id: ws,
          meeting_id: meetingId,
          position: 0,
          title: "Minutes",
          standing_kind: "previous_minutes",
          purpose: "decision",
        },
        {
          workspace_id: ws,
          meeting_id: meetingId,
          position: 1,
          title: "Action log review",
          standing_kind: "action_log_review",
          purpose: "discussion",
        },
      ])
      .execute();
  }

  const add = async (
    name: string,
    values: Partial<Omit<Insertable<ActionsTable>, "workspace_id">> & { created_at: string },
    workspaceId = ws,
    agencyId = agency,
    boardId = board,
  ) => {
    const row = await db
      .insertInto("actions")
      .values({
        title: `Action ${name}`,
        owner_agency_id: agencyId,
        due_date: "2026-06-01",
        board_id: boardId,
        ...values,
        workspace_id: workspaceId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    actions[name] = Number(row.id);
  };
  await add("early", {
    created_at: "2026-02-01T09:00:00Z",
    status: "done",
    completed_at: "2026-03-05T09:00:00Z",
  });
  await add("sinceMar", {
    created_at: "2026-02-01T09:00:00Z",
    status: "done",
    completed_at: "2026-04-20T09:00:00Z",
  });
  await add("afterMay", {
    created_at: "2026-04-01T09:00:00Z",
    status: "done",
    completed_at: "2026-06-01T09:00:00Z",
  });
  await add("open", { created_at: "2026-04-01T09:00:00Z", status: "in_progress", due_date: "2026-07-30" });
  await add("dropped", {
    created_at: "2026-04-01T09:00:00Z",
    status: "dropped",
    completed_at: "2026-05-05T09:00:00Z",
  });
  await add("late", { created_at: "2026-06-01T09:00:00Z", status: "open", due_date: "2026-06-05" });
  await add("otherBoard", { created_at: "2026-04-01T09:00:00Z", status: "open" }, ws, agency, otherBoard);
  await add(
    "otherWorkspace",
    { created_at: "2026-04-01T09:00:00Z", status: "open" },
    elsewhere.workspaceId,
    elsewhere.agencyId,
    elsewhere.boardId,
  );
});
afterAll(() => handle?.close());

const ids = (list: { id: number }[]) => list.map((a) => a.id);

/** A reader of the board whose every query is counted. */
function countingReader() {
  const counter = { queries: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const viewer = makeViewer(handle.db.withPlugin(plugin), ws, [{ role: "member", board_id: board }]);
  return { viewer, counter };
}

describe("the action log review", () => {
  it("shows a past meeting the actions open at its end and those closed since the previous held meeting, in one query", async () => {
    const { viewer, counter } = countingReader();
    const review = await actionLogReview(viewer, may, NOW);
    expect(counter.queries).toBe(1);
    expect(review).toMatchObject({
      previousMeeting: { startsAt: new Date("2026-03-10T10:00:00Z") },
      asAt: new Date("2026-05-12T11:00:00Z"),
      frozen: true,
    });
    // Due 1 June and 30 July: open at the meeting; afterMay shows its status now (done).
    expect(ids(review?.open ?? [])).toEqual([actions.afterMay, actions.open]);
    expect(review?.open[0]).toMatchObject({ status: "done", ref: `ACT-${actions.afterMay}` });
    expect(ids(review?.closed ?? []).sort()).toEqual([actions.sinceMar, actions.dropped].sort());
  });

  it("shows a meeting still to come the log as it stands, closed since the last held meeting", async () => {
    const review = await actionLogReview(countingReader().viewer, june, NOW);
    expect(review).toMatchObject({ asAt: NOW, frozen: false, previousMeeting: { id: may } });
    expect(ids(review?.open ?? [])).toEqual([actions.late, actions.open]);
    // Today's RAG: "late" is past its due date.
    expect(review?.open[0]?.rag).toBe("red");
    expect(ids(review?.closed ?? [])).toEqual([actions.afterMay]);
  });

  it("gives nothing for a meeting whose agenda has no such item, and 404 to those who do not read the board", async () => {
    expect(await actionLogReview(countingReader().viewer, noReview, NOW)).toBeNull();
    const partner = makeViewer(handle.db, ws, [{ role: "partner", agency_id: 1 }]);
    await expect(actionLogReview(partner, may, NOW)).rejects.toMatchObject({ status: 404 });
    const stranger = makeViewer(handle.db, ws + 1, [{ role: "admin" }]);
    await expect(actionLogReview(stranger, may, NOW)).rejects.toMatchObject({ status: 404 });
  });

  it("is on the meeting page for the board's readers", async () => {
    await insertUser(handle.db, ws, { email: "reader@review.test" }, [{ role: "member", board_id: board }]);
    const outcome = await callRoute(meetingPage as unknown as RouteModule, {
      path: `/meetings/${june}`,
      params: { meetingId: String(june) },
      cookie: await cookieFor(handle.db, "reader@review.test"),
    });
    expect(outcome.status).toBe(200);
    const review = (outcome.body as { review: { open: { id: number }[]; closed: { id: number }[] } }).review;
    // The June meeting is over by the time this runs: the log as it stood at its end.
    expect(ids(review.open)).toEqual([actions.late, actions.open]);
    expect(ids(review.closed)).toEqual([actions.afterMay]);
  });
});
