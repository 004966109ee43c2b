import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as hub from "~/routes/admin._index";
import * as agenciesList from "~/routes/admin.agencies._index";
import * as agencyPage from "~/routes/admin.agencies.$agencyId";
import * as newAgency from "~/routes/admin.agencies.new";
import * as peopleList from "~/routes/admin.people._index";
import * as personPage from "~/routes/admin.people.$personId";
import * as newPerson from "~/routes/admin.people.new";
import * as settingsPage from "~/routes/admin.settings";
import { callRoute, type RouteModule } from "../routes";
import { type AdminFixture, adminFixture } from "./admin-fixture";

/*
 * The admin pages rendered on the server with data from their real loaders (and refused
 * actions), as a browser without JavaScript gets them: the figures, the messages beside
 * the fields and the typed values kept.
 */

let f: AdminFixture;
let agencyId: number;
let personId: number;

beforeAll(async () => {
  f = await adminFixture("pages");
  useDatabaseForTests(f.handle);
  agencyId = (
    await f.db
      .insertInto("agencies")
      .values({ workspace_id: f.ws, name: "Avon & Somerset Police", type: "police", on_cost_pct: 25 })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const gradeId = (
    await f.db
      .insertInto("grades")
      .values({ workspace_id: f.ws, agency_id: agencyId, name: "Inspector" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  for (const [effective_from, annual_salary_pence] of [
    ["2024-04-01", 5_500_000],
    ["2025-09-01", 5_800_000],
  ] as const) {
    await f.db
      .insertInto("grade_rates")
      .values({ workspace_id: f.ws, grade_id: gradeId, effective_from, annual_salary_pence })
      .execute();
  }
  personId = (
    await f.db
      .insertInto("people")
      .values({
        workspace_id: f.ws,
        agency_id: agencyId,
        grade_id: gradeId,
        full_name: "Ian Inspector",
        usual_travel_minutes: 40,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => f.handle.close());

interface PageModule {
  default: ComponentType<never>;
}

/** Renders a route's page at `path` with its loader's answer (and an action's, if given). */
async function render(
  module: PageModule & RouteModule,
  path: string,
  params: Record<string, string> = {},
  post?: Record<string, string>,
): Promise<string> {
  const pattern = path.split("?")[0]!.replace(/\/\d+$/, "/:id");
  const loaded = await callRoute(module, { path, params, cookie: f.cookies.admin });
  expect(loaded.status).toBe(200);
  const acted = post
    ? await callRoute(module, { method: "POST", path, params, cookie: f.cookies.admin, form: post })
    : null;
  if (acted) expect(acted.status).toBe(400);
  const Stub = createRoutesStub([{ id: "page", path: pattern, Component: module.default as ComponentType }]);
  return renderToString(
    <Stub
      initialEntries={[path]}
      hydrationData={{
        loaderData: { page: loaded.body },
        actionData: acted ? { page: acted.body } : undefined,
      }}
    />,
  );
}

const asRoute = (module: object) => module as PageModule & RouteModule;

describe("admin pages as rendered", () => {
  it("the hub links to every admin area", async () => {
    const html = await render(asRoute(hub), "/admin");
    for (const href of [
      "/admin/agencies",
      "/admin/people",
      "/admin/settings",
      "/admin/users",
      "/admin/audit",
      "/admin/security",
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
  });

  it("the agency page shows the current salary, its hourly cost and the history", async () => {
    const html = await render(asRoute(agencyPage), `/admin/agencies/${agencyId}`, {
      agencyId: String(agencyId),
    });
    expect(html).toContain("Avon &amp; Somerset Police");
    // £58,000 × 1.25 ÷ 1,650 = £43.94 an hour; £55,000 × 1.25 ÷ 1,650 = £41.67
    expect(html).toContain("£58,000.00");
    expect(html).toContain("£43.94");
    expect(html).toContain("£55,000.00");
    expect(html).toContain("£41.67");
    expect(html).toContain("1 September 2025");
    expect(html).toContain("Replaced");
    expect(html).toContain("Add a new salary");
  });

  it("a refused salary shows the message beside the field, at the top, and keeps what was typed", async () => {
    const html = await render(
      asRoute(agencyPage),
      `/admin/agencies/${agencyId}`,
      { agencyId: String(agencyId) },
      {
        intent: "rate",
        grade_id: "",
        annual_salary_pence: "-5,000",
        effective_from: "2026-04-01",
      },
    );
    expect(html).toContain("There is a problem");
    expect(html).toContain('href="#rate-annual_salary_pence"');
    expect(html).toContain("The annual salary must be £0 or more");
    expect(html).toContain('value="-5,000"');
    expect(html).toContain('class="govuk-input govuk-input--error');
  });

  it("the lists render through the data table with their counts and filters", async () => {
    const agencies = await render(asRoute(agenciesList), "/admin/agencies");
    expect(agencies).toContain(`href="/admin/agencies/${agencyId}"`);
    expect(agencies).toContain("Showing <b>1</b> to <b>2</b> of");
    const people = await render(asRoute(peopleList), `/admin/people?agency=${agencyId}`);
    expect(people).toContain("Ian Inspector");
    expect(people).toContain("40 min");
    expect(people).toContain(`<option value="${agencyId}" selected="">`);
  });

  it("the lists' column headers are sort links", async () => {
    const agencies = await render(asRoute(agenciesList), "/admin/agencies");
    expect(agencies).toContain('aria-sort="ascending"');
    expect(agencies).toContain("?sort=people&amp;dir=desc");
  });

  it("the forms render with their current values", async () => {
    const person = await render(asRoute(personPage), `/admin/people/${personId}`, {
      personId: String(personId),
    });
    expect(person).toContain('value="Ian Inspector"');
    expect(person).toContain("Avon &amp; Somerset Police: Inspector");
    const settings = await render(asRoute(settingsPage), "/admin/settings");
    expect(settings).toContain('value="750.00"');
    expect(settings).toContain('value="1650"');
    const agency = await render(
      asRoute(newAgency),
      "/admin/agencies/new",
      {},
      { name: "", type: "police", on_cost_pct: "abc" },
    );
    expect(agency).toContain("Enter the agency&#x27;s name");
    expect(agency).toContain("Enter on-cost as a number, like 30 or 27.5");
    const newPersonHtml = await render(asRoute(newPerson), `/admin/people/new?agency=${agencyId}`);
    expect(newPersonHtml).toContain(`<option value="${agencyId}" selected="">`);
  });
});
