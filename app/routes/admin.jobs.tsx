import { data, Form, redirect } from "react-router";
import { FilterColumn, ListFilter } from "~/admin/components/list-filter";
import { SuccessBanner } from "~/admin/components/success-banner";
import { can, ensure, notFound } from "~/auth/authorise.server";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { pageCount, pageQuery, parseTableState } from "~/components/table-state";
import { Tag, type TagColour } from "~/components/tag";
import { formatDateTime } from "~/format";
import {
  JOB_SORTS,
  JOB_STATES,
  type JobState,
  jobExists,
  jobFilterSchema,
  listJobs,
  queueLabel,
  retryJob,
} from "~/jobs/admin.server";
import type { JobStatus } from "../../db/schema";
import type { Route } from "./+types/admin.jobs";

export const meta: Route.MetaFunction = () => [{ title: "Email and background jobs – Boardledger" }];

const STATE_LABELS: Record<JobState, string> = { pending: "Waiting", sent: "Sent", failed: "Failed" };
const STATUS_TAGS: Record<JobStatus, { label: string; colour: TagColour }> = {
  pending: { label: "Waiting", colour: "blue" },
  running: { label: "Running", colour: "purple" },
  done: { label: "Sent", colour: "green" },
  failed: { label: "Failed", colour: "red" },
};

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const url = new URL(request.url);
  const state = parseTableState(url.searchParams, {
    sortable: JOB_SORTS,
    defaultSort: "created",
    firstDirection: { created: "desc", "next-try": "asc", attempts: "desc" },
  });
  const filters = jobFilterSchema.parse({
    state: url.searchParams.get("state") || undefined,
    queue: url.searchParams.get("queue") || undefined,
  });
  const { rows, total, counts, queues } = await listJobs(viewer, filters, state);
  if (rows.length === 0 && state.page > 1 && total > 0) {
    throw redirect(`${url.pathname}${pageQuery(url.search, pageCount(total, state.pageSize))}`);
  }
  return {
    state,
    total,
    counts,
    filters: { state: filters.state ?? "", queue: filters.queue ?? "" },
    queues: queues.map((queue) => ({ value: queue, label: queueLabel(queue) })),
    notice: url.searchParams.get("retried") ? "The job will be tried again shortly" : null,
    rows: rows.map((r) => ({
      id: r.id,
      queueLabel: r.queueLabel,
      status: r.status,
      tries: `${r.attempts} of ${r.maxAttempts}`,
      created: formatDateTime(r.createdAt),
      createdIso: r.createdAt.toISOString(),
      nextTry: r.status === "pending" ? formatDateTime(r.runAt) : null,
      finished: r.finishedAt ? formatDateTime(r.finishedAt) : null,
      messages:
        r.messagesSent + r.messagesFailed === 0
          ? null
          : `${r.messagesSent} sent${r.messagesFailed > 0 ? `, ${r.messagesFailed} refused` : ""}`,
      lastError: r.lastError,
    })),
  };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const form = await request.formData();
  const jobId = Number(form.get("jobId"));
  if (form.get("intent") !== "retry" || !(await jobExists(viewer, jobId))) notFound();
  const result = await retryJob(
    viewer,
    { userId: viewer.user.id, label: viewer.user.email, ip: clientAddress(request) },
    jobId,
  );
  if (!result.ok) return data({ error: result.message }, { status: 409 });
  const back = new URL(request.url);
  back.searchParams.set("retried", String(jobId));
  return redirect(`${back.pathname}${back.search}`);
}

type Row = Route.ComponentProps["loaderData"]["rows"][number];

const columns: DataTableColumn<Row>[] = [
  {
    id: "created",
    header: "Queued",
    sortable: true,
    firstDirection: "desc",
    nowrap: true,
    cell: (row) => <time dateTime={row.createdIso}>{row.created}</time>,
  },
  {
    id: "queue",
    header: "What",
    sortable: true,
    rowHeader: true,
    cell: (row) => `${row.queueLabel} (job ${row.id})`,
  },
  {
    id: "status",
    header: "State",
    cell: (row) => <Tag colour={STATUS_TAGS[row.status].colour}>{STATUS_TAGS[row.status].label}</Tag>,
  },
  { id: "attempts", header: "Tries", sortable: true, firstDirection: "desc", cell: (row) => row.tries },
  {
    id: "next-try",
    header: "Next try or finished",
    sortable: true,
    cell: (row) => row.nextTry ?? row.finished ?? "",
  },
  { id: "messages", header: "Emails", cell: (row) => row.messages ?? "" },
  {
    id: "error",
    header: "Last error",
    cell: (row) =>
      row.lastError ? <span className="govuk-body-s app-break-words">{row.lastError}</span> : null,
  },
  {
    id: "retry",
    header: "Action",
    cell: (row) =>
      row.status === "failed" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="retry" />
          <input type="hidden" name="jobId" value={row.id} />
          <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
            Retry<span className="govuk-visually-hidden"> job {row.id}</span>
          </button>
        </Form>
      ) : null,
  },
];

export default function Jobs({ loaderData, actionData }: Route.ComponentProps) {
  const { rows, total, state, counts, filters, queues, notice } = loaderData;
  const error = actionData && "error" in actionData ? actionData.error : null;
  const filtered = filters.state !== "" || filters.queue !== "";
  return (
    <>
      <a href="/admin" className="govuk-back-link">
        Back to admin
      </a>
      <SuccessBanner message={notice} />
      {error ? (
        <div className="govuk-error-summary" data-module="govuk-error-summary">
          <div role="alert">
            <h2 className="govuk-error-summary__title">The job was not retried</h2>
            <div className="govuk-error-summary__body">
              <p className="govuk-body">{error}</p>
            </div>
          </div>
        </div>
      ) : null}
      <h1 className="govuk-heading-l">Email and background jobs</h1>
      <p className="govuk-body">
        Invitations, minutes emails and action reminders are sent from this queue. A job that fails is tried
        again with growing waits, then marked failed; retrying it sends only the emails that have not gone
        yet.
      </p>
      <ul className="govuk-list">
        {JOB_STATES.map((s) => (
          <li key={s}>
            <a className="govuk-link" href={`/admin/jobs?state=${s}`}>
              {STATE_LABELS[s]}: {counts[s].toLocaleString("en-GB")}
            </a>
          </li>
        ))}
      </ul>
      <ListFilter action="/admin/jobs" state={state} active={filtered}>
        <FilterColumn>
          <label className="govuk-label" htmlFor="filter-state">
            State
          </label>
          <select className="govuk-select" id="filter-state" name="state" defaultValue={filters.state}>
            <option value="">Any state</option>
            {JOB_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </FilterColumn>
        <FilterColumn>
          <label className="govuk-label" htmlFor="filter-queue">
            What
          </label>
          <select className="govuk-select" id="filter-queue" name="queue" defaultValue={filters.queue}>
            <option value="">Anything</option>
            {queues.map((q) => (
              <option key={q.value} value={q.value}>
                {q.label}
              </option>
            ))}
          </select>
        </FilterColumn>
      </ListFilter>
      <DataTable
        caption="Jobs"
        captionSize="hidden"
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        sort={{ sort: state.sort, dir: state.dir }}
        emptyMessage={filtered ? "No jobs match these filters." : "No email or background jobs yet."}
        paging={{
          page: state.page,
          pageSize: state.pageSize,
          total,
          itemsName: total === 1 ? "job" : "jobs",
        }}
      />
    </>
  );
}
