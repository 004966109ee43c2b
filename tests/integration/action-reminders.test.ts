import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jobHandlers, schedules } from "~/jobs/registry.server";
import { daily, enqueueDueSlots, weekly } from "~/jobs/scheduler.server";
import { JobWorker } from "~/jobs/worker.server";
import { clearRecordedMail, recordedMail } from "~/mail/mailer.server";
import type { DatabaseHandle } from "../../db/client";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { freshDatabase } from "../database";
import { insertAgency, insertBoard, insertPerson, insertUser, insertWorkspace } from "../factories";

/*
 * Action reminders (issue 6): seven days before the due date and on the first day overdue,
 * by Europe/London dates, once each across several workers and restarts, to the owner (or
 * the agency's partners, or the board's secretaries), with a weekly digest for those who
 * chose it.
 */

let handle: DatabaseHandle;
let ws: number;
let db: WorkspaceDb;
const actions: Record<string, number> = {};

/** Reminders go out at 7am London time; 7 April 2027 is in British Summer Time (UTC+1). */
const at = (iso: string) => new Date(iso);

function worker(id: string) {
  return new JobWorker({ db: handle.db, handlers: jobHandlers, id, backoffMs: () => 60_000 });
}

/** Every instance ticks its scheduler, then two workers drain the queue together. */
async function instancesRunAt(now: Date) {
  await Promise.all([enqueueDueSlots(handle.db, schedules, now), enqueueDueSlots(handle.db, schedules, now)]);
  await Promise.all([worker("one").drain(), worker("two").drain()]);
}

const summary = () => recordedMail().map((m) => `${m.to} | ${m.subject}`);

