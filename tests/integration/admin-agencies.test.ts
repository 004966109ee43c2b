import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAgency } from "~/admin/agencies.server";
import { useDatabaseForTests } from "~/db.server";
import * as hub from "~/routes/admin._index";
import * as agencyPage from "~/routes/admin.agencies.$agencyId";
import * as newAgency from "~/routes/admin.agencies.new";
import { callRoute, fieldErrors, type RouteModule } from "../routes";
import { type AdminFixture, adminFixture, auditEvents } from "./admin-fixture";

/*
 * Agencies and rate cards through their routes: admins change them, leaders only read
 * them, everyone else gets 404; every refusal leaves the database as it was.
 */

let f: AdminFixture;
// The route's params are typed { agencyId: string }; callRoute passes a plain record.
const agencyRoute = agencyPage as unknown as RouteModule;

beforeAll(async () => {
  f = await adminFixture("agencies");
  useDatabaseForTests(f.handle);
});
afterAll(() => f.handle.close());

const agencyForm = (overrides: Record<string, string> = {}) => ({
  name: "Northshire Police",
  short_name: "NP",
  type: "police",
  on_cost_pct: "28.5",
  overhead_pct: "",
  mileage_pence: "40",
  ...overrides,
});

async function createAgency(name: string): Promise<number> {
  const outcome = await callRoute(newAgency, {
    method: "POST",
    path: "/admin/agencies/new",
    cookie: f.cookies.admin,
    form: agencyForm({ name }),
  });
  expect(outcome.status).toBe(302);
  return Number(/\/admin\/agencies\/(\d+)/.exec(outcome.location ?? "")?.[1]);
}

