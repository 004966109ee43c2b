import { calendarResponse, publicBoardFeed } from "~/calendar/feeds.server";
import { database } from "~/db.server";
import type { Route } from "./+types/public.$workspaceSlug.boards.$boardSlug.meetings[.]ics";

/**
 * GET /public/:workspaceSlug/boards/:boardSlug/meetings.ics: the iCalendar feed of a public
 * board's meetings, for Outlook, Google Calendar and others to subscribe to. Anyone may read
 * it; a private, archived or unknown board answers 404.
 */
export async function loader({ params }: Route.LoaderArgs) {
  const text = await publicBoardFeed(await database(), params.workspaceSlug, params.boardSlug);
  return calendarResponse(text, `${params.boardSlug}-meetings.ics`, { public: true });
}
