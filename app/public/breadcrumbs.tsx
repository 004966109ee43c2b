import { Link } from "react-router";

/** The way back on a public page: the partnership's public boards and, below them, the board. */
export function PublicBreadcrumbs({
  workspace,
  board,
}: {
  workspace: { slug: string; name: string };
  board?: { slug: string; name: string };
}) {
  return (
    <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
      <ol className="govuk-breadcrumbs__list">
        <li className="govuk-breadcrumbs__list-item">
          <Link className="govuk-breadcrumbs__link" to={`/public/${workspace.slug}`}>
            {workspace.name}
          </Link>
        </li>
        {board && (
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/public/${workspace.slug}/boards/${board.slug}`}>
              {board.name}
            </Link>
          </li>
        )}
      </ol>
    </nav>
  );
}
