import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACTION_CSV_HEADER,
  type ActionListItem,
  RESTRICTED_TITLE,
  staleUpdateMessage,
} from "~/actions/actions.server";
import { useDatabaseForTests } from "~/db.server";
import * as actionsList from "~/routes/actions._index";
import * as actionPage from "~/routes/actions.$actionId";
import * as actionsCsv from "~/routes/actions[.]csv";
import type { DatabaseHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { parseCsv } from "../csv";
import { freshDatabase } from "../database";
import { callRoute, cookieFor, type RouteModule } from "../routes";
import { type ActionsFixture, actionsFixture, SENSITIVE_TEXT } from "./actions-fixture";

/*
 * The action log's routes as the framework calls them, with real session cookies: the list
 * (raw loader output), one action and its update form, and the CSV export. Then the demo
 * partnership: the partner signs in and sees the police's actions across all its boards.
 */

let f: ActionsFixture;
const detail = actionPage as unknown as RouteModule;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  f = await actionsFixture("actionroutes");
  useDatabaseForTests(f.handle);
});
afterAll(() => f?.handle.close());

interface ListBody {
  list: { rows: ActionListItem[]; total: number; page: number };
  views: { label: string; href: string; current: boolean }[];
  selected: { heading: string; tags: { label: string; href: string }[] }[];
  exportHref: string | null;
  boardName: string | null;
  filterResult?: { error?: Record<string, string[]> };
}

async function listFor(cookie: string, query = "") {
  const outcome = await callRoute(actionsList, { path: `/actions${query}`, cookie });
  return { ...outcome, body: outcome.body as ListBody };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const idsOf = (body: ListBody) => sorted(body.list.rows.map((row) => row.id));
const noSensitiveText = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  for (const sensitive of Object.values(SENSITIVE_TEXT)) expect(text).not.toContain(sensitive);
  expect(text).not.toMatch(/Nightjar/i);
};

