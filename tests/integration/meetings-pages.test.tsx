import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as schedule from "~/routes/boards.$boardId_.meetings.new";
import * as meetingPage from "~/routes/meetings.$meetingId._index";
import * as cancel from "~/routes/meetings.$meetingId.cancel";
import * as edit from "~/routes/meetings.$meetingId.edit";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import {
  insertAttendance,
  insertMeeting,
  insertMembership,
  insertPartnership,
  insertPerson,
  insertUser,
} from "../factories";
import { callRoute, type RouteModule, signedIn } from "../routes";

/*
 * The meeting pages rendered on the server from their real loaders (and refused actions),
 * as a browser without JavaScript gets them.
 */

let handle: DatabaseHandle;
let boardId: number;
let meetingId: number;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { db } = handle;
  const p = await insertPartnership(db, "pages");
  boardId = p.boardId;
  const grade = await db
    .insertInto("grades")
    .values({ workspace_id: p.workspaceId, agency_id: p.agencyId, name: "Superintendent" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("grade_rates")
    .values({
      workspace_id: p.workspaceId,
      grade_id: grade.id,
      effective_from: "2020-01-01",
      annual_salary_pence: 6_600_000,
    })
    .execute();
  const person = await insertPerson(db, p.workspaceId, {
    agency_id: p.agencyId,
    grade_id: grade.id,
    full_name: "Sam Super",
  });
  await insertMembership(db, p.workspaceId, {
    board_id: boardId,
    person_id: person.id,
    agency_id: p.agencyId,
  });
  meetingId = (
    await insertMeeting(db, p.workspaceId, {
      board_id: boardId,
      starts_at: "2026-06-09T09:00:00Z",
      status: "held",
      duration_minutes: 60,
      location: "Council chamber",
      venue_cost_pence: 10_000,
    })
  ).id;
  await insertAttendance(db, p.workspaceId, {
    meeting_id: meetingId,
    person_id: person.id,
    status: "attended",
  });
  for (const [name, grants] of [
    ["leader", [{ role: "leader" as const }]],
    ["secretary", [{ role: "secretary" as const, board_id: boardId }]],
    ["member", [{ role: "member" as const, board_id: boardId }]],
  ] as const) {
    const user = await insertUser(db, p.workspaceId, { email: `${name}@pages.test`, password: null }, grants);
    cookies[name] = await signedIn(db, user.id, p.workspaceId);
  }
});
afterAll(() => handle?.close());

interface PageModule {
  default: ComponentType<never>;
}

async function render(
  module: object,
  pattern: string,
  path: string,
  params: Record<string, string>,
  cookie: string,
  post?: Record<string, string>,
): Promise<string> {
  const route = module as PageModule & RouteModule;
  const loaded = await callRoute(route, { path, params, cookie });
  expect(loaded.status).toBe(200);
  const acted = post ? await callRoute(route, { method: "POST", path, params, cookie, form: post }) : null;
  if (acted) expect(acted.status).toBe(400);
  const Stub = createRoutesStub([{ id: "page", path: pattern, Component: route.default as ComponentType }]);
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

describe("meeting pages as rendered", () => {
  const page = (role: string) =>
    render(
      meetingPage,
      "/meetings/:meetingId",
      `/meetings/${meetingId}`,
      { meetingId: String(meetingId) },
      cookies[role]!,
    );

  it("shows a leader each attendee's grade and cost, the venue and the total", async () => {
    const html = await page("leader");
    expect(html).toContain("Sam Super");
    expect(html).toContain("Superintendent");
    expect(html).toContain("Council chamber");
    expect(html).toContain("9 June 2026, 10:00am");
    expect(html).toContain("£100.00");
    // Worked by hand: £66,000 × 1.30 ÷ 1,650 h = £52.00 an hour; 60 minutes present and
    // 30 minutes' preparation = 1.5 h = £78.00; with the £100.00 venue, £178.00.
    expect(html).toContain("£78.00");
    expect(html).toContain("£178.00");
    expect(html).not.toContain("Edit meeting");
  });

  it("shows a member the total only", async () => {
    const html = await page("member");
    expect(html).toContain("Total cost");
    expect(html).not.toContain("Superintendent");
    expect(html).not.toContain("Cost of each attendee");
  });

  it("gives the secretary links to edit, build the agenda and take the register", async () => {
    const html = await page("secretary");
    expect(html).toContain(`href="/meetings/${meetingId}/edit"`);
    expect(html).toContain(`href="/meetings/${meetingId}/agenda"`);
    expect(html).toContain(`href="/meetings/${meetingId}/register"`);
    // A held meeting cannot be cancelled.
    expect(html).not.toContain(`href="/meetings/${meetingId}/cancel"`);
  });

  it("keeps what was typed and shows the message beside a refused field when scheduling", async () => {
    const html = await render(
      schedule,
      "/boards/:boardId/meetings/new",
      `/boards/${boardId}/meetings/new`,
      { boardId: String(boardId) },
      cookies.secretary!,
      {
        date: "2020-01-07",
        start_time: "10:00",
        duration_minutes: "90",
        format: "in_person",
        location: "Town hall",
        repeat: "none",
      },
    );
    expect(html).toContain("There is a problem");
    expect(html).toContain("The meeting must start in the future");
    expect(html).toContain('value="Town hall"');
    expect(html).toContain('value="2020-01-07"');
  });

  it("fills the edit form with the meeting's values, and the cancel page explains a held meeting cannot be cancelled", async () => {
    const html = await render(
      edit,
      "/meetings/:meetingId/edit",
      `/meetings/${meetingId}/edit`,
      { meetingId: String(meetingId) },
      cookies.secretary!,
    );
    expect(html).toContain('value="2026-06-09"');
    expect(html).toContain('value="10:00"');
    expect(html).toContain('value="100.00"');
    const cancelHtml = await render(
      cancel,
      "/meetings/:meetingId/cancel",
      `/meetings/${meetingId}/cancel`,
      { meetingId: String(meetingId) },
      cookies.secretary!,
    );
    expect(cancelHtml).toContain("cannot be cancelled");
  });
});
