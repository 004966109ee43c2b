import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import { parseSnapshot } from "~/minutes/snapshot";
import * as declarationsRoute from "~/routes/meetings.$meetingId.declarations";
import * as minutesRoute from "~/routes/meetings.$meetingId.minutes._index";
import * as historyRoute from "~/routes/meetings.$meetingId.minutes.history";
import * as meetingPage from "~/routes/public.$workspaceSlug.boards.$boardSlug.minutes.$meetingId";
import * as boardFeed from "~/routes/public.$workspaceSlug.boards.$boardSlug.minutes[.]atom";
import * as workspaceFeed from "~/routes/public.$workspaceSlug.minutes[.]atom";
import { callRoute, type RouteModule } from "../routes";
import { type MinutesFixture, minutesFixture, publishThroughRoutes } from "./minutes-fixture";

/*
 * Declarations of interest in the minutes: recorded at the meeting against agenda items (or
 * the whole meeting), they are part of each version's snapshot, so the minutes page, its
 * print (the same document) and the published pages and feeds show them as they were when
 * the minutes were saved. A declaration against an OFFICIAL-SENSITIVE item never reaches
 * the public: checked on the raw loader data, HTML and feed XML.
 */

const SECRET_DECLARATION = "Her brother-in-law lets the flat at 14 Acacia Avenue to Mr X";
const SECRET_INTEREST = "Landlord connections in Acacia Avenue";
const OPEN_DECLARATION = "Trustee of the victims' charity that bid for the audit contract";
const OPEN_INTEREST = "Trustee of Safer Streets Victim Support";
const WHOLE_MEETING = "Employed by the council that hosts the meeting";
const SECRETS = [SECRET_DECLARATION, "Acacia", "Mr X"];

let f: MinutesFixture;
const ws = "minutesdeclared";
const boardSlug = "lcjb";

