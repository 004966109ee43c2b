import { HttpResponse, http } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueJob } from "~/jobs/queue.server";
import { jobHandlers } from "~/jobs/registry.server";
import { JobWorker } from "~/jobs/worker.server";
import { mailConfig } from "~/mail/config.server";
import {
  clearRecordedMail,
  type MailTransport,
  recordedMail,
  type SentMail,
  setMailTransport,
} from "~/mail/mailer.server";
import { notifyTransport } from "~/mail/transports/notify.server";
import { cancelMeeting, scheduleMeetings, updateMeeting } from "~/meetings/meetings.server";
import { meetingSchema, scheduleSchema } from "~/meetings/schemas";
import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertBoard,
  insertMeeting,
  insertMembership,
  insertPerson,
  insertUser,
  insertWorkspace,
  makeViewer,
} from "../factories";
import { parseCalendar } from "../ical";
import { server } from "../mocks/server";

/*
 * The emails the worker sends for meetings and minutes, end to end: the change queues the
 * job in its transaction, a worker runs it, and the messages are read as a person (and
 * their calendar) would read them.
 */

let handle: DatabaseHandle;
let ws: number;
let db: WorkspaceDb;
let boardId: number;
let privateBoardId: number;
let agencyId: number;
const actor = { userId: null, label: "secretary@mail.test" };
const NOW = new Date("2027-02-01T12:00:00Z");
const SENSITIVE_TITLE = "Informant handling in Operation Nightjar";
const SENSITIVE_TEXT = "The covert source known as KESTREL met officers on 3 January";

const worker = () => new JobWorker({ db: handle.db, handlers: jobHandlers, backoffMs: () => 60_000 });
const mailTo = (email: string) => recordedMail().filter((m) => m.to === email);
const ics = (mail: SentMail) => parseCalendar(mail.attachments?.[0]?.content ?? "");

beforeAll(async () => {
  handle = await freshDatabase();
  const root = handle.db;
  ws = (await insertWorkspace(root, { slug: "mailtown", name: "Mailtown partnership" })).id;
  db = scopeToWorkspace(root, ws);
  agencyId = (await insertAgency(root, ws, { name: "Mailtown Police" })).id;
  boardId = (await insertBoard(root, ws, { name: "Mailtown LCJB", slug: "lcjb", visibility: "public" })).id;
  privateBoardId = (await insertBoard(root, ws, { name: "MAPPA SMB", slug: "mappa", visibility: "private" }))
    .id;
  const person = (name: string, email: string | null) =>
    insertPerson(root, ws, { agency_id: agencyId, full_name: name, email }).then((p) => p.id);
  const ada = await person("Ada Lovelace", "ada@mail.test");
  const bob = await person("Bob Hope", "bob.person@mail.test");
  const cy = await person("Cy Nomail", null);
  for (const personId of [ada, bob, cy]) {
    await insertMembership(root, ws, { board_id: boardId, person_id: personId, agency_id: agencyId });
  }
  // Bob signs in with another address: he is written to there.
  await insertUser(root, ws, { email: "bob@mail.test", person_id: bob }, [
    { role: "member", board_id: boardId },
    { role: "member", board_id: privateBoardId },
  ]);
  await insertUser(root, ws, { email: "sec@mail.test" }, [{ role: "secretary", board_id: boardId }]);
});
afterAll(() => handle.close());
beforeEach(() => clearRecordedMail());
afterEach(() => setMailTransport(undefined));

