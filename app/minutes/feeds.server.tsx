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

/**
 * The feed as an HTTP answer: Atom's media type, cacheable by anyone for fifteen minutes,
 * with an ETag and Last-Modified so a feed reader polling it gets 304 when nothing changed.
 */
export function feedResponse(request: Request, xml: string, updated: Date): Response {
  const etag = `"${createHash("sha256").update(xml).digest("base64url").slice(0, 32)}"`;
  const headers = {
    "Content-Type": "application/atom+xml; charset=utf-8",
    "Cache-Control": "public, max-age=900",
    ETag: etag,
    "Last-Modified": updated.toUTCString(),
  };
  const known = (request.headers.get("If-None-Match") ?? "").split(",").map((tag) => tag.trim());
  if (known.includes(etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(xml, { status: 200, headers });
}