async function interest(description: string): Promise<number> {
  const row = await f.handle.db
    .insertInto("interests")
    .values({ workspace_id: f.ws, person_id: f.personId, description, declared_on: "2026-01-01" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function declare(form: Record<string, string>) {
  const outcome = await callRoute(declarationsRoute, {
    method: "POST",
    path: `/meetings/${f.meetingId}/declarations`,
    params: { meetingId: String(f.meetingId) },
    cookie: f.cookies.secretary,
    form: { intent: "declare", personId: String(f.personId), ...form },
  });
  expect(outcome.status).toBe(302);
}

beforeAll(async () => {
  f = await minutesFixture(ws);
  useDatabaseForTests(f.handle);
  await f.handle.db
    .updateTable("boards")
    .set({ visibility: "public", sensitive_items_public: "restricted" })
    .where("id", "=", f.boardId)
    .execute();
  await declare({
    agendaItemId: String(f.itemIds[1]),
    interestId: String(await interest(SECRET_INTEREST)),
    text: SECRET_DECLARATION,
  });
  await declare({
    agendaItemId: String(f.itemIds[2]),
    interestId: String(await interest(OPEN_INTEREST)),
    text: OPEN_DECLARATION,
  });
  await declare({ text: WHOLE_MEETING });
  await publishThroughRoutes(f, ["Agreed.", "Case review discussed.", "Audit agreed."]);
});

afterAll(() => f?.handle.close());

interface PageModule extends RouteModule {
  default: ComponentType<never>;
}

/** A page as its viewer gets it: the loader's data and the HTML rendered from it. */
async function page(
  module: PageModule,
  path: string,
  pattern: string,
  params: Record<string, string>,
  cookie?: string,
) {
  const loaded = await callRoute(module, { path, params, cookie });
  expect(loaded.status).toBe(200);
  const Stub = createRoutesStub([{ id: "page", path: pattern, Component: module.default as ComponentType }]);
  const html = renderToString(
    <Stub initialEntries={[path]} hydrationData={{ loaderData: { page: loaded.body } }} />,
  ).replaceAll("<!-- -->", "");
  return { data: JSON.stringify(loaded.body), html };
}

const memberMinutes = () =>
  page(
    minutesRoute as PageModule,
    `/meetings/${f.meetingId}/minutes`,
    "/meetings/:meetingId/minutes",
    { meetingId: String(f.meetingId) },
    f.cookies.member,
  );

const publicMinutes = () =>
  page(
    meetingPage as PageModule,
    `/public/${ws}/boards/${boardSlug}/minutes/${f.meetingId}`,
    "/public/:workspaceSlug/boards/:boardSlug/minutes/:meetingId",
    { workspaceSlug: ws, boardSlug, meetingId: String(f.meetingId) },
  );

async function feeds(): Promise<string[]> {
  const board = await callRoute(boardFeed, {
    path: `/public/${ws}/boards/${boardSlug}/minutes.atom`,
    params: { workspaceSlug: ws, boardSlug },
  });
  const workspace = await callRoute(workspaceFeed, {
    path: `/public/${ws}/minutes.atom`,
    params: { workspaceSlug: ws },
  });
  expect(board.status).toBe(200);
  expect(workspace.status).toBe(200);
  return [String(board.body), String(workspace.body)];
}

/** The section of the HTML from an item's heading to the next item. */
function itemSection(html: string, agendaItemId: number): string {
  const start = html.indexOf(`id="item-${agendaItemId}"`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('class="app-minutes__item"', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
}

describe("declarations of interest in the minutes", () => {
  it("appear to board members under the items they were made on, sensitive ones included, and for the whole meeting", async () => {
    const { html } = await memberMinutes();
    expect(html).toContain("Declarations of interest");
    expect(html).toContain(`Ada Lovelace, Northshire Police: ${WHOLE_MEETING}`);
    const sensitive = itemSection(html, f.itemIds[1]);
    expect(sensitive).toContain(`Ada Lovelace, Northshire Police: ${SECRET_DECLARATION}`);
    expect(sensitive).toContain(`registered interest: ${SECRET_INTEREST}`);
    const open = itemSection(html, f.itemIds[2]);
    expect(open).toContain(OPEN_DECLARATION.replace("'", "&#x27;"));
    expect(open).not.toContain(SECRET_DECLARATION);
    expect(itemSection(html, f.itemIds[0])).not.toContain("Declarations of interest");
  });

  it("are published with the OFFICIAL item's and the whole meeting's declarations, never the sensitive one's, nor anyone's register", async () => {
    const { data, html } = await publicMinutes();
    expect(html).toContain(`Ada Lovelace, Northshire Police: ${WHOLE_MEETING}`);
    expect(itemSection(html, f.itemIds[2])).toContain(OPEN_DECLARATION.replace("'", "&#x27;"));
    for (const raw of [data, html]) {
      for (const secret of [...SECRETS, SECRET_INTEREST, OPEN_INTEREST]) expect(raw).not.toContain(secret);
    }
  });

  it("reach both Atom feeds the same way", async () => {
    for (const xml of await feeds()) {
      expect(xml).toContain(WHOLE_MEETING);
      expect(xml).toContain("Trustee of the victims");
      for (const secret of [...SECRETS, SECRET_INTEREST, OPEN_INTEREST]) expect(xml).not.toContain(secret);
    }
  });

  it("are left out with the whole sensitive item when the board hides such items", async () => {
    await f.handle.db
      .updateTable("boards")
      .set({ sensitive_items_public: "hidden" })
      .where("id", "=", f.boardId)
      .execute();
    try {
      const { data, html } = await publicMinutes();
      for (const raw of [data, html, ...(await feeds())]) {
        for (const secret of SECRETS) expect(raw).not.toContain(secret);
      }
    } finally {
      await f.handle.db
        .updateTable("boards")
        .set({ sensitive_items_public: "restricted" })
        .where("id", "=", f.boardId)
        .execute();
    }
  });

  it("are part of the published snapshot: one recorded later appears only once the minutes are saved and published again", async () => {
    const LATE = "Late declaration: a former employee of the audit contractor";
    await declare({ agendaItemId: String(f.itemIds[2]), text: LATE });
    expect((await publicMinutes()).html).not.toContain(LATE);
    expect((await memberMinutes()).html).not.toContain(LATE);

    const version = async () =>
      (
        await f.db
          .selectFrom("minutes")
          .select("version")
          .where("meeting_id", "=", f.meetingId)
          .executeTakeFirstOrThrow()
      ).version;
    const before = await version();
    const reopen = await callRoute(minutesRoute, {
      method: "POST",
      path: `/meetings/${f.meetingId}/minutes`,
      params: { meetingId: String(f.meetingId) },
      cookie: f.cookies.secretary,
      form: { intent: "reopen", version: String(before), reason: "Add a late declaration" },
    });
    expect(reopen.status).toBe(302);
    await publishThroughRoutes(f, ["Agreed.", "Case review discussed.", "Audit agreed."]);
    expect((await publicMinutes()).html).toContain(LATE);
    expect((await memberMinutes()).html).toContain(LATE);

    // The history shows the declaration added between the two published versions.
    const history = await callRoute(historyRoute, {
      path: `/meetings/${f.meetingId}/minutes/history?from=${before}&to=${await version()}`,
      params: { meetingId: String(f.meetingId) },
      cookie: f.cookies.secretary,
    });
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain(LATE);
  });

  it("are read from versions saved before declarations were minuted as none, not an error", () => {
    const snapshot = parseSnapshot({
      meeting: { id: 1, boardId: 1, boardName: "LCJB", startsAt: "2026-01-01T10:00:00Z" },
      attendance: { present: [], apologies: [], absent: [] },
      items: [
        { agendaItemId: 1, position: 0, title: "Item", classification: "official", discussion: "Text" },
      ],
      approval: null,
    });
    expect(snapshot?.declarations).toEqual([]);
    expect(snapshot?.items[0]?.declarations).toEqual([]);
  });
});
