import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import { londonDate } from "~/format";
import type { BoardInterestsPage, InterestsPage } from "~/interests/interests.server";
import * as personInterestsRoute from "~/routes/admin.people.$personId_.interests";
import * as boardInterestsRoute from "~/routes/boards.$boardId_.interests";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertBoard,
  insertMembership,
  insertPerson,
  insertUser,
  insertWorkspace,
} from "../factories";
import { callRoute, fieldErrors, type RouteModule, signedIn } from "../routes";

/*
 * The register of interests: kept once per person by admins, shown (current interests of
 * current members) on every board the person sits on, without copying.
 */

const personRoute = personInterestsRoute as unknown as RouteModule;
const boardRoute = boardInterestsRoute as unknown as RouteModule;

let handle: DatabaseHandle;
const ids: Record<string, number> = {};
const cookies: Record<string, string> = {};

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const db = handle.db;
  const ws = (await insertWorkspace(db, { slug: "interests", name: "Interests" })).id;
  const agency = (await insertAgency(db, ws, { name: "Council", type: "local_authority" })).id;
  ids.ann = (await insertPerson(db, ws, { full_name: "Ann Councillor", agency_id: agency })).id;
  ids.bob = (await insertPerson(db, ws, { full_name: "Bob Former", agency_id: agency })).id;
  ids.lcjb = (await insertBoard(db, ws, { name: "LCJB" })).id;
  ids.csp = (await insertBoard(db, ws, { name: "CSP" })).id;
  for (const board of [ids.lcjb, ids.csp])
    await insertMembership(db, ws, { board_id: board, person_id: ids.ann, agency_id: agency });
  // Bob left the LCJB: his interests are not shown there.
  await insertMembership(db, ws, {
    board_id: ids.lcjb,
    person_id: ids.bob,
    agency_id: agency,
    from_date: "2020-01-01",
    to_date: "2021-01-01",
  });
  await db
    .insertInto("interests")
    .values({ workspace_id: ws, person_id: ids.bob, description: "Bob's shares", declared_on: "2020-01-01" })
    .execute();
  const admin = await insertUser(db, ws, { email: "admin@interests.test" }, [{ role: "admin" }]);
  const member = await insertUser(db, ws, { email: "member@interests.test" }, [
    { role: "member", board_id: ids.lcjb },
  ]);
  const secretary = await insertUser(db, ws, { email: "sec@interests.test" }, [
    { role: "secretary", board_id: ids.csp },
  ]);
  cookies.admin = await signedIn(db, admin.id, ws);
  cookies.member = await signedIn(db, member.id, ws);
  cookies.secretary = await signedIn(db, secretary.id, ws);
  // An admin of another workspace.
  const other = (await insertWorkspace(db, { slug: "elsewhere", name: "Elsewhere" })).id;
  const outsider = await insertUser(db, other, { email: "admin@elsewhere.test" }, [{ role: "admin" }]);
  cookies.outsider = await signedIn(db, outsider.id, other);
});

afterAll(() => handle.close());

const personPath = () => `/admin/people/${ids.ann}/interests`;
const post = (cookie: string | undefined, form: Record<string, string>) =>
  callRoute(personRoute, {
    method: "POST",
    path: personPath(),
    params: { personId: String(ids.ann) },
    cookie,
    form,
  });
const register = async () =>
  (
    await callRoute(personRoute, {
      path: personPath(),
      params: { personId: String(ids.ann) },
      cookie: cookies.admin,
    })
  ).body as InterestsPage;
const boardPage = async (boardId: number | undefined, cookie = cookies.admin) =>
  callRoute(boardRoute, {
    path: `/boards/${boardId}/interests`,
    params: { boardId: String(boardId) },
    cookie,
  });

