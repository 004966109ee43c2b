import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as boardPage from "~/routes/boards.$boardId";
import * as boardCosts from "~/routes/boards.$boardId_.costs";
import * as dashboardPage from "~/routes/dashboard";
import * as agencyPage from "~/routes/dashboard_.agencies.$agencyId";
import * as meetingsPage from "~/routes/meetings._index";
import type { DatabaseHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { freshDatabase } from "../database";
import { callRoute, cookieFor, type RouteModule } from "../routes";

/*
 * The dashboard, a board's costs and an agency's burden rendered on the server from their
 * real loaders over the demo partnership, as a browser without JavaScript gets them: charts
 * are images with a title and description, with a table beside each; figures are links.
 */

let handle: DatabaseHandle;
let leader: string;
let boardIds: { name: string; id: number }[];
let agencyId: number;

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  await seedDemo(handle.db);
  leader = await cookieFor(handle.db, "leader@demo.test");
  boardIds = await handle.db.selectFrom("boards").select(["id", "name"]).orderBy("id").execute();
  agencyId = (await handle.db.selectFrom("agencies").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
});
afterAll(() => handle?.close());

async function render(module: object, pattern: string, path: string, params: Record<string, string> = {}) {
  const route = module as { default: ComponentType<never> } & RouteModule;
  const loaded = await callRoute(route, { path, params, cookie: leader });
  expect(loaded.status).toBe(200);
  const Stub = createRoutesStub([{ id: "page", path: pattern, Component: route.default as ComponentType }]);
  return renderToString(
    <Stub initialEntries={[path]} hydrationData={{ loaderData: { page: loaded.body } }} />,
  );
}

describe("cost pages as rendered", () => {
  it("draws the dashboard's charts as labelled images, each with its table, and links every headline figure", async () => {
    const html = await render(dashboardPage, "/dashboard", "/dashboard");
    for (const title of [
      "Cost by board",
      "Cost by agency",
      "Cost per outcome by quarter",
      "Meetings by verdict",
    ]) {
      expect(html).toContain(`>${title}</title>`);
    }
    expect(html.match(/role="img"/g)).toHaveLength(4);
    expect(html).toContain("<caption");
    expect(html).toContain("Meetings to review first");
    expect(html).toContain("Boards to consider merging");
    expect(html).toContain("/meetings?when=past&amp;from=");
    expect(html).toContain("/dashboard.csv?");
    expect(html).toContain("Agency scorecard");
  });

  it("links an agency's figures to that agency's meetings, and those links find the meetings counted", async () => {
    const path = `/dashboard?scope=agency:${agencyId}`;
    const html = await render(dashboardPage, "/dashboard", path);
    const held = html
      .match(/href="(\/meetings\?when=past[^"]*agency=\d+[^"]*)"/)?.[1]
      ?.replaceAll("&amp;", "&");
    expect(held).toContain(`agency=${agencyId}`);
    const figures = (await callRoute(dashboardPage as RouteModule, { path, cookie: leader })).body as {
      figures: { totals: { held: number } };
    };
    const listed = (await callRoute(meetingsPage as RouteModule, { path: held!, cookie: leader })).body as {
      list: { total: number };
    };
    expect(figures.figures.totals.held).toBeGreaterThan(0);
    expect(listed.list.total).toBe(figures.figures.totals.held);
  });

  it("shows a board's costs with its scenarios and the sunset prompt on the board flagged for it", async () => {
    const flagged = boardIds.find((b) => b.name === "North Region Criminal Justice Group");
    expect(flagged).toBeDefined();
    const id = String(flagged?.id);
    const html = await render(boardCosts, "/boards/:boardId/costs", `/boards/${id}/costs`, { boardId: id });
    expect(html).toContain("Review this board&#x27;s terms of reference");
    expect(html).toContain("Met quarterly instead");
    expect(html).toContain("Projected annual cost");
    expect(html).toContain('role="img"');
    const board = await render(boardPage, "/boards/:boardId", `/boards/${id}`, { boardId: id });
    expect(board).toContain("Review this board&#x27;s terms of reference");
    expect(board).toContain(`/boards/${id}/costs`);
  });

  it("says what an agency spent, and who carried it", async () => {
    const id = String(agencyId);
    const html = await render(agencyPage, "/dashboard/agencies/:agencyId", `/dashboard/agencies/${id}`, {
      agencyId: id,
    });
    const summary = html.match(/data-testid="burden-summary">(.*?)<\/p>/)?.[1]?.replaceAll("<!-- -->", "");
    expect(summary).toMatch(/spent [\d,]+ hours?, £[\d,]+\.\d\d, in [\d,]+ meetings?\.$/);
    expect(html).toContain("The people carrying it");
  });
});
