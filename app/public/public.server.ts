import type { BoardType } from "../../db/schema";
import { scopeToWorkspace, type WorkspaceDb } from "../../db/tenancy";
import { notFound } from "../auth/authorise.server";
import { database } from "../db.server";

/*
 * The public side (docs/public-urls in the brief): pages and feeds anyone may read without
 * signing in, for boards whose visibility is "public". A workspace with no public board, a
 * private board, or anything that does not exist answers 404 alike.
 *
 * A public request has no viewer, so the workspace is found by its slug here and every
 * query after that goes through a handle scoped to it, as a signed-in request's does.
 */

export interface PublicWorkspace {
  id: number;
  slug: string;
  name: string;
  db: WorkspaceDb;
}

export interface PublicBoard {
  id: number;
  slug: string;
  name: string;
  type: BoardType;
  termsOfReference: string;
  sensitiveItemsPublic: "restricted" | "hidden";
  createdAt: Date;
  archivedAt: Date | null;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/;

/** A workspace with at least one public board; else 404. */
export async function publicWorkspace(slug: string | undefined): Promise<PublicWorkspace> {
  if (!slug || !SLUG.test(slug)) notFound();
  const root = await database();
  const row = await root
    .selectFrom("workspaces as w")
    .select(["w.id", "w.slug", "w.name"])
    .where("w.slug", "=", slug)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("boards as b")
          .select("b.id")
          .whereRef("b.workspace_id", "=", "w.id")
          .where("b.visibility", "=", "public"),
      ),
    )
    .executeTakeFirst();
  if (!row) notFound();
  return { id: Number(row.id), slug: row.slug, name: row.name, db: scopeToWorkspace(root, Number(row.id)) };
}

const boardColumns = [
  "id",
  "slug",
  "name",
  "type",
  "terms_of_reference",
  "sensitive_items_public",
  "created_at",
  "archived_at",
] as const;

function toBoard(row: {
  id: number;
  slug: string;
  name: string;
  type: BoardType;
  terms_of_reference: string;
  sensitive_items_public: "restricted" | "hidden";
  created_at: Date;
  archived_at: Date | null;
}): PublicBoard {
  return {
    id: Number(row.id),
    slug: row.slug,
    name: row.name,
    type: row.type,
    termsOfReference: row.terms_of_reference,
    sensitiveItemsPublic: row.sensitive_items_public,
    createdAt: new Date(row.created_at),
    archivedAt: row.archived_at,
  };
}

/** A public board of the workspace by its slug; a private or unknown board is 404. */
export async function publicBoard(
  workspace: PublicWorkspace,
  boardSlug: string | undefined,
): Promise<PublicBoard> {
  if (!boardSlug || !SLUG.test(boardSlug)) notFound();
  const row = await workspace.db
    .selectFrom("boards")
    .select(boardColumns)
    .where("slug", "=", boardSlug)
    .where("visibility", "=", "public")
    .executeTakeFirst();
  if (!row) notFound();
  return toBoard(row);
}

/** The workspace's public boards, current ones first, by name. */
export async function publicBoards(workspace: PublicWorkspace): Promise<PublicBoard[]> {
  const rows = await workspace.db
    .selectFrom("boards")
    .select(boardColumns)
    .where("visibility", "=", "public")
    .orderBy((eb) => eb.case().when("archived_at", "is", null).then(0).else(1).end())
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map(toBoard);
}

/**
 * Cache headers for a public page. Shared caches may keep it for five minutes, but only
 * when no one is signed in: the page header then names the signed-in user.
 */
export function publicPageHeaders(request: Request): HeadersInit {
  const signedIn = (request.headers.get("Cookie") ?? "").includes("boardledger_session");
  return {
    "Cache-Control": signedIn ? "private, no-cache" : "public, max-age=300, stale-while-revalidate=600",
    Vary: "Cookie",
  };
}
