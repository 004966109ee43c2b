import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACTION_CSV_HEADER,
  type ActionFilters,
  type ActionListItem,
  type ActionSort,
  csvForActions,
  getAction,
  listActions,
  postUpdate,
  RESTRICTED_TITLE,
} from "../../app/actions/actions.server";
import { ACTION_RAGS, type ActionRag, ragOn } from "../../app/actions/rag";
import type { Viewer } from "../../app/auth/viewer.server";
import type { SortDirection } from "../../app/components/table-state";
import type { ActionStatus } from "../../db/schema";
import { parseCsv } from "../csv";
import { insertAgency, insertBoard, insertPerson, insertWorkspace, makeViewer } from "../factories";
import {
  type ActionsFixture,
  actionsFixture,
  type FixtureRole,
  NOW,
  SENSITIVE_TEXT,
} from "./actions-fixture";

/*
 * The action log's domain module against a real database: who sees which actions, what a
 * restricted row hides, filters, sorting and paging in SQL, posting updates with the
 * version check, and the CSV export. "Today" is 15 June 2026 in London.
 */

let f: ActionsFixture;

beforeAll(async () => {
  f = await actionsFixture("actionlog");
});
afterAll(() => f?.handle.close());

const everything = { sort: "ref" as ActionSort, dir: "asc" as SortDirection, page: 1, pageSize: 100 };

async function list(role: FixtureRole | Viewer, filters: ActionFilters = {}, table = everything) {
  const viewer = typeof role === "string" ? f.viewers[role] : role;
  return listActions(viewer, filters, table, { now: NOW });
}

