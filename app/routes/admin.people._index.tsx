import { redirect } from "react-router";
import { agencyOptions } from "~/admin/agencies.server";
import { FilterColumn, ListFilter } from "~/admin/components/list-filter";
import { listPeople, PEOPLE_SORTS } from "~/admin/people.server";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { pageCount, pageQuery, parseTableState } from "~/components/table-state";
import type { Route } from "./+types/admin.people._index";

export const meta: Route.MetaFunction = () => [{ title: "People – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const url = new URL(request.url);
  const state = parseTableState(url.searchParams, {
    sortable: PEOPLE_SORTS,
    defaultSort: "name",
    firstDirection: { travel: "desc" },
  });
  const search = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const agencies = await agencyOptions(viewer.db);
  const agencyParam = url.searchParams.get("agency");
  const agencyId = agencies.find((a) => String(a.id) === agencyParam)?.id;
  const { rows, total } = await listPeople(viewer.db, { ...state, search: search || undefined, agencyId });
  if (rows.length === 0 && state.page > 1 && total > 0) {
    throw redirect(`${url.pathname}${pageQuery(url.search, pageCount(total, state.pageSize))}`);
  }
  return {
    rows,
    total,
    state,
    agencies,
    filters: { q: search, agency: agencyId === undefined ? "" : String(agencyId) },
  };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

const columns: DataTableColumn<Row>[] = [
  {
    id: "name",
    header: "Name",
    sortable: true,
    rowHeader: true,
    cell: (row) => (
      <a className="govuk-link" href={`/admin/people/${row.id}`}>
        {row.full_name}
      </a>
    ),
  },
  { id: "agency", header: "Agency", sortable: true, cell: (row) => row.agency_name },
  { id: "grade", header: "Grade", sortable: true, cell: (row) => row.grade_name ?? "None" },
  { id: "job_title", header: "Job title", sortable: true, cell: (row) => row.job_title ?? "" },
  {
    id: "travel",
    header: "Usual travel",
    sortable: true,
    firstDirection: "desc",
    numeric: true,
    cell: (row) => `${row.usual_travel_minutes} min`,
  },
];

export default function People({ loaderData }: Route.ComponentProps) {
  const { rows, total, state, agencies, filters } = loaderData;
  const filtered = filters.q !== "" || filters.agency !== "";
  return (
    <>
      <a href="/admin" className="govuk-back-link">
        Back to admin
      </a>
      <h1 className="govuk-heading-l">People</h1>
      <p className="govuk-body">Everyone who sits on boards. Their grade prices their time at meetings.</p>
      <a href="/admin/people/new" draggable="false" className="govuk-button" data-module="govuk-button">
        Add a person
      </a>
      <ListFilter action="/admin/people" state={state} active={filtered}>
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
          <label className="govuk-label" htmlFor="filter-agency">
            Agency
          </label>
          <select className="govuk-select" id="filter-agency" name="agency" defaultValue={filters.agency}>
            <option value="">Any agency</option>
            {agencies.map((a) => (
              <option key={a.id} value={String(a.id)}>
                {a.name}
              </option>
            ))}
          </select>
        </FilterColumn>
      </ListFilter>
      <DataTable
        caption="People"
        captionSize="hidden"
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        sort={{ sort: state.sort, dir: state.dir }}
        emptyMessage={filtered ? "No people match these filters." : "There are no people yet."}
        paging={{
          page: state.page,
          pageSize: state.pageSize,
          total,
          itemsName: total === 1 ? "person" : "people",
        }}
      />
    </>
  );
}