describe("/actions", () => {
  it("sends a signed-out visitor to sign in and back", async () => {
    expect(await callRoute(actionsList, { path: "/actions?owner=me" })).toMatchObject({
      status: 302,
      location: "/sign-in?redirectTo=%2Factions%3Fowner%3Dme",
    });
  });

  it("shows the partner exactly their agency's actions, with no sensitive text anywhere in the loader's answer", async () => {
    const { status, body } = await listFor(f.cookies.partner);
    expect(status).toBe(200);
    expect(idsOf(body)).toEqual(
      sorted([f.actions.alphaPolice, f.actions.bravoSecret, f.actions.bravoSupport]),
    );
    expect(body.list.rows.find((row) => row.id === f.actions.bravoSecret)?.title).toBe(RESTRICTED_TITLE);
    noSensitiveText(body);
    // "My agency's actions" is the same page with the agency chosen: the same rows for a partner.
    const mine = body.views.find((view) => view.label === "My agency’s actions");
    expect(mine?.href).toBe(`/actions?agency=${f.agencies.police}`);
    const agencyView = await listFor(f.cookies.partner, `?agency=${f.agencies.police}`);
    expect(idsOf(agencyView.body)).toEqual(idsOf(body));
    expect(agencyView.body.views.find((view) => view.current)?.label).toBe("My agency’s actions");
    noSensitiveText(agencyView.body);
  });

  it("shows a member their board's actions, sensitive ones in full, as the board's action log", async () => {
    const { body } = await listFor(f.cookies.member, `?board=${f.boards.alpha}`);
    expect(idsOf(body)).toEqual(sorted([f.actions.alphaPolice, f.actions.alphaSecret]));
    expect(body.boardName).toBe("Alpha board");
    expect(body.list.rows.map((row) => row.title)).toContain(SENSITIVE_TEXT.alphaSecretTitle);
    expect(body.selected).toEqual([
      { heading: "Board", tags: [{ label: "Alpha board", href: "/actions?sort=rag&dir=asc" }] },
    ]);
  });

  it("shows a member their agency's actions on other boards, restricted where sensitive", async () => {
    const { body } = await listFor(f.cookies.member, `?agency=${f.agencies.council}`);
    expect(idsOf(body)).toEqual(sorted([f.actions.bravoCouncil, f.actions.charlieCouncil]));
    expect(body.list.rows.find((row) => row.id === f.actions.bravoCouncil)?.title).toBe(RESTRICTED_TITLE);
    noSensitiveText(body);
  });

  it("filters by RAG, due range and text, sorts and pages in the URL, and links the export with them", async () => {
    // Complete and dropped do not depend on the day the test runs.
    const query =
      "?q=council&rag=complete&rag=dropped&dueFrom=2026-05-01&dueTo=2026-06-30&sort=title&dir=desc";
    const { body } = await listFor(f.cookies.admin, `${query}&pageSize=1&page=2`);
    expect(body.list).toMatchObject({ total: 2, page: 2 });
    // Title descending: "Charlie council housing audit", then the Bravo review.
    expect(body.list.rows.map((row) => row.id)).toEqual([f.actions.bravoCouncil]);
    expect(body.exportHref).toBe(`/actions.csv${query}`);
    const ragTags = body.selected.find((group) => group.heading === "RAG")?.tags ?? [];
    expect(ragTags.map((tag) => tag.label)).toEqual(["Complete", "Dropped"]);
    expect(ragTags[0]?.href).toBe(
      "/actions?q=council&rag=dropped&dueFrom=2026-05-01&dueTo=2026-06-30&sort=title&dir=desc",
    );
    const narrower = await listFor(f.cookies.admin, "?q=council&rag=complete&rag=dropped&dueTo=2026-05-31");
    expect(idsOf(narrower.body)).toEqual([f.actions.bravoCouncil]);
  });

  it("sends a page past the end to the last page, keeping the filters", async () => {
    expect(
      await callRoute(actionsList, { path: "/actions?status=open&page=50", cookie: f.cookies.admin }),
    ).toMatchObject({
      status: 302,
      location: "/actions?status=open&page=1",
    });
  });

  it("answers a filter it cannot read with 400 and the message beside the field", async () => {
    const { status, body } = await listFor(f.cookies.admin, "?dueFrom=2026-02-30&status=sideways");
    expect(status).toBe(400);
    expect(body.list.rows).toEqual([]);
    expect(body.filterResult?.error).toMatchObject({
      dueFrom: ["Enter a real date for ‘due from’, like 2027-03-03"],
      "status[0]": ["Select a status from the list"],
    });
  });

  it("shows another workspace's admin only their own workspace's actions", async () => {
    const { body } = await listFor(f.cookies.outsider);
    expect(idsOf(body)).toEqual([f.actions.foreign]);
  });
});

