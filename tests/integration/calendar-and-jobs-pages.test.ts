import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as reminders from "~/routes/account.reminders";
import * as adminJobs from "~/routes/admin.jobs";
import * as meetingIcs from "~/routes/meetings.$meetingId.calendar[.]ics";
import * as feed from "~/routes/public.$workspaceSlug.boards.$boardSlug.meetings[.]ics";
import { insertMeeting } from "../factories";
import { parseCalendar } from "../ical";
import { callRoute } from "../routes";
import { type AdminFixture, adminFixture, auditEvents } from "./admin-fixture";

/*
 * The pages of the mail work, called as the browser would: a public board's calendar feed
 * read by ical.js, a meeting's .ics for its readers, the admin jobs list and its retry, and
 * the reminder preference.
 */

let f: AdminFixture;
let meetingIds: Record<string, number>;

beforeAll(async () => {
  f = await adminFixture("calfeed");
  useDatabaseForTests(f.handle);
  const root = f.handle.db;
  await root.updateTable("boards").set({ visibility: "public" }).where("id", "=", f.boardId).execute();
  const meeting = (values: Parameters<typeof insertMeeting>[2]) =>
    insertMeeting(root, f.ws, values).then((m) => m.id);
  meetingIds = {
    winter: await meeting({
      board_id: f.boardId,
      starts_at: new Date(Date.now() + 30 * 86_400_000),
      location: "Room 3, County Hall https://teams.example/join/123",
      sequence: 2,
    }),
    virtual: await meeting({
      board_id: f.boardId,
      starts_at: new Date(Date.now() + 60 * 86_400_000),
      format: "virtual",
      location: "https://teams.example/join/secret",
    }),
    cancelled: await meeting({
      board_id: f.boardId,
      starts_at: new Date(Date.now() + 90 * 86_400_000),
      status: "cancelled",
      sequence: 1,
    }),
    old: await meeting({
      board_id: f.boardId,
      starts_at: new Date(Date.now() - 500 * 86_400_000),
      status: "held",
    }),
  };
  // Jobs of this workspace, and one of another workspace that must never show.
  const job = (values: {
    workspace_id: number;
    queue: string;
    status: "pending" | "done" | "failed";
    dedupe_key: string;
    last_error?: string;
  }) =>
    root
      .insertInto("jobs")
      .values({ payload: "{}", attempts: values.status === "pending" ? 0 : 1, ...values })
      .returning("id")
      .executeTakeFirstOrThrow();
  await job({ workspace_id: f.ws, queue: "mail.meeting_invitation", status: "done", dedupe_key: "j1" });
  const failed = await job({
    workspace_id: f.ws,
    queue: "mail.minutes_published",
    status: "failed",
    dedupe_key: "j2",
    last_error: "GOV.UK Notify refused to send an email (403: AuthError)",
  });
  await root
    .insertInto("mail_deliveries")
    .values([
      {
        job_id: failed.id,
        recipient: "sent@calfeed.test",
        status: "sent",
        attempt: 1,
        transport: "notify",
        sent_at: new Date(),
      },
      {
        job_id: failed.id,
        recipient: "refused@calfeed.test",
        status: "failed",
        attempt: 1,
        transport: "notify",
        error: "403",
      },
    ])
    .execute();
  await job({ workspace_id: f.ws, queue: "mail.action_reminder", status: "pending", dedupe_key: "j3" });
  await job({
    workspace_id: f.otherWs,
    queue: "mail.minutes_published",
    status: "failed",
    dedupe_key: "elsewhere",
    last_error: "Elsewhere's error",
  });
});
afterAll(() => f.handle.close());

