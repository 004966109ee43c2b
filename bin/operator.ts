import type { Kysely } from "kysely";
import { z } from "zod";
import { recordAuditIn } from "../app/audit/audit.server";
import { API_TOKEN_SCOPES, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "../app/auth/api-token-schemas";
import { issueApiToken } from "../app/auth/api-tokens.server";
import { hashPassword, passwordProblem } from "../app/auth/passwords.server";
import type { Database, Role } from "../db/schema";
import { scopeToWorkspace } from "../db/tenancy";

/** A mistake in how a command was called: reported with its usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const messages = result.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`);
    throw new UsageError(messages.join("\n"));
  }
  return result.data;
}

const workspaceInput = z.object({
  slug: z
    .string({ error: "is required" })
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "use lower-case letters, digits and hyphens"),
  name: z.string({ error: "is required" }).trim().min(1).max(200),
});

export async function createWorkspace(db: Kysely<Database>, input: unknown): Promise<number> {
  const { slug, name } = parse(workspaceInput, input);
  const existing = await db.selectFrom("workspaces").select("id").where("slug", "=", slug).executeTakeFirst();
  if (existing) throw new UsageError(`A workspace "${slug}" already exists.`);
  const row = await db
    .insertInto("workspaces")
    .values({ slug, name })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const roles = ["admin", "leader", "secretary", "member", "partner"] as const satisfies readonly Role[];

const userInput = z
  .object({
    workspace: z.string({ error: "is required" }),
    email: z.string({ error: "is required" }).trim().toLowerCase().email("is not an email address"),
    name: z.string({ error: "is required" }).trim().min(1).max(200),
    role: z.enum(roles, { error: `must be one of ${roles.join(", ")}` }),
    board: z.string().optional(),
    agency: z.string().optional(),
    password: z.string().optional(),
  })
  .refine((v) => !["secretary", "member"].includes(v.role) || v.board, {
    message: "is required",
    path: ["board"],
  })
  .refine((v) => v.role !== "partner" || v.agency, { message: "is required", path: ["agency"] });

export async function createUserWithRole(
  db: Kysely<Database>,
  input: unknown,
): Promise<{ email: string; role: Role; workspace: string; generatedPassword?: string }> {
  const values = parse(userInput, input);
  let generatedPassword: string | undefined;
  let password = values.password;
  if (password === undefined) {
    generatedPassword = Buffer.from(crypto.getRandomValues(new Uint8Array(15))).toString("base64url");
    password = generatedPassword;
  }
  const problem = passwordProblem(password, { email: values.email });
  if (problem) throw new UsageError(`--password: ${problem}`);
  const passwordHash = await hashPassword(password);

  return db.transaction().execute(async (trx) => {
    const workspace = await trx
      .selectFrom("workspaces")
      .select(["id", "slug"])
      .where("slug", "=", values.workspace)
      .executeTakeFirst();
    if (!workspace)
      throw new UsageError(`There is no workspace "${values.workspace}" (create-workspace makes one).`);
    const board = values.board
      ? await trx
          .selectFrom("boards")
          .select("id")
          .where("workspace_id", "=", workspace.id)
          .where("slug", "=", values.board)
          .executeTakeFirst()
      : undefined;
    if (values.board && !board)
      throw new UsageError(`There is no board "${values.board}" in ${workspace.slug}.`);
    const agency = values.agency
      ? await trx
          .selectFrom("agencies")
          .select("id")
          .where("workspace_id", "=", workspace.id)
          .where((eb) => eb(eb.fn("lower", ["name"]), "=", values.agency!.toLowerCase()))
          .executeTakeFirst()
      : undefined;
    if (values.agency && !agency)
      throw new UsageError(`There is no agency "${values.agency}" in ${workspace.slug}.`);

    const user =
      (await trx.selectFrom("users").select("id").where("email", "=", values.email).executeTakeFirst()) ??
      (await trx
        .insertInto("users")
        .values({
          email: values.email,
          name: values.name,
          password_hash: passwordHash,
          password_changed_at: new Date(),
        })
        .returning("id")
        .executeTakeFirstOrThrow());
    await trx
      .insertInto("workspace_users")
      .values({ workspace_id: workspace.id, user_id: user.id })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto("role_grants")
      .values({
        workspace_id: workspace.id,
        user_id: user.id,
        role: values.role,
        board_id: board?.id ?? null,
        agency_id: agency?.id ?? null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await recordAuditIn(
      trx,
      workspace.id,
      { userId: null, label: "operator (CLI)" },
      {
        event: "role.granted",
        entityType: "user",
        entityId: user.id,
        changes: {
          email: values.email,
          role: values.role,
          board: values.board ?? null,
          agency: values.agency ?? null,
        },
      },
    );
    return { email: values.email, role: values.role, workspace: workspace.slug, generatedPassword };
  });
}

const tokenInput = z.object({
  email: z.string({ error: "is required" }).trim().toLowerCase().email("is not an email address"),
  scope: z.enum(API_TOKEN_SCOPES, { error: `must be one of ${API_TOKEN_SCOPES.join(", ")}` }),
  workspace: z.string().optional(),
  "expires-days": z.coerce
    .number({ error: `must be a whole number from 1 to ${MAX_TOKEN_DAYS}` })
    .int(`must be a whole number from 1 to ${MAX_TOKEN_DAYS}`)
    .min(1, `must be a whole number from 1 to ${MAX_TOKEN_DAYS}`)
    .max(MAX_TOKEN_DAYS, `must be a whole number from 1 to ${MAX_TOKEN_DAYS}`)
    .default(DEFAULT_TOKEN_DAYS),
  name: z.string().trim().min(1).max(100).optional(),
});

/** Checks create-token's arguments without a database. */
export function checkTokenArguments(input: unknown): void {
  parse(tokenInput, input);
}

/**
 * A personal access token for an existing user, made by an operator setting up an
 * integration: in the workspace given, or the user's only one. Audited as the CLI's doing.
 */
export async function createApiTokenFor(
  db: Kysely<Database>,
  input: unknown,
  now = new Date(),
): Promise<{ token: string; email: string; workspace: string; scope: string; expiresAt: Date }> {
  const values = parse(tokenInput, input);
  const user = await db
    .selectFrom("users")
    .select(["id", "disabled_at"])
    .where("email", "=", values.email)
    .executeTakeFirst();
  if (!user) throw new UsageError(`There is no user ${values.email} (create-user makes one).`);
  if (user.disabled_at) throw new UsageError(`${values.email} is disabled.`);
  const workspaces = await db
    .selectFrom("workspace_users")
    .innerJoin("workspaces", "workspaces.id", "workspace_users.workspace_id")
    .select(["workspaces.id", "workspaces.slug"])
    .where("workspace_users.user_id", "=", user.id)
    .orderBy("workspaces.slug")
    .execute();
  const workspace = values.workspace
    ? workspaces.find((w) => w.slug === values.workspace)
    : workspaces.length === 1
      ? workspaces[0]
      : undefined;
  if (!workspace) {
    const slugs = workspaces.map((w) => w.slug).join(", ") || "none";
    throw new UsageError(
      values.workspace
        ? `${values.email} is not in a workspace "${values.workspace}" (theirs: ${slugs}).`
        : `${values.email} is in several workspaces (${slugs}): choose one with --workspace.`,
    );
  }
  const issued = await db.transaction().execute((trx) =>
    issueApiToken(
      scopeToWorkspace(trx, workspace.id),
      {
        userId: user.id,
        name: values.name ?? `Made with the CLI on ${now.toISOString().slice(0, 10)}`,
        scope: values.scope,
        expiresInDays: values["expires-days"],
      },
      { userId: null, label: "operator (CLI)" },
      now,
    ),
  );
  return {
    token: issued.token,
    email: values.email,
    workspace: workspace.slug,
    scope: values.scope,
    expiresAt: issued.expiresAt,
  };
}
