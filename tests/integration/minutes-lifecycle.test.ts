import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as minutesRoute from "~/routes/meetings.$meetingId.minutes._index";
import * as editRoute from "~/routes/meetings.$meetingId.minutes.edit";
import { callRoute, fieldErrors } from "../routes";
import { type MinutesFixture, minutesFixture, minutesForm, SENSITIVE_TITLE } from "./minutes-fixture";

/*
 * Minutes from draft to published through the routes, as a secretary and a member would
 * drive them, with the refusals that matter: publishing before approval, editing after
 * publication without re-opening, a member approving. A refused step writes nothing: not
 * the minutes, not a version, not an email job.
 */

let f: MinutesFixture;
let params: { meetingId: string };
let path: string;

beforeAll(async () => {
  f = await minutesFixture("minuteslife");
  useDatabaseForTests(f.handle);
  params = { meetingId: String(f.meetingId) };
  path = `/meetings/${f.meetingId}/minutes`;
});

afterAll(() => f?.handle.close());

async function state() {
  const minutes = await f.db
    .selectFrom("minutes")
    .select(["id", "status", "version", "approved_at_meeting_id"])
    .where("meeting_id", "=", f.meetingId)
    .executeTakeFirst();
  const versions = await f.db
    .selectFrom("minute_versions")
    .select(["version", "status", "note"])
    .where("minutes_id", "=", minutes?.id ?? 0)
    .orderBy("version")
    .execute();
  const jobs = await f.handle.db
    .selectFrom("jobs")
    .select(["queue", "payload", "dedupe_key"])
    .where("workspace_id", "=", f.ws)
    .orderBy("id")
    .execute();
  return { minutes, versions, jobs };
}

const post = (cookie: string, form: Record<string, string>) =>
  callRoute(minutesRoute, { method: "POST", path, params, cookie, form });

