import { renderMarkdown } from "./markdown.server";
import {
  type MinutesSnapshot,
  type PublicItem,
  publicItems,
  publicMeetingDeclarations,
  type SensitiveItemsPublic,
} from "./snapshot";

/*
 * A version of the minutes made ready for a page: Markdown rendered to safe HTML on the
 * server, and, for the public, OFFICIAL-SENSITIVE items reduced to their title or removed
 * before anything is rendered, so their text never leaves the server.
 */

export interface DocumentItem extends PublicItem {
  discussionHtml: string;
}

export interface MinutesDocument {
  meeting: MinutesSnapshot["meeting"];
  attendance: MinutesSnapshot["attendance"];
  declarations: MinutesSnapshot["declarations"];
  items: DocumentItem[];
  approval: MinutesSnapshot["approval"];
}

/** For board readers (everything), or for the public (`sensitive`: the board's setting). */
export function minutesDocument(
  snapshot: MinutesSnapshot,
  audience: { public: false } | { public: true; sensitive: SensitiveItemsPublic },
): MinutesDocument {
  const items = audience.public
    ? publicItems(snapshot, audience.sensitive)
    : snapshot.items.map((item) => ({ ...item, restricted: false }));
  return {
    meeting: snapshot.meeting,
    attendance: snapshot.attendance,
    declarations: audience.public ? publicMeetingDeclarations(snapshot) : snapshot.declarations,
    items: items.map((item) => ({
      ...item,
      discussionHtml: item.restricted || !item.discussion.trim() ? "" : renderMarkdown(item.discussion),
    })),
    approval: snapshot.approval,
  };
}
