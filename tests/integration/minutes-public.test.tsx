import { parseFeed } from "@rowanmanning/feed-parser";
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as minutesRoute from "~/routes/meetings.$meetingId.minutes._index";
import * as editRoute from "~/routes/meetings.$meetingId.minutes.edit";
import * as workspacePage from "~/routes/public.$workspaceSlug._index";
import * as boardPage from "~/routes/public.$workspaceSlug.boards.$boardSlug._index";
import * as meetingPage from "~/routes/public.$workspaceSlug.boards.$boardSlug.minutes.$meetingId";
import * as boardFeed from "~/routes/public.$workspaceSlug.boards.$boardSlug.minutes[.]atom";
import * as workspaceFeed from "~/routes/public.$workspaceSlug.minutes[.]atom";
import { insertMeeting } from "../factories";
import { callRoute, type RouteModule } from "../routes";
import {
  type MinutesFixture,
  minutesFixture,
  publishThroughRoutes,
  SENSITIVE_TITLE,
} from "./minutes-fixture";

/*
 * The public side of published minutes: the pages and both Atom feeds, read signed out, on
 * a board with an OFFICIAL-SENSITIVE item. Whatever the public gets (the loader's data, the
 * rendered HTML, the feed XML) is checked as raw text: the sensitive item's discussion,
 * decision and action appear nowhere. The feeds are read by a real feed parser.
 */

const SECRET_DISCUSSION = "Case of Mr X: breach of licence conditions at 14 Acacia Avenue";
const SECRET_DECISION = "Refer Mr X to the MAPPA level 3 panel";
const SECRET_ACTION = "Share Mr X's risk assessment with children's services";
const SECRETS = [SECRET_DISCUSSION, SECRET_DECISION, SECRET_ACTION, "Mr X", "Acacia"];

let f: MinutesFixture;
let ws: string;
let otherMeetingId: number;
const boardSlug = "lcjb";

beforeAll(async () => {
  f = await minutesFixture("minutespublic");
  useDatabaseForTests(f.handle);
  ws = "minutespublic";
  // A public board that also meets in future (the upcoming meetings list).
  await f.handle.db
    .updateTable("boards")
    .set({ visibility: "public", sensitive_items_public: "restricted" })
    .where("id", "=", f.boardId)
    .execute();
  await insertMeeting(f.handle.db, f.ws, { board_id: f.boardId, starts_at: "2099-03-04T10:00:00Z" });
  otherMeetingId = (
    await insertMeeting(f.handle.db, f.ws, {
      board_id: f.boardId,
      starts_at: "2026-09-01T10:00:00Z",
      status: "held",
    })
  ).id;
  await publishThroughRoutes(
    f,
    ["Agreed as a true record.", SECRET_DISCUSSION, "Compliance is at **82%**."],
    {
      "items[1].newDecision": SECRET_DECISION,
      "items[1].newAction.title": SECRET_ACTION,
      "items[1].newAction.ownerAgency": String(f.agencyId),
      "items[1].newAction.dueDate": "2027-02-01",
      "items[2].newDecision": "The board agreed a Victims' Code audit.",
      "items[2].newAction.title": "Run the Victims' Code audit",
      "items[2].newAction.ownerAgency": String(f.agencyId),
      "items[2].newAction.dueDate": "2027-01-15",
    },
  );
});

afterAll(() => f?.handle.close());

interface PageModule extends RouteModule {
  default: ComponentType<never>;
}

/** The page as a signed-out browser gets it: the loader's data and the HTML rendered from it. */
async function publicPage(module: PageModule, path: string, pattern: string, params: Record<string, string>) {
  const loaded = await callRoute(module, { path, params });
  if (loaded.status !== 200) return { status: loaded.status, data: "", html: "", headers: loaded.headers };
  const Stub = createRoutesStub([{ id: "page", path: pattern, Component: module.default as ComponentType }]);
  const html = renderToString(
    <Stub initialEntries={[path]} hydrationData={{ loaderData: { page: loaded.body } }} />,
  );
  return { status: 200, data: JSON.stringify(loaded.body), html, headers: loaded.headers };
}