describe("the minutes lifecycle", () => {
  it("the secretary writes the first draft: text, a decision and an action, as version 1", async () => {
    const outcome = await callRoute(editRoute, {
      method: "POST",
      path: `${path}/edit`,
      params,
      cookie: f.cookies.secretary,
      form: minutesForm(
        f,
        0,
        ["Agreed as a true record.", "Discussed two cases.", "Compliance is at **82%**."],
        {
          "items[2].newDecision": "The board agreed a Victims' Code audit.",
          "items[2].newAction.title": "Run the Victims' Code audit",
          "items[2].newAction.ownerAgency": String(f.agencyId),
          "items[2].newAction.ownerPerson": String(f.personId),
          "items[2].newAction.dueDate": "2027-01-15",
        },
      ),
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`${path}?done=saved`);
    const { minutes, versions } = await state();
    expect(minutes).toMatchObject({ status: "draft", version: 1 });
    expect(versions).toEqual([{ version: 1, status: "draft", note: null }]);
    const decision = await f.db
      .selectFrom("decisions")
      .select(["text", "board_id"])
      .where("meeting_id", "=", f.meetingId)
      .executeTakeFirstOrThrow();
    expect(decision).toEqual({ text: "The board agreed a Victims' Code audit.", board_id: f.boardId });
    const action = await f.db
      .selectFrom("actions")
      .select(["title", "owner_agency_id", "owner_person_id", "due_date", "status", "classification"])
      .where("meeting_id", "=", f.meetingId)
      .executeTakeFirstOrThrow();
    expect(action).toEqual({
      title: "Run the Victims' Code audit",
      owner_agency_id: f.agencyId,
      owner_person_id: f.personId,
      due_date: "2027-01-15",
      status: "open",
      classification: "official",
    });
  });

  it("shows the draft to the secretary, with the Markdown rendered, but not to a member", async () => {
    const secretary = await callRoute(minutesRoute, { path, params, cookie: f.cookies.secretary });
    const body = secretary.body as { document: { items: { discussionHtml: string }[] } | null };
    expect(body.document?.items[2]?.discussionHtml).toContain("<strong>82%</strong>");
    const member = await callRoute(minutesRoute, { path, params, cookie: f.cookies.member });
    expect(member.status).toBe(200);
    expect((member.body as { document: unknown }).document).toBeNull();
    const partner = await callRoute(minutesRoute, { path, params, cookie: f.cookies.partner });
    expect(partner.status).toBe(404);
  });

  it("refuses to publish a draft, writing nothing", async () => {
    const before = await state();
    const outcome = await post(f.cookies.secretary, { intent: "publish", version: "1" });
    expect(outcome.status).toBe(409);
    expect(JSON.stringify(outcome.body)).toContain("Minutes must be approved before they are published.");
    expect(await state()).toEqual(before);
  });

  it("circulates the draft and queues one 'circulated' email job in the same transaction", async () => {
    const outcome = await post(f.cookies.secretary, { intent: "circulate", version: "1" });
    expect(outcome.status).toBe(302);
    const { minutes, versions, jobs } = await state();
    expect(minutes).toMatchObject({ status: "circulated", version: 2 });
    expect(versions.map((v) => v.status)).toEqual(["draft", "circulated"]);
    expect(jobs).toEqual([
      {
        queue: "mail.minutes_circulated",
        payload: { minutesId: minutes?.id },
        dedupe_key: `minutes-circulated:${minutes?.id}:2`,
      },
    ]);
  });

  it("lets a member comment on an item; the member may not approve (404) and nothing is written", async () => {
    const comment = await post(f.cookies.member, {
      intent: "comment",
      item: String(f.itemIds[2]),
      body: "Please record that the audit covers all partners.",
    });
    expect(comment.status).toBe(302);
    const before = await state();
    for (const form of [
      { intent: "approve", version: "2", approvedBy: "chair" },
      { intent: "publish", version: "2" },
      { intent: "resolve", comment: "1" },
    ] as Record<string, string>[]) {
      const refused = await post(f.cookies.member, form);
      expect(refused.status).toBe(404);
    }
    expect(await state()).toEqual(before);
    const leader = await post(f.cookies.leader, { intent: "approve", version: "2", approvedBy: "chair" });
    expect(leader.status).toBe(404);
  });

  it("refuses approval while a comment is open, then approves at a later meeting once it is resolved", async () => {
    const refused = await post(f.cookies.secretary, {
      intent: "approve",
      version: "2",
      approvedBy: "meeting",
      approvedAtMeeting: String(f.laterMeetingId),
    });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain("Resolve the open comment before approving the minutes.");

    const page = await callRoute(minutesRoute, { path, params, cookie: f.cookies.secretary });
    const comments = (page.body as { comments: { id: number; itemId: number; body: string }[] }).comments;
    expect(comments).toEqual([
      expect.objectContaining({
        itemId: f.itemIds[2],
        body: "Please record that the audit covers all partners.",
      }),
    ]);
    expect(
      (await post(f.cookies.secretary, { intent: "resolve", comment: String(comments[0]?.id) })).status,
    ).toBe(302);

    const wrongMeeting = await post(f.cookies.secretary, {
      intent: "approve",
      version: "2",
      approvedBy: "meeting",
      approvedAtMeeting: String(f.meetingId),
    });
    expect(wrongMeeting.status).toBe(400);
    expect(fieldErrors(wrongMeeting.body, "approvedAtMeeting")).toEqual([
      "Select a later meeting of this board that has taken place",
    ]);

    const approved = await post(f.cookies.secretary, {
      intent: "approve",
      version: "2",
      approvedBy: "meeting",
      approvedAtMeeting: String(f.laterMeetingId),
    });
    expect(approved.status).toBe(302);
    const { minutes } = await state();
    expect(minutes).toMatchObject({
      status: "approved",
      version: 3,
      approved_at_meeting_id: f.laterMeetingId,
    });
  });

  it("publishes the approved minutes and queues one 'published' email job", async () => {
    const stale = await post(f.cookies.secretary, { intent: "publish", version: "2" });
    expect(stale.status).toBe(409);
    const outcome = await post(f.cookies.secretary, { intent: "publish", version: "3" });
    expect(outcome.status).toBe(302);
    const { minutes, versions, jobs } = await state();
    expect(minutes).toMatchObject({ status: "published", version: 4 });
    expect(versions.map((v) => v.status)).toEqual(["draft", "circulated", "approved", "published"]);
    expect(jobs.map((j) => j.dedupe_key)).toEqual([
      `minutes-circulated:${minutes?.id}:2`,
      `minutes-published:${minutes?.id}:4`,
    ]);
    expect(jobs[1]).toMatchObject({ queue: "mail.minutes_published", payload: { minutesId: minutes?.id } });
  });

  it("refuses an edit of published minutes that were not re-opened, writing nothing", async () => {
    const before = await state();
    const edit = await callRoute(editRoute, {
      method: "POST",
      path: `${path}/edit`,
      params,
      cookie: f.cookies.secretary,
      form: minutesForm(f, 4, ["Quietly changed.", "", ""]),
    });
    expect(edit.status).toBe(409);
    expect(JSON.stringify(edit.body)).toContain(
      "These minutes have been approved, so they cannot be changed.",
    );
    expect(await state()).toEqual(before);
    const text = await f.db
      .selectFrom("minute_items")
      .select("discussion")
      .where("agenda_item_id", "=", f.itemIds[0])
      .executeTakeFirstOrThrow();
    expect(text.discussion).toBe("Agreed as a true record.");
  });

  it("re-opens published minutes deliberately, with a reason, back to a draft that can be edited", async () => {
    const noReason = await post(f.cookies.secretary, { intent: "reopen", version: "4", reason: "" });
    expect(noReason.status).toBe(400);
    expect(fieldErrors(noReason.body, "reason")).toEqual(["Enter why the minutes are being re-opened"]);

    const reopened = await post(f.cookies.secretary, {
      intent: "reopen",
      version: "4",
      reason: "The compliance figure was wrong.",
    });
    expect(reopened.status).toBe(302);
    const { minutes, versions } = await state();
    expect(minutes).toMatchObject({ status: "draft", version: 5, approved_at_meeting_id: null });
    expect(versions.at(-1)).toEqual({
      version: 5,
      status: "draft",
      note: "Re-opened: The compliance figure was wrong.",
    });

    const edit = await callRoute(editRoute, {
      method: "POST",
      path: `${path}/edit`,
      params,
      cookie: f.cookies.secretary,
      form: minutesForm(f, 5, [
        "Agreed as a true record.",
        "Discussed two cases.",
        "Compliance is at **78%**.",
      ]),
    });
    expect(edit.status).toBe(302);
    const audit = await f.db
      .selectFrom("audit_events")
      .select(["event", "changes"])
      .where("entity_type", "=", "minutes")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.event)).toEqual([
      "minutes.created",
      "minutes.circulated",
      "minutes.approved",
      "minutes.published",
      "minutes.reopened",
      "minutes.saved",
    ]);
    // The audit trail keeps no OFFICIAL-SENSITIVE text.
    expect(JSON.stringify(audit)).not.toContain("Discussed two cases");
    expect(JSON.stringify(audit)).not.toContain(SENSITIVE_TITLE);
  });

  it("shows members the version last published while re-opened minutes are corrected", async () => {
    const member = await callRoute(minutesRoute, { path, params, cookie: f.cookies.member });
    const body = member.body as {
      showingPublished: boolean;
      document: { items: { discussionHtml: string }[] };
      shown: { version: number };
    };
    expect(body.showingPublished).toBe(true);
    expect(body.shown.version).toBe(4);
    expect(body.document.items[2]?.discussionHtml).toContain("82%");
  });

  it("keeps no email job from a transition whose transaction failed", async () => {
    // Approve and publish again, with the database refusing the published version row.
    await post(f.cookies.secretary, { intent: "circulate", version: "6" });
    await post(f.cookies.secretary, { intent: "approve", version: "7", approvedBy: "chair" });
    const before = await state();
    expect(before.minutes).toMatchObject({ status: "approved", version: 8 });
    await sql`create function refuse_published() returns trigger language plpgsql as $$
      begin if new.status = 'published' then raise exception 'refused for the test'; end if; return new; end $$`.execute(
      f.handle.db,
    );
    await sql`create trigger refuse_published before insert on minute_versions for each row execute function refuse_published()`.execute(
      f.handle.db,
    );
    try {
      await expect(post(f.cookies.secretary, { intent: "publish", version: "8" })).rejects.toThrow(
        /refused for the test/,
      );
    } finally {
      await sql`drop trigger refuse_published on minute_versions`.execute(f.handle.db);
      await sql`drop function refuse_published()`.execute(f.handle.db);
    }
    const after = await state();
    expect(after).toEqual(before);
    expect(after.jobs.some((j) => j.dedupe_key?.endsWith(":9"))).toBe(false);
  });
});
