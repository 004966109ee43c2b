import type { Kysely } from "kysely";
import { z } from "zod";
import { recordAuditIn } from "../app/audit/audit.server";
import { hashPassword, passwordProblem } from "../app/auth/passwords.server";
import type { Database, Role } from "../db/schema";

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