async function countRows() {
  const [agencies, grades, rates, audit] = await Promise.all(
    (["agencies", "grades", "grade_rates", "audit_events"] as const).map(async (table) =>
      Number(
        (
          await f.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ),
  );
  return { agencies, grades, rates, audit };
}

describe("the admin hub", () => {
  it("shows admins every admin area", async () => {
    const outcome = await callRoute(hub, { path: "/admin", cookie: f.cookies.admin });
    expect(outcome.status).toBe(200);
    const { links } = outcome.body as { links: { href: string }[] };
    expect(links.map((l) => l.href)).toEqual([
      "/admin/agencies",
      "/admin/people",
      "/admin/settings",
      "/admin/users",
      "/admin/audit",
      "/admin/jobs",
      "/admin/security",
    ]);
  });

  it("shows leaders only the rate cards, and is not there for anyone else", async () => {
    const leader = await callRoute(hub, { path: "/admin", cookie: f.cookies.leader });
    expect((leader.body as { links: { href: string }[] }).links.map((l) => l.href)).toEqual([
      "/admin/agencies",
    ]);
    for (const role of ["secretary", "member", "partner"] as const) {
      expect((await callRoute(hub, { path: "/admin", cookie: f.cookies[role] })).status).toBe(404);
    }
  });

  it("sends a signed-out visitor to sign in", async () => {
    const outcome = await callRoute(hub, { path: "/admin" });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe("/sign-in?redirectTo=%2Fadmin");
  });
});

describe("adding an agency", () => {
  it("adds it with its own rates, blank ones meaning the workspace default, and audits it", async () => {
    const id = await createAgency("Northshire Police");
    const agency = await f.db
      .selectFrom("agencies")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(agency).toMatchObject({
      name: "Northshire Police",
      short_name: "NP",
      type: "police",
      on_cost_pct: 28.5,
      overhead_pct: null,
      mileage_pence: 40,
    });
    const [event] = await auditEvents(f.db, "agency.created");
    expect(event).toMatchObject({
      entity_type: "agency",
      entity_id: String(id),
      actor_label: "admin@agencies.test",
    });
    expect(event?.changes).toMatchObject({ name: "Northshire Police", on_cost_pct: 28.5 });
  });

  it("refuses a name already taken in any letter case, with the message beside the name", async () => {
    const before = await countRows();
    const outcome = await callRoute(newAgency, {
      method: "POST",
      path: "/admin/agencies/new",
      cookie: f.cookies.admin,
      form: agencyForm({ name: "  NORTHSHIRE police " }),
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body).name).toEqual(["An agency called NORTHSHIRE police already exists"]);
    // What was typed is sent back to the form.
    expect((outcome.body as { initialValue: Record<string, string> }).initialValue.on_cost_pct).toBe("28.5");
    expect(await countRows()).toEqual(before);
  });

  it("allows the same name in another workspace", async () => {
    await f.otherDb
      .insertInto("agencies")
      .values({ workspace_id: f.otherWs, name: "Shared Name Trust", type: "health" })
      .execute();
    await createAgency("Shared Name Trust");
  });

  it("refuses percentages outside 0–500 or with more than two decimals, and a mileage rate over 1,000p", async () => {
    const before = await countRows();
    const outcome = await callRoute(newAgency, {
      method: "POST",
      path: "/admin/agencies/new",
      cookie: f.cookies.admin,
      form: agencyForm({
        name: "Odd Agency",
        on_cost_pct: "500.01",
        overhead_pct: "12.345",
        mileage_pence: "1001",
        type: "spies",
      }),
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body)).toEqual({
      on_cost_pct: ["On-cost must be between 0% and 500%"],
      overhead_pct: ["Enter overhead with no more than two decimal places"],
      mileage_pence: ["The mileage rate must be between 0p and 1,000p"],
      type: ["Select the type of agency"],
    });
    expect(await countRows()).toEqual(before);
  });

  it("is only for admins: leaders and the rest get 404 on the page and the form", async () => {
    for (const role of ["leader", "secretary", "member", "partner"] as const) {
      expect(
        (await callRoute(newAgency, { path: "/admin/agencies/new", cookie: f.cookies[role] })).status,
      ).toBe(404);
      const post = await callRoute(newAgency, {
        method: "POST",
        path: "/admin/agencies/new",
        cookie: f.cookies[role],
        form: agencyForm({ name: `By ${role}` }),
      });
      expect(post.status).toBe(404);
    }
    expect(await f.db.selectFrom("agencies").select("id").where("name", "like", "By %").execute()).toEqual(
      [],
    );
  });
});

describe("an agency's page and rate card", () => {
  let agencyId: number;
  let otherAgencyId: number;
  const page = (id = agencyId) => `/admin/agencies/${id}`;
  const post = (form: Record<string, string>, cookie = f.cookies.admin, id = agencyId) =>
    callRoute(agencyRoute, {
      method: "POST",
      path: page(id),
      params: { agencyId: String(id) },
      cookie,
      form,
    });
  const get = (cookie: string, id = agencyId) =>
    callRoute(agencyRoute, { path: page(id), params: { agencyId: String(id) }, cookie });

  beforeAll(async () => {
    agencyId = await createAgency("Northshire Probation");
    otherAgencyId = await createAgency("Northshire Council");
  });

  it("adds a grade with its first salary, typed in pounds with a thousands comma", async () => {
    const outcome = await post({
      intent: "grade",
      name: "Band 4",
      annual_salary_pence: "38,500",
      effective_from: "2024-04-01",
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/admin/agencies/${agencyId}?done=grade#rate-card`);
    const detail = await getAgency(f.db, agencyId);
    expect(detail?.grades).toHaveLength(1);
    expect(detail?.grades[0]?.current).toMatchObject({
      annual_salary_pence: 3_850_000,
      effective_from: "2024-04-01",
    });
    const [event] = await auditEvents(f.db, "grade.created");
    expect(event?.changes).toMatchObject({
      name: "Band 4",
      annual_salary_pence: 3_850_000,
      effective_from: "2024-04-01",
    });
  });

  it("refuses a grade name the agency already has, in any letter case", async () => {
    const before = await countRows();
    const outcome = await post({
      intent: "grade",
      name: "band 4",
      annual_salary_pence: "40000",
      effective_from: "2024-04-01",
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body).name).toEqual(["This agency already has a grade called band 4"]);
    expect((outcome.body as { form: string }).form).toBe("grade");
    expect(await countRows()).toEqual(before);
  });

  it("allows the same grade name at another agency", async () => {
    const outcome = await post(
      { intent: "grade", name: "Band 4", annual_salary_pence: "30000", effective_from: "2024-04-01" },
      f.cookies.admin,
      otherAgencyId,
    );
    expect(outcome.status).toBe(302);
  });

  it("refuses a negative salary, one over £1,000,000, a third decimal and an impossible date, writing nothing", async () => {
    const before = await countRows();
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [{ annual_salary_pence: "-38500" }, { annual_salary_pence: ["The annual salary must be £0 or more"] }],
      [
        { annual_salary_pence: "1,000,000.01" },
        { annual_salary_pence: ["The annual salary must be £1,000,000 or less"] },
      ],
      [
        { annual_salary_pence: "38500.505" },
        {
          annual_salary_pence: [
            "Enter the annual salary to the nearest penny (no more than two decimal places)",
          ],
        },
      ],
      [
        { effective_from: "2025-02-29" },
        { effective_from: ["The date the salary takes effect must be a real date, like 1/4/2027"] },
      ],
    ];
    for (const [change, errors] of cases) {
      const outcome = await post({
        intent: "grade",
        name: "Band 5",
        annual_salary_pence: "42000",
        effective_from: "2024-04-01",
        ...change,
      });
      expect(outcome.status).toBe(400);
      expect(fieldErrors(outcome.body)).toEqual(errors);
    }
    const negativeRate = await post({
      intent: "rate",
      grade_id: "1",
      annual_salary_pence: "-1",
      effective_from: "2025-04-01",
    });
    expect(fieldErrors(negativeRate.body).annual_salary_pence).toEqual([
      "The annual salary must be £0 or more",
    ]);
    expect(await countRows()).toEqual(before);
  });

  it("adds a new salary from a later date and keeps the old one in the history", async () => {
    const band4 = (await getAgency(f.db, agencyId))!.grades[0]!;
    const outcome = await post({
      intent: "rate",
      grade_id: String(band4.id),
      annual_salary_pence: "40000.00",
      effective_from: "2025-04-01",
    });
    expect(outcome.status).toBe(302);
    const future = await post({
      intent: "rate",
      grade_id: String(band4.id),
      annual_salary_pence: "41200",
      effective_from: "2099-04-01",
    });
    expect(future.status).toBe(302);

    const rates = await f.db
      .selectFrom("grade_rates")
      .select(["effective_from", "annual_salary_pence"])
      .where("grade_id", "=", band4.id)
      .orderBy("effective_from")
      .execute();
    expect(rates).toEqual([
      { effective_from: "2024-04-01", annual_salary_pence: 3_850_000 },
      { effective_from: "2025-04-01", annual_salary_pence: 4_000_000 },
      { effective_from: "2099-04-01", annual_salary_pence: 4_120_000 },
    ]);

    const shown = await get(f.cookies.admin);
    const grade = (shown.body as Awaited<ReturnType<typeof agencyPage.loader>>).detail.grades[0]!;
    expect(grade.current).toMatchObject({ effective_from: "2025-04-01", annual_salary_pence: 4_000_000 });
    expect(grade.history.map((h) => [h.effective_from, h.status])).toEqual([
      ["2099-04-01", "scheduled"],
      ["2025-04-01", "current"],
      ["2024-04-01", "past"],
    ]);
    // £40,000 × 1.285 (the agency's own on-cost) × 1.00 (workspace overhead) ÷ 1,650 hours = £31.15…
    expect(grade.current?.hourly_cost_pence).toBe(3115);

    const [event] = await auditEvents(f.db, "grade_rate.created");
    expect(event?.changes).toMatchObject({
      grade: "Band 4",
      effective_from: "2025-04-01",
      annual_salary_pence: 4_000_000,
      previous_annual_salary_pence: 3_850_000,
      previous_effective_from: "2024-04-01",
    });
  });

  it("never writes over a salary: a second one on the same date is refused", async () => {
    const band4 = (await getAgency(f.db, agencyId))!.grades[0]!;
    const before = await countRows();
    const outcome = await post({
      intent: "rate",
      grade_id: String(band4.id),
      annual_salary_pence: "45000",
      effective_from: "2025-04-01",
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body).effective_from).toEqual([
      "Band 4 already has a salary from that date. Choose another date: history is never written over",
    ]);
    expect(await countRows()).toEqual(before);
  });

  it("refuses a grade that belongs to another agency", async () => {
    const councilGrade = (await getAgency(f.db, otherAgencyId))!.grades[0]!;
    const outcome = await post({
      intent: "rate",
      grade_id: String(councilGrade.id),
      annual_salary_pence: "1",
      effective_from: "2026-01-01",
    });
    expect(outcome.status).toBe(400);
    expect(fieldErrors(outcome.body).grade_id).toEqual(["Select one of this agency's grades"]);
  });

  it("asks before a back-dated salary re-prices meetings already held, and adds it once confirmed", async () => {
    const band4 = (await getAgency(f.db, agencyId))!.grades[0]!;
    const person = await f.db
      .insertInto("people")
      .values({ workspace_id: f.ws, agency_id: agencyId, grade_id: band4.id, full_name: "Pat Officer" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const meeting = await f.db
      .insertInto("meetings")
      .values({
        workspace_id: f.ws,
        board_id: f.boardId,
        starts_at: "2025-06-10T09:00:00Z",
        duration_minutes: 120,
        format: "in_person",
        status: "held",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await f.db
      .insertInto("attendance")
      .values({ workspace_id: f.ws, meeting_id: meeting.id, person_id: person.id, status: "attended" })
      .execute();

    const form = {
      intent: "rate",
      grade_id: String(band4.id),
      annual_salary_pence: "40500",
      effective_from: "2025-05-01",
    };
    const before = await countRows();
    const asked = await post(form);
    expect(asked.status).toBe(400);
    expect(fieldErrors(asked.body).confirm_backdate).toEqual([
      "This date is in the past: the new salary changes the cost of 1 meeting already held. Confirm that you want to re-price them, or choose a later date",
    ]);
    expect(await countRows()).toEqual(before);

    const confirmed = await post({ ...form, confirm_backdate: "yes" });
    expect(confirmed.status).toBe(302);
    const events = await auditEvents(f.db, "grade_rate.created");
    expect(events.at(-1)?.changes).toMatchObject({ effective_from: "2025-05-01", backdated: true });
  });

  it("changes the agency's details, audits only what changed, and refuses another agency's name", async () => {
    const saved = await post({
      intent: "details",
      ...agencyForm({ name: "Northshire Probation Service", on_cost_pct: "", mileage_pence: "" }),
    });
    expect(saved.status).toBe(302);
    const agency = await f.db
      .selectFrom("agencies")
      .selectAll()
      .where("id", "=", agencyId)
      .executeTakeFirstOrThrow();
    expect(agency).toMatchObject({
      name: "Northshire Probation Service",
      on_cost_pct: null,
      mileage_pence: null,
    });
    const [event] = await auditEvents(f.db, "agency.updated");
    expect(event?.changes).toEqual({
      name: ["Northshire Probation", "Northshire Probation Service"],
      on_cost_pct: [28.5, null],
      mileage_pence: [40, null],
    });

    const clash = await post({ intent: "details", ...agencyForm({ name: "northshire council" }) });
    expect(clash.status).toBe(400);
    expect(fieldErrors(clash.body).name).toEqual(["An agency called northshire council already exists"]);
    // Its own name in another letter case is not a clash.
    const recased = await post({
      intent: "details",
      ...agencyForm({ name: "NORTHSHIRE Probation Service" }),
    });
    expect(recased.status).toBe(302);
  });

  it("lets a leader read the rate card but not change it", async () => {
    const read = await get(f.cookies.leader);
    expect(read.status).toBe(200);
    const body = read.body as Awaited<ReturnType<typeof agencyPage.loader>>;
    expect(body.canChange).toBe(false);
    expect(body.detail.grades[0]?.current?.annual_salary_pence).toBe(4_050_000);

    const before = await countRows();
    const forms: Record<string, string>[] = [
      { intent: "details", ...agencyForm({ name: "Renamed by a leader" }) },
      { intent: "grade", name: "Band 9", annual_salary_pence: "90000", effective_from: "2025-04-01" },
      {
        intent: "rate",
        grade_id: String(body.detail.grades[0]!.id),
        annual_salary_pence: "99999",
        effective_from: "2026-01-01",
      },
    ];
    for (const form of forms) {
      expect((await post(form, f.cookies.leader)).status).toBe(404);
    }
    expect(await countRows()).toEqual(before);
  });

  it("is not there for secretaries, members and partners", async () => {
    for (const role of ["secretary", "member", "partner"] as const) {
      expect((await get(f.cookies[role])).status).toBe(404);
      expect(
        (
          await post(
            { intent: "grade", name: "X", annual_salary_pence: "1", effective_from: "2025-01-01" },
            f.cookies[role],
          )
        ).status,
      ).toBe(404);
    }
  });

  it("answers 404 for another workspace's agency, even to an admin", async () => {
    expect((await get(f.cookies.admin, f.foreignAgencyId)).status).toBe(404);
    const outcome = await post(
      { intent: "details", ...agencyForm({ name: "Hijacked" }) },
      f.cookies.admin,
      f.foreignAgencyId,
    );
    expect(outcome.status).toBe(404);
    const foreign = await f.otherDb
      .selectFrom("agencies")
      .select("name")
      .where("id", "=", f.foreignAgencyId)
      .executeTakeFirstOrThrow();
    expect(foreign.name).toBe("Foreign Police");
    expect((await get(f.cookies.admin, 99_999_999)).status).toBe(404);
    expect(
      (
        await callRoute(agencyRoute, {
          path: "/admin/agencies/x",
          params: { agencyId: "x" },
          cookie: f.cookies.admin,
        })
      ).status,
    ).toBe(404);
  });
});
