import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegisterPage } from "~/attendance/register.server";
import { STALE_REGISTER_MESSAGE } from "~/attendance/schemas";
import { useDatabaseForTests } from "~/db.server";
import * as actionRoute from "~/routes/actions.$actionId";
import * as registerRoute from "~/routes/meetings.$meetingId.register";
import type { DatabaseHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { freshDatabase } from "../database";
import { formFor } from "../register-form";
import { callRoute, cookieFor, type RouteOutcome } from "../routes";

/*
 * Many people editing the same record at the same moment, through the real actions. On
 * PostgreSQL (CI runs this file there too) each edit runs in its own transaction on its own
 * connection, truly in parallel. What must hold:
 * - no lost update: every acknowledged edit's effect is there; every other edit was refused
 *   with 409 and a message saying why, having written nothing;
 * - no deadlock or other error surfaces: every answer is a redirect (saved) or a 409;
 * - versions and the audit trail count exactly the acknowledged edits.
 */

const EDITORS = 12;
let handle: DatabaseHandle;
let workspaceId: number;
let actionId: number;
let meetingId: number;
const sessions: string[] = [];

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase({ poolSize: 12 });
  useDatabaseForTests(handle);
  ({ workspaceId } = await seedDemo(handle.db, { now: new Date("2026-11-23T12:00:00Z") }));
  const lcjb = await handle.db
    .selectFrom("boards")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("slug", "=", "lcjb")
    .executeTakeFirstOrThrow();
  const action = await handle.db
    .selectFrom("actions")
    .innerJoin("agencies", "agencies.id", "actions.owner_agency_id")
    .select("actions.id")
    .where("actions.workspace_id", "=", workspaceId)
    .where("actions.board_id", "=", lcjb.id)
    .where("agencies.type", "=", "police")
    .where("actions.status", "in", ["open", "in_progress"])
    .orderBy("actions.id")
    .executeTakeFirstOrThrow();
  actionId = action.id;
  const meeting = await handle.db
    .selectFrom("meetings")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("board_id", "=", lcjb.id)
    .where("status", "=", "held")
    .orderBy("starts_at", "desc")
    .executeTakeFirstOrThrow();
  meetingId = meeting.id;
  // Separate sessions: the admin, the board's secretary and the police partner, several times over.
  const emails = ["admin@demo.test", "secretary@demo.test", "partner@demo.test"];
  for (let i = 0; i < EDITORS; i++) sessions.push(await cookieFor(handle.db, emails[i % emails.length]!));
}, 120_000);

afterAll(() => handle.close());

