import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as builder from "~/routes/meetings.$meetingId.agenda";
import * as itemRoute from "~/routes/meetings.$meetingId.agenda_.$itemId";
import { insertMeeting } from "../factories";
import { callRoute, type RouteModule } from "../routes";
import { type AdminFixture, adminFixture } from "./admin-fixture";

/*
 * The agenda pages rendered on the server with their loaders' data, as a browser without
 * JavaScript gets them: the items in order with real "Move up"/"Move down" forms, the running
 * total and its warning, messages beside fields with the typed input kept, and the
 * confirmation before removing an item.
 */

let f: AdminFixture;
let meetingId: number;
let itemIds: number[];

beforeAll(async () => {
  f = await adminFixture("agendapages");
  useDatabaseForTests(f.handle);
  meetingId = (
    await insertMeeting(f.handle.db, f.ws, {
      board_id: f.boardId,
      starts_at: "2026-12-01T10:00:00Z",
      duration_minutes: 60,
    })
  ).id;
  itemIds = [];
  for (const [position, title, minutes] of [
    [0, "Minutes of the last meeting", 5],
    [1, "Youth diversion & triage", 50],
    [2, "Any other business", 10],
  ] as const) {
    const row = await f.db
      .insertInto("agenda_items")
      .values({
        workspace_id: f.ws,
        meeting_id: meetingId,
        position,
        title,
        purpose: "discussion",
        minutes_allowed: minutes,
        standing_kind: position === 0 ? "previous_minutes" : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    itemIds.push(row.id);
  }
});

afterAll(() => f?.handle.close());

interface PageModule {
  default: ComponentType<never>;
}

async function render(
  module: PageModule & RouteModule,
  path: string,
  pattern: string,
  params: Record<string, string>,
  post?: Record<string, string>,
): Promise<string> {
  const loaded = await callRoute(module, { path, params, cookie: f.cookies.secretary });
  expect(loaded.status).toBe(200);
  const acted = post
    ? await callRoute(module, { method: "POST", path, params, cookie: f.cookies.secretary, form: post })
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

const asPage = (module: object) => module as PageModule & RouteModule;

describe("the agenda builder as rendered", () => {
  it("lists the items in order with move buttons as real forms, and warns when over time", async () => {
    const html = await render(
      asPage(builder),
      `/meetings/${meetingId}/agenda`,
      "/meetings/:meetingId/agenda",
      {
        meetingId: String(meetingId),
      },
    );
    const first = html.indexOf("Minutes of the last meeting");
    const second = html.indexOf("Youth diversion &amp; triage");
    const third = html.indexOf("Any other business");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    // Two "Move up" (not on the first) and two "Move down" (not on the last), each a POST form.
    expect(html.match(/value="up"/g)).toHaveLength(2);
    expect(html.match(/value="down"/g)).toHaveLength(2);
    expect(html).toMatch(/<form[^>]*method="post"/);
    expect(html).toContain("1 hour 5 minutes of 1 hour");
    expect(html).toContain("The items need 5 minutes more than the meeting’s length.");
    expect(html).toContain("Standing item");
    expect(html).toContain(`href="/meetings/${meetingId}/agenda/${itemIds[1]}?remove=confirm"`);
    expect(html).toContain("Add an item");
  });

  it("shows a refused item's messages beside the fields and keeps what was typed", async () => {
    const html = await render(
      asPage(builder),
      `/meetings/${meetingId}/agenda`,
      "/meetings/:meetingId/agenda",
      { meetingId: String(meetingId) },
      {
        intent: "add",
        title: "Serious violence duty",
        purpose: "decision",
        minutes_allowed: "999",
        classification: "official",
      },
    );
    expect(html).toContain("There is a problem");
    expect(html).toContain("Minutes allowed must be 720 (12 hours) or fewer");
    expect(html).toContain('value="Serious violence duty"');
    expect(html).toContain('value="999"');
  });
});

describe("an agenda item as rendered", () => {
  const params = () => ({ meetingId: String(meetingId), itemId: String(itemIds[1]) });

  it("shows the edit form with the item's values and the upload form", async () => {
    const html = await render(
      asPage(itemRoute),
      `/meetings/${meetingId}/agenda/${itemIds[1]}`,
      "/meetings/:meetingId/agenda/:itemId",
      params(),
    );
    expect(html).toContain("Edit agenda item");
    expect(html).toContain('value="Youth diversion &amp; triage"');
    expect(html).toContain('value="50"');
    expect(html).toMatch(/enctype="multipart\/form-data"/i);
    expect(html).toContain('type="file"');
  });

  it("asks for confirmation before removing", async () => {
    const html = await render(
      asPage(itemRoute),
      `/meetings/${meetingId}/agenda/${itemIds[1]}?remove=confirm`,
      "/meetings/:meetingId/agenda/:itemId",
      params(),
    );
    expect(html).toContain("Are you sure you want to remove “Youth diversion &amp; triage”?");
    expect(html).toContain('value="remove"');
  });
});