describe("/actions/:actionId", () => {
  const get = (id: number | string, cookie: string) =>
    callRoute(detail, { path: `/actions/${id}`, params: { actionId: String(id) }, cookie });
  const post = (id: number, cookie: string, form: Record<string, string>) =>
    callRoute(detail, {
      method: "POST",
      path: `/actions/${id}`,
      params: { actionId: String(id) },
      cookie,
      form,
    });
  const versionOf = async (id: number) =>
    (await f.root.selectFrom("actions").select("version").where("id", "=", id).executeTakeFirstOrThrow())
      .version;

  it("answers 404 for another workspace's action, whoever asks, and for a nonsense id", async () => {
    expect((await get(f.actions.foreign, f.cookies.admin)).status).toBe(404);
    expect((await get(f.actions.alphaPolice, f.cookies.outsider)).status).toBe(404);
    expect((await get("12abc", f.cookies.admin)).status).toBe(404);
    expect((await get(f.actions.charlieFire, f.cookies.partner)).status).toBe(404);
  });

  it("shows the partner a restricted action's official fields only", async () => {
    const outcome = await get(f.actions.bravoSecret, f.cookies.partner);
    expect(outcome.status).toBe(200);
    expect(outcome.body).toMatchObject({
      action: { title: RESTRICTED_TITLE, restricted: true, description: null, dueDate: "2026-06-10" },
      updates: [],
      updateCount: 1,
      canUpdate: true,
    });
    noSensitiveText(outcome.body);
  });

  it("lets a partner post an update on their agency's action and shows it", async () => {
    const id = f.actions.alphaPolice;
    const version = await versionOf(id);
    const outcome = await post(id, f.cookies.partner, {
      body: "Consultation closes Friday",
      status: "in_progress",
      version: String(version),
    });
    expect(outcome).toMatchObject({ status: 302, location: `/actions/${id}?done=status#progress` });
    const page = await callRoute(detail, {
      path: `/actions/${id}?done=status`,
      params: { actionId: String(id) },
      cookie: f.cookies.partner,
    });
    const body = page.body as { updates: unknown[] };
    expect(body).toMatchObject({
      action: { status: "in_progress", version: version + 1 },
      doneMessage: "Your update has been posted and the action is now ‘In progress’.",
    });
    expect(body.updates).toHaveLength(3);
    expect(body.updates[0]).toMatchObject({
      body: "Consultation closes Friday",
      statusTo: "in_progress",
      authorName: "Partner User",
    });
  });

  it("answers 404 to a partner posting on an action their agency only supports, or another agency's", async () => {
    for (const id of [f.actions.bravoSupport, f.actions.charlieFire]) {
      const outcome = await post(id, f.cookies.partner, { body: "Not mine", status: "open", version: "1" });
      expect(outcome.status).toBe(404);
      // A refused form from someone who may not update reveals nothing either.
      expect((await post(id, f.cookies.partner, { body: "", status: "open", version: "1" })).status).toBe(
        404,
      );
    }
    const landed = await f.root
      .selectFrom("action_updates")
      .select("id")
      .where("body", "=", "Not mine")
      .execute();
    expect(landed).toEqual([]);
  });

  it("refuses a stale version with a clear message, keeping what was typed, and writes nothing", async () => {
    const id = f.actions.alphaPolice;
    const version = await versionOf(id);
    const { status } = await f.root
      .selectFrom("actions")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const outcome = await post(id, f.cookies.partner, {
      body: "Typed on a page opened an hour ago",
      status: "done",
      openedStatus: "open",
      outcome: "Adopted",
      version: String(version - 1),
    });
    expect(outcome.status).toBe(409);
    expect(outcome.body).toMatchObject({
      result: {
        status: "error",
        error: { "": [staleUpdateMessage(status)] },
        // A status the user chose is kept with the text.
        initialValue: { body: "Typed on a page opened an hour ago", status: "done", outcome: "Adopted" },
      },
    });
    expect(await versionOf(id)).toBe(version);
    const landed = await f.root
      .selectFrom("action_updates")
      .select("id")
      .where("body", "=", "Typed on a page opened an hour ago")
      .execute();
    expect(landed).toEqual([]);
  });

  it("puts the current status back in a refused stale form whose status was left as it was", async () => {
    const id = f.actions.alphaPolice;
    const version = await versionOf(id);
    // The page was opened while the action was "open"; someone has since made it "in progress".
    const outcome = await post(id, f.cookies.partner, {
      body: "Just a note",
      status: "open",
      openedStatus: "open",
      version: String(version - 1),
    });
    expect(outcome.status).toBe(409);
    expect(outcome.body).toMatchObject({
      result: { initialValue: { body: "Just a note", status: "in_progress" } },
    });
  });

  it("puts the messages beside the fields: no update text, closing without an outcome", async () => {
    const id = f.actions.alphaPolice;
    const version = String(await versionOf(id));
    const empty = await post(id, f.cookies.partner, { body: "  ", status: "open", version });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ result: { error: { body: ["Enter a progress update"] } } });
    const closing = await post(id, f.cookies.partner, { body: "Finished", status: "done", version });
    expect(closing.status).toBe(400);
    expect(closing.body).toMatchObject({
      result: {
        error: { outcome: ["Enter the outcome: what the action achieved"] },
        initialValue: { body: "Finished" },
      },
    });
  });
});

