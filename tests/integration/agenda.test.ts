import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as builder from "~/routes/meetings.$meetingId.agenda";
import * as itemRoute from "~/routes/meetings.$meetingId.agenda_.$itemId";
import * as paperRoute from "~/routes/papers.$paperId";
import type { WorkspaceDb } from "../../db/tenancy";
import { insertAgency, insertMeeting, insertMembership, insertPerson } from "../factories";
import { callRoute, fieldErrors, type RouteOutcome, routeArgs } from "../routes";
import { type AdminFixture, adminFixture, auditEvents } from "./admin-fixture";

/*
 * The agenda builder, one item's page and paper downloads, called as the framework calls
 * them: adding, editing, removing and reordering items (positions stay 0, 1, 2…), the
 * refusals (members, other workspaces, cancelled meetings, bad input), and papers: size and
 * type checks, who may download, and the download's headers.
 */

let f: AdminFixture;
let presenterId: number;
let foreignPersonId: number;
let foreignMeetingId: number;
let foreignItemId: number;

beforeAll(async () => {
  f = await adminFixture("agenda");
  useDatabaseForTests(f.handle);
  const root = f.handle.db;
  const agency = await insertAgency(root, f.ws, { name: "Probation", type: "probation" });
  presenterId = (await insertPerson(root, f.ws, { agency_id: agency.id, full_name: "Pat Presenter" })).id;
  await insertMembership(root, f.ws, { board_id: f.boardId, person_id: presenterId, agency_id: agency.id });
  foreignPersonId = (await insertPerson(root, f.otherWs, { agency_id: f.foreignAgencyId })).id;
  const foreignBoard = await f.otherDb
    .insertInto("boards")
    .values({
      workspace_id: f.otherWs,
      name: "Foreign",
      slug: "foreign",
      type: "csp",
      level: "local",
      frequency: "monthly",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  foreignMeetingId = (
    await insertMeeting(root, f.otherWs, { board_id: foreignBoard.id, starts_at: "2026-12-02T10:00:00Z" })
  ).id;
  foreignItemId = (
    await f.otherDb
      .insertInto("agenda_items")
      .values({
        workspace_id: f.otherWs,
        meeting_id: foreignMeetingId,
        position: 0,
        title: "Foreign item",
        purpose: "decision",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});

afterAll(() => f?.handle.close());

async function newMeeting(status: "scheduled" | "cancelled" = "scheduled"): Promise<number> {
  return (
    await insertMeeting(f.handle.db, f.ws, {
      board_id: f.boardId,
      starts_at: "2026-12-01T10:00:00Z",
      duration_minutes: 120,
      status,
    })
  ).id;
}

const item = (values: Record<string, string> = {}) => ({
  intent: "add",
  title: "Performance report",
  purpose: "decision",
  presenter_person_id: "",
  minutes_allowed: "20",
  classification: "official",
  ...values,
});

function getBuilder(meetingId: number, cookie: string) {
  return callRoute(builder, {
    path: `/meetings/${meetingId}/agenda`,
    params: { meetingId: String(meetingId) },
    cookie,
  });
}

function postBuilder(meetingId: number, form: Record<string, string>, cookie = f.cookies.secretary) {
  return callRoute(builder, {
    method: "POST",
    path: `/meetings/${meetingId}/agenda`,
    params: { meetingId: String(meetingId) },
    cookie,
    form,
  });
}

function postItem(
  meetingId: number,
  itemId: number,
  form: Record<string, string>,
  cookie = f.cookies.secretary,
) {
  return callRoute(itemRoute, {
    method: "POST",
    path: `/meetings/${meetingId}/agenda/${itemId}`,
    params: { meetingId: String(meetingId), itemId: String(itemId) },
    cookie,
    form,
  });
}

async function agenda(db: WorkspaceDb, meetingId: number) {
  return db
    .selectFrom("agenda_items")
    .select([
      "id",
      "title",
      "position",
      "minutes_allowed",
      "presenter_person_id",
      "classification",
      "standing_kind",
    ])
    .where("meeting_id", "=", meetingId)
    .orderBy("position")
    .execute();
}

async function addItems(meetingId: number, titles: string[]): Promise<number[]> {
  for (const title of titles) {
    expect((await postBuilder(meetingId, item({ title }))).status).toBe(302);
  }
  return (await agenda(f.db, meetingId)).map((i) => i.id);
}

describe("adding items", () => {
  it("adds items at the end, in order, and records each in the audit trail", async () => {
    const meetingId = await newMeeting();
    const first = await postBuilder(meetingId, item({ presenter_person_id: String(presenterId) }));
    expect(first.status).toBe(302);
    expect(first.location).toMatch(new RegExp(`^/meetings/${meetingId}/agenda\\?done=added#item-\\d+$`));
    await postBuilder(
      meetingId,
      item({ title: "Secret briefing", classification: "official_sensitive", minutes_allowed: "90" }),
    );
    const rows = await agenda(f.db, meetingId);
    expect(rows.map((r) => [r.title, r.position, r.minutes_allowed])).toEqual([
      ["Performance report", 0, 20],
      ["Secret briefing", 1, 90],
    ]);
    expect(rows[0]?.presenter_person_id).toBe(presenterId);
    const events = (await auditEvents(f.db, "agenda_item.created")).filter(
      (e) => e.entity_id === String(rows[1]?.id),
    );
    expect(events).toHaveLength(1);
    // The title of an OFFICIAL-SENSITIVE item stays out of the audit trail.
    expect(JSON.stringify(events[0]?.changes)).not.toContain("Secret briefing");
    expect(events[0]?.actor_label).toBe("secretary@agenda.test");
  });

  it("shows the running total against the meeting's length, and warns when over", async () => {
    const meetingId = await newMeeting();
    await addItems(meetingId, ["One"]);
    await postBuilder(meetingId, item({ title: "Two", minutes_allowed: "90" }));
    const page = await getBuilder(meetingId, f.cookies.secretary);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ timeAllowed: { text: "1 hour 50 minutes of 2 hours", over: null } });
    await postBuilder(meetingId, item({ title: "Three", minutes_allowed: "15" }));
    const over = await getBuilder(meetingId, f.cookies.admin);
    expect(over.body).toMatchObject({
      timeAllowed: { text: "2 hours 5 minutes of 2 hours", over: "5 minutes" },
    });
  });

  it("refuses bad input with messages beside the fields, and writes nothing", async () => {
    const meetingId = await newMeeting();
    const blank = await postBuilder(meetingId, item({ title: "  ", minutes_allowed: "721" }));
    expect(blank.status).toBe(400);
    expect(fieldErrors(blank.body, "title")).toEqual(["Enter a title"]);
    expect(fieldErrors(blank.body, "minutes_allowed")).toEqual([
      "Minutes allowed must be 720 (12 hours) or fewer",
    ]);
    const long = await postBuilder(
      meetingId,
      item({ title: "x".repeat(301), minutes_allowed: "-1", purpose: "gossip" }),
    );
    expect(fieldErrors(long.body, "title")).toEqual(["Title must be 300 characters or fewer"]);
    expect(fieldErrors(long.body, "minutes_allowed")).toEqual(["Minutes allowed must be 0 or more"]);
    expect(fieldErrors(long.body, "purpose")).toEqual(["Choose the purpose of the item"]);
    const words = await postBuilder(meetingId, item({ minutes_allowed: "ten" }));
    expect(fieldErrors(words.body, "minutes_allowed")).toEqual(["Minutes allowed must be a whole number"]);
    // A person of another workspace is not a presenter here.
    const foreign = await postBuilder(meetingId, item({ presenter_person_id: String(foreignPersonId) }));
    expect(foreign.status).toBe(400);
    expect(fieldErrors(foreign.body, "presenter_person_id")).toEqual(["Choose a presenter from the list"]);
    // The user's input comes back with the reply.
    expect(JSON.stringify(foreign.body)).toContain("Performance report");
    expect(await agenda(f.db, meetingId)).toEqual([]);
  });
});

describe("editing and removing items", () => {
  it("edits an item, keeping its place, and records the change", async () => {
    const meetingId = await newMeeting();
    const [a, b] = await addItems(meetingId, ["First", "Second"]);
    if (!a || !b) throw new Error("items not added");
    const page = await callRoute(itemRoute, {
      path: `/meetings/${meetingId}/agenda/${b}`,
      params: { meetingId: String(meetingId), itemId: String(b) },
      cookie: f.cookies.secretary,
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ item: { id: b, title: "Second" } });
    const saved = await postItem(meetingId, b, {
      ...item({ title: "Second, renamed", minutes_allowed: "45", presenter_person_id: String(presenterId) }),
      intent: "save",
    });
    expect(saved).toMatchObject({
      status: 302,
      location: `/meetings/${meetingId}/agenda?done=saved#item-${b}`,
    });
    const rows = await agenda(f.db, meetingId);
    expect(rows.map((r) => [r.id, r.title, r.position, r.minutes_allowed])).toEqual([
      [a, "First", 0, 20],
      [b, "Second, renamed", 1, 45],
    ]);
    const events = (await auditEvents(f.db, "agenda_item.updated")).filter((e) => e.entity_id === String(b));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]?.changes)).toContain("Second, renamed");
  });

  it("keeps an OFFICIAL-SENSITIVE item's titles out of the audit trail", async () => {
    const meetingId = await newMeeting();
    await postBuilder(meetingId, item({ title: "Operation Larch", classification: "official_sensitive" }));
    const [a] = (await agenda(f.db, meetingId)).map((r) => r.id);
    if (!a) throw new Error("item not added");
    const saved = await postItem(meetingId, a, {
      ...item({ title: "Operation Birch", classification: "official_sensitive", minutes_allowed: "30" }),
      intent: "save",
    });
    expect(saved.status).toBe(302);
    const [event] = (await auditEvents(f.db, "agenda_item.updated")).filter((e) => e.entity_id === String(a));
    const text = JSON.stringify(event?.changes);
    expect(text).not.toMatch(/Larch|Birch/);
    expect(text).toContain("minutes_allowed");
  });

  it("refuses a bad edit beside the field and leaves the item as it was", async () => {
    const meetingId = await newMeeting();
    const [a] = await addItems(meetingId, ["Keep me"]);
    if (!a) throw new Error("item not added");
    const refused = await postItem(meetingId, a, {
      ...item({ title: "", minutes_allowed: "800" }),
      intent: "save",
    });
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.body, "title")).toEqual(["Enter a title"]);
    expect((await agenda(f.db, meetingId))[0]).toMatchObject({ title: "Keep me", minutes_allowed: 20 });
  });

  it("edits a standing item like any other", async () => {
    const meetingId = await newMeeting();
    const standing = await f.db
      .insertInto("agenda_items")
      .values({
        workspace_id: f.ws,
        meeting_id: meetingId,
        position: 0,
        title: "Minutes of the last meeting",
        purpose: "decision",
        minutes_allowed: 5,
        standing_kind: "previous_minutes",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const saved = await postItem(meetingId, standing.id, {
      ...item({ title: "Minutes of the meeting on 3 October", minutes_allowed: "10" }),
      intent: "save",
    });
    expect(saved.status).toBe(302);
    expect((await agenda(f.db, meetingId))[0]).toMatchObject({
      title: "Minutes of the meeting on 3 October",
      minutes_allowed: 10,
      standing_kind: "previous_minutes",
    });
  });

  it("asks before removing, then removes the item and closes the gap", async () => {
    const meetingId = await newMeeting();
    const [a, b, c] = await addItems(meetingId, ["A", "B", "C"]);
    if (!a || !b || !c) throw new Error("items not added");
    const confirm = await callRoute(itemRoute, {
      path: `/meetings/${meetingId}/agenda/${b}?remove=confirm`,
      params: { meetingId: String(meetingId), itemId: String(b) },
      cookie: f.cookies.secretary,
    });
    expect(confirm.body).toMatchObject({ confirmRemove: true });
    const removed = await postItem(meetingId, b, { intent: "remove" });
    expect(removed).toMatchObject({ status: 302, location: `/meetings/${meetingId}/agenda?done=removed` });
    expect((await agenda(f.db, meetingId)).map((r) => [r.id, r.position])).toEqual([
      [a, 0],
      [c, 1],
    ]);
    expect((await auditEvents(f.db, "agenda_item.removed")).map((e) => e.entity_id)).toContain(String(b));
    // It is gone: its page and a second removal answer 404.
    expect((await postItem(meetingId, b, { intent: "remove" })).status).toBe(404);
  });
});

