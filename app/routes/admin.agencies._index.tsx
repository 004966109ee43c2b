import { redirect } from "react-router";
import { AGENCY_SORTS, listAgencies } from "~/admin/agencies.server";
import { FilterColumn, ListFilter } from "~/admin/components/list-filter";
import { AGENCY_TYPE_LABELS, AGENCY_TYPES } from "~/admin/schemas";
import { getSettings } from "~/admin/settings.server";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { pageCount, pageQuery, parseTableState } from "~/components/table-state";
import type { AgencyType } from "../../db/schema";
import type { Route } from "./+types/admin.agencies._index";

export const meta: Route.MetaFunction = () => [{ title: "Agencies and rate cards – Boardledger" }];

function isAgencyType(value: string | null): value is AgencyType {
  return AGENCY_TYPES.some((t) => t === value);
}

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.seeSalaries(viewer));
  const url = new URL(request.url);
  const state = parseTableState(url.searchParams, {
    sortable: AGENCY_SORTS,
    defaultSort: "name",
    firstDirection: { people: "desc", grades: "desc" },
  });
  const search = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const typeParam = url.searchParams.get("type");
  const type = isAgencyType(typeParam) ? typeParam : undefined;
  const [{ rows, total }, settings] = await Promise.all([
    listAgencies(viewer.db, { ...state, search: search || undefined, type }),
    getSettings(viewer.db),
  ]);
  // A page past the end (the list got shorter since the link was made) goes to the last page.
  if (rows.length === 0 && state.page > 1 && total > 0) {
    throw redirect(`${url.pathname}${pageQuery(url.search, pageCount(total, state.pageSize))}`);
  }
  return {
    rows,
    total,
    state,
    filters: { q: search, type: type ?? "" },
    defaults: { on_cost_pct: settings.default_on_cost_pct, overhead_pct: settings.default_overhead_pct },
    canChange: can.administer(viewer),
  };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

function percentText(own: number | null, fallback: number): string {
  return own === null ? `${fallback}% (default)` : `${own}%`;
}

export default function Agencies({ loaderData }: Route.ComponentProps) {
  const { rows, total, state, filters, defaults, canChange } = loaderData;
  const columns: DataTableColumn<Row>[] = [
    {
      id: "name",
      header: "Agency",
      sortable: true,
      rowHeader: true,
      cell: (row) => (
        <a className="govuk-link" href={`/admin/agencies/${row.id}`}>
          {row.name}
          {row.short_name ? ` (${row.short_name})` : ""}
        </a>
      ),
    },
    { id: "type", header: "Type", sortable: true, cell: (row) => AGENCY_TYPE_LABELS[row.type] },
    { id: "on_cost", header: "On-cost", cell: (row) => percentText(row.on_cost_pct, defaults.on_cost_pct) },
    {
      id: "overhead",
      header: "Overhead",
      cell: (row) => percentText(row.overhead_pct, defaults.overhead_pct),
    },
    {
      id: "grades",
      header: "Grades",
      sortable: true,
      firstDirection: "desc",
      numeric: true,
      cell: (row) => row.grades_count,
    },
    {
      id: "people",
      header: "People",
      sortable: true,
      firstDirection: "desc",
      numeric: true,
      cell: (row) => row.people_count,
    },
  ];
  return (
    <>
      <a href="/admin" className="govuk-back-link">
        Back to admin
      </a>
      <h1 className="govuk-heading-l">Agencies and rate cards</h1>
      <div className="govuk-button-group">
        {canChange ? (
          <a href="/admin/agencies/new" draggable="false" className="govuk-button" data-module="govuk-button">
            Add an agency
          </a>
        ) : null}
        <a className="govuk-link" href="/admin/rate-cards.csv" download>
          Download rate cards (CSV)
        </a>
      </div>
      <ListFilter action="/admin/agencies" state={state} active={filters.q !== "" || filters.type !== ""}>
        <FilterColumn>
          <label className="govuk-label" htmlFor="filter-q">
            Name
          </label>
          <input
            className="govuk-input"
            id="filter-q"
            name="q"
            type="search"
            defaultValue={filters.q}
            spellCheck={false}
          />
        </FilterColumn>
        <FilterColumn>
          <label className="govuk-label" htmlFor="filter-type">
            Type
          </label>
          <select className="govuk-select" id="filter-type" name="type" defaultValue={filters.type}>
            <option value="">Any type</option>
            {AGENCY_TYPES.map((t) => (
              <option key={t} value={t}>
                {AGENCY_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </FilterColumn>
      </ListFilter>
      <DataTable
        caption="Agencies"
        captionSize="hidden"
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        sort={{ sort: state.sort, dir: state.dir }}
        emptyMessage={
          filters.q || filters.type ? "No agencies match these filters." : "There are no agencies yet."
        }
        paging={{
          page: state.page,
          pageSize: state.pageSize,
          total,
          itemsName: total === 1 ? "agency" : "agencies",
        }}
      />
    </>
  );
}
