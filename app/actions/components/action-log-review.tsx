import { Link } from "react-router";
import { DataTable, type DataTableColumn } from "../../components/data-table";
import { Tag } from "../../components/tag";
import { formatDate, formatDateTime } from "../../format";
import { ACTION_STATUS_COLOURS, ACTION_STATUS_LABELS, RAG_COLOURS, RAG_LABELS } from "../labels";
import type { ActionLogReview, ReviewAction } from "../review.server";

/*
 * The "action log review" agenda item's two tables: the board's open actions and those
 * closed since its previous held meeting. Shown on the meeting page, the agenda item's
 * page and beside that item in the minutes editor.
 */

const common: DataTableColumn<ReviewAction>[] = [
  {
    id: "ref",
    header: "Action",
    rowHeader: true,
    nowrap: true,
    cell: (a) => (
      <Link className="govuk-link" to={`/actions/${a.id}`}>
        {a.ref}
      </Link>
    ),
  },
  { id: "title", header: "Title", cell: (a) => a.title },
  {
    id: "owner",
    header: "Owner",
    cell: (a) => (a.ownerPerson ? `${a.ownerPerson} (${a.ownerAgency})` : a.ownerAgency),
  },
  { id: "due", header: "Due", nowrap: true, cell: (a) => formatDate(a.dueDate) },
  {
    id: "status",
    header: "Status now",
    cell: (a) => <Tag colour={ACTION_STATUS_COLOURS[a.status]}>{ACTION_STATUS_LABELS[a.status]}</Tag>,
  },
];

const openColumns: DataTableColumn<ReviewAction>[] = [
  ...common,
  { id: "rag", header: "RAG now", cell: (a) => <Tag colour={RAG_COLOURS[a.rag]}>{RAG_LABELS[a.rag]}</Tag> },
];

const closedColumns: DataTableColumn<ReviewAction>[] = [
  ...common,
  {
    id: "closed",
    header: "Closed",
    nowrap: true,
    cell: (a) => (a.completedAt ? formatDate(a.completedAt) : ""),
  },
];

export function ActionLogReviewTables({
  review,
  headingLevel = 3,
}: {
  review: ActionLogReview;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const since = review.previousMeeting
    ? `since the previous meeting (${formatDateTime(review.previousMeeting.startsAt)})`
    : "before this meeting (the board has no earlier held meeting)";
  return (
    <>
      <p className="govuk-body">
        {review.frozen
          ? `As the action log stood at the end of the meeting, ${formatDateTime(review.asAt)}.`
          : "As the action log stands now."}
      </p>
      <Heading className="govuk-heading-s">{`Open actions (${review.open.length})`}</Heading>
      <DataTable
        caption="Open actions"
        captionSize="hidden"
        columns={openColumns}
        rows={review.open}
        rowKey={(a) => a.id}
        emptyMessage="The board has no open actions."
      />
      <Heading className="govuk-heading-s">{`Closed ${since} (${review.closed.length})`}</Heading>
      <DataTable
        caption={`Actions closed ${since}`}
        captionSize="hidden"
        columns={closedColumns}
        rows={review.closed}
        rowKey={(a) => a.id}
        emptyMessage="No actions have been closed since."
      />
    </>
  );
}
