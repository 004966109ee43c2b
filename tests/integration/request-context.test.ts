import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadViewerState } from "~/auth/viewer.server";
import { useDatabaseForTests } from "~/db.server";
import { runWithRequestContext } from "~/request-context.server";
import * as board from "~/routes/boards.$boardId";
import type { DatabaseHandle } from "../../db/client";
import { freshDatabase } from "../database";
import { cookieFor } from "../routes";

/* One viewer lookup per request, and refused requests written to the audit trail. */

let handle: DatabaseHandle;
let ws: number;
let boardId: number;
let cookie: string;

beforeAll(async () => {
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  const { db } = handle;
  ws = (
    await db
      .insertInto("workspaces")
      .values({ slug: "ctx", name: "Ctx" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  boardId = (
    await db
      .insertInto("boards")
      .values({
        workspace_id: ws,
        name: "Private board",
        slug: "private",
        type: "mappa_smb",
        level: "local",
        frequency: "quarterly",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const agency = await db
    .insertInto("agencies")
    .values({ workspace_id: ws, name: "Police", type: "police" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ email: "pc@ctx.test", name: "PC Partner" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("workspace_users").values({ workspace_id: ws, user_id: user.id }).execute();
  await db
    .insertInto("role_grants")
    .values({ workspace_id: ws, user_id: user.id, role: "partner", agency_id: agency.id })
    .execute();
  cookie = await cookieFor(db, "pc@ctx.test");
});
afterAll(() => handle.close());

const request = (path: string) => new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });

describe("the request context", () => {
  it("looks the viewer up once however many loaders ask", async () => {
    const r = request("/boards");
    const [a, b] = await runWithRequestContext(r, () =>
      Promise.all([loadViewerState(r), loadViewerState(r)]),
    );
    expect(a).toBe(b);
    expect(a.kind).toBe("signed-in");
  });

  it("records a signed-in viewer's refused request in the audit trail, without the page's data", async () => {
    const r = request(`/boards/${boardId}`);
    const outcome = await runWithRequestContext(r, async () => {
      try {
        await board.loader({
          request: r,
          params: { boardId: String(boardId) },
          context: new RouterContextProvider(),
          url: new URL(r.url),
          pattern: "/boards/:boardId",
        } as Parameters<typeof board.loader>[0]);
        return 200;
      } catch (thrown) {
        return thrown instanceof Response ? thrown.status : 500;
      }
    });
    expect(outcome).toBe(404);
    // The audit write is not awaited by the 404; give it a moment.
    let events: { event: string; entity_id: string | null; actor_label: string }[] = [];
    for (let i = 0; i < 50 && events.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events = await handle.db
        .selectFrom("audit_events")
        .select(["event", "entity_id", "actor_label"])
        .where("workspace_id", "=", ws)
        .where("event", "=", "access.refused")
        .execute();
    }
    expect(events).toEqual([
      { event: "access.refused", entity_id: `/boards/${boardId}`, actor_label: "pc@ctx.test" },
    ]);
  });
});

describe("switching workspace", () => {
  it("moves the session to another workspace the user belongs to, and refuses one they do not", async () => {
    const { db } = handle;
    const second = (
      await db
        .insertInto("workspaces")
        .values({ slug: "ctx-two", name: "Ctx Two" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const stranger = (
      await db
        .insertInto("workspaces")
        .values({ slug: "ctx-three", name: "Ctx Three" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const user = await db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "pc@ctx.test")
      .executeTakeFirstOrThrow();
    await db.insertInto("workspace_users").values({ workspace_id: second, user_id: user.id }).execute();
    const workspace = await import("~/routes/workspace");
    const { callRoute } = await import("../routes");
    const refused = await callRoute(workspace, {
      method: "POST",
      path: "/workspace",
      cookie,
      form: { workspaceId: String(stranger) },
    });
    expect(refused.status).toBe(404);
    const moved = await callRoute(workspace, {
      method: "POST",
      path: "/workspace",
      cookie,
      form: { workspaceId: String(second) },
    });
    expect(moved.status).toBe(302);
    const state = await loadViewerState(request("/"));
    expect(state.kind === "signed-in" && state.viewer.workspace.id).toBe(second);
  });
});
