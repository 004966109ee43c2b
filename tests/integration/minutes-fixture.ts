import { insertAgency, insertAttendance, insertMeeting, insertPerson } from "../factories";
import { type AdminFixture, adminFixture } from "./admin-fixture";

/*
 * A held meeting of the fixture's board, ready for minutes: three agenda items (the middle
 * one OFFICIAL-SENSITIVE), an agency and two people on the register (one present, one with
 * apologies), and a later held meeting that can approve the minutes.
 */

export interface MinutesFixture extends AdminFixture {
  meetingId: number;
  laterMeetingId: number;
  itemIds: [number, number, number];
  agencyId: number;
  personId: number;
}

export const SENSITIVE_TITLE = "Prolific offender case review";

export async function minutesFixture(slug: string): Promise<MinutesFixture> {
  const f = await adminFixture(slug);
  const root = f.handle.db;
  const meetingId = (
    await insertMeeting(root, f.ws, {
      board_id: f.boardId,
      starts_at: "2026-10-08T09:00:00Z",
      status: "held",
      location: "County Hall",
    })
  ).id;
  const laterMeetingId = (
    await insertMeeting(root, f.ws, {
      board_id: f.boardId,
      starts_at: "2026-11-12T10:00:00Z",
      status: "held",
    })
  ).id;
  const itemIds: number[] = [];
  for (const [position, title, classification] of [
    [0, "Minutes of the last meeting", "official"],
    [1, SENSITIVE_TITLE, "official_sensitive"],
    [2, "Victims' Code compliance", "official"],
  ] as const) {
    const row = await root
      .insertInto("agenda_items")
      .values({
        workspace_id: f.ws,
        meeting_id: meetingId,
        position,
        title,
        purpose: "discussion",
        classification,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    itemIds.push(row.id);
  }
  const agencyId = (await insertAgency(root, f.ws, { name: "Northshire Police", type: "police" })).id;
  const personId = (await insertPerson(root, f.ws, { agency_id: agencyId, full_name: "Ada Lovelace" })).id;
  const absentee = (await insertPerson(root, f.ws, { agency_id: agencyId, full_name: "Grace Hopper" })).id;
  await insertAttendance(root, f.ws, { meeting_id: meetingId, person_id: personId, status: "attended" });
  await insertAttendance(root, f.ws, { meeting_id: meetingId, person_id: absentee, status: "apologies" });
  return {
    ...f,
    meetingId,
    laterMeetingId,
    itemIds: itemIds as [number, number, number],
    agencyId,
    personId,
  };
}

/** The editor form as the browser posts it: a discussion per item, plus anything extra. */
export function minutesForm(
  f: MinutesFixture,
  version: number,
  discussions: [string, string, string],
  extra: Record<string, string> = {},
): Record<string, string> {
  const form: Record<string, string> = { intent: "save", version: String(version) };
  f.itemIds.forEach((id, i) => {
    form[`items[${i}].id`] = String(id);
    form[`items[${i}].discussion`] = discussions[i] ?? "";
  });
  return { ...form, ...extra };
}

/** Writes, circulates, approves (by the chair) and publishes the minutes through the routes. */
export async function publishThroughRoutes(
  f: MinutesFixture,
  discussions: [string, string, string],
  extra: Record<string, string> = {},
): Promise<void> {
  const { callRoute } = await import("../routes");
  const editRoute = await import("~/routes/meetings.$meetingId.minutes.edit");
  const minutesRoute = await import("~/routes/meetings.$meetingId.minutes._index");
  const params = { meetingId: String(f.meetingId) };
  const path = `/meetings/${f.meetingId}/minutes`;
  const current = async () =>
    (
      await f.db
        .selectFrom("minutes")
        .select("version")
        .where("meeting_id", "=", f.meetingId)
        .executeTakeFirst()
    )?.version ?? 0;
  const expectRedirect = (outcome: { status: number; body: unknown }, step: string) => {
    if (outcome.status !== 302)
      throw new Error(`${step} answered ${outcome.status}: ${JSON.stringify(outcome.body)}`);
  };
  expectRedirect(
    await callRoute(editRoute, {
      method: "POST",
      path: `${path}/edit`,
      params,
      cookie: f.cookies.secretary,
      form: minutesForm(f, await current(), discussions, extra),
    }),
    "save",
  );
  for (const form of [
    { intent: "circulate" },
    { intent: "approve", approvedBy: "chair" },
    { intent: "publish" },
  ] as Record<string, string>[]) {
    expectRedirect(
      await callRoute(minutesRoute, {
        method: "POST",
        path,
        params,
        cookie: f.cookies.secretary,
        form: { ...form, version: String(await current()) },
      }),
      String(form.intent),
    );
  }
}