describe("meeting invitations", () => {
  it("go to everyone invited with an address, with an .ics that a calendar reads, and follow each change", async () => {
    const viewer = makeViewer(handle.db, ws, [{ role: "admin" }]);
    const scheduled = await scheduleMeetings(
      viewer,
      actor,
      boardId,
      scheduleSchema.parse({
        date: "2027-03-03",
        start_time: "10:00",
        duration_minutes: "90",
        format: "in_person",
        location: "Room 3, Police HQ; Mailtown",
        venue_cost: "0",
        catering_cost: "0",
      }),
      NOW,
    );
    if (!scheduled.ok) throw new Error("not scheduled");
    const meetingId = scheduled.value.meetingIds[0]!;
    await worker().drain();

    expect(recordedMail().map((m) => m.to)).toEqual(["ada@mail.test", "bob@mail.test"]);
    const invitation = mailTo("ada@mail.test")[0]!;
    expect(invitation.subject).toBe("Invitation: Mailtown LCJB, 3 March 2027 at 10:00am");
    expect(invitation.text).toContain("When: 3 March 2027, 10:00am to 11:30am (UK time)");
    expect(invitation.text).toContain(`/meetings/${meetingId}`);
    expect(invitation.attachments?.[0]).toMatchObject({
      filename: "invitation.ics",
      contentType: "text/calendar; charset=utf-8; method=REQUEST",
    });
    const calendar = ics(invitation);
    expect(calendar.method).toBe("REQUEST");
    expect(calendar.timezones).toEqual(["Europe/London"]);
    expect(calendar.events).toHaveLength(1);
    expect(calendar.events[0]).toMatchObject({
      uid: `meeting-${ws}-${meetingId}@boardledger`,
      sequence: 0,
      summary: "Mailtown LCJB",
      startZone: "Europe/London",
      localStart: "2027-03-03T10:00:00",
      location: "Room 3, Police HQ; Mailtown",
      attendees: ["ada@mail.test"],
    });
    expect(calendar.events[0]!.start.toISOString()).toBe("2027-03-03T10:00:00.000Z");

    // Moved into British Summer Time: an updated invitation, the same UID, the next sequence.
    clearRecordedMail();
    const moved = await updateMeeting(
      viewer,
      actor,
      meetingId,
      meetingSchema.parse({
        date: "2027-04-07",
        start_time: "14:30",
        duration_minutes: "90",
        format: "in_person",
        location: "Room 3, Police HQ; Mailtown",
        venue_cost: "0",
        catering_cost: "0",
      }),
      NOW,
    );
    expect(moved.ok).toBe(true);
    await worker().drain();
    const update = mailTo("bob@mail.test")[0]!;
    expect(update.subject).toBe("Updated invitation: Mailtown LCJB, 7 April 2027 at 2:30pm");
    expect(ics(update).events[0]).toMatchObject({
      uid: `meeting-${ws}-${meetingId}@boardledger`,
      sequence: 1,
      localStart: "2027-04-07T14:30:00",
    });
    expect(ics(update).events[0]!.start.toISOString()).toBe("2027-04-07T13:30:00.000Z");

    // Cancelled: METHOD:CANCEL and STATUS:CANCELLED, so calendars remove it.
    clearRecordedMail();
    expect((await cancelMeeting(viewer, actor, meetingId, "Not quorate")).ok).toBe(true);
    await worker().drain();
    const cancellation = mailTo("ada@mail.test")[0]!;
    expect(cancellation.subject).toBe("Cancelled: Mailtown LCJB, 7 April 2027 at 2:30pm");
    expect(cancellation.text).toContain("Reason: Not quorate");
    expect(ics(cancellation)).toMatchObject({ method: "CANCEL" });
    expect(ics(cancellation).events[0]).toMatchObject({ status: "CANCELLED", sequence: 2 });

    // Run again (an admin's retry, a restart): nobody hears twice.
    clearRecordedMail();
    await handle.db
      .updateTable("jobs")
      .set({ status: "pending", attempts: 0 })
      .where("queue", "=", "mail.meeting_invitation")
      .execute();
    expect(await worker().drain()).toBe(3);
    expect(recordedMail()).toEqual([]);
  });

  it("are not sent for a change of costs only, nor for an older change overtaken by a newer one", async () => {
    const viewer = makeViewer(handle.db, ws, [{ role: "admin" }]);
    const meetingId = (
      await insertMeeting(handle.db, ws, {
        board_id: boardId,
        starts_at: "2027-05-05T09:00:00Z",
        location: "Hall",
        sequence: 4,
      })
    ).id;
    await db
      .insertInto("attendance")
      .values({
        workspace_id: ws,
        meeting_id: meetingId,
        person_id: (
          await db
            .selectFrom("people")
            .select("id")
            .where("full_name", "=", "Ada Lovelace")
            .executeTakeFirstOrThrow()
        ).id,
      })
      .execute();
    const form = {
      date: "2027-05-05",
      start_time: "10:00",
      duration_minutes: "120",
      format: "in_person",
      location: "Hall",
      catering_cost: "0",
    };
    await updateMeeting(viewer, actor, meetingId, meetingSchema.parse({ ...form, venue_cost: "100" }), NOW);
    expect(await worker().drain()).toBe(0);
    // An invitation queued for sequence 3 runs after the meeting reached 5: it sends nothing.
    await enqueueJob(db, {
      queue: "mail.meeting_invitation",
      payload: { meetingId, sequence: 3 },
      dedupeKey: "stale",
    });
    await worker().drain();
    expect(recordedMail()).toEqual([]);
  });
});