const minutesPath = () => `/public/${ws}/boards/${boardSlug}/minutes/${f.meetingId}`;
const meetingParams = () => ({ workspaceSlug: ws, boardSlug, meetingId: String(f.meetingId) });

async function feed(module: RouteModule, path: string, params: Record<string, string>, headers = {}) {
  return callRoute(module, { path, params, headers });
}

/** The board's feed as a signed-out reader fetches it. */
async function boardFeedXml(): Promise<string> {
  const answer = await feed(boardFeed, `/public/${ws}/boards/${boardSlug}/minutes.atom`, {
    workspaceSlug: ws,
    boardSlug,
  });
  return String(answer.body);
}

function expectNoSecrets(raw: string) {
  for (const secret of SECRETS) expect(raw).not.toContain(secret);
}

describe("a meeting's published minutes page", () => {
  it("shows the published minutes with the sensitive item as its title, marked Restricted, and nothing else of it", async () => {
    const page = await publicPage(
      meetingPage as PageModule,
      minutesPath(),
      "/public/:workspaceSlug/boards/:boardSlug/minutes/:meetingId",
      meetingParams(),
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain("Compliance is at <strong>82%</strong>.");
    expect(page.html).toContain("The board agreed a Victims&#x27; Code audit.");
    expect(page.html).toContain("Run the Victims&#x27; Code audit");
    expect(page.html).toContain(SENSITIVE_TITLE);
    expect(page.html).toContain("Restricted");
    expect(page.html).toContain("Ada Lovelace");
    expect(page.html).toContain("Grace Hopper");
    expectNoSecrets(page.data);
    expectNoSecrets(page.html);
  });

  it("leaves the sensitive item out entirely when the board hides them", async () => {
    await f.handle.db
      .updateTable("boards")
      .set({ sensitive_items_public: "hidden" })
      .where("id", "=", f.boardId)
      .execute();
    try {
      const page = await publicPage(
        meetingPage as PageModule,
        minutesPath(),
        "/public/:workspaceSlug/boards/:boardSlug/minutes/:meetingId",
        meetingParams(),
      );
      expect(page.html).toContain("Compliance is at");
      expect(page.html).not.toContain(SENSITIVE_TITLE);
      expect(page.data).not.toContain(SENSITIVE_TITLE);
      expectNoSecrets(page.html);
      const xml = String(
        (
          await feed(boardFeed, `/public/${ws}/boards/${boardSlug}/minutes.atom`, {
            workspaceSlug: ws,
            boardSlug,
          })
        ).body,
      );
      expect(xml).not.toContain(SENSITIVE_TITLE);
      expectNoSecrets(xml);
    } finally {
      await f.handle.db
        .updateTable("boards")
        .set({ sensitive_items_public: "restricted" })
        .where("id", "=", f.boardId)
        .execute();
    }
  });

  it("may be cached by shared caches when signed out, never when signed in", async () => {
    const anonymous = await callRoute(meetingPage, { path: minutesPath(), params: meetingParams() });
    expect(anonymous.headers?.get("Cache-Control")).toBe("public, max-age=300, stale-while-revalidate=600");
    expect(anonymous.headers?.get("Vary")).toBe("Cookie");
    const signedIn = await callRoute(meetingPage, {
      path: minutesPath(),
      params: meetingParams(),
      cookie: f.cookies.member,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers?.get("Cache-Control")).toBe("private, no-cache");
  });

  it("answers 404 for minutes never published, an unknown board or workspace", async () => {
    for (const [path, params] of [
      [
        `/public/${ws}/boards/${boardSlug}/minutes/${otherMeetingId}`,
        { ...meetingParams(), meetingId: String(otherMeetingId) },
      ],
      [`/public/${ws}/boards/nope/minutes/${f.meetingId}`, { ...meetingParams(), boardSlug: "nope" }],
      [
        `/public/nope/boards/${boardSlug}/minutes/${f.meetingId}`,
        { ...meetingParams(), workspaceSlug: "nope" },
      ],
    ] as const) {
      expect((await callRoute(meetingPage, { path, params })).status).toBe(404);
    }
  });
});

describe("the board's public page and the workspace's", () => {
  it("lists the published minutes and upcoming meetings, and links both feeds", async () => {
    const page = await publicPage(
      boardPage as PageModule,
      `/public/${ws}/boards/${boardSlug}`,
      "/public/:workspaceSlug/boards/:boardSlug",
      { workspaceSlug: ws, boardSlug },
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/public/${ws}/boards/${boardSlug}/minutes/${f.meetingId}"`);
    expect(page.html).toContain("8 October 2026");
    expect(page.html).not.toContain(`/minutes/${otherMeetingId}"`);
    expect(page.html).toContain("4 March 2099, 10:00am");
    expect(page.html).toContain(`href="/public/${ws}/boards/${boardSlug}/minutes.atom"`);
    expect(page.html).toContain(`href="/public/${ws}/boards/${boardSlug}/meetings.ics"`);
    expectNoSecrets(page.html);

    const index = await publicPage(workspacePage as PageModule, `/public/${ws}`, "/public/:workspaceSlug", {
      workspaceSlug: ws,
    });
    expect(index.html).toContain(`href="/public/${ws}/boards/${boardSlug}"`);
    expect(index.html).toContain(`href="/public/${ws}/minutes.atom"`);
  });
});

describe("the Atom feeds", () => {
  it("are valid Atom 1.0 that a feed parser reads: ids, times, links and authors, with no sensitive text", async () => {
    const board = await feed(boardFeed, `/public/${ws}/boards/${boardSlug}/minutes.atom`, {
      workspaceSlug: ws,
      boardSlug,
    });
    const all = await feed(workspaceFeed, `/public/${ws}/minutes.atom`, { workspaceSlug: ws });
    const minutes = await f.db
      .selectFrom("minutes")
      .select(["id", "published_at"])
      .where("meeting_id", "=", f.meetingId)
      .executeTakeFirstOrThrow();
    for (const [answer, feedId, self] of [
      [
        board,
        `tag:localhost,2026:workspace-${f.ws}:board-${f.boardId}:minutes`,
        `http://localhost/public/${ws}/boards/${boardSlug}/minutes.atom`,
      ],
      [all, `tag:localhost,2026:workspace-${f.ws}:minutes`, `http://localhost/public/${ws}/minutes.atom`],
    ] as const) {
      expect(answer.status).toBe(200);
      expect(answer.headers?.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
      expect(answer.headers?.get("Cache-Control")).toBe("public, max-age=900");
      const xml = String(answer.body);
      expectNoSecrets(xml);
      const parsed = parseFeed(xml);
      expect(parsed.meta).toEqual({ type: "atom", version: "1.0" });
      expect(parsed.self).toBe(self);
      expect(parsed.updated?.toISOString()).toBe(minutes.published_at?.toISOString());
      expect(parsed.authors.map((a) => a.name)).toEqual(["minutespublic partnership"]);
      expect(xml).toContain(`<id>${feedId}</id>`);
      expect(parsed.items).toHaveLength(1);
      const [item] = parsed.items;
      expect(item?.id).toBe(`tag:localhost,2026:workspace-${f.ws}:minutes-${minutes.id}`);
      expect(item?.title).toBe("Local Criminal Justice Board: minutes of the meeting on 8 October 2026");
      expect(item?.url).toBe(`http://localhost${minutesPath()}`);
      expect(item?.updated?.toISOString()).toBe(minutes.published_at?.toISOString());
      expect(item?.published?.toISOString()).toBe(minutes.published_at?.toISOString());
      expect(item?.authors.map((a) => a.name)).toEqual(["Local Criminal Justice Board"]);
      expect(item?.content).toContain("Compliance is at <strong>82%</strong>.");
      expect(item?.content).toContain(SENSITIVE_TITLE);
    }
  });

  it("answers 304 to a feed reader that already has the current feed", async () => {
    const params = { workspaceSlug: ws, boardSlug };
    const path = `/public/${ws}/boards/${boardSlug}/minutes.atom`;
    const first = await feed(boardFeed, path, params);
    const etag = first.headers?.get("ETag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await feed(boardFeed, path, params, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
  });

  it("keeps the published version public while re-opened minutes are corrected; republishing updates the entry, same id", async () => {
    const before = parseFeed(await boardFeedXml()).items[0];
    const version = async () =>
      (
        await f.db
          .selectFrom("minutes")
          .select("version")
          .where("meeting_id", "=", f.meetingId)
          .executeTakeFirstOrThrow()
      ).version;
    const reopen = await callRoute(minutesRoute, {
      method: "POST",
      path: `/meetings/${f.meetingId}/minutes`,
      params: { meetingId: String(f.meetingId) },
      cookie: f.cookies.secretary,
      form: { intent: "reopen", version: String(await version()), reason: "Wrong figure" },
    });
    expect(reopen.status).toBe(302);
    const items = await f.db
      .selectFrom("minute_items")
      .select(["agenda_item_id", "discussion"])
      .where("agenda_item_id", "in", f.itemIds)
      .execute();
    const text = (id: number) => items.find((i) => i.agenda_item_id === id)?.discussion ?? "";
    const edit = await callRoute(editRoute, {
      method: "POST",
      path: `/meetings/${f.meetingId}/minutes/edit`,
      params: { meetingId: String(f.meetingId) },
      cookie: f.cookies.secretary,
      form: {
        intent: "save",
        version: String(await version()),
        "items[0].id": String(f.itemIds[0]),
        "items[0].discussion": text(f.itemIds[0]),
        "items[1].id": String(f.itemIds[1]),
        "items[1].discussion": text(f.itemIds[1]),
        "items[2].id": String(f.itemIds[2]),
        "items[2].discussion": "Compliance is at **78%** (corrected).",
      },
    });
    expect(edit.status).toBe(302);

    // Still the published text in public while the correction is a draft.
    const during = await publicPage(
      meetingPage as PageModule,
      minutesPath(),
      "/public/:workspaceSlug/boards/:boardSlug/minutes/:meetingId",
      meetingParams(),
    );
    expect(during.html).toContain("82%");
    expect(during.html).not.toContain("78%");

    await publishThroughRoutes(f, [
      text(f.itemIds[0]),
      text(f.itemIds[1]),
      "Compliance is at **78%** (corrected).",
    ]);
    const after = parseFeed(await boardFeedXml()).items[0];
    expect(after?.id).toBe(before?.id);
    expect(after?.published?.toISOString()).toBe(before?.published?.toISOString());
    expect(after?.updated?.getTime()).toBeGreaterThan(before?.updated?.getTime() ?? Number.POSITIVE_INFINITY);
    expect(after?.content).toContain("78%");
    expect(after?.description).toContain("Corrected and republished");
  });
});

describe("a private board", () => {
  it("answers 404 on every public page and feed", async () => {
    await f.handle.db
      .updateTable("boards")
      .set({ visibility: "private" })
      .where("id", "=", f.boardId)
      .execute();
    try {
      const checks: [RouteModule, string, Record<string, string>][] = [
        [workspacePage, `/public/${ws}`, { workspaceSlug: ws }],
        [workspaceFeed, `/public/${ws}/minutes.atom`, { workspaceSlug: ws }],
        [boardPage, `/public/${ws}/boards/${boardSlug}`, { workspaceSlug: ws, boardSlug }],
        [boardFeed, `/public/${ws}/boards/${boardSlug}/minutes.atom`, { workspaceSlug: ws, boardSlug }],
        [meetingPage, minutesPath(), meetingParams()],
      ];
      for (const [module, path, params] of checks) {
        const answer = await callRoute(module, { path, params });
        expect(answer.status, path).toBe(404);
        expectNoSecrets(String(answer.body));
      }
    } finally {
      await f.handle.db
        .updateTable("boards")
        .set({ visibility: "public" })
        .where("id", "=", f.boardId)
        .execute();
    }
  });
});
