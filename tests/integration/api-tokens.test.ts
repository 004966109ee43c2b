import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN_PATTERN } from "~/auth/api-tokens.server";
import { hashToken } from "~/auth/tokens.server";
import { useDatabaseForTests } from "~/db.server";
import * as tokensPage from "~/routes/account.tokens";
import * as boardsList from "~/routes/api.v1.boards._index";
import { createApiTokenFor, UsageError } from "../../bin/operator";
import type { DatabaseHandle } from "../../db/client";
import { callApi } from "../api";
import { freshDatabase } from "../database";
import { insertPartnership, insertUser } from "../factories";
import { callRoute, cookieFor, fieldErrors } from "../routes";

/*
 * Personal access tokens end to end: made on the account page (shown once, only its hash
 * kept) or by the operator CLI, used against the API, revoked (stopping at once), and
 * refused when the form is wrong with nothing written.
 */

let handle: DatabaseHandle;
let north: Awaited<ReturnType<typeof insertPartnership>>;
let south: Awaited<ReturnType<typeof insertPartnership>>;
let cookie: string;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  handle = await freshDatabase();
  useDatabaseForTests(handle);
  north = await insertPartnership(handle.db, "north");
  south = await insertPartnership(handle.db, "south");
  await insertUser(handle.db, north.workspaceId, { email: "ada@north.test" }, [{ role: "leader" }]);
  await insertUser(handle.db, north.workspaceId, { email: "both@north.test" }, [{ role: "leader" }]);
  await insertUser(handle.db, south.workspaceId, { email: "both@north.test" }, [{ role: "admin" }]);
  cookie = await cookieFor(handle.db, "ada@north.test");
});
afterAll(() => handle?.close());

