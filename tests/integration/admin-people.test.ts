import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as personPage from "~/routes/admin.people.$personId";
import * as newPerson from "~/routes/admin.people.new";
import { callRoute, fieldErrors, type RouteModule } from "../routes";
import { type AdminFixture, adminFixture, auditEvents } from "./admin-fixture";

/* People through their routes: admins only; the grade must be one of the person's agency's. */

let f: AdminFixture;
const personRoute = personPage as unknown as RouteModule;
let probation: number;
let police: number;
let probationBand: number;
let policeGrade: number;

beforeAll(async () => {
  f = await adminFixture("people");
  useDatabaseForTests(f.handle);
  const agency = async (name: string) =>
    (
      await f.db
        .insertInto("agencies")
        .values({ workspace_id: f.ws, name, type: "probation" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  probation = await agency("Probation Service");
  police = await agency("Police");
  const grade = async (agency_id: number, name: string) =>
    (
      await f.db
        .insertInto("grades")
        .values({ workspace_id: f.ws, agency_id, name })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  probationBand = await grade(probation, "Band 4");
  policeGrade = await grade(police, "Inspector");
});
afterAll(() => f.handle.close());

const personForm = (overrides: Record<string, string> = {}) => ({
  full_name: "Priya Shah",
  email: "Priya.Shah@Probation.example",
  agency_id: String(probation),
  grade_id: String(probationBand),
  job_title: "Head of Service",
  usual_travel_minutes: "45",
  ...overrides,
});

async function peopleCount(): Promise<number> {
  return Number(
    (
      await f.db
        .selectFrom("people")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

describe("adding a person", () => {
  it("adds them with a lower-cased email and audits it", async () => {
    const outcome = await callRoute(newPerson, {
      method: "POST",
      path: "/admin/people/new",
      cookie: f.cookies.admin,
      form: personForm(),
    });
    expect(outcome.status).toBe(302);
    const id = Number(/\/admin\/people\/(\d+)\?done=created$/.exec(outcome.location ?? "")?.[1]);
    const person = await f.db.selectFrom("people").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      full_name: "Priya Shah",
      email: "priya.shah@probation.example",
      agency_id: probation,
      grade_id: probationBand,
      job_title: "Head of Service",
      usual_travel_minutes: 45,
    });
    const [event] = await auditEvents(f.db, "person.created");
    expect(event).toMatchObject({ entity_type: "person", entity_id: String(id) });
    expect(event?.changes).toMatchObject({ full_name: "Priya Shah", grade_id: probationBand });
  });

  it("allows no email, no grade and no travel time", async () => {
    const outcome = await callRoute(newPerson, {
      method: "POST",
      path: "/admin/people/new",
      cookie: f.cookies.admin,
      form: personForm({
        full_name: "Sam Jones",
        email: "",
        grade_id: "",
        job_title: "",
        usual_travel_minutes: "",
      }),
    });
    expect(outcome.status).toBe(302);
    const person = await f.db
      .selectFrom("people")
      .selectAll()
      .where("full_name", "=", "Sam Jones")
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ email: null, grade_id: null, job_title: null, usual_travel_minutes: 0 });
  });

  it("refuses a bad email, travel over 600 minutes and a missing name, keeping what was typed", async () => {
    const before = await peopleCount();
    const outcome = await callRoute(newPerson, {
      method: "POST",
      path: "/admin/people/new",
      cookie: f.cookies.admin,
      form: personForm({ full_name: " ", email: "priya at probation", usual_travel_minutes: "601" }),
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body)).toEqual({
      full_name: ["Enter the person's full name"],
      email: ["Enter an email address in the correct format, like name@example.org"],
      usual_travel_minutes: ["Usual travel time must be between 0 minutes and 600 minutes"],
    });
    expect((outcome.body as { initialValue: Record<string, string> }).initialValue.email).toBe(
      "priya at probation",
    );
    expect(await peopleCount()).toBe(before);
  });

  it("refuses a grade of another agency, and an agency of another workspace", async () => {
    const before = await peopleCount();
    const wrongGrade = await callRoute(newPerson, {
      method: "POST",
      path: "/admin/people/new",
      cookie: f.cookies.admin,
      form: personForm({ grade_id: String(policeGrade) }),
    });
    expect(wrongGrade.status).toBe(400);
    expect(fieldErrors(wrongGrade.body).grade_id).toEqual([
      "Select one of Probation Service's grades, or no grade",
    ]);

    const foreign = await callRoute(newPerson, {
      method: "POST",
      path: "/admin/people/new",
      cookie: f.cookies.admin,
      form: personForm({ agency_id: String(f.foreignAgencyId), grade_id: "" }),
    });
    expect(foreign.status).toBe(400);
    expect(fieldErrors(foreign.body).agency_id).toEqual(["Select the person's agency"]);
    expect(await peopleCount()).toBe(before);
  });

  it("preselects the agency named in the link, only if it is one of this workspace's", async () => {
    const chosen = await callRoute(newPerson, {
      path: `/admin/people/new?agency=${police}`,
      cookie: f.cookies.admin,
    });
    expect((chosen.body as { preselected: string }).preselected).toBe(String(police));
    const foreign = await callRoute(newPerson, {
      path: `/admin/people/new?agency=${f.foreignAgencyId}`,
      cookie: f.cookies.admin,
    });
    expect((foreign.body as { preselected: string }).preselected).toBe("");
    expect((foreign.body as { agencies: { name: string }[] }).agencies.map((a) => a.name)).not.toContain(
      "Foreign Police",
    );
  });

  it("is only for admins: leaders, secretaries, members and partners get 404", async () => {
    const before = await peopleCount();
    for (const role of ["leader", "secretary", "member", "partner"] as const) {
      expect(
        (await callRoute(newPerson, { path: "/admin/people/new", cookie: f.cookies[role] })).status,
      ).toBe(404);
      const post = await callRoute(newPerson, {
        method: "POST",
        path: "/admin/people/new",
        cookie: f.cookies[role],
        form: personForm({ full_name: `By ${role}` }),
      });
      expect(post.status).toBe(404);
    }
    expect(await peopleCount()).toBe(before);
  });
});

describe("a person's page", () => {
  let personId: number;
  const path = () => `/admin/people/${personId}`;

  beforeAll(async () => {
    personId = (
      await f.db
        .insertInto("people")
        .values({
          workspace_id: f.ws,
          agency_id: probation,
          grade_id: probationBand,
          full_name: "Morgan Lee",
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  });

  it("shows the person to an admin", async () => {
    const outcome = await callRoute(personRoute, {
      path: path(),
      params: { personId: String(personId) },
      cookie: f.cookies.admin,
    });
    expect(outcome.status).toBe(200);
    expect((outcome.body as { person: { full_name: string; has_login: boolean } }).person).toMatchObject({
      full_name: "Morgan Lee",
      has_login: false,
    });
  });

  it("moves them to another agency and grade, auditing only what changed", async () => {
    const outcome = await callRoute(personRoute, {
      method: "POST",
      path: path(),
      params: { personId: String(personId) },
      cookie: f.cookies.admin,
      form: personForm({
        full_name: "Morgan Lee",
        email: "",
        agency_id: String(police),
        grade_id: String(policeGrade),
        job_title: "",
        usual_travel_minutes: "30",
      }),
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/admin/people/${personId}?done=saved`);
    const [event] = await auditEvents(f.db, "person.updated");
    expect(event?.changes).toEqual({
      agency_id: [probation, police],
      grade_id: [probationBand, policeGrade],
      usual_travel_minutes: [0, 30],
    });
  });

  it("refuses a grade that is not the new agency's, changing nothing", async () => {
    const outcome = await callRoute(personRoute, {
      method: "POST",
      path: path(),
      params: { personId: String(personId) },
      cookie: f.cookies.admin,
      form: personForm({
        full_name: "Morgan Lee",
        agency_id: String(probation),
        grade_id: String(policeGrade),
      }),
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body).grade_id).toEqual([
      "Select one of Probation Service's grades, or no grade",
    ]);
    const person = await f.db
      .selectFrom("people")
      .selectAll()
      .where("id", "=", personId)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ agency_id: police, grade_id: policeGrade, email: null });
  });

  it("answers 404 to everyone but admins, and for a person of another workspace", async () => {
    for (const role of ["leader", "secretary", "member", "partner"] as const) {
      const get = await callRoute(personRoute, {
        path: path(),
        params: { personId: String(personId) },
        cookie: f.cookies[role],
      });
      expect(get.status).toBe(404);
      const post = await callRoute(personRoute, {
        method: "POST",
        path: path(),
        params: { personId: String(personId) },
        cookie: f.cookies[role],
        form: personForm({ full_name: "Renamed" }),
      });
      expect(post.status).toBe(404);
    }
    const foreign = (
      await f.otherDb
        .insertInto("people")
        .values({ workspace_id: f.otherWs, agency_id: f.foreignAgencyId, full_name: "Someone Else" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const get = await callRoute(personRoute, {
      path: `/admin/people/${foreign}`,
      params: { personId: String(foreign) },
      cookie: f.cookies.admin,
    });
    expect(get.status).toBe(404);
    const post = await callRoute(personRoute, {
      method: "POST",
      path: `/admin/people/${foreign}`,
      params: { personId: String(foreign) },
      cookie: f.cookies.admin,
      form: personForm({ full_name: "Hijacked", grade_id: "" }),
    });
    expect(post.status).toBe(404);
    const untouched = await f.otherDb
      .selectFrom("people")
      .select("full_name")
      .where("id", "=", foreign)
      .executeTakeFirstOrThrow();
    expect(untouched.full_name).toBe("Someone Else");
  });
});
