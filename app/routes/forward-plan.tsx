import { Form, Link } from "react-router";
import { requireViewer } from "~/auth/viewer.server";
import { SelectField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { SubmitButton } from "~/components/forms";
import { formatDate, formatDateTime } from "~/format";
import {
  type ForwardPlanItem,
  getForwardPlan,
  parseForwardPlanFilter,
} from "~/forward-plan/forward-plan.server";
import { PLAN_MONTHS } from "~/forward-plan/plan";
import type { Route } from "./+types/forward-plan";

export const meta: Route.MetaFunction = () => [{ title: "Forward plan – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const filter = parseForwardPlanFilter(new URL(request.url).searchParams);
  return getForwardPlan(viewer, filter);
}

const columns: DataTableColumn<ForwardPlanItem>[] = [
  {
    id: "date",
    header: "Meeting",
    nowrap: true,
    cell: (item) => <Link to={`/meetings/${item.meetingId}`}>{formatDateTime(item.startsAt)}</Link>,
  },
  {
    id: "board",
    header: "Board",
    cell: (item) => <Link to={`/boards/${item.boardId}`}>{item.boardName}</Link>,
  },
  {
    id: "title",
    header: "Decision",
    rowHeader: true,
    cell: (item) => (item.restricted ? <span className="app-secondary-text">{item.title}</span> : item.title),
  },
  {
    id: "presenter",
    header: "Presenter",
    cell: (item) =>
      item.presenterName ? (
        <>
          {item.presenterName}
          {item.presenterAgency ? (
            <>
              <br />
              <span className="govuk-body-s app-secondary-text">{item.presenterAgency}</span>
            </>
          ) : null}
        </>
      ) : (
        "Not set"
      ),
  },
];

export default function ForwardPlanPage({ loaderData }: Route.ComponentProps) {
  const { filter, from, until, items, total, boards, agencies } = loaderData;
  return (
    <>
      <h1 className="govuk-heading-l">Forward plan</h1>
      <p className="govuk-body">
        Decisions on the agendas of scheduled meetings from {formatDate(from)} to before {formatDate(until)},
        across the boards you can see.
      </p>
      <Form method="get" className="app-filter">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <SelectField
              field={{ id: "months", name: "months", initialValue: String(filter.months) }}
              label="Period"
              options={PLAN_MONTHS.map((m) => ({ value: String(m), label: `Next ${m} months` }))}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <SelectField
              field={{
                id: "board",
                name: "board",
                initialValue: filter.boardId === null ? "" : String(filter.boardId),
              }}
              label="Board"
              placeholder="All boards"
              options={boards.map((b) => ({ value: String(b.id), label: b.name }))}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <SelectField
              field={{
                id: "agency",
                name: "agency",
                initialValue: filter.agencyId === null ? "" : String(filter.agencyId),
              }}
              label="Presenter's agency"
              placeholder="All agencies"
              options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
            />
          </div>
        </div>
        <SubmitButton secondary>Apply filters</SubmitButton>
      </Form>
      <DataTable
        caption="Decisions coming up"
        columns={columns}
        rows={items}
        rowKey={(item) => item.id}
        emptyMessage="No decisions are on the agendas of scheduled meetings in this period."
        paging={{ page: filter.page, pageSize: filter.pageSize, total, itemsName: "decisions" }}
      />
    </>
  );
}
