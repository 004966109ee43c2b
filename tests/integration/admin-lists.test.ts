import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as agenciesList from "~/routes/admin.agencies._index";
import * as peopleList from "~/routes/admin.people._index";
import { callRoute } from "../routes";
import { type AdminFixture, adminFixture } from "./admin-fixture";

/*
 * The agencies and people lists: sorted, filtered and paged in SQL from the URL, with the
 * counts of people and grades per agency in the same query.
 */

let f: AdminFixture;
const ids: Record<string, number> = {};

beforeAll(async () => {
  f = await adminFixture("lists");
  useDatabaseForTests(f.handle);
  // The fixture made "Fire and Rescue" (fire) for the partner; add three more.
  for (const [name, type] of [
    ["Avon Police", "police"],
    ["Bristol Council", "local_authority"],
    ["Probation North", "probation"],
  ] as const) {
    ids[name] = (
      await f.db
        .insertInto("agencies")
        .values({ workspace_id: f.ws, name, type })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }
  const grade = async (agency: string, name: string) =>
    (
      await f.db
        .insertInto("grades")
        .values({ workspace_id: f.ws, agency_id: ids[agency]!, name })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.inspector = await grade("Avon Police", "Inspector");
  ids.sergeant = await grade("Avon Police", "Sergeant");
  ids.po = await grade("Probation North", "Probation officer");
  // 30 people: 20 police (every other one an inspector), 7 probation, 3 council.
  const people = [
    ...Array.from({ length: 20 }, (_, i) => ({
      full_name: `Officer ${String(i + 1).padStart(2, "0")}`,
      agency: "Avon Police",
      grade_id: i % 2 === 0 ? ids.inspector : ids.sergeant,
      usual_travel_minutes: i,
    })),
    ...Array.from({ length: 7 }, (_, i) => ({
      full_name: `Probation Officer ${i + 1}`,
      agency: "Probation North",
      grade_id: ids.po,
      usual_travel_minutes: 100 + i,
    })),
    { full_name: "Ann O'Neill", agency: "Bristol Council", grade_id: null, usual_travel_minutes: 5 },
    { full_name: "Percy 100% Smith", agency: "Bristol Council", grade_id: null, usual_travel_minutes: 5 },
    { full_name: "Zed Under_score", agency: "Bristol Council", grade_id: null, usual_travel_minutes: 5 },
  ];
  for (const { agency, ...person } of people) {
    await f.db
      .insertInto("people")
      .values({ workspace_id: f.ws, agency_id: ids[agency]!, ...person })
      .execute();
  }
  // Another workspace's agency and people never show.
  await f.otherDb
    .insertInto("people")
    .values({ workspace_id: f.otherWs, agency_id: f.foreignAgencyId, full_name: "Officer 99" })
    .execute();
});
afterAll(() => f.handle.close());

type AgencyPage = Awaited<ReturnType<typeof agenciesList.loader>>;
type PeoplePage = Awaited<ReturnType<typeof peopleList.loader>>;

const agencies = async (query = "", cookie = f.cookies.admin) => {
  const outcome = await callRoute(agenciesList, { path: `/admin/agencies${query}`, cookie });
  return { ...outcome, page: outcome.body as AgencyPage };
};
const people = async (query = "", cookie = f.cookies.admin) => {
  const outcome = await callRoute(peopleList, { path: `/admin/people${query}`, cookie });
  return { ...outcome, page: outcome.body as PeoplePage };
};

describe("the agencies list", () => {
  it("lists this workspace's agencies by name with their counts of people and grades", async () => {
    const { status, page } = await agencies();
    expect(status).toBe(200);
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => [r.name, r.people_count, r.grades_count])).toEqual([
      ["Avon Police", 20, 2],
      ["Bristol Council", 3, 0],
      ["Fire and Rescue", 0, 0],
      ["Probation North", 7, 1],
    ]);
    expect(page.canChange).toBe(true);
  });

  it("sorts by people, most first, and pages", async () => {
    const first = await agencies("?sort=people&dir=desc&pageSize=2");
    expect(first.page.rows.map((r) => r.name)).toEqual(["Avon Police", "Probation North"]);
    expect(first.page.total).toBe(4);
    const second = await agencies("?sort=people&dir=desc&pageSize=2&page=2");
    expect(second.page.rows.map((r) => r.name)).toEqual(["Bristol Council", "Fire and Rescue"]);
  });

  it("filters by type and by part of the name", async () => {
    expect((await agencies("?type=police")).page.rows.map((r) => r.name)).toEqual(["Avon Police"]);
    expect((await agencies("?q=poLICE")).page.rows.map((r) => r.name)).toEqual(["Avon Police"]);
    expect((await agencies("?q=ol")).page.rows.map((r) => r.name)).toEqual([
      "Avon Police",
      "Bristol Council",
    ]);
    expect((await agencies("?q=%25")).page.total).toBe(0); // a literal %, not a wildcard
    // An unknown type or sort is ignored, never sent to SQL.
    const odd = await agencies("?type=spies&sort=drop%20table&dir=sideways");
    expect(odd.page.total).toBe(4);
    expect(odd.page.state).toMatchObject({ sort: "name", dir: "asc" });
  });

  it("sends a page past the end to the last page", async () => {
    const outcome = await agencies("?pageSize=2&page=9");
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe("/admin/agencies?pageSize=2&page=2");
  });

  it("is readable by leaders without the add button, and 404 for the rest", async () => {
    const leader = await agencies("", f.cookies.leader);
    expect(leader.status).toBe(200);
    expect(leader.page.canChange).toBe(false);
    for (const role of ["secretary", "member", "partner"] as const) {
      expect((await agencies("", f.cookies[role])).status).toBe(404);
    }
  });
});

