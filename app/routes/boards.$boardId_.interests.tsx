import { Link } from "react-router";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { formatDate } from "~/format";
import { PeopleInterests } from "~/interests/components";
import { getBoardInterests } from "~/interests/interests.server";
import type { Route } from "./+types/boards.$boardId_.interests";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Interests – ${data.board.name} – Boardledger` : "Boardledger" },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  if (!/^\d{1,15}$/.test(params.boardId)) notFound();
  return getBoardInterests(viewer, Number(params.boardId));
}

export default function BoardInterestsPage({ loaderData }: Route.ComponentProps) {
  const { board, today, people } = loaderData;
  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/boards/${board.id}`}>
              {board.name}
            </Link>
          </li>
        </ol>
      </nav>
      <span className="govuk-caption-l">{board.name}</span>
      <h1 className="govuk-heading-l">Register of interests</h1>
      <p className="govuk-body">
        The interests of the board's current members in force on {formatDate(today)}. Each person's interests
        are kept once, in their own register, and shown on every board they sit on.
      </p>
      <PeopleInterests people={people} />
    </>
  );
}