describe("reordering", () => {
  it("moves items up and down by swapping neighbours, keeping positions contiguous", async () => {
    const meetingId = await newMeeting();
    const [a, b, c] = await addItems(meetingId, ["A", "B", "C"]);
    if (!a || !b || !c) throw new Error("items not added");
    const up = await postBuilder(meetingId, { intent: "up", itemId: String(c) });
    expect(up).toMatchObject({ status: 302, location: `/meetings/${meetingId}/agenda#item-${c}` });
    expect((await agenda(f.db, meetingId)).map((r) => [r.id, r.position])).toEqual([
      [a, 0],
      [c, 1],
      [b, 2],
    ]);
    await postBuilder(meetingId, { intent: "down", itemId: String(a) });
    expect((await agenda(f.db, meetingId)).map((r) => [r.id, r.position])).toEqual([
      [c, 0],
      [a, 1],
      [b, 2],
    ]);
    // At either end nothing moves.
    await postBuilder(meetingId, { intent: "up", itemId: String(c) });
    await postBuilder(meetingId, { intent: "down", itemId: String(b) });
    expect((await agenda(f.db, meetingId)).map((r) => r.id)).toEqual([c, a, b]);
    expect(
      (await auditEvents(f.db, "agenda_item.moved")).filter((e) =>
        [a, b, c].map(String).includes(e.entity_id ?? ""),
      ),
    ).toHaveLength(2);
  });

  it("closes gaps left by earlier data when moving", async () => {
    const meetingId = await newMeeting();
    const [a, b] = await addItems(meetingId, ["A", "B"]);
    if (!a || !b) throw new Error("items not added");
    await f.db.updateTable("agenda_items").set({ position: 7 }).where("id", "=", b).execute();
    await postBuilder(meetingId, { intent: "up", itemId: String(b) });
    expect((await agenda(f.db, meetingId)).map((r) => [r.id, r.position])).toEqual([
      [b, 0],
      [a, 1],
    ]);
  });

  it("refuses to move an item of another meeting", async () => {
    const meetingId = await newMeeting();
    const other = await newMeeting();
    const [a] = await addItems(other, ["Elsewhere"]);
    expect((await postBuilder(meetingId, { intent: "up", itemId: String(a) })).status).toBe(404);
  });
});