async function minutesFor(board: number, status: "circulated" | "published") {
  const meetingId = (
    await insertMeeting(handle.db, ws, { board_id: board, starts_at: "2027-01-20T10:00:00Z", status: "held" })
  ).id;
  const item = await db
    .insertInto("agenda_items")
    .values({
      workspace_id: ws,
      meeting_id: meetingId,
      position: 0,
      title: SENSITIVE_TITLE,
      purpose: "discussion",
      classification: "official_sensitive",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const minutes = await db
    .insertInto("minutes")
    .values({
      workspace_id: ws,
      meeting_id: meetingId,
      status,
      ...(status === "published" ? { approved_at: NOW, published_at: NOW } : { circulated_at: NOW }),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("minute_items")
    .values({ workspace_id: ws, minutes_id: minutes.id, agenda_item_id: item.id, discussion: SENSITIVE_TEXT })
    .execute();
  return { meetingId, minutesId: minutes.id };
}

describe("minutes emails", () => {
  function neverSensitive() {
    const everything = JSON.stringify(recordedMail());
    expect(everything).not.toContain("KESTREL");
    expect(everything).not.toContain(SENSITIVE_TEXT);
    expect(everything).not.toContain("Nightjar");
  }

  it("ask members to comment on circulated minutes with a link, never their text", async () => {
    const { meetingId, minutesId } = await minutesFor(boardId, "circulated");
    await enqueueJob(db, {
      queue: "mail.minutes_circulated",
      payload: { minutesId },
      dedupeKey: `minutes-circulated:${minutesId}:1`,
    });
    await worker().drain();
    expect(recordedMail().map((m) => m.to)).toEqual(["bob@mail.test"]);
    const mail = recordedMail()[0]!;
    expect(mail.subject).toBe("Draft minutes for comment: Mailtown LCJB meeting on 20 January 2027");
    expect(mail.text).toContain(`http://localhost:3000/meetings/${meetingId}/minutes`);
    neverSensitive();
  });

  it("link members of a public board to the public page, and of a private board to the signed-in page", async () => {
    const open = await minutesFor(boardId, "published");
    await enqueueJob(db, {
      queue: "mail.minutes_published",
      payload: { minutesId: open.minutesId },
      dedupeKey: `minutes-published:${open.minutesId}:1`,
    });
    const closed = await minutesFor(privateBoardId, "published");
    await enqueueJob(db, {
      queue: "mail.minutes_published",
      payload: { minutesId: closed.minutesId },
      dedupeKey: `minutes-published:${closed.minutesId}:1`,
    });
    await worker().drain();
    // Every current member with an address (and the secretary) hears of the public minutes.
    const publicLink = `http://localhost:3000/public/mailtown/boards/lcjb/minutes/${open.meetingId}`;
    expect(
      recordedMail()
        .filter((m) => m.text.includes(publicLink))
        .map((m) => m.to),
    ).toEqual(["ada@mail.test", "bob@mail.test", "sec@mail.test"]);
    // Only those who can sign in to the private board.
    const privateLink = `http://localhost:3000/meetings/${closed.meetingId}/minutes`;
    expect(
      recordedMail()
        .filter((m) => m.text.includes(privateLink))
        .map((m) => m.to),
    ).toEqual(["bob@mail.test"]);
    neverSensitive();
  });

  it("send nothing when the minutes have moved on before the job runs", async () => {
    const { minutesId } = await minutesFor(boardId, "published");
    await enqueueJob(db, {
      queue: "mail.minutes_circulated",
      payload: { minutesId },
      dedupeKey: `minutes-circulated:${minutesId}:9`,
    });
    await worker().drain();
    expect(recordedMail()).toEqual([]);
  });
});

describe("through GOV.UK Notify", () => {
  it("a send whose outcome a crash left unknown is looked up by reference, not sent again", async () => {
    const config = mailConfig({
      MAIL_TRANSPORT: "notify",
      NOTIFY_API_KEY: "test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0",
      NOTIFY_TEMPLATE_ID: "f33517ff-2a88-4f6e-b855-c550268ce08a",
    });
    if (config.transport !== "notify") throw new Error("expected notify");
    const accepted: { reference: string; id: string }[] = [];
    server.use(
      http.post("https://api.notifications.service.gov.uk/v2/notifications/email", async ({ request }) => {
        const body = (await request.json()) as { reference: string };
        const id = `notification-${accepted.length + 1}`;
        accepted.push({ reference: body.reference, id });
        return HttpResponse.json({ id, reference: body.reference }, { status: 201 });
      }),
      http.get("https://api.notifications.service.gov.uk/v2/notifications", ({ request }) => {
        const reference = new URL(request.url).searchParams.get("reference");
        return HttpResponse.json({
          notifications: accepted.filter((a) => a.reference === reference),
          links: {},
        });
      }),
    );
    const notify = notifyTransport(config);
    let crashes = 1;
    const crashing: MailTransport = {
      name: "notify",
      findSent: notify.findSent,
      async send(message, options) {
        const receipt = await notify.send(message, options);
        // Notify has it; the process dies before recording that.
        if (crashes-- > 0) throw new Error("The process was killed");
        return receipt;
      },
    };
    setMailTransport(crashing);
    const { minutesId } = await minutesFor(boardId, "circulated");
    await enqueueJob(db, {
      queue: "mail.minutes_circulated",
      payload: { minutesId },
      dedupeKey: `notify-${minutesId}`,
    });
    await worker().drain();
    await handle.db
      .updateTable("jobs")
      .set({ run_at: new Date() })
      .where("dedupe_key", "=", `notify-${minutesId}`)
      .execute();
    await worker().drain();
    expect(accepted).toHaveLength(1);
    const job = await handle.db
      .selectFrom("jobs")
      .select(["id", "status", "attempts"])
      .where("dedupe_key", "=", `notify-${minutesId}`)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "done", attempts: 2 });
    const delivery = await handle.db
      .selectFrom("mail_deliveries")
      .selectAll()
      .where("job_id", "=", job.id)
      .executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: "sent", provider_ref: "notification-1", transport: "notify" });
  });
});
