import { Link, useLocation } from "react-router";
import { pageCount, pageQuery, pageWindow } from "./table-state";

export interface PaginationProps {
  /** 1-based. */
  page: number;
  pageSize: number;
  total: number;
  /** Names the landmark when a page has more than one list. */
  label?: string;
}

/**
 * GOV.UK pagination. Links keep every other query parameter (sort, filters) and change
 * only ?page=, so they work before JavaScript loads. Nothing is shown for a single page.
 */
export function Pagination({ page, pageSize, total, label = "Pagination" }: PaginationProps) {
  const location = useLocation();
  const count = pageCount(total, pageSize);
  if (count <= 1) return null;
  const href = (n: number) => `${location.pathname}${pageQuery(location.search, n)}`;

  return (
    <nav className="govuk-pagination" aria-label={label}>
      {page > 1 && (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" to={href(page - 1)} rel="prev">
            <svg
              className="govuk-pagination__icon govuk-pagination__icon--prev"
              xmlns="http://www.w3.org/2000/svg"
              height="13"
              width="15"
              aria-hidden="true"
              focusable="false"
              viewBox="0 0 15 13"
            >
              <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
            </svg>
            <span className="govuk-pagination__link-title">
              Previous<span className="govuk-visually-hidden"> page</span>
            </span>
          </Link>
        </div>
      )}
      <ul className="govuk-pagination__list">
        {pageWindow(page, count).map((n, index) =>
          n === null ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: ellipses have no identity but their place
            <li key={`gap-${index}`} className="govuk-pagination__item govuk-pagination__item--ellipsis">
              &ctdot;
            </li>
          ) : (
            <li
              key={n}
              className={
                n === page
                  ? "govuk-pagination__item govuk-pagination__item--current"
                  : "govuk-pagination__item"
              }
            >
              <Link
                className="govuk-link govuk-pagination__link"
                to={href(n)}
                aria-label={`Page ${n}`}
                aria-current={n === page ? "page" : undefined}
              >
                {n}
              </Link>
            </li>
          ),
        )}
      </ul>
      {page < count && (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" to={href(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">
              Next<span className="govuk-visually-hidden"> page</span>
            </span>
            <svg
              className="govuk-pagination__icon govuk-pagination__icon--next"
              xmlns="http://www.w3.org/2000/svg"
              height="13"
              width="15"
              aria-hidden="true"
              focusable="false"
              viewBox="0 0 15 13"
            >
              <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
            </svg>
          </Link>
        </div>
      )}
    </nav>
  );
}