describe("who may build an agenda", () => {
  it("lets the secretary and admins in, and answers 404 to other readers and non-readers", async () => {
    const meetingId = await newMeeting();
    expect((await getBuilder(meetingId, f.cookies.secretary)).status).toBe(200);
    expect((await getBuilder(meetingId, f.cookies.admin)).status).toBe(200);
    for (const role of ["member", "leader", "partner"] as const) {
      expect((await getBuilder(meetingId, f.cookies[role])).status, role).toBe(404);
    }
    expect((await getBuilder(meetingId, "")).status).toBe(302);
  });

  it("answers a member's POSTs with 404 and writes nothing", async () => {
    const meetingId = await newMeeting();
    const [a] = await addItems(meetingId, ["A", "B"]);
    if (!a) throw new Error("item not added");
    expect((await postBuilder(meetingId, item({ title: "Member's item" }), f.cookies.member)).status).toBe(
      404,
    );
    expect(
      (await postBuilder(meetingId, { intent: "down", itemId: String(a) }, f.cookies.member)).status,
    ).toBe(404);
    expect(
      (await postItem(meetingId, a, { ...item({ title: "Hijacked" }), intent: "save" }, f.cookies.member))
        .status,
    ).toBe(404);
    expect((await postItem(meetingId, a, { intent: "remove" }, f.cookies.member)).status).toBe(404);
    expect((await agenda(f.db, meetingId)).map((r) => r.title)).toEqual(["A", "B"]);
  });

  it("answers 404 for another workspace's meeting or item", async () => {
    const meetingId = await newMeeting();
    for (const role of ["secretary", "admin"] as const) {
      expect((await getBuilder(foreignMeetingId, f.cookies[role])).status).toBe(404);
      const foreignItem = await callRoute(itemRoute, {
        path: `/meetings/${meetingId}/agenda/${foreignItemId}`,
        params: { meetingId: String(meetingId), itemId: String(foreignItemId) },
        cookie: f.cookies[role],
      });
      expect(foreignItem.status).toBe(404);
      expect((await postItem(meetingId, foreignItemId, { intent: "remove" }, f.cookies[role])).status).toBe(
        404,
      );
      expect(
        (await postBuilder(meetingId, { intent: "up", itemId: String(foreignItemId) }, f.cookies[role]))
          .status,
      ).toBe(404);
      expect(
        (await postItem(foreignMeetingId, foreignItemId, { intent: "remove" }, f.cookies[role])).status,
      ).toBe(404);
    }
    expect((await agenda(f.otherDb, foreignMeetingId)).map((r) => r.title)).toEqual(["Foreign item"]);
  });

  it("answers 404 for ids that are not ids", async () => {
    expect(
      (
        await callRoute(builder, {
          path: "/meetings/x/agenda",
          params: { meetingId: "x" },
          cookie: f.cookies.admin,
        })
      ).status,
    ).toBe(404);
  });
});

