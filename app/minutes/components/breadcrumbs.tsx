import { Link } from "react-router";
import { formatDate, formatDateTime } from "../../format";

/** The way back from a minutes page: the board, the meeting and, below it, the minutes. */
export function MinutesBreadcrumbs({
  meeting,
  minutesLink = false,
}: {
  meeting: { id: number; boardId: number; boardName: string; startsAt: Date };
  /** Link to the minutes page too (from the editor and the history). */
  minutesLink?: boolean;
}) {
  return (
    <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
      <ol className="govuk-breadcrumbs__list">
        <li className="govuk-breadcrumbs__list-item">
          <Link className="govuk-breadcrumbs__link" to={`/boards/${meeting.boardId}`}>
            {meeting.boardName}
          </Link>
        </li>
        <li className="govuk-breadcrumbs__list-item">
          <Link className="govuk-breadcrumbs__link" to={`/meetings/${meeting.id}`}>
            Meeting on {formatDateTime(meeting.startsAt)}
          </Link>
        </li>
        {minutesLink && (
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/meetings/${meeting.id}/minutes`}>
              Minutes of {formatDate(meeting.startsAt)}
            </Link>
          </li>
        )}
      </ol>
    </nav>
  );
}