async function ids(role: FixtureRole, filters: ActionFilters = {}) {
  return (await list(role, filters)).rows.map((row) => row.id).sort((a, b) => a - b);
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

async function status404(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
  return "answered";
}

describe("who sees which actions", () => {
  it("shows admins and leaders every action of the workspace, nothing restricted", async () => {
    const a = f.actions;
    const all = sorted([
      a.alphaPolice,
      a.bravoSecret,
      a.bravoSupport,
      a.bravoCouncil,
      a.charlieCouncil,
      a.alphaSecret,
      a.charlieFire,
    ]);
    for (const role of ["admin", "leader"] as const) {
      const result = await list(role);
      expect(result.rows.map((row) => row.id).sort((x, y) => x - y)).toEqual(all);
      expect(result.rows.some((row) => row.restricted)).toBe(false);
      expect(result.total).toBe(7);
    }
  });

  it("shows a partner exactly their agency's actions across boards, as lead or supporting agency", async () => {
    expect(await ids("partner")).toEqual(
      sorted([f.actions.alphaPolice, f.actions.bravoSecret, f.actions.bravoSupport]),
    );
  });

  it("shows a member their board's actions and their agency's actions on other boards", async () => {
    const a = f.actions;
    expect(await ids("member")).toEqual(
      sorted([a.alphaPolice, a.alphaSecret, a.bravoCouncil, a.charlieCouncil]),
    );
  });

  it("shows a secretary their board's actions and their own agency's", async () => {
    const a = f.actions;
    expect(await ids("secretary")).toEqual(sorted([a.alphaPolice, a.alphaSecret, a.charlieFire]));
  });

  it("never shows another workspace's actions, and shows its own admin only theirs", async () => {
    expect(await ids("outsider")).toEqual([f.actions.foreign]);
    expect(await ids("admin")).not.toContain(f.actions.foreign);
  });

  it("shows nothing to someone with no grants and no person record", async () => {
    const nobody = makeViewer(f.root, f.ws, []);
    expect((await list(nobody)).rows).toEqual([]);
  });

  it("agrees with can.readAction one action at a time (getAction 404s exactly the rest)", async () => {
    const every = Object.values(f.actions);
    for (const role of ["admin", "leader", "secretary", "member", "partner", "outsider"] as const) {
      const visible = new Set(await ids(role));
      for (const id of every) {
        const answer = await status404(getAction(f.viewers[role], id, { now: NOW }));
        expect(answer, `${role} asking for action ${id}`).toBe(visible.has(id) ? "answered" : 404);
      }
    }
  });
});

describe("OFFICIAL-SENSITIVE actions on boards the viewer does not sit on", () => {
  it("show the partner 'Restricted action' with no update, and the official fields", async () => {
    const result = await list("partner");
    const secret = result.rows.find((row) => row.id === f.actions.bravoSecret);
    expect(secret).toMatchObject({
      title: RESTRICTED_TITLE,
      restricted: true,
      classification: "official_sensitive",
      board: { name: "Bravo board" },
      ownerAgency: { name: "Northshire Police" },
      ownerPerson: { name: "Priya Constable" },
      dueDate: "2026-06-10",
      status: "in_progress",
      rag: "red",
      latestUpdate: null,
    });
    const json = JSON.stringify(result);
    for (const text of Object.values(SENSITIVE_TEXT)) expect(json).not.toContain(text);
    expect(json).not.toMatch(/Nightjar/);
  });

  it("show members of that board everything", async () => {
    const member = await list("member");
    const alphaSecret = member.rows.find((row) => row.id === f.actions.alphaSecret);
    expect(alphaSecret).toMatchObject({ title: SENSITIVE_TEXT.alphaSecretTitle, restricted: false });
    // …but the council's sensitive action on Bravo, which the member does not sit on, is restricted.
    const bravoCouncil = member.rows.find((row) => row.id === f.actions.bravoCouncil);
    expect(bravoCouncil).toMatchObject({ title: RESTRICTED_TITLE, restricted: true, rag: "complete" });
  });

  it("give a restricted action's page no description, outcome or updates, but say how many", async () => {
    const page = await getAction(f.viewers.partner, f.actions.bravoSecret, { now: NOW });
    expect(page.action).toMatchObject({ title: RESTRICTED_TITLE, description: null, outcome: null });
    expect(page.updates).toEqual([]);
    expect(page.updateCount).toBe(1);
    expect(page.canUpdate).toBe(true); // the police lead it: a partner may still post progress
    expect(JSON.stringify(page)).not.toMatch(/Nightjar/);

    const council = await getAction(f.viewers.member, f.actions.bravoCouncil, { now: NOW });
    expect(council.action).toMatchObject({ restricted: true, outcome: null, status: "done" });
    expect(council.canUpdate).toBe(false);
    expect(JSON.stringify(council)).not.toMatch(/Nightjar/);
  });

  it("cannot be found by searching for words in their hidden title", async () => {
    expect(await ids("partner", { q: "Nightjar" })).toEqual([]);
    expect(await ids("partner", { q: "covert" })).toEqual([]);
    expect(await ids("admin", { q: "nightjar" })).toEqual(
      sorted([f.actions.bravoSecret, f.actions.bravoCouncil]),
    );
  });

  it("sort by the title the viewer sees, so their place does not give the hidden title away", async () => {
    const byTitle = await list("partner", {}, { ...everything, sort: "title", dir: "asc" });
    expect(byTitle.rows.map((row) => row.title)).toEqual([
      "Alpha police plan",
      "Bravo probation referral pathway",
      RESTRICTED_TITLE,
    ]);
  });
});

describe("one action", () => {
  it("gives the details, supporting agencies, meeting of origin and updates newest first", async () => {
    const page = await getAction(f.viewers.partner, f.actions.alphaPolice, { now: NOW });
    expect(page.action).toMatchObject({
      ref: `ACT-${f.actions.alphaPolice}`,
      title: "Alpha police plan",
      description: "Draft the police plan for the board.",
      rag: "amber",
      meeting: { id: f.alphaMeeting, startsAt: new Date("2026-05-12T09:00:00Z") },
      latestUpdate: { body: "Latest note on the police plan" },
    });
    expect(page.updates.map((u) => u.body)).toEqual([
      "Latest note on the police plan",
      "First note on the police plan",
    ]);
    expect(page.canReadBoard).toBe(false);

    const support = await getAction(f.viewers.partner, f.actions.bravoSupport, { now: NOW });
    expect(support.action.supportingAgencies).toEqual([
      { id: f.agencies.police, name: "Northshire Police", shortName: "Northshire Police" },
    ]);
    expect(support.canUpdate).toBe(false); // supporting, not leading
  });

  it("answers 404 for another workspace's action, a missing one and a nonsense id", async () => {
    expect(await status404(getAction(f.viewers.admin, f.actions.foreign))).toBe(404);
    expect(await status404(getAction(f.viewers.outsider, f.actions.alphaPolice))).toBe(404);
    expect(await status404(getAction(f.viewers.admin, 9_999_999))).toBe(404);
    expect(await status404(getAction(f.viewers.admin, -1))).toBe(404);
  });
});

describe("filters", () => {
  it("filter by board, by agency (lead or supporting), by owner and by status", async () => {
    const a = f.actions;
    expect(await ids("admin", { board: f.boards.alpha })).toEqual(sorted([a.alphaPolice, a.alphaSecret]));
    expect(await ids("admin", { agency: f.agencies.police })).toEqual(
      sorted([a.alphaPolice, a.bravoSecret, a.bravoSupport]),
    );
    expect(await ids("admin", { agency: f.agencies.council })).toEqual(
      sorted([a.bravoCouncil, a.charlieCouncil]),
    );
    expect(await ids("admin", { owner: f.people.paul })).toEqual(sorted([a.bravoSupport, a.bravoCouncil]));
    expect(await ids("admin", { status: ["done", "dropped"] })).toEqual(
      sorted([a.bravoCouncil, a.charlieCouncil]),
    );
    // Filters narrow what the viewer may see; they never widen it.
    expect(await ids("partner", { board: f.boards.charlie })).toEqual([]);
    expect(await ids("partner", { agency: f.agencies.fire })).toEqual([]);
  });

  it("filter 'me' to the viewer's own actions, and to none for a viewer with no person record", async () => {
    expect(await ids("partner", { owner: "me" })).toEqual(
      sorted([f.actions.alphaPolice, f.actions.bravoSecret]),
    );
    expect(await ids("admin", { owner: "me" })).toEqual([]);
  });

  it("filter by RAG in SQL exactly as the TypeScript rule says", async () => {
    const a = f.actions;
    const expected: Record<ActionRag, number[]> = {
      red: [a.bravoSecret, a.alphaSecret],
      amber: [a.alphaPolice],
      green: [a.bravoSupport, a.charlieFire],
      complete: [a.bravoCouncil],
      dropped: [a.charlieCouncil],
    };
    for (const rag of ACTION_RAGS)
      expect(await ids("admin", { rag: [rag] }), rag).toEqual(sorted(expected[rag]));
    expect(await ids("admin", { rag: ["red", "amber"] })).toEqual(
      sorted([a.bravoSecret, a.alphaSecret, a.alphaPolice]),
    );
  });

  it("filter by due date range, inclusive at both ends", async () => {
    const a = f.actions;
    expect(await ids("admin", { dueFrom: "2026-06-10", dueTo: "2026-06-20" })).toEqual(
      sorted([a.bravoSecret, a.alphaSecret, a.alphaPolice]),
    );
    expect(await ids("admin", { dueFrom: "2026-07-01" })).toEqual(sorted([a.charlieFire, a.bravoSupport]));
    expect(await ids("admin", { dueTo: "2026-05-31" })).toEqual([a.bravoCouncil]);
  });

  it("search titles case-insensitively, by reference, and take % and _ literally", async () => {
    expect(await ids("admin", { q: "POLICE PLAN" })).toEqual([f.actions.alphaPolice]);
    expect(await ids("admin", { q: `ACT-${f.actions.charlieFire}` })).toEqual([f.actions.charlieFire]);
    expect(await ids("admin", { q: "act-9999999" })).toEqual([]);
    expect(await ids("admin", { q: "%" })).toEqual([]);
    expect(await ids("admin", { q: "_" })).toEqual([]);
  });

  it("combine filters with AND", async () => {
    expect(await ids("admin", { board: f.boards.bravo, rag: ["green"], q: "referral" })).toEqual([
      f.actions.bravoSupport,
    ]);
  });
});

describe("sorting and paging in SQL", () => {
  let viewer: Viewer;
  let queries = 0;
  const statuses: ActionStatus[] = ["open", "in_progress", "done", "dropped"];

  beforeAll(async () => {
    const db = f.root;
    const ws = (await insertWorkspace(db, { slug: "paging" })).id;
    const agencies = [
      (await insertAgency(db, ws, { name: "agency b" })).id,
      (await insertAgency(db, ws, { name: "Agency A" })).id,
    ];
    const owner = (await insertPerson(db, ws, { full_name: "Olive Owner", agency_id: agencies[0]! })).id;
    const boards = [
      (await insertBoard(db, ws, { name: "Zulu board" })).id,
      (await insertBoard(db, ws, { name: "alpha board" })).id,
    ];
    const rows = Array.from({ length: 61 }, (_, i) => {
      const status = statuses[i % 4]!;
      const due = new Date(Date.UTC(2026, 5, 15 + ((i * 7) % 41) - 20)).toISOString().slice(0, 10);
      return {
        workspace_id: ws,
        board_id: boards[i % 2]!,
        owner_agency_id: agencies[(i >> 1) % 2]!,
        owner_person_id: i % 3 === 0 ? owner : null,
        title: `${["Review", "audit", "Plan", "report"][i % 4]} ${String(i).padStart(2, "0")}`,
        due_date: due,
        status,
        completed_at: status === "done" || status === "dropped" ? "2026-06-01T00:00:00Z" : null,
      };
    });
    await db.insertInto("actions").values(rows).execute();
    // Counts queries sent (a result per query); transformQuery also sees nested builders.
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries++;
        return args.result;
      },
    };
    viewer = makeViewer(db.withPlugin(counting), ws, [{ role: "admin" }]);
  });

  const all = async (sort: ActionSort, dir: SortDirection, filters: ActionFilters = {}) =>
    (await listActions(viewer, filters, { sort, dir, page: 1, pageSize: 100 }, { now: NOW })).rows;

  it("pages through every sort in both directions without repeating or skipping a row", async () => {
    for (const sort of [
      "ref",
      "title",
      "board",
      "agency",
      "owner",
      "due",
      "status",
      "rag",
      "updated",
    ] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const whole = await all(sort, dir);
        expect(whole).toHaveLength(61);
        const paged: number[] = [];
        for (let page = 1; page <= 9; page++) {
          const result = await listActions(viewer, {}, { sort, dir, page, pageSize: 7 }, { now: NOW });
          expect(result.total).toBe(61);
          paged.push(...result.rows.map((row) => row.id));
        }
        expect(paged, `${sort} ${dir}`).toEqual(whole.map((row) => row.id));
      }
    }
  });

  it("sorts by each column as the page shows it", async () => {
    const check = (
      rows: ActionListItem[],
      key: (row: ActionListItem) => string | number,
      dir: SortDirection,
    ) => {
      const keys = rows.map(key);
      const expected = [...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      expect(keys).toEqual(dir === "asc" ? expected : expected.reverse());
    };
    check(await all("due", "asc"), (row) => row.dueDate, "asc");
    check(await all("due", "desc"), (row) => row.dueDate, "desc");
    check(await all("title", "asc"), (row) => row.title.toLowerCase(), "asc");
    check(await all("board", "desc"), (row) => row.board.name.toLowerCase(), "desc");
    check(await all("agency", "asc"), (row) => row.ownerAgency.name.toLowerCase(), "asc");
    check(await all("ref", "desc"), (row) => row.id, "desc");
    const rank = (rag: ActionRag) => ACTION_RAGS.indexOf(rag);
    check(await all("rag", "asc"), (row) => rank(row.rag), "asc");
    check(
      await all("status", "asc"),
      (row) => ["open", "in_progress", "done", "dropped"].indexOf(row.status),
      "asc",
    );
    // No owner sorts last in both directions.
    for (const dir of ["asc", "desc"] as const) {
      const owners = (await all("owner", dir)).map((row) => row.ownerPerson?.name ?? null);
      expect(owners.slice(0, 21).every((name) => name === "Olive Owner")).toBe(true);
      expect(owners.slice(21).every((name) => name === null)).toBe(true);
    }
  });

  it("orders by RAG, then due date, then reference, in both directions (picked band by band)", async () => {
    const rank = (rag: ActionRag) => ACTION_RAGS.indexOf(rag);
    for (const dir of ["asc", "desc"] as const) {
      const rows = await all("rag", dir);
      const expected = [...rows].sort(
        (x, y) =>
          (dir === "asc" ? rank(x.rag) - rank(y.rag) : rank(y.rag) - rank(x.rag)) ||
          x.dueDate.localeCompare(y.dueDate) ||
          x.id - y.id,
      );
      expect(rows.map((row) => row.id)).toEqual(expected.map((row) => row.id));
      expect(new Set(rows.map((row) => row.rag)).size).toBeGreaterThan(2);
    }
  });

  it("works the RAG out in SQL the same as in TypeScript for every row", async () => {
    for (const row of await all("ref", "asc")) {
      expect(row.rag, `${row.status} due ${row.dueDate}`).toBe(ragOn(row, "2026-06-15"));
    }
  });

  it("uses one query for a part-filled page and two (rows and count) for a full one", async () => {
    queries = 0;
    await listActions(viewer, {}, { sort: "due", dir: "asc", page: 1, pageSize: 10 }, { now: NOW });
    expect(queries).toBe(2);
    queries = 0;
    const last = await listActions(
      viewer,
      {},
      { sort: "due", dir: "asc", page: 7, pageSize: 10 },
      { now: NOW },
    );
    expect(last.rows).toHaveLength(1);
    expect(last.total).toBe(61);
    expect(queries).toBe(1);
    queries = 0;
    const past = await listActions(
      viewer,
      {},
      { sort: "due", dir: "asc", page: 99, pageSize: 10 },
      { now: NOW },
    );
    expect(past).toMatchObject({ rows: [], total: 61 });
    expect(queries).toBe(2);
  });

  it("counts only what the filters let through", async () => {
    const red = await listActions(
      viewer,
      { rag: ["red"] },
      { sort: "due", dir: "asc", page: 1, pageSize: 5 },
      { now: NOW },
    );
    const expected = (await all("ref", "asc")).filter((row) => row.rag === "red").length;
    expect(red.total).toBe(expected);
    expect(red.rows.every((row) => row.rag === "red")).toBe(true);
  });
});