describe("the register of interests", () => {
  it("shows an interest added once on both boards the person sits on", async () => {
    const added = await post(cookies.admin, {
      intent: "add",
      description: "Trustee of Safer Streets",
      declaredOn: "1/4/2025",
    });
    expect(added.status).toBe(302);
    expect(added.location).toBe(`/admin/people/${ids.ann}/interests?done=added`);
    const { interests } = await register();
    expect(interests).toEqual([
      expect.objectContaining({
        description: "Trustee of Safer Streets",
        declaredOn: "2025-04-01",
        endedOn: null,
      }),
    ]);
    const rows = await handle.db
      .selectFrom("interests")
      .select("id")
      .where("person_id", "=", ids.ann!)
      .execute();
    expect(rows).toHaveLength(1);
    for (const board of [ids.lcjb, ids.csp]) {
      const page = (await boardPage(board)).body as BoardInterestsPage;
      expect(page.people).toEqual([
        expect.objectContaining({
          personId: ids.ann,
          name: "Ann Councillor",
          interests: [expect.objectContaining({ description: "Trustee of Safer Streets" })],
        }),
      ]);
    }
    const audit = await handle.db
      .selectFrom("audit_events")
      .select("event")
      .where("event", "=", "interest.added")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("reads the board's page for its members and secretaries; others get 404", async () => {
    expect((await boardPage(ids.lcjb, cookies.member)).status).toBe(200);
    expect((await boardPage(ids.csp, cookies.secretary)).status).toBe(200);
    expect((await boardPage(ids.csp, cookies.member)).status).toBe(404);
    expect((await boardPage(ids.lcjb, cookies.outsider)).status).toBe(404);
  });

  it("refuses a bad interest with the message beside the field", async () => {
    const refused = await post(cookies.admin, { intent: "add", description: " ", declaredOn: "31/2/2025" });
    expect(refused.status).toBe(400);
    const errors = fieldErrors((refused.body as { result: unknown }).result);
    expect(errors.description).toEqual(["Enter the interest"]);
    expect(errors.declaredOn?.[0]).toMatch(/real date/);
  });

  it("does not show ended interests as current, but keeps them on the register", async () => {
    const extra = await post(cookies.admin, {
      intent: "add",
      description: "Director of Old Co",
      declaredOn: "2024-01-01",
    });
    expect(extra.status).toBe(302);
    const old = (await register()).interests.find((i) => i.description === "Director of Old Co")!;
    const early = await post(cookies.admin, {
      intent: "end",
      interestId: String(old.id),
      endedOn: "2023-12-31",
    });
    expect(early.status).toBe(400);
    const ended = await post(cookies.admin, {
      intent: "end",
      interestId: String(old.id),
      endedOn: "2025-06-30",
    });
    expect(ended.status).toBe(302);
    expect((await register()).interests.find((i) => i.id === old.id)?.endedOn).toBe("2025-06-30");
    for (const board of [ids.lcjb, ids.csp]) {
      const page = (await boardPage(board)).body as BoardInterestsPage;
      expect(page.today).toBe(londonDate());
      expect(page.people.flatMap((p) => p.interests.map((i) => i.description))).toEqual([
        "Trustee of Safer Streets",
      ]);
    }
  });

  it("removes an interest entered by mistake", async () => {
    const old = (await register()).interests.find((i) => i.description === "Director of Old Co")!;
    const removed = await post(cookies.admin, { intent: "remove", interestId: String(old.id) });
    expect(removed.status).toBe(302);
    expect((await register()).interests.map((i) => i.description)).toEqual(["Trustee of Safer Streets"]);
    expect((await post(cookies.admin, { intent: "remove", interestId: String(old.id) })).status).toBe(404);
  });

  it("answers 404 to non-admins and other workspaces, changing nothing", async () => {
    const before = await handle.db.selectFrom("interests").select("id").execute();
    for (const cookie of [cookies.member, cookies.secretary, cookies.outsider]) {
      expect(
        (await post(cookie, { intent: "add", description: "Sneaky", declaredOn: "2025-01-01" })).status,
      ).toBe(404);
      const page = await callRoute(personRoute, {
        path: personPath(),
        params: { personId: String(ids.ann) },
        cookie,
      });
      expect(page.status).toBe(404);
    }
    expect(await handle.db.selectFrom("interests").select("id").execute()).toHaveLength(before.length);
  });

  it("renders the register with a refused form's messages, and the board's page", async () => {
    const refused = await post(cookies.admin, { intent: "add", description: "", declaredOn: "soon" });
    const Stub = createRoutesStub([
      {
        id: "page",
        path: "/admin/people/:personId/interests",
        Component: personInterestsRoute.default as ComponentType,
      },
    ]);
    const html = renderToString(
      createElement(Stub, {
        initialEntries: [personPath()],
        hydrationData: { loaderData: { page: await register() }, actionData: { page: refused.body } },
      }),
    );
    expect(html).toContain("There is a problem");
    expect(html).toContain("Enter the interest");
    expect(html).toContain("Trustee of Safer Streets");
    const BoardStub = createRoutesStub([
      {
        id: "page",
        path: "/boards/:boardId/interests",
        Component: boardInterestsRoute.default as ComponentType,
      },
    ]);
    const boardHtml = renderToString(
      createElement(BoardStub, {
        initialEntries: [`/boards/${ids.csp}/interests`],
        hydrationData: { loaderData: { page: (await boardPage(ids.csp)).body } },
      }),
    );
    expect(boardHtml).toContain("Ann Councillor");
    expect(boardHtml).toContain("Trustee of Safer Streets");
  });
});