describe("a public board's calendar feed", () => {
  it("lists its meetings from a year ago on, in London time, cancelled ones marked, without joining links", async () => {
    const outcome = await callRoute(feed, {
      path: "/public/calfeed/boards/lcjb/meetings.ics",
      params: { workspaceSlug: "calfeed", boardSlug: "lcjb" },
    });
    expect(outcome.status).toBe(200);
    expect(outcome.headers?.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    const text = String(outcome.body);
    expect(text).not.toContain("teams.example");
    const calendar = parseCalendar(text);
    expect(calendar.name).toBe("Local Criminal Justice Board meetings");
    expect(calendar.timezones).toEqual(["Europe/London"]);
    const byUid = new Map(calendar.events.map((e) => [e.uid, e]));
    expect(calendar.events).toHaveLength(3);
    expect(byUid.has(`meeting-${f.ws}-${meetingIds.old}@boardledger`)).toBe(false);
    expect(byUid.get(`meeting-${f.ws}-${meetingIds.winter}@boardledger`)).toMatchObject({
      sequence: 2,
      status: "CONFIRMED",
      startZone: "Europe/London",
      location: "Room 3, County Hall",
    });
    expect(byUid.get(`meeting-${f.ws}-${meetingIds.virtual}@boardledger`)?.location).toBe("Virtual");
    expect(byUid.get(`meeting-${f.ws}-${meetingIds.cancelled}@boardledger`)).toMatchObject({
      status: "CANCELLED",
      sequence: 1,
    });
  });

  it("does not exist for a private board or another workspace's slug", async () => {
    await f.handle.db
      .updateTable("boards")
      .set({ visibility: "private" })
      .where("id", "=", f.boardId)
      .execute();
    try {
      const outcome = await callRoute(feed, {
        path: "/public/calfeed/boards/lcjb/meetings.ics",
        params: { workspaceSlug: "calfeed", boardSlug: "lcjb" },
      });
      expect(outcome.status).toBe(404);
    } finally {
      await f.handle.db
        .updateTable("boards")
        .set({ visibility: "public" })
        .where("id", "=", f.boardId)
        .execute();
    }
    const elsewhere = await callRoute(feed, {
      path: "/public/calfeed-other/boards/lcjb/meetings.ics",
      params: { workspaceSlug: "calfeed-other", boardSlug: "lcjb" },
    });
    expect(elsewhere.status).toBe(404);
  });
});

describe("a meeting's .ics", () => {
  it("gives its readers the full location, and nobody else anything", async () => {
    const args = {
      path: `/meetings/${meetingIds.virtual}/calendar.ics`,
      params: { meetingId: String(meetingIds.virtual) },
    };
    const member = await callRoute(meetingIcs, { ...args, cookie: f.cookies.member });
    expect(member.status).toBe(200);
    expect(parseCalendar(String(member.body)).events[0]?.location).toBe("https://teams.example/join/secret");
    expect((await callRoute(meetingIcs, { ...args, cookie: f.cookies.partner })).status).toBe(404);
  });
});

describe("/admin/jobs", () => {
  type Data = Awaited<ReturnType<typeof adminJobs.loader>>;
  const list = async (query = "") =>
    (await callRoute(adminJobs, { path: `/admin/jobs${query}`, cookie: f.cookies.admin })).body as Data;

  it("lists this workspace's jobs with their state and emails, filtered in SQL", async () => {
    const all = await list();
    expect(all.counts).toEqual({ pending: 1, sent: 1, failed: 1 });
    expect(all.rows.map((r) => r.queueLabel).sort()).toEqual([
      "Action reminder",
      "Meeting invitation",
      "Minutes published",
    ]);
    expect(JSON.stringify(all)).not.toContain("Elsewhere's error");
    const failed = await list("?state=failed");
    expect(failed.rows).toHaveLength(1);
    expect(failed.rows[0]).toMatchObject({
      status: "failed",
      messages: "1 sent, 1 refused",
      lastError: "GOV.UK Notify refused to send an email (403: AuthError)",
    });
    expect((await list("?queue=mail.action_reminder")).rows.map((r) => r.status)).toEqual(["pending"]);
  });

  it("retries a failed job, keeping what was sent and trying the refused again, with an audit event", async () => {
    const failedId = (await list("?state=failed")).rows[0]!.id;
    const retried = await callRoute(adminJobs, {
      method: "POST",
      path: "/admin/jobs",
      cookie: f.cookies.admin,
      form: { intent: "retry", jobId: String(failedId) },
    });
    expect(retried.status).toBe(302);
    const job = await f.handle.db
      .selectFrom("jobs")
      .select(["status", "attempts"])
      .where("id", "=", failedId)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: "pending", attempts: 0 });
    const deliveries = await f.handle.db
      .selectFrom("mail_deliveries")
      .select(["recipient", "status"])
      .where("job_id", "=", failedId)
      .execute();
    expect(deliveries).toEqual([{ recipient: "sent@calfeed.test", status: "sent" }]);
    expect((await auditEvents(f.db, "job.retried")).map((e) => e.entity_id)).toEqual([String(failedId)]);
    // Twice is refused: it is no longer failed.
    const again = await callRoute(adminJobs, {
      method: "POST",
      path: "/admin/jobs",
      cookie: f.cookies.admin,
      form: { intent: "retry", jobId: String(failedId) },
    });
    expect(again.status).toBe(409);
  });

  it("does not retry another workspace's job", async () => {
    const theirs = await f.handle.db
      .selectFrom("jobs")
      .select("id")
      .where("dedupe_key", "=", "elsewhere")
      .executeTakeFirstOrThrow();
    const outcome = await callRoute(adminJobs, {
      method: "POST",
      path: "/admin/jobs",
      cookie: f.cookies.admin,
      form: { intent: "retry", jobId: String(theirs.id) },
    });
    expect(outcome.status).toBe(404);
    expect(
      (
        await f.handle.db
          .selectFrom("jobs")
          .select("status")
          .where("id", "=", theirs.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe("failed");
  });
});

describe("the reminder preference", () => {
  it("is saved and shown, and a missing choice is refused with a message", async () => {
    const refused = await callRoute(reminders, {
      method: "POST",
      path: "/account/reminders",
      cookie: f.cookies.partner,
      form: {},
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("Choose how you want to be reminded about your actions");
    const saved = await callRoute(reminders, {
      method: "POST",
      path: "/account/reminders",
      cookie: f.cookies.partner,
      form: { frequency: "weekly" },
    });
    expect(saved.location).toBe("/account");
    const page = await callRoute(reminders, { path: "/account/reminders", cookie: f.cookies.partner });
    expect(page.body).toEqual({ frequency: "weekly" });
    expect((await auditEvents(f.db, "reminders.preference_changed"))[0]?.changes).toEqual({
      from: "each",
      to: "weekly",
    });
  });
});
