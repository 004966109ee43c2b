import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField } from "~/admin/csv";
import { uniqueViolation } from "~/admin/shared.server";
import { useDatabaseForTests } from "~/db.server";
import * as rateCardsCsv from "~/routes/admin.rate-cards[.]csv";
import { callRoute } from "../routes";
import { type AdminFixture, adminFixture, auditEvents } from "./admin-fixture";

/*
 * The rate-card export: admins and leaders only; one row per salary in each grade's
 * history, pence shown as pounds, quoted as RFC 4180 says.
 */

let f: AdminFixture;

/** A strict RFC 4180 reader, so the test does not trust the writer's own rules. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) throw new Error("The CSV does not end with CRLF");
  return rows;
}

beforeAll(async () => {
  f = await adminFixture("ratecards");
  useDatabaseForTests(f.handle);
  const agency = async (name: string, on_cost_pct: number | null, overhead_pct: number | null) =>
    (
      await f.db
        .insertInto("agencies")
        .values({ workspace_id: f.ws, name, type: "voluntary", on_cost_pct, overhead_pct })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const grade = async (agency_id: number, name: string, position: number, rates: [string, number][]) => {
    const id = (
      await f.db
        .insertInto("grades")
        .values({ workspace_id: f.ws, agency_id, name, position })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    for (const [effective_from, annual_salary_pence] of rates) {
      await f.db
        .insertInto("grade_rates")
        .values({ workspace_id: f.ws, grade_id: id, effective_from, annual_salary_pence })
        .execute();
    }
  };
  const probation = await agency("Probation", null, null); // workspace defaults: 30 % on-cost, 0 % overhead
  const charity = await agency('Smith, "Jones" & Co', 20, 10);
  const formula = await agency('=HYPERLINK("http://evil")', null, null);
  await grade(probation, "PO", 1, [
    ["2025-04-01", 3_850_000],
    ["2026-04-01", 4_000_050],
  ]);
  await grade(probation, "PSO", 2, [["2025-04-01", 2_600_000]]);
  await grade(charity, "Project worker,\nsenior", 1, [["2025-01-01", 3_000_000]]);
  await grade(formula, "-Band 1", 1, [["2025-01-01", 100]]);
  // Another workspace's salaries never appear.
  const foreignGrade = (
    await f.otherDb
      .insertInto("grades")
      .values({ workspace_id: f.otherWs, agency_id: f.foreignAgencyId, name: "Secret grade" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  await f.otherDb
    .insertInto("grade_rates")
    .values({
      workspace_id: f.otherWs,
      grade_id: foreignGrade,
      effective_from: "2025-04-01",
      annual_salary_pence: 9_999_900,
    })
    .execute();
});
afterAll(() => f.handle.close());

describe("the rate-card CSV", () => {
  it("gives admins every salary in history, in pounds, correctly quoted, as an attachment", async () => {
    const outcome = await callRoute(rateCardsCsv, { path: "/admin/rate-cards.csv", cookie: f.cookies.admin });
    expect(outcome.status).toBe(200);
    const response = await rateCardsCsv.loader({
      request: new Request("http://localhost/admin/rate-cards.csv", { headers: { Cookie: f.cookies.admin } }),
    } as Parameters<typeof rateCardsCsv.loader>[0]);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="rate-cards-ratecards-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");

    // A UTF-8 byte-order mark first, for Excel (a fetch-style text() reader drops it).
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = outcome.body as string;
    const rows = parseCsv(text);
    expect(rows).toEqual([
      ["Agency", "Grade", "Effective from", "Annual salary (£)", "Hourly cost (£)"],
      // £1.00 × 1.30 ÷ 1,650 = £0.000787… → £0.00
      ['\'=HYPERLINK("http://evil")', "'-Band 1", "2025-01-01", "1.00", "0.00"],
      // £38,500 × 1.30 ÷ 1,650 = £30.333… → £30.33; £40,000.50 × 1.30 ÷ 1,650 = £31.5155… → £31.52
      ["Probation", "PO", "2025-04-01", "38500.00", "30.33"],
      ["Probation", "PO", "2026-04-01", "40000.50", "31.52"],
      // £26,000 × 1.30 ÷ 1,650 = £20.4848… → £20.48
      ["Probation", "PSO", "2025-04-01", "26000.00", "20.48"],
      // £30,000 × 1.20 × 1.10 ÷ 1,650 = £24.00
      ['Smith, "Jones" & Co', "Project worker,\nsenior", "2025-01-01", "30000.00", "24.00"],
    ]);
    expect(text).not.toContain("Secret grade");

    const events = await auditEvents(f.db, "rate_cards.exported");
    expect(events.at(-1)).toMatchObject({ actor_label: "admin@ratecards.test", changes: { rows: 5 } });
  });

  it("is open to leaders, and 404 for secretaries, members and partners", async () => {
    expect(
      (await callRoute(rateCardsCsv, { path: "/admin/rate-cards.csv", cookie: f.cookies.leader })).status,
    ).toBe(200);
    for (const role of ["secretary", "member", "partner"] as const) {
      const outcome = await callRoute(rateCardsCsv, {
        path: "/admin/rate-cards.csv",
        cookie: f.cookies[role],
      });
      expect(outcome.status).toBe(404);
      expect(outcome.body).not.toContain("38500");
    }
  });

  it("quotes fields the way RFC 4180 says", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvField("+44 1234")).toBe("'+44 1234");
    expect(csvField("-12.50")).toBe("-12.50");
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
  });
});

describe("a duplicate name that gets past the check", () => {
  it("is recognised from the database's unique index on either engine", async () => {
    await f.db
      .insertInto("agencies")
      .values({ workspace_id: f.ws, name: "Race Agency", type: "other" })
      .execute();
    const error = await f.db
      .insertInto("agencies")
      .values({ workspace_id: f.ws, name: "RACE agency", type: "other" })
      .execute()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(uniqueViolation(error)).toBe("agencies_name_key");
  });
});