const count = async (table: "api_tokens" | "audit_events") =>
  Number(
    (
      await handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function make(form: Record<string, string>) {
  return callRoute(tokensPage, { method: "POST", path: "/account/tokens", cookie, form });
}

describe("the account page's tokens", () => {
  it("makes a token, shows it once and keeps only its hash", async () => {
    const auditBefore = await count("audit_events");
    const outcome = await make({
      intent: "create",
      name: "Police case system",
      scope: "write",
      expiresInDays: "30",
    });
    expect(outcome.status).toBe(200);
    const created = (
      outcome.body as { created: { token: string; name: string; scope: string; expiresAt: string } }
    ).created;
    expect(created.token).toMatch(API_TOKEN_PATTERN);
    expect(created.token.startsWith("blpat_")).toBe(true);
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const row = await handle.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("name", "=", "Police case system")
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(created.token));
    expect(row).toMatchObject({ scope: "write", workspace_id: north.workspaceId, revoked_at: null });
    // The token itself is nowhere in the database, audit trail included.
    const dump = JSON.stringify([
      await handle.db.selectFrom("api_tokens").selectAll().execute(),
      await handle.db.selectFrom("audit_events").selectAll().execute(),
    ]);
    expect(dump).not.toContain(created.token);
    expect(dump).not.toContain(created.token.slice(6));
    expect(await count("audit_events")).toBe(auditBefore + 1);

    // The list shows it by name, never the token again.
    const list = await callRoute(tokensPage, { path: "/account/tokens", cookie });
    expect(JSON.stringify(list.body)).toContain("Police case system");
    expect(JSON.stringify(list.body)).not.toContain(created.token);

    // It works against the API, as the user.
    const api = await callApi(boardsList, { path: "/api/v1/boards", token: created.token });
    expect(api.status).toBe(200);
    expect((api.json as { data: { name: string }[] }).data.map((b) => b.name)).toEqual(["north LCJB"]);
  });

  it("refuses a form with a missing name, an unknown scope or an expiry past a year, writing nothing", async () => {
    const [tokens, audit] = [await count("api_tokens"), await count("audit_events")];
    const outcome = await make({ intent: "create", name: "  ", scope: "admin", expiresInDays: "400" });
    expect(outcome.status).toBe(400);
    const body = outcome.body as { result: unknown };
    expect(fieldErrors(body.result, "name")).toEqual([
      "Enter a name for the token, such as the system that will use it",
    ]);
    expect(fieldErrors(body.result, "scope")).toEqual(["Select what the token may do"]);
    expect(fieldErrors(body.result, "expiresInDays")).toEqual(["A token can last 366 days at most"]);
    expect([await count("api_tokens"), await count("audit_events")]).toEqual([tokens, audit]);
  });

  it("revokes a token at once, and only the viewer's own", async () => {
    const made = await make({ intent: "create", name: "To revoke", scope: "read", expiresInDays: "7" });
    const { token } = (made.body as { created: { token: string } }).created;
    const row = await handle.db
      .selectFrom("api_tokens")
      .select("id")
      .where("name", "=", "To revoke")
      .executeTakeFirstOrThrow();
    expect((await callApi(boardsList, { path: "/api/v1/boards", token })).status).toBe(200);

    // Someone else cannot revoke it.
    const other = await cookieFor(handle.db, "both@north.test");
    await callRoute(tokensPage, {
      method: "POST",
      path: "/account/tokens",
      cookie: other,
      form: { intent: "revoke", tokenId: String(row.id) },
    });
    expect((await callApi(boardsList, { path: "/api/v1/boards", token })).status).toBe(200);

    const revoked = await callRoute(tokensPage, {
      method: "POST",
      path: "/account/tokens",
      cookie,
      form: { intent: "revoke", tokenId: String(row.id) },
    });
    expect(revoked).toMatchObject({ status: 302, location: "/account/tokens?done=revoked" });
    expect((await callApi(boardsList, { path: "/api/v1/boards", token })).status).toBe(401);
    const list = await callRoute(tokensPage, { path: "/account/tokens", cookie });
    expect(JSON.stringify(list.body)).not.toContain("To revoke");
    const audit = await handle.db
      .selectFrom("audit_events")
      .select("event")
      .where("entity_type", "=", "api_token")
      .where("entity_id", "=", String(row.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.event)).toEqual(["api_token.created", "api_token.revoked"]);
  });
});

describe("npm run cli -- create-token", () => {
  it("makes a token for a user in their only workspace", async () => {
    const made = await createApiTokenFor(handle.db, {
      email: "ADA@north.test",
      scope: "read",
      "expires-days": "10",
    });
    expect(made).toMatchObject({ email: "ada@north.test", workspace: "north", scope: "read" });
    const api = await callApi(boardsList, { path: "/api/v1/boards", token: made.token });
    expect(api.status).toBe(200);
    const row = await handle.db
      .selectFrom("api_tokens")
      .select(["name", "scope"])
      .where("token_hash", "=", hashToken(made.token))
      .executeTakeFirstOrThrow();
    expect(row.name).toMatch(/^Made with the CLI on \d{4}-\d{2}-\d{2}$/);
    const audit = await handle.db
      .selectFrom("audit_events")
      .select(["actor_label", "event"])
      .where("event", "=", "api_token.created")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.actor_label).toBe("operator (CLI)");
  });

  it("needs --workspace for a user in several, and acts in the one chosen", async () => {
    await expect(createApiTokenFor(handle.db, { email: "both@north.test", scope: "write" })).rejects.toThrow(
      /several workspaces \(north, south\): choose one with --workspace/,
    );
    const made = await createApiTokenFor(handle.db, {
      email: "both@north.test",
      scope: "write",
      workspace: "south",
    });
    const api = await callApi(boardsList, { path: "/api/v1/boards", token: made.token });
    expect((api.json as { data: { name: string }[] }).data.map((b) => b.name)).toEqual(["south LCJB"]);
  });

  it("refuses an unknown user or a workspace they are not in", async () => {
    await expect(createApiTokenFor(handle.db, { email: "nobody@north.test", scope: "read" })).rejects.toThrow(
      UsageError,
    );
    await expect(
      createApiTokenFor(handle.db, { email: "ada@north.test", scope: "read", workspace: "south" }),
    ).rejects.toThrow(/not in a workspace "south"/);
  });
});
