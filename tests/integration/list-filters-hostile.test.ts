import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as actionsPage from "~/routes/actions._index";
import * as actionsCsv from "~/routes/actions[.]csv";
import * as agenciesPage from "~/routes/admin.agencies._index";
import * as auditPage from "~/routes/admin.audit";
import * as peoplePage from "~/routes/admin.people._index";
import * as usersPage from "~/routes/admin.users._index";
import * as attendanceCsv from "~/routes/attendance[.]csv";
import * as boardsPage from "~/routes/boards._index";
import * as forwardPlan from "~/routes/forward-plan";
import * as meetingsPage from "~/routes/meetings._index";
import * as meetingsCsv from "~/routes/meetings[.]csv";
import { callRoute, type RouteModule } from "../routes";
import { type AdminFixture, adminFixture } from "./admin-fixture";

/*
 * The list pages' and exports' filters (query strings, so GET) with the two inputs that
 * reached PostgreSQL and failed there (500): a NUL character in a search, which no
 * PostgreSQL text parameter may hold, and the year 0000, which matches YYYY-MM-DD but is
 * out of a PostgreSQL date's range. Each now answers the page (the search without it) or a
 * 400 with the message beside the field; never a 500.
 */

let f: AdminFixture;

beforeAll(async () => {
  f = await adminFixture("hostilefilters");
  useDatabaseForTests(f.handle);
});
afterAll(() => f?.handle.close());

async function status(module: RouteModule, path: string): Promise<number> {
  try {
    return (await callRoute(module, { path, cookie: f.cookies.admin })).status;
  } catch (thrown) {
    // A thrown database error is what the browser would get as a 500.
    return thrown instanceof Response ? thrown.status : 500;
  }
}

describe("hostile filters on list pages and exports", () => {
  it("a search holding a NUL character answers the page, never a 500", async () => {
    for (const [module, path] of [
      [actionsPage, "/actions?q=%00"],
      [actionsPage, "/actions?q=Victims%00Code"],
      [peoplePage, "/admin/people?q=%00"],
      [agenciesPage, "/admin/agencies?q=%00"],
      [usersPage, "/admin/users?q=%00"],
      [boardsPage, "/boards?q=%00"],
      [auditPage, "/admin/audit?q=%00"],
    ] as const) {
      expect(await status(module, path), path).toBe(200);
    }
  });

  it("refuses the year 0000 in a date filter as a wrong date (400), never a 500", async () => {
    for (const [module, path] of [
      [meetingsPage, "/meetings?from=0000-01-01"],
      [meetingsPage, "/meetings?when=past&to=0000-01-01"],
      [actionsPage, "/actions?dueFrom=0000-01-01"],
      [auditPage, "/admin/audit?from=0000-01-01&to=0000-01-02"],
    ] as const) {
      expect(await status(module, path), path).toBe(400);
    }
    for (const [module, path] of [
      [meetingsCsv, "/meetings.csv?from=0000-01-01"],
      [attendanceCsv, "/attendance.csv?from=0000-01-01&to=2026-12-31"],
      [actionsCsv, "/actions.csv?dueTo=0000-01-01"],
      [forwardPlan, "/forward-plan?from=0000-01-01"],
    ] as const) {
      expect(await status(module, path), path).toBeLessThan(500);
    }
  });
});
