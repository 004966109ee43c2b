import { Link, redirect } from "react-router";
import { navigationFor } from "../auth/authorise.server";
import { getViewer } from "../auth/viewer.server";
import { pendingFeedback } from "../feedback/feedback.server";
import { FEEDBACK_QUESTION } from "../feedback/schemas";
import { formatDateTime } from "../format";
import type { Route } from "./+types/_index";

/*
 * The start page sends people where they work: their boards, else their actions, else sign
 * in. Someone with meetings of the last fortnight to give feedback on is asked here first.
 */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  if (!viewer) throw redirect("/sign-in");
  const seesBoards = navigationFor(viewer).some((item) => item.href === "/boards");
  const next = seesBoards
    ? { href: "/boards", label: "Go to your boards" }
    : { href: "/actions", label: "Go to your actions" };
  const feedback = await pendingFeedback(viewer);
  if (feedback.length === 0) throw redirect(next.href);
  return { feedback, next };
}

export const meta: Route.MetaFunction = () => [{ title: "Home – Boardledger" }];

export default function Index({ loaderData }: Route.ComponentProps) {
  const { feedback, next } = loaderData;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Home</h1>
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-m">{FEEDBACK_QUESTION}</h2>
          <p className="govuk-body">Tell us about the meetings you attended recently:</p>
          <ul className="govuk-list">
            {feedback.map((meeting) => (
              <li key={meeting.id}>
                <Link className="govuk-link" to={`/meetings/${meeting.id}/feedback`}>
                  {meeting.boardName}, {formatDateTime(new Date(meeting.startsAt))}
                  <span className="govuk-visually-hidden">: give feedback</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <p className="govuk-body">
          <Link className="govuk-button" to={next.href}>
            {next.label}
          </Link>
        </p>
      </div>
    </div>
  );
}
