import { data, Form, Link } from "react-router";
import { can, ensure, notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, type FieldLike, TextField } from "~/components/forms";
import { getAgencyBurden } from "~/costs/agency-burden.server";
import { formatHours } from "~/costs/insight-labels";
import { lastTwelveMonths, meetingsHref, parsePeriod } from "~/costs/periods";
import { formatDate, formatPence, pluralise } from "~/format";
import type { Route } from "./+types/dashboard_.agencies.$agencyId";

/*
 * /dashboard/agencies/:agencyId: what partnership meetings cost one agency over a period,
 * per board and in total, and the people and grades carrying it. Salary-level detail:
 * admins and leaders only (404 for everyone else).
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.burden.agency.name}: burden – Boardledger` : "Boardledger" },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.readDashboards(viewer));
  if (!/^\d{1,15}$/.test(params.agencyId)) notFound();
  const search = new URL(request.url).searchParams;
  const values = { from: search.get("from") ?? "", to: search.get("to") ?? "" };
  const parsed = parsePeriod(search);
  const period = parsed.ok ? parsed.period : lastTwelveMonths();
  const burden = await getAgencyBurden(viewer, Number(params.agencyId), period);
  const errors = parsed.ok ? ({} as Record<string, string[]>) : parsed.errors;
  return data({ burden, values, errors }, { status: parsed.ok ? 200 : 400 });
}

type Burden = Route.ComponentProps["loaderData"]["burden"];
type BoardRow = Burden["byBoard"][number];
type PersonRow = Burden["people"][number];
type GradeRow = Burden["grades"][number];

export default function AgencyBurdenPage({ loaderData }: Route.ComponentProps) {
  const { burden, values, errors } = loaderData;
  const { agency, period, totals } = burden;
  const field = (name: "from" | "to"): FieldLike => ({
    id: `burden-${name}`,
    name,
    errors: errors[name],
    initialValue: values[name],
  });
  const fields = [field("from"), field("to")];
  const boardColumns: DataTableColumn<BoardRow>[] = [
    {
      id: "board",
      header: "Board",
      rowHeader: true,
      cell: (b) => (
        <Link className="govuk-link" to={meetingsHref(period, { board: b.boardId, agency: agency.id })}>
          {b.boardName}
        </Link>
      ),
    },
    { id: "meetings", header: "Meetings attended", numeric: true, cell: (b) => b.meetings },
    { id: "hours", header: "Staff time", numeric: true, cell: (b) => formatHours(b.personMinutes) },
    { id: "cost", header: "Cost", numeric: true, cell: (b) => formatPence(b.costPence) },
  ];
  const personColumns: DataTableColumn<PersonRow>[] = [
    { id: "name", header: "Name", rowHeader: true, cell: (p) => p.name },
    { id: "grade", header: "Grade", cell: (p) => p.gradeName ?? "No grade" },
    { id: "meetings", header: "Meetings", numeric: true, cell: (p) => p.meetings },
    { id: "hours", header: "Staff time", numeric: true, cell: (p) => formatHours(p.personMinutes) },
    { id: "cost", header: "Cost", numeric: true, cell: (p) => formatPence(p.costPence) },
  ];
  const gradeColumns: DataTableColumn<GradeRow>[] = [
    { id: "grade", header: "Grade", rowHeader: true, cell: (g) => g.gradeName ?? "No grade" },
    { id: "people", header: "People", numeric: true, cell: (g) => g.people },
    { id: "hours", header: "Staff time", numeric: true, cell: (g) => formatHours(g.personMinutes) },
    { id: "cost", header: "Cost", numeric: true, cell: (g) => formatPence(g.costPence) },
  ];
  return (
    <div className="app-dashboard">
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/dashboard">
              Dashboard
            </Link>
          </li>
        </ol>
      </nav>
      <span className="govuk-caption-l">Agency burden</span>
      <h1 className="govuk-heading-l">{agency.name}</h1>
      <ErrorSummary form={{}} fields={fields} />
      <Form method="get" className="app-filter app-no-print" aria-label="Period">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <TextField field={fields[0]!} label="From" type="date" />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <TextField field={fields[1]!} label="To" type="date" />
          </div>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Show figures
        </button>
      </Form>
      <p className="govuk-body-l" data-testid="burden-summary">
        From {formatDate(period.from)} to {formatDate(period.to)}, {agency.name} spent{" "}
        {formatHours(totals.personMinutes)}, {formatPence(totals.costPence)}, in{" "}
        {pluralise(totals.meetings, "meeting")}.
      </p>
      <DataTable
        caption="By board"
        columns={boardColumns}
        rows={burden.byBoard}
        rowKey={(b) => b.boardId}
        emptyMessage="No meetings in this period."
      />
      <DataTable
        caption="By grade"
        columns={gradeColumns}
        rows={burden.grades}
        rowKey={(g) => g.gradeName ?? "none"}
        emptyMessage="No one attended in this period."
      />
      <DataTable
        caption="The people carrying it"
        columns={personColumns}
        rows={burden.people}
        rowKey={(p) => p.personId}
        emptyMessage="No one attended in this period."
      />
    </div>
  );
}
