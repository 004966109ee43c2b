import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as settingsPage from "~/routes/admin.settings";
import { callRoute } from "../routes";
import { type AdminFixture, adminFixture, auditEvents } from "./admin-fixture";

/* Workspace settings: admins only; they change this workspace's row and no other. */

let f: AdminFixture;

beforeAll(async () => {
  f = await adminFixture("settings");
  useDatabaseForTests(f.handle);
});
afterAll(() => f.handle.close());

const settingsForm = (overrides: Record<string, string> = {}) => ({
  annual_working_hours: "1,628",
  default_on_cost_pct: "27.35",
  default_overhead_pct: "12",
  default_mileage_pence: "40",
  review_cost_per_outcome_pence: "£1,000.50",
  stop_information_share_pct: "70",
  review_attendance_share_pct: "45",
  ...overrides,
});

const columns = [
  "annual_working_hours",
  "default_on_cost_pct",
  "default_overhead_pct",
  "default_mileage_pence",
  "review_cost_per_outcome_pence",
  "stop_information_share_pct",
  "review_attendance_share_pct",
] as const;

async function settingsOf(workspaceId: number) {
  return f.handle.db
    .selectFrom("workspaces")
    .select(columns)
    .where("id", "=", workspaceId)
    .executeTakeFirstOrThrow();
}

describe("workspace settings", () => {
  it("shows the defaults to an admin", async () => {
    const outcome = await callRoute(settingsPage, { path: "/admin/settings", cookie: f.cookies.admin });
    expect(outcome.status).toBe(200);
    expect((outcome.body as { settings: unknown }).settings).toEqual({
      annual_working_hours: 1650,
      default_on_cost_pct: 30,
      default_overhead_pct: 0,
      default_mileage_pence: 45,
      review_cost_per_outcome_pence: 75_000,
      stop_information_share_pct: 60,
      review_attendance_share_pct: 50,
    });
  });

  it("saves them, the cost per outcome in pounds stored as pence, and audits the change", async () => {
    const outcome = await callRoute(settingsPage, {
      method: "POST",
      path: "/admin/settings",
      cookie: f.cookies.admin,
      form: settingsForm(),
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe("/admin/settings?done=saved");
    expect(await settingsOf(f.ws)).toEqual({
      annual_working_hours: 1628,
      default_on_cost_pct: 27.35,
      default_overhead_pct: 12,
      default_mileage_pence: 40,
      review_cost_per_outcome_pence: 100_050,
      stop_information_share_pct: 70,
      review_attendance_share_pct: 45,
    });
    // The other workspace keeps its own.
    expect((await settingsOf(f.otherWs)).annual_working_hours).toBe(1650);
    const [event] = await auditEvents(f.db, "workspace_settings.updated");
    expect(event).toMatchObject({ entity_type: "workspace", entity_id: String(f.ws) });
    expect(event?.changes).toMatchObject({
      annual_working_hours: [1650, 1628],
      review_cost_per_outcome_pence: [75_000, 100_050],
    });
  });

  it("refuses values out of range, with each message beside its field, and saves nothing", async () => {
    const before = await settingsOf(f.ws);
    const outcome = await callRoute(settingsPage, {
      method: "POST",
      path: "/admin/settings",
      cookie: f.cookies.admin,
      form: settingsForm({
        annual_working_hours: "0",
        default_on_cost_pct: "-1",
        default_overhead_pct: "",
        default_mileage_pence: "45.5",
        review_cost_per_outcome_pence: "-750",
        stop_information_share_pct: "101",
      }),
    });
    expect(outcome.status).toBe(400);
    expect((outcome.body as { error: Record<string, string[]> }).error).toEqual({
      annual_working_hours: ["Annual working hours must be between 1 and 8,784"],
      default_on_cost_pct: ["On-cost must be between 0% and 500%"],
      default_overhead_pct: ["Enter the default overhead"],
      default_mileage_pence: ["Enter the mileage rate as a whole number"],
      review_cost_per_outcome_pence: ["The cost per outcome must be £0 or more"],
      stop_information_share_pct: ["The share of items for information must be between 0% and 100%"],
    });
    expect(await settingsOf(f.ws)).toEqual(before);
  });

  it("is only for admins", async () => {
    const before = await settingsOf(f.ws);
    for (const role of ["leader", "secretary", "member", "partner"] as const) {
      expect(
        (await callRoute(settingsPage, { path: "/admin/settings", cookie: f.cookies[role] })).status,
      ).toBe(404);
      const post = await callRoute(settingsPage, {
        method: "POST",
        path: "/admin/settings",
        cookie: f.cookies[role],
        form: settingsForm({ annual_working_hours: "1000" }),
      });
      expect(post.status).toBe(404);
    }
    expect(await settingsOf(f.ws)).toEqual(before);
  });
});
