import { createHash } from "node:crypto";
import { Feed } from "feed";
import { renderToStaticMarkup } from "react-dom/server";
import { formatDate } from "../format";
import { appUrl } from "../mail/mailer.server";
import type { PublicWorkspace } from "../public/public.server";
import { MinutesDocumentView } from "./components/minutes-document";
import type { MinutesDocument } from "./document.server";
import type { PublishedEntry } from "./public.server";

/*
 * Atom 1.0 feeds of published minutes (RFC 4287), built with the `feed` library, which
 * escapes text and wraps HTML content safely. Each entry is one meeting's minutes as the
 * public page shows them (OFFICIAL-SENSITIVE items already reduced), updated when they are
 * republished after a correction, so feed readers show the change.
 *
 * Ids are tag: URIs (RFC 4151) built from database ids, not from slugs or the address the
 * feed was fetched at, so they never change for the life of the minutes:
 *   tag:<host>,2026:workspace-<id>:minutes-<minutesId>
 */

const TAG_DATE = "2026";

/** The host that mints ids: APP_URL's in production, else the request's. */
function tagAuthority(request: Request): string {
  return new URL(appUrl(request)).hostname;
}

export function tagId(request: Request, specific: string): string {
  return `tag:${tagAuthority(request)},${TAG_DATE}:${specific}`;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export interface MinutesFeedOptions {
  request: Request;
  workspace: PublicWorkspace;
  /** The feed's own id (a tag: specific part) and title. */
  id: string;
  title: string;
  subtitle: string;
  /** The page the feed stands for, and the feed itself (paths). */
  htmlPath: string;
  selfPath: string;
  /** When the feed last changed if it has no entries (when its board was set up). */
  emptyUpdated: Date;
  entries: readonly PublishedEntry[];
  documents: ReadonlyMap<number, MinutesDocument>;
}

export function minutesEntryTitle(entry: PublishedEntry): string {
  return `${entry.boardName}: minutes of the meeting on ${formatDate(entry.meetingStartsAt)}`;
}

export function minutesFeed(options: MinutesFeedOptions): { xml: string; updated: Date } {
  const { request, workspace, entries, documents } = options;
  const base = appUrl(request);
  const updated =
    entries.reduce<Date | null>(
      (latest, e) => (latest === null || e.publishedAt > latest ? e.publishedAt : latest),
      null,
    ) ?? options.emptyUpdated;
  const feed = new Feed({
    id: tagId(request, options.id),
    title: options.title,
    description: options.subtitle,
    link: `${base}${options.htmlPath}`,
    feed: `${base}${options.selfPath}`,
    language: "en-GB",
    updated,
    generator: "Boardledger",
    author: { name: workspace.name, link: `${base}/public/${workspace.slug}` },
    copyright: `Published by ${workspace.name}`,
  });
  for (const entry of entries) {
    const document = documents.get(entry.minutesId);
    if (!document) continue;
    const link = `${base}/public/${workspace.slug}/boards/${entry.boardSlug}/minutes/${entry.meetingId}`;
    const restricted = document.items.filter((item) => item.restricted).length;
    feed.addItem({
      id: tagId(request, `workspace-${workspace.id}:minutes-${entry.minutesId}`),
      // The title is HTML in an Atom entry (type="html"): escape what the board's name may hold.
      title: escapeHtml(minutesEntryTitle(entry)),
      link,
      date: entry.publishedAt,
      published: entry.firstPublishedAt,
      description: escapeHtml(
        `${document.items.length} items${restricted ? `, ${restricted} restricted` : ""}. ${
          entry.publishedAt.getTime() !== entry.firstPublishedAt.getTime()
            ? `Corrected and republished on ${formatDate(entry.publishedAt)}.`
            : `Published on ${formatDate(entry.publishedAt)}.`
        }`,
      ),
      content: renderToStaticMarkup(<MinutesDocumentView document={document} />),
      author: [{ name: entry.boardName, link: `${base}/public/${workspace.slug}/boards/${entry.boardSlug}` }],
    });
  }
  return { xml: feed.atom1(), updated };
}

// ── Answering feed readers cheaply ──────────────────────────────────────────────────────

/**
 * Bump when the feed's markup changes, so readers holding an old copy get the new one.
 * Part of every ETag.
 */
const FEED_FORMAT = "1";

export interface FeedValidator {
  etag: string;
  /** The latest publication in the workspace (or the epoch, when there is none yet). */
  lastModified: Date;
}

/**
 * What a feed's content depends on, read in two small queries rather than by building the
 * feed: the workspace's latest publication (minute_versions_published_idx, newest first),
 * and the public boards' names, addresses and sensitive-items settings. Published versions
 * are never changed or deleted, so a feed can change only through a new publication (a
 * first publication or a corrected one) or a change to a board or the workspace's name;
 * each of those changes this ETag. The workspace's latest publication stands for each
 * board's: coarser (a board's feed is refetched when another board publishes) but never
 * stale. The address the feed is served at is part of it too (links and ids use it).
 */
export async function feedValidator(
  request: Request,
  workspace: PublicWorkspace,
  feedKey: string,
): Promise<FeedValidator> {
  const latest = await workspace.db
    .selectFrom("minute_versions")
    .select("created_at")
    .where("status", "=", "published")
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const boards = await workspace.db
    .selectFrom("boards")
    .select(["id", "slug", "name", "sensitive_items_public"])
    .where("visibility", "=", "public")
    .orderBy("id")
    .execute();
  const lastModified = latest ? new Date(latest.created_at) : new Date(0);
  const digest = createHash("sha256")
    .update(
      JSON.stringify([
        FEED_FORMAT,
        feedKey,
        appUrl(request),
        workspace.name,
        lastModified.toISOString(),
        boards.map((b) => [Number(b.id), b.slug, b.name, b.sensitive_items_public]),
      ]),
    )
    .digest("base64url");
  return { etag: `"${digest.slice(0, 32)}"`, lastModified };
}

/** Built feeds by ETag, newest use last: a busy feed is built once per change, not per request. */
const builtFeeds = new Map<string, string>();
const BUILT_FEEDS_MAX = 64;

function rememberFeed(etag: string, xml: string): void {
  builtFeeds.delete(etag);
  builtFeeds.set(etag, xml);
  while (builtFeeds.size > BUILT_FEEDS_MAX) {
    const oldest = builtFeeds.keys().next().value;
    if (oldest === undefined) break;
    builtFeeds.delete(oldest);
  }
}

/** Forgets every built feed (tests, and anyone who changes what the ETag cannot see). */
export function forgetBuiltFeeds(): void {
  builtFeeds.clear();
}

function notModifiedSince(request: Request, lastModified: Date): boolean {
  const since = Date.parse(request.headers.get("If-Modified-Since") ?? "");
  // HTTP dates have whole seconds.
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/**
 * The feed as an HTTP answer: Atom's media type, cacheable by anyone for fifteen minutes,
 * with an ETag and Last-Modified worked out before the feed is built (`feedValidator`),
 * so a feed reader polling a feed that has not changed gets 304 for two small queries, and
 * one that asks unconditionally gets the copy built at the last change.
 */
export async function feedResponse(
  request: Request,
  workspace: PublicWorkspace,
  feedKey: string,
  build: () => Promise<{ xml: string }>,
): Promise<Response> {
  const { etag, lastModified } = await feedValidator(request, workspace, feedKey);
  const headers = {
    "Content-Type": "application/atom+xml; charset=utf-8",
    "Cache-Control": "public, max-age=900",
    ETag: etag,
    "Last-Modified": lastModified.toUTCString(),
  };
  const ifNoneMatch = request.headers.get("If-None-Match");
  const known = (ifNoneMatch ?? "").split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (known.includes(etag) || (ifNoneMatch === null && notModifiedSince(request, lastModified))) {
    return new Response(null, { status: 304, headers });
  }
  let xml = builtFeeds.get(etag);
  if (xml === undefined) {
    xml = (await build()).xml;
    rememberFeed(etag, xml);
  }
  return new Response(xml, { status: 200, headers });
}
