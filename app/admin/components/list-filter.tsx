import type { ReactNode } from "react";
import { Form } from "react-router";

/*
 * A list's filters as a GET form (so they work before JavaScript loads and the URL keeps
 * them): filtering keeps the sort and page size and goes back to the first page.
 */
export function ListFilter({
  action,
  state,
  active,
  children,
}: {
  action: string;
  state: { sort: string; dir: string; pageSize: number };
  /** Whether any filter is applied (shows "Clear filters"). */
  active: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="get" action={action} className="govuk-!-margin-bottom-6" aria-label="Filter">
      <input type="hidden" name="sort" value={state.sort} />
      <input type="hidden" name="dir" value={state.dir} />
      <input type="hidden" name="pageSize" value={state.pageSize} />
      <div className="govuk-grid-row">{children}</div>
      <div className="govuk-button-group">
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Apply filters
        </button>
        {active ? (
          <a className="govuk-link" href={action}>
            Clear filters
          </a>
        ) : null}
      </div>
    </Form>
  );
}

/** A plain (non-Conform) text input or select inside a ListFilter, in its own column. */
export function FilterColumn({ children }: { children: ReactNode }) {
  return (
    <div className="govuk-grid-column-one-third">
      <div className="govuk-form-group">{children}</div>
    </div>
  );
}