describe("a cancelled meeting", () => {
  it("keeps its agenda as it is", async () => {
    const meetingId = await newMeeting();
    const [a, b] = await addItems(meetingId, ["A", "B"]);
    if (!a || !b) throw new Error("items not added");
    await f.db
      .updateTable("meetings")
      .set({ status: "cancelled", cancelled_reason: "Not quorate" })
      .where("id", "=", meetingId)
      .execute();
    const added = await postBuilder(meetingId, item({ title: "Late addition" }));
    expect(added.status).toBe(409);
    expect(JSON.stringify(added.body)).toContain("This meeting has been cancelled");
    expect((await postBuilder(meetingId, { intent: "down", itemId: String(a) })).status).toBe(409);
    expect((await postItem(meetingId, a, { ...item({ title: "Changed" }), intent: "save" })).status).toBe(
      409,
    );
    expect((await postItem(meetingId, a, { intent: "remove" })).status).toBe(409);
    const upload = await uploadPaper(
      meetingId,
      a,
      new File([pdfBytes()], "late.pdf", { type: "application/pdf" }),
    );
    expect(upload.status).toBe(409);
    expect((await agenda(f.db, meetingId)).map((r) => r.title)).toEqual(["A", "B"]);
    expect((await getBuilder(meetingId, f.cookies.secretary)).body).toMatchObject({
      meeting: { cancelled: true },
    });
  });
});