describe("/actions.csv", () => {
  const csvFor = (cookie: string, query = "") =>
    callRoute(actionsCsv, { path: `/actions.csv${query}`, cookie });

  it("downloads the partner's actions as CSV that parses back, restricted as on the page", async () => {
    const response = await actionsCsv.loader({
      request: new Request("http://localhost/actions.csv", { headers: { Cookie: f.cookies.partner } }),
    } as Parameters<typeof actionsCsv.loader>[0]);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="actions-actionroutes-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark
    const text = new TextDecoder().decode(bytes);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...ACTION_CSV_HEADER]);
    expect(rows.map((row) => row[0]).sort()).toEqual(
      [f.actions.alphaPolice, f.actions.bravoSecret, f.actions.bravoSupport].map((id) => `ACT-${id}`).sort(),
    );
    expect(rows.find((row) => row[0] === `ACT-${f.actions.bravoSecret}`)?.[1]).toBe(RESTRICTED_TITLE);
    noSensitiveText(text);
  });

  it("applies the page's filters and sort", async () => {
    const outcome = await csvFor(f.cookies.admin, `?board=${f.boards.bravo}&sort=ref&dir=desc`);
    const [, ...rows] = parseCsv(outcome.body as string);
    expect(rows.map((row) => row[0])).toEqual(
      [f.actions.bravoSecret, f.actions.bravoSupport, f.actions.bravoCouncil]
        .sort((a, b) => b - a)
        .map((id) => `ACT-${id}`),
    );
    // Admins see the sensitive titles.
    expect(rows.map((row) => row[1])).toContain(SENSITIVE_TEXT.bravoSecretTitle);
  });

  it("answers a filter it cannot read with 400", async () => {
    const outcome = await csvFor(f.cookies.admin, "?dueTo=yesterday");
    expect(outcome.status).toBe(400);
  });

  it("records the export in the audit trail, without the search text", async () => {
    await csvFor(f.cookies.member, "?q=secret+words&status=open");
    const events = await f.root
      .selectFrom("audit_events")
      .select(["event", "changes"])
      .where("workspace_id", "=", f.ws)
      .where("event", "=", "actions.exported")
      .execute();
    expect(events.at(-1)?.changes).toEqual({ q: "(text search)", status: ["open"] });
    expect(JSON.stringify(events)).not.toContain("secret words");
  });
});

describe("the demo partnership", () => {
  let demo: DatabaseHandle;
  let partnerCookie: string;
  let police: number;
  let workspaceId: number;

  beforeAll(async () => {
    demo = await freshDatabase();
    useDatabaseForTests(demo);
    ({ workspaceId } = await seedDemo(demo.db, { now: new Date() }));
    police = (
      await demo.db
        .selectFrom("agencies")
        .select("id")
        .where("workspace_id", "=", workspaceId)
        .where("type", "=", "police")
        .executeTakeFirstOrThrow()
    ).id;
    partnerCookie = await cookieFor(demo.db, "partner@demo.test");
  });
  afterAll(async () => {
    useDatabaseForTests(f.handle);
    await demo?.close();
  });

  it("shows partner@demo.test every police action across the demo boards, and no sensitive title", async () => {
    const expected = await demo.db
      .selectFrom("actions as a")
      .select(["a.id", "a.board_id", "a.classification", "a.title"])
      .where("a.workspace_id", "=", workspaceId)
      .where((eb) =>
        eb.or([
          eb("a.owner_agency_id", "=", police),
          eb.exists(
            eb
              .selectFrom("action_supporting_agencies as s")
              .select("s.agency_id")
              .whereRef("s.action_id", "=", "a.id")
              .where("s.agency_id", "=", police),
          ),
        ]),
      )
      .execute();
    const { status, body } = await listFor(partnerCookie, "?pageSize=100");
    expect(status).toBe(200);
    expect(idsOf(body)).toEqual(sorted(expected.map((a) => a.id)));
    expect(new Set(body.list.rows.map((row) => row.board.id)).size).toBeGreaterThan(1);
    // The partner sits on no board, so every sensitive action is restricted, and its title
    // appears nowhere (unless an OFFICIAL action the partner may read has the same title).
    const sensitive = expected.filter((a) => a.classification === "official_sensitive");
    expect(sensitive.length).toBeGreaterThan(0);
    const officialTitles = new Set(
      expected.filter((a) => a.classification === "official").map((a) => a.title),
    );
    const json = JSON.stringify(body);
    for (const action of sensitive) {
      expect(body.list.rows.find((row) => row.id === action.id)?.title).toBe(RESTRICTED_TITLE);
      if (!officialTitles.has(action.title)) expect(json).not.toContain(action.title);
    }
  });
});