describe("posting an update", () => {
  const versionOf = async (id: number) =>
    await f.root
      .selectFrom("actions")
      .select(["version", "status", "completed_at", "outcome"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  const updateCount = async (id: number) =>
    Number(
      (
        await f.root
          .selectFrom("action_updates")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("action_id", "=", id)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("lets a partner post on their agency's action, moves the version on and audits it without the text", async () => {
    const id = f.actions.alphaPolice;
    const before = await versionOf(id);
    const outcome = await postUpdate(
      f.viewers.partner,
      id,
      { body: "Plan drafted; out for comment", version: before.version, status: "in_progress" },
      { now: new Date("2026-06-15T13:00:00Z"), ip: "192.0.2.1" },
    );
    expect(outcome).toMatchObject({ ok: true, version: before.version + 1, statusChanged: true });
    expect(await versionOf(id)).toMatchObject({
      version: before.version + 1,
      status: "in_progress",
      completed_at: null,
    });
    const page = await getAction(f.viewers.partner, id, { now: NOW });
    expect(page.updates[0]).toMatchObject({
      body: "Plan drafted; out for comment",
      statusTo: "in_progress",
      authorName: "Partner User",
    });
    expect(page.action.rag).toBe("green"); // started work is no longer amber
    const audit = await f.root
      .selectFrom("audit_events")
      .select(["event", "entity_id", "changes", "ip"])
      .where("workspace_id", "=", f.ws)
      .where("entity_type", "=", "action")
      .execute();
    expect(audit).toEqual([
      {
        event: "action.status_changed",
        entity_id: String(id),
        changes: {
          update_id: page.updates[0]!.id,
          version: [before.version, before.version + 1],
          status: ["open", "in_progress"],
        },
        ip: "192.0.2.1",
      },
    ]);
  });

  it("refuses a stale version and writes nothing", async () => {
    const id = f.actions.alphaPolice;
    const before = await versionOf(id);
    const count = await updateCount(id);
    const outcome = await postUpdate(f.viewers.partner, id, {
      body: "Written against an old page",
      version: before.version - 1,
      status: "done",
      outcome: "Finished",
    });
    expect(outcome).toEqual({
      ok: false,
      reason: "stale",
      currentVersion: before.version,
      currentStatus: before.status,
    });
    expect(await versionOf(id)).toEqual(before);
    expect(await updateCount(id)).toBe(count);
  });

  it("lets only one of two updates made from the same page through", async () => {
    const id = f.actions.alphaSecret;
    const { version } = await versionOf(id);
    const results = await Promise.all([
      postUpdate(f.viewers.secretary, id, { body: "First", version }),
      postUpdate(f.viewers.admin, id, { body: "Second", version }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "stale")).toHaveLength(1);
    expect((await versionOf(id)).version).toBe(version + 1);
  });

  it("needs an outcome to close an action, then records when; reopening clears both", async () => {
    const id = f.actions.alphaPolice;
    let { version } = await versionOf(id);
    const count = await updateCount(id);
    const refused = await postUpdate(f.viewers.partner, id, { body: "All done", version, status: "done" });
    expect(refused).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { outcome: ["Enter the outcome: what the action achieved"] },
    });
    expect(await updateCount(id)).toBe(count);

    const at = new Date("2026-06-16T09:00:00Z");
    const done = await postUpdate(
      f.viewers.partner,
      id,
      { body: "All done", version, status: "done", outcome: "Plan adopted by the board" },
      { now: at },
    );
    expect(done.ok).toBe(true);
    expect(await versionOf(id)).toMatchObject({
      status: "done",
      completed_at: at,
      outcome: "Plan adopted by the board",
    });
    ({ version } = await versionOf(id));
    const dropped = await postUpdate(f.viewers.partner, id, { body: "Actually", version, status: "dropped" });
    expect(dropped).toMatchObject({
      ok: false,
      fieldErrors: { outcome: ["Enter why the action was dropped"] },
    });

    const reopened = await postUpdate(f.viewers.partner, id, {
      body: "Reopened: the board asked for more",
      version,
      status: "open",
    });
    expect(reopened.ok).toBe(true);
    expect(await versionOf(id)).toMatchObject({ status: "open", completed_at: null, outcome: null });
  });

  it("answers 404 to those who may not update: a supporting agency, another agency, a leader, another workspace", async () => {
    const attempt = (role: FixtureRole, id: number) =>
      status404(postUpdate(f.viewers[role], id, { body: "Should not land", version: 1 }));
    expect(await attempt("partner", f.actions.bravoSupport)).toBe(404);
    expect(await attempt("partner", f.actions.charlieFire)).toBe(404);
    expect(await attempt("leader", f.actions.alphaPolice)).toBe(404);
    expect(await attempt("member", f.actions.charlieCouncil)).toBe(404); // their agency's, but not their board
    expect(await attempt("outsider", f.actions.alphaPolice)).toBe(404);
    expect(await attempt("admin", f.actions.foreign)).toBe(404);
    const landed = await f.root
      .selectFrom("action_updates")
      .select("id")
      .where("body", "=", "Should not land")
      .execute();
    expect(landed).toEqual([]);
  });

  it("lets the board's secretary update any of its actions, sensitive ones included", async () => {
    const id = f.actions.alphaSecret;
    const { version } = await versionOf(id);
    const outcome = await postUpdate(f.viewers.secretary, id, { body: "Risk reviewed", version });
    expect(outcome).toMatchObject({ ok: true, statusChanged: false });
  });
});

describe("the CSV export", () => {
  async function csv(viewer: Viewer, filters: ActionFilters = {}) {
    let text = "";
    for await (const chunk of csvForActions(viewer, filters, { now: NOW, sort: { sort: "ref", dir: "asc" } }))
      text += chunk;
    return text;
  }

  it("gives the partner their agency's rows, restricted as on the page, and parses back", async () => {
    const text = await csv(f.viewers.partner);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...ACTION_CSV_HEADER]);
    expect(rows.map((row) => row[0])).toEqual(
      sorted([f.actions.alphaPolice, f.actions.bravoSecret, f.actions.bravoSupport]).map((id) => `ACT-${id}`),
    );
    const secret = rows.find((row) => row[0] === `ACT-${f.actions.bravoSecret}`)!;
    const column = (name: (typeof ACTION_CSV_HEADER)[number]) => ACTION_CSV_HEADER.indexOf(name);
    expect(secret[column("Title")]).toBe(RESTRICTED_TITLE);
    expect(secret[column("Classification")]).toBe("OFFICIAL-SENSITIVE");
    expect(secret[column("Description")]).toBe("");
    expect(secret[column("Latest update")]).toBe("");
    expect(secret[column("RAG")]).toBe("Red");
    expect(secret[column("Owner agency")]).toBe("Northshire Police");
    expect(text).not.toMatch(/Nightjar/);
  });

  it("quotes commas, quotes and line breaks, and defuses formulas", async () => {
    const db = f.root;
    const ws = (await insertWorkspace(db, { slug: "csv-quoting" })).id;
    const agency = (await insertAgency(db, ws, { name: "Police, North" })).id;
    const board = (await insertBoard(db, ws, { name: 'The "Main" board' })).id;
    const titles = [
      'Say "hello", then\r\nleave',
      '=HYPERLINK("http://evil.example","click")',
      "+1 more",
      "-5",
      "@sum",
    ];
    for (const title of titles) {
      await db
        .insertInto("actions")
        .values({ workspace_id: ws, board_id: board, owner_agency_id: agency, title, due_date: "2026-07-01" })
        .execute();
    }
    const [, ...rows] = parseCsv(await csv(makeViewer(db, ws, [{ role: "admin" }])));
    expect(rows.map((row) => row[1])).toEqual([
      'Say "hello", then\r\nleave',
      '\'=HYPERLINK("http://evil.example","click")',
      "'+1 more",
      "-5",
      "'@sum",
    ]);
    expect(rows.every((row) => row[3] === 'The "Main" board' && row[4] === "Police, North")).toBe(true);
  });
});