// ── Papers ──────────────────────────────────────────────────────────────────────────

function pdfBytes(size = 64): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(size)).fill(0x20);
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
}

function zipBytes(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(64));
  bytes.set([0x50, 0x4b, 0x03, 0x04]);
  return bytes;
}

async function settle(value: unknown): Promise<RouteOutcome> {
  if (value instanceof Response) {
    return {
      status: value.status,
      location: value.headers.get("Location"),
      headers: value.headers,
      body: await value.text(),
    };
  }
  const answer = value as { type?: string; data?: unknown; init?: ResponseInit | null };
  if (answer?.type === "DataWithResponseInit") {
    return { status: answer.init?.status ?? 200, location: null, body: answer.data };
  }
  return { status: 200, location: null, body: value };
}

async function uploadPaper(meetingId: number, itemId: number, file: File, cookie = f.cookies.secretary) {
  const body = new FormData();
  body.set("paper", file);
  const request = new Request(`http://localhost/meetings/${meetingId}/agenda/${itemId}`, {
    method: "POST",
    headers: { Cookie: cookie },
    body,
  });
  try {
    return await settle(
      await itemRoute.action(
        routeArgs(request, { meetingId: String(meetingId), itemId: String(itemId) }) as Parameters<
          typeof itemRoute.action
        >[0],
      ),
    );
  } catch (thrown) {
    return settle(thrown);
  }
}