describe("the people list", () => {
  it("pages through everyone by name, 25 to a page", async () => {
    const first = await people();
    expect(first.page.total).toBe(30);
    expect(first.page.rows).toHaveLength(25);
    expect(first.page.rows[0]).toMatchObject({
      full_name: "Ann O'Neill",
      agency_name: "Bristol Council",
      grade_name: null,
    });
    const last = await people("?page=2");
    expect(last.page.rows.map((r) => r.full_name)).toEqual([
      "Probation Officer 4",
      "Probation Officer 5",
      "Probation Officer 6",
      "Probation Officer 7",
      "Zed Under_score",
    ]);
  });

  it("filters by agency and by part of the name, together", async () => {
    const police = await people(`?agency=${ids["Avon Police"]}&q=officer 1`);
    expect(police.page.rows.map((r) => r.full_name)).toEqual([
      "Officer 10",
      "Officer 11",
      "Officer 12",
      "Officer 13",
      "Officer 14",
      "Officer 15",
      "Officer 16",
      "Officer 17",
      "Officer 18",
      "Officer 19",
    ]);
    // % and _ are matched as themselves, not as wildcards.
    expect((await people("?q=%25")).page.rows.map((r) => r.full_name)).toEqual(["Percy 100% Smith"]);
    expect((await people("?q=_")).page.rows.map((r) => r.full_name)).toEqual(["Zed Under_score"]);
    // Another workspace's agency is not a filter here: it is ignored, not matched.
    expect((await people(`?agency=${f.foreignAgencyId}&q=Officer 99`)).page.total).toBe(0);
  });

  it("sorts by travel time, longest first, then by name", async () => {
    const { page } = await people("?sort=travel&dir=desc&pageSize=3");
    expect(page.rows.map((r) => [r.full_name, r.usual_travel_minutes])).toEqual([
      ["Probation Officer 7", 106],
      ["Probation Officer 6", 105],
      ["Probation Officer 5", 104],
    ]);
  });

  it("sorts by grade with those without a grade last", async () => {
    const { page } = await people("?sort=grade&dir=asc&pageSize=50");
    const grades = page.rows.map((r) => r.grade_name);
    expect(grades.slice(0, 10).every((g) => g === "Inspector")).toBe(true);
    expect(grades.slice(-3)).toEqual([null, null, null]);
  });

  it("is for admins only", async () => {
    for (const role of ["leader", "secretary", "member", "partner"] as const) {
      expect((await people("", f.cookies[role])).status).toBe(404);
    }
  });
});