async function auditCount(event: string, entityId: number): Promise<number> {
  const row = await handle.db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("event", "=", event)
    .where("entity_id", "=", String(entityId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function expectSavedOrRefused(outcome: RouteOutcome, refusal: RegExp) {
  if (outcome.status === 302) return "saved";
  expect(outcome.status, JSON.stringify(outcome.body)).toBe(409);
  expect(JSON.stringify(outcome.body)).toMatch(refusal);
  return "refused";
}

describe("simultaneous updates of one action", () => {
  const actionPath = () => `/actions/${actionId}`;
  const actionParams = () => ({ actionId: String(actionId) });

  async function currentVersion(cookie: string): Promise<number> {
    const outcome = await callRoute(actionRoute, { path: actionPath(), params: actionParams(), cookie });
    expect(outcome.status).toBe(200);
    return (outcome.body as { action: { version: number } }).action.version;
  }

  function post(cookie: string, body: string, version: number) {
    return callRoute(actionRoute, {
      method: "POST",
      path: actionPath(),
      params: actionParams(),
      cookie,
      form: { body, status: "in_progress", openedStatus: "in_progress", version: String(version) },
    });
  }

  it("from the same version: exactly one is saved, the others are refused and write nothing", async () => {
    const version = await currentVersion(sessions[0]!);
    const updatesBefore = await updatesOf(actionId);
    const auditBefore =
      (await auditCount("action.updated", actionId)) + (await auditCount("action.status_changed", actionId));
    const outcomes = await Promise.all(
      sessions.map((cookie, i) => post(cookie, `Simultaneous update ${i}`, version)),
    );
    const results = outcomes.map((o) => expectSavedOrRefused(o, /Someone else updated this action/));
    expect(results.filter((r) => r === "saved")).toHaveLength(1);
    expect(await currentVersion(sessions[0]!)).toBe(version + 1);
    expect(await updatesOf(actionId)).toBe(updatesBefore + 1);
    const auditAfter =
      (await auditCount("action.updated", actionId)) + (await auditCount("action.status_changed", actionId));
    expect(auditAfter).toBe(auditBefore + 1);
  });

  it("when each editor retries after a refusal, every update is kept: no lost updates", async () => {
    const start = await currentVersion(sessions[0]!);
    const updatesBefore = await updatesOf(actionId);
    let refusals = 0;
    await Promise.all(
      sessions.map(async (cookie, i) => {
        for (let attempt = 0; attempt < 50; attempt++) {
          const outcome = await post(cookie, `Retried update ${i}`, await currentVersion(cookie));
          if (expectSavedOrRefused(outcome, /Someone else updated this action/) === "saved") return;
          refusals++;
        }
        throw new Error(`editor ${i} never got through`);
      }),
    );
    expect(await currentVersion(sessions[0]!)).toBe(start + EDITORS);
    expect(await updatesOf(actionId)).toBe(updatesBefore + EDITORS);
    const bodies = await handle.db
      .selectFrom("action_updates")
      .select("body")
      .where("workspace_id", "=", workspaceId)
      .where("action_id", "=", actionId)
      .where("body", "like", "Retried update %")
      .execute();
    expect(bodies.map((b) => b.body).sort()).toEqual(sessions.map((_, i) => `Retried update ${i}`).sort());
    console.log(`action: ${EDITORS} editors, ${refusals} refusals before every update was saved`);
  });
});

async function updatesOf(id: number): Promise<number> {
  const row = await handle.db
    .selectFrom("action_updates")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("action_id", "=", id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("simultaneous saves of one attendance register", () => {
  // The secretary and the admin may run the register; the partner may not.
  const registerSessions = () => sessions.filter((_, i) => i % 3 !== 2);
  const registerPath = () => `/meetings/${meetingId}/register`;
  const registerParams = () => ({ meetingId: String(meetingId) });

  async function load(cookie: string): Promise<RegisterPage> {
    const outcome = await callRoute(registerRoute, {
      path: registerPath(),
      params: registerParams(),
      cookie,
    });
    expect(outcome.status).toBe(200);
    return outcome.body as RegisterPage;
  }

  function save(cookie: string, form: Record<string, string>) {
    return callRoute(registerRoute, {
      method: "POST",
      path: registerPath(),
      params: registerParams(),
      cookie,
      form,
    });
  }

  it("each editor marks a different person; with retries every mark is kept, none overwritten", async () => {
    const editors = registerSessions();
    const initial = await load(editors[0]!);
    expect(initial.rows.length).toBeGreaterThanOrEqual(2);
    // Editor i records travel minutes 100 + i for person i (wrapping round the register).
    const targets = editors.map((_, i) => initial.rows[i % initial.rows.length]!);
    const auditBefore = await auditCount("attendance.register_saved", meetingId);
    let saves = 0;
    let refusals = 0;
    const stale = new RegExp(STALE_REGISTER_MESSAGE.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    // Editors sharing a person take turns in order, so the last one's value is the one expected.
    const byPerson = new Map<number, number[]>();
    for (const [i, row] of targets.entries())
      byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), i]);
    await Promise.all(
      [...byPerson.entries()].map(async ([personId, indexes]) => {
        for (const i of indexes) {
          for (let attempt = 0; ; attempt++) {
            if (attempt > 50) throw new Error(`editor ${i} never got through`);
            const page = await load(editors[i]!);
            const row = page.rows.find((r) => r.personId === personId)!;
            const outcome = await save(
              editors[i]!,
              formFor(page, {
                [personId]: {
                  status: row.status === "invited" ? "attended" : row.status,
                  travelMinutes: String(100 + i),
                },
              }),
            );
            if (expectSavedOrRefused(outcome, stale) === "saved") {
              saves++;
              break;
            }
            refusals++;
          }
        }
      }),
    );
    const final = await load(editors[0]!);
    for (const [personId, indexes] of byPerson) {
      const row = final.rows.find((r) => r.personId === personId)!;
      expect(row.travelMinutes, `person ${personId}`).toBe(100 + indexes[indexes.length - 1]!);
    }
    expect(saves).toBe(editors.length);
    expect(await auditCount("attendance.register_saved", meetingId)).toBe(auditBefore + saves);
    console.log(
      `register: ${editors.length} editors, ${refusals} stale refusals, ${saves} saves, no lost marks`,
    );
  });
});