async function download(paperId: number, cookie: string) {
  const request = new Request(`http://localhost/papers/${paperId}`, { headers: { Cookie: cookie } });
  try {
    return await paperRoute.loader(
      routeArgs(request, { paperId: String(paperId) }) as Parameters<typeof paperRoute.loader>[0],
    );
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function papersOf(itemId: number) {
  return f.db
    .selectFrom("papers")
    .select(["id", "filename", "content_type", "size_bytes"])
    .where("agenda_item_id", "=", itemId)
    .execute();
}

const WRONG_TYPE =
  /^The selected file must be a PDF, Word \(\.docx\), Excel \(\.xlsx\), PowerPoint \(\.pptx\), OpenDocument, plain text or CSV file$/;

describe("papers", () => {
  it("stores a PDF, a Word document and a CSV, and records each upload", async () => {
    const meetingId = await newMeeting();
    const [a] = await addItems(meetingId, ["With papers"]);
    if (!a) throw new Error("item not added");
    const pdf = await uploadPaper(
      meetingId,
      a,
      new File([pdfBytes()], "../../Report 2026.pdf", { type: "application/pdf" }),
    );
    expect(pdf).toMatchObject({ status: 302, location: `/meetings/${meetingId}/agenda/${a}?done=uploaded` });
    const docx = await uploadPaper(
      meetingId,
      a,
      new File([zipBytes()], "Briefing.docx", {
        type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      }),
    );
    expect(docx.status).toBe(302);
    const csv = await uploadPaper(
      meetingId,
      a,
      new File(["agency,count\nPolice,3\n"], "figures.csv", { type: "text/csv" }),
    );
    expect(csv.status).toBe(302);
    expect((await papersOf(a)).map((p) => [p.filename, p.content_type])).toEqual([
      ["Report 2026.pdf", "application/pdf"],
      ["Briefing.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
      ["figures.csv", "text/csv"],
    ]);
    expect((await auditEvents(f.db, "paper.uploaded")).length).toBeGreaterThanOrEqual(3);
    const page = await getBuilder(meetingId, f.cookies.secretary);
    expect(JSON.stringify(page.body)).toContain("Briefing.docx");
  });

  it("refuses a file over 10 MB with the message beside the field", async () => {
    const meetingId = await newMeeting();
    const [a] = await addItems(meetingId, ["Big papers"]);
    if (!a) throw new Error("item not added");
    // Just over the limit: parsed, then refused.
    const justOver = await uploadPaper(
      meetingId,
      a,
      new File([pdfBytes(10 * 1024 * 1024 + 1)], "big.pdf", { type: "application/pdf" }),
    );
    expect(justOver.status).toBe(413);
    expect(fieldErrors(justOver.body, "paper")).toEqual(["The selected file must be 10 MB or smaller"]);
    // Far over: refused without reading the rest of the body.
    const farOver = await uploadPaper(
      meetingId,
      a,
      new File([pdfBytes(12 * 1024 * 1024)], "huge.pdf", { type: "application/pdf" }),
    );
    expect(farOver.status).toBe(413);
    expect(fieldErrors(farOver.body, "paper")).toEqual(["The selected file must be 10 MB or smaller"]);
    expect(await papersOf(a)).toEqual([]);
  });

  it("refuses other types, and files whose contents are not what they claim", async () => {
    const meetingId = await newMeeting();
    const [a] = await addItems(meetingId, ["Odd papers"]);
    if (!a) throw new Error("item not added");
    const exe = await uploadPaper(
      meetingId,
      a,
      new File([zipBytes()], "setup.exe", { type: "application/x-msdownload" }),
    );
    expect(exe.status).toBe(415);
    expect(fieldErrors(exe.body, "paper")[0]).toMatch(WRONG_TYPE);
    const html = await uploadPaper(
      meetingId,
      a,
      new File(["<script>alert(1)</script>"], "page.html", { type: "text/html" }),
    );
    expect(fieldErrors(html.body, "paper")[0]).toMatch(WRONG_TYPE);
    // A PDF name and type, with something else inside.
    const fake = await uploadPaper(
      meetingId,
      a,
      new File(["<html>not a pdf</html>"], "report.pdf", { type: "application/pdf" }),
    );
    expect(fake.status).toBe(415);
    expect(fieldErrors(fake.body, "paper")[0]).toMatch(
      /^The selected file is not a PDF, although its name says it is$/,
    );
    // A .docx name with a PDF type.
    const mixed = await uploadPaper(
      meetingId,
      a,
      new File([zipBytes()], "report.docx", { type: "application/pdf" }),
    );
    expect(fieldErrors(mixed.body, "paper")[0]).toMatch(WRONG_TYPE);
    // "Text" that is binary.
    const binary = await uploadPaper(
      meetingId,
      a,
      new File([new Uint8Array([0x41, 0x00, 0xff])], "notes.txt", { type: "text/plain" }),
    );
    expect(fieldErrors(binary.body, "paper")[0]).toMatch(
      /^The selected file is not a plain text file, although its name says it is$/,
    );
    const none = await uploadPaper(meetingId, a, new File([], "", { type: "application/octet-stream" }));
    expect(none.status).toBe(400);
    expect(fieldErrors(none.body, "paper")).toEqual(["Select a file to upload"]);
    expect(await papersOf(a)).toEqual([]);
  });

  it("removes a paper", async () => {
    const meetingId = await newMeeting();
    const [a] = await addItems(meetingId, ["Paper to remove"]);
    if (!a) throw new Error("item not added");
    await uploadPaper(meetingId, a, new File([pdfBytes()], "old.pdf", { type: "application/pdf" }));
    const [paper] = await papersOf(a);
    if (!paper) throw new Error("paper not stored");
    expect(
      (await postItem(meetingId, a, { intent: "remove-paper", paperId: String(paper.id) }, f.cookies.member))
        .status,
    ).toBe(404);
    const removed = await postItem(meetingId, a, { intent: "remove-paper", paperId: String(paper.id) });
    expect(removed).toMatchObject({
      status: 302,
      location: `/meetings/${meetingId}/agenda/${a}?done=paper-removed`,
    });
    expect(await papersOf(a)).toEqual([]);
    expect((await auditEvents(f.db, "paper.removed")).map((e) => e.entity_id)).toContain(String(paper.id));
  });

  it("lets a member download a sensitive item's paper, and answers 404 to a partner", async () => {
    const meetingId = await newMeeting();
    await postBuilder(meetingId, item({ title: "Named offenders", classification: "official_sensitive" }));
    const [a] = (await agenda(f.db, meetingId)).map((r) => r.id);
    if (!a) throw new Error("item not added");
    const content = pdfBytes(200);
    await uploadPaper(
      meetingId,
      a,
      new File([content], "Named offenders – “list”.pdf", { type: "application/pdf" }),
    );
    const [paper] = await papersOf(a);
    if (!paper) throw new Error("paper not stored");

    const response = await download(paper.id, f.cookies.member);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(content);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="Named offenders _ _list_.pdf"; filename*=UTF-8''${encodeURIComponent("Named offenders – “list”.pdf")}`,
    );

    for (const role of ["secretary", "admin", "leader"] as const) {
      expect((await download(paper.id, f.cookies[role])).status, role).toBe(200);
    }
    expect((await download(paper.id, f.cookies.partner)).status).toBe(404);
    expect((await download(paper.id, "")).status).toBe(302);
    expect((await download(999_999_999, f.cookies.admin)).status).toBe(404);
  });

  it("answers 404 for another workspace's paper", async () => {
    const foreignPaper = await f.otherDb
      .insertInto("papers")
      .values({
        workspace_id: f.otherWs,
        agenda_item_id: foreignItemId,
        filename: "foreign.pdf",
        content_type: "application/pdf",
        size_bytes: 4,
        content: new TextEncoder().encode("%PDF"),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect((await download(foreignPaper.id, f.cookies.admin)).status).toBe(404);
  });
});