beforeAll(async () => {
  handle = await freshDatabase();
  const root = handle.db;
  ws = (await insertWorkspace(root, { slug: "remind" })).id;
  db = scopeToWorkspace(root, ws);
  const police = (await insertAgency(root, ws, { name: "Police" })).id;
  const probation = (await insertAgency(root, ws, { name: "Probation", type: "probation" })).id;
  const health = (await insertAgency(root, ws, { name: "Health", type: "health" })).id;
  const board = (await insertBoard(root, ws, { name: "Remind LCJB" })).id;
  const owner = (
    await insertPerson(root, ws, { agency_id: police, full_name: "Olive Owner", email: "olive@remind.test" })
  ).id;
  const digester = (
    await insertPerson(root, ws, {
      agency_id: police,
      full_name: "Dan Digest",
      email: "dan.person@remind.test",
    })
  ).id;
  const noEmail = (await insertPerson(root, ws, { agency_id: health, full_name: "Nobody Noemail" })).id;
  await insertUser(root, ws, { email: "partner@remind.test" }, [{ role: "partner", agency_id: probation }]);
  await insertUser(root, ws, { email: "secretary@remind.test" }, [{ role: "secretary", board_id: board }]);
  const dan = await insertUser(root, ws, { email: "dan@remind.test", person_id: digester });
  await root.updateTable("users").set({ reminder_frequency: "weekly" }).where("id", "=", dan.id).execute();

  const action = async (name: string, values: Record<string, unknown>) => {
    const row = await root
      .insertInto("actions")
      .values({
        workspace_id: ws,
        board_id: board,
        title: name,
        owner_agency_id: police,
        due_date: "2027-04-10",
        ...values,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    actions[name] = row.id;
  };
  await action("Publish the victims' charter audit", { owner_person_id: owner });
  await action("Sensitive: review of Operation Nightjar", {
    owner_person_id: owner,
    classification: "official_sensitive",
  });
  await action("Done already", { owner_person_id: owner, status: "done", completed_at: new Date() });
  await action("Probation's unowned action", { owner_agency_id: probation });
  await action("Health action, owner without an address", {
    owner_agency_id: health,
    owner_person_id: noEmail,
  });
  await action("Dan's action", { owner_person_id: digester, due_date: "2027-07-14" });
});
afterAll(() => handle.close());
beforeEach(() => clearRecordedMail());

describe("the schedule", () => {
  it("falls on 7am London time, by the London date, either side of the clock change", () => {
    const reminders = daily("r", "q", "07:00");
    // Winter (GMT): 6:59am is still the day before's slot; 7:00am is today's.
    expect(reminders.latestSlot(at("2027-01-12T06:59:00Z"))).toEqual({
      key: "2027-01-11",
      at: at("2027-01-11T07:00:00Z"),
    });
    expect(reminders.latestSlot(at("2027-01-12T07:00:00Z"))).toEqual({
      key: "2027-01-12",
      at: at("2027-01-12T07:00:00Z"),
    });
    // Summer (BST): 7am London is 6am UTC; just after midnight London is still the day before's UTC evening.
    expect(reminders.latestSlot(at("2027-04-02T23:30:00Z")).key).toBe("2027-04-02");
    expect(reminders.latestSlot(at("2027-04-03T05:59:00Z")).key).toBe("2027-04-02");
    expect(reminders.latestSlot(at("2027-04-03T06:00:00Z"))).toEqual({
      key: "2027-04-03",
      at: at("2027-04-03T06:00:00Z"),
    });
    // The day the clocks go forward (28 March 2027).
    expect(reminders.latestSlot(at("2027-03-28T06:00:00Z"))).toEqual({
      key: "2027-03-28",
      at: at("2027-03-28T06:00:00Z"),
    });
    const digest = weekly("d", "q", "monday", "07:00");
    expect(digest.latestSlot(at("2027-04-05T05:59:00Z")).key).toBe("2027-03-29");
    expect(digest.latestSlot(at("2027-04-05T06:00:00Z")).key).toBe("2027-04-05");
    expect(digest.latestSlot(at("2027-04-10T12:00:00Z")).key).toBe("2027-04-05");
  });
});

describe("reminders", () => {
  it("are sent seven days before the due date and on the first day overdue, once each, across workers and restarts", async () => {
    // 00:30 on 3 April in London (23:30 UTC on the 2nd): the 7am slot of 2 April, 8 days before: nothing.
    await instancesRunAt(at("2027-04-02T23:30:00Z"));
    expect(recordedMail()).toEqual([]);

    // 7am on 3 April London time: 7 days before the due date.
    await instancesRunAt(at("2027-04-03T06:00:00Z"));
    expect(summary().sort()).toEqual([
      "olive@remind.test | Action due on 10 April 2027: Remind LCJB",
      "olive@remind.test | Action due on 10 April 2027: Remind LCJB",
      "partner@remind.test | Action due on 10 April 2027: Remind LCJB",
      "secretary@remind.test | Action due on 10 April 2027: Remind LCJB",
    ]);
    const olive = recordedMail().filter((m) => m.to === "olive@remind.test");
    expect(olive.some((m) => m.text.includes(`"Publish the victims' charter audit" (Remind LCJB)`))).toBe(
      true,
    );
    // The OFFICIAL-SENSITIVE action is named by its board only.
    expect(JSON.stringify(recordedMail())).not.toContain("Nightjar");
    expect(olive.some((m) => m.text.includes("An OFFICIAL-SENSITIVE action of the Remind LCJB"))).toBe(true);
    expect(recordedMail().find((m) => m.to === "partner@remind.test")?.text).toContain(
      `http://localhost:3000/actions/${actions["Probation's unowned action"]}`,
    );

    // A restart later that day, and the next days up to the due date: nothing more.
    clearRecordedMail();
    await instancesRunAt(at("2027-04-03T15:00:00Z"));
    await instancesRunAt(at("2027-04-04T06:00:00Z"));
    await instancesRunAt(at("2027-04-10T06:00:00Z"));
    expect(recordedMail()).toEqual([]);

    // Just before midnight on the due date (London): not overdue yet; 7am the next day: overdue.
    await instancesRunAt(at("2027-04-10T22:59:00Z"));
    expect(recordedMail()).toEqual([]);
    await instancesRunAt(at("2027-04-11T06:00:00Z"));
    expect(summary().filter((s) => s.includes("overdue since 10 April 2027"))).toHaveLength(4);
    clearRecordedMail();
    await instancesRunAt(at("2027-04-12T06:00:00Z"));
    expect(summary().filter((s) => s.includes("overdue"))).toEqual([]);

    // Each reminder recorded once; the done action never.
    const recorded = await db.selectFrom("action_reminders").select(["action_id", "kind"]).execute();
    expect(recorded).toHaveLength(8);
    expect(recorded.some((r) => r.action_id === actions["Done already"])).toBe(false);
  });

  it("are sent once when a worker dies holding the email job", async () => {
    await db
      .updateTable("actions")
      .set({ due_date: "2027-06-10" })
      .where("id", "=", actions["Publish the victims' charter audit"]!)
      .execute();
    await enqueueDueSlots(handle.db, schedules, at("2027-06-03T06:00:00Z"));
    // Fan-out and the workspace's check run; the email job is claimed by a worker that dies.
    await worker("fan").runOnce();
    await worker("fan").runOnce();
    const [claimed] = await worker("dies").claim(1);
    expect(claimed?.queue).toBe("mail.action_reminder");
    await sql`update jobs set locked_at = now() - interval '1 hour' where id = ${claimed!.id}`.execute(
      handle.db,
    );
    await Promise.all([worker("one").drain(), worker("two").drain()]);
    expect(summary()).toEqual(["olive@remind.test | Action due on 10 June 2027: Remind LCJB"]);
  });

  it("go to a digest user once a week instead, in one summary", async () => {
    // Seven days before Dan's action is due: he chose the digest, so no reminder of its own.
    await instancesRunAt(at("2027-07-07T06:00:00Z"));
    expect(recordedMail().filter((m) => m.to === "dan@remind.test")).toEqual([]);
    // Monday 12 July at 7am: one summary, however many instances tick.
    await instancesRunAt(at("2027-07-12T06:00:00Z"));
    await instancesRunAt(at("2027-07-12T09:00:00Z"));
    const digests = recordedMail().filter((m) => m.to === "dan@remind.test");
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe("Your actions for the week of 12 July 2027: 1 need attention");
    expect(digests[0]!.text).toContain(`"Dan's action" (Remind LCJB), due 14 July 2027`);
    expect(recordedMail().some((m) => m.to === "dan.person@remind.test")).toBe(false);
  });
});
