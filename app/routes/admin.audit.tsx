import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form } from "react-router";
import {
  auditActors,
  auditEventsPage,
  auditRetentionDays,
  retentionPreview,
  setAuditRetention,
} from "~/audit/audit-trail.server";
import { auditFilterSchema, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, retentionSchema } from "~/audit/schemas";
import { can, ensure } from "~/auth/authorise.server";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { SelectField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { formatDate, formatDateTime, pluralise } from "~/format";
import type { Route } from "./+types/admin.audit";

export const meta: Route.MetaFunction = () => [{ title: "Audit trail – Boardledger" }];

const FILTER_FIELDS = ["event", "entityType", "actor", "from", "to"] as const;

/** The filter's part of the query string, for the export link and the paging links. */
function filterQuery(params: URLSearchParams, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const name of FILTER_FIELDS) {
    const value = params.get(name)?.trim();
    if (value) query.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  const text = query.toString();
  return text ? `?${text}` : "";
}

function summarise(changes: Record<string, unknown>): string {
  return Object.entries(changes)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("; ");
}

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const params = new URL(request.url).searchParams;
  const submission = parseWithZod(params, { schema: auditFilterSchema });
  const valid = submission.status === "success";
  const [page, actors, retentionDays] = await Promise.all([
    valid
      ? auditEventsPage(viewer.db, submission.value, {
          before: params.get("before"),
          after: params.get("after"),
        })
      : null,
    auditActors(viewer.db),
    auditRetentionDays(viewer.db),
  ]);
  return data(
    {
      filterResult: valid ? undefined : submission.reply(),
      filterValues: {
        event: params.get("event") ?? "",
        entityType: params.get("entityType") ?? "",
        actor: params.get("actor") ?? "",
        from: params.get("from") ?? "",
        to: params.get("to") ?? "",
      },
      actors,
      retentionDays,
      exportHref: `/admin/audit.csv${filterQuery(params)}`,
      newerHref: page?.newer ? filterQuery(params, { after: page.newer }) : null,
      olderHref: page?.older ? filterQuery(params, { before: page.older }) : null,
      events: (page?.events ?? []).map((e) => ({
        id: e.id,
        when: formatDateTime(e.occurredAt),
        iso: e.occurredAtIso,
        actor: e.actorName ? `${e.actorName} (${e.actorLabel})` : e.actorLabel,
        event: e.event,
        entity: e.entityId ? `${e.entityType} ${e.entityId}` : e.entityType,
        changes: summarise(e.changes),
        ip: e.ip,
      })),
    },
    { status: valid ? 200 : 400 },
  );
}

export interface RetentionActionData {
  result: SubmissionResult<string[]>;
  /** Asks the admin to confirm before events are deleted. */
  confirm?: { days: number; count: number; before: string };
  notice?: string;
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const submission = parseWithZod(await request.formData(), { schema: retentionSchema });
  if (submission.status !== "success") {
    return data<RetentionActionData>({ result: submission.reply() }, { status: 400 });
  }
  const { days, confirm } = submission.value;
  const preview = await retentionPreview(viewer.db, days);
  if (preview.count > 0 && confirm !== "yes") {
    return data<RetentionActionData>({
      result: submission.reply(),
      confirm: { days, count: preview.count, before: formatDate(preview.cutoff) },
    });
  }
  const { deleted } = await setAuditRetention(viewer, days, { ip: clientAddress(request) });
  const kept = `Audit events are now kept for ${days.toLocaleString("en-GB")} days`;
  const notice =
    deleted > 0
      ? `${kept}. ${pluralise(deleted, "event")} older than that ${deleted === 1 ? "was" : "were"} deleted`
      : kept;
  return data<RetentionActionData>({ result: submission.reply({ resetForm: true }), notice });
}

function RetentionForm({ current, answer }: { current: number; answer: RetentionActionData | undefined }) {
  const [form, fields] = useForm({
    id: "retention",
    lastResult: answer?.result,
    constraint: getZodConstraint(retentionSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: retentionSchema }),
    shouldValidate: "onSubmit",
    defaultValue: { days: String(current) },
  });
  if (answer?.confirm) {
    const { days, count, before } = answer.confirm;
    return (
      <div className="govuk-warning-text">
        <span className="govuk-warning-text__icon" aria-hidden="true">
          !
        </span>
        <div className="govuk-warning-text__text">
          <span className="govuk-visually-hidden">Warning</span>
          Keeping events for {days.toLocaleString("en-GB")} days deletes {pluralise(count, "event")} from
          before {before} now. This cannot be undone.
          <Form method="post" className="govuk-!-margin-top-4">
            <input type="hidden" name="intent" value="retention" />
            <input type="hidden" name="days" value={days} />
            <input type="hidden" name="confirm" value="yes" />
            <div className="govuk-button-group">
              <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                Delete {pluralise(count, "event")} and save
              </button>
              <a className="govuk-link" href="/admin/audit">
                Cancel
              </a>
            </div>
          </Form>
        </div>
      </div>
    );
  }
  return (
    <Form method="post" {...getFormProps(form)}>
      <ErrorSummary form={form} fields={[fields.days]} />
      <input type="hidden" name="intent" value="retention" />
      <TextField
        field={fields.days}
        label="Keep audit events for this many days"
        hint={`Between ${MIN_RETENTION_DAYS} and ${MAX_RETENTION_DAYS.toLocaleString("en-GB")} days. Older events are deleted when you save.`}
        inputMode="numeric"
        className="govuk-input--width-5"
      />
      <SubmitButton secondary>Save retention</SubmitButton>
    </Form>
  );
}

type EventRow = Route.ComponentProps["loaderData"]["events"][number];

const EVENT_COLUMNS: DataTableColumn<EventRow>[] = [
  { id: "when", header: "When", cell: (e) => <time dateTime={e.iso}>{e.when}</time> },
  {
    id: "who",
    header: "Who",
    cell: (e) => (
      <>
        {e.actor}
        {e.ip ? <span className="govuk-hint govuk-!-margin-bottom-0">{e.ip}</span> : null}
      </>
    ),
  },
  { id: "event", header: "Event", cell: (e) => <code>{e.event}</code> },
  { id: "record", header: "Record", cell: (e) => e.entity },
  { id: "change", header: "Change", cell: (e) => <span className="govuk-body-s">{e.changes}</span> },
];

export default function AuditTrail({ loaderData, actionData }: Route.ComponentProps) {
  const { events, actors, retentionDays, exportHref, newerHref, olderHref, filterResult, filterValues } =
    loaderData;
  const answer = actionData as RetentionActionData | undefined;
  const [form, fields] = useForm({
    id: "filter",
    lastResult: filterResult,
    defaultValue: filterValues,
    constraint: getZodConstraint(auditFilterSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: auditFilterSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <>
      {answer?.notice ? (
        <div
          className="govuk-notification-banner govuk-notification-banner--success"
          role="alert"
          data-module="govuk-notification-banner"
        >
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title">Success</h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">{answer.notice}</p>
          </div>
        </div>
      ) : null}
      <ErrorSummary
        form={form}
        fields={[fields.event, fields.entityType, fields.actor, fields.from, fields.to]}
      />
      <h1 className="govuk-heading-l">Audit trail</h1>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-third">
          <h2 className="govuk-heading-m">Filter</h2>
          <Form method="get" {...getFormProps(form)}>
            <TextField
              field={fields.event}
              label="Event"
              hint="For example role.granted, or role for every role event"
              spellCheck={false}
            />
            <TextField
              field={fields.entityType}
              label="Record type"
              hint="For example user or invitation"
              spellCheck={false}
            />
            <SelectField
              field={fields.actor}
              label="Done by"
              placeholder="Anyone"
              options={actors.map((a) => ({ value: String(a.id), label: a.label }))}
            />
            <TextField field={fields.from} label="From" type="date" />
            <TextField field={fields.to} label="To" type="date" />
            <div className="govuk-button-group">
              <SubmitButton>Apply filter</SubmitButton>
              <a className="govuk-link" href="/admin/audit">
                Clear filter
              </a>
            </div>
          </Form>
        </div>
        <div className="govuk-grid-column-two-thirds">
          <p className="govuk-body">
            <a className="govuk-link" href={exportHref} download>
              Download these events (CSV)
            </a>
          </p>
          <DataTable
            caption="Audit events, newest first"
            captionSize="hidden"
            columns={EVENT_COLUMNS}
            rows={events}
            rowKey={(e) => e.id}
            emptyMessage={filterResult ? "Correct the filter to see events." : "No events match this filter."}
          />
          {newerHref || olderHref ? (
            <nav className="govuk-pagination govuk-pagination--block" aria-label="Pages of events">
              {newerHref ? (
                <div className="govuk-pagination__prev">
                  <a className="govuk-link govuk-pagination__link" href={newerHref} rel="prev">
                    <span className="govuk-pagination__link-title">Newer events</span>
                  </a>
                </div>
              ) : null}
              {olderHref ? (
                <div className="govuk-pagination__next">
                  <a className="govuk-link govuk-pagination__link" href={olderHref} rel="next">
                    <span className="govuk-pagination__link-title">Older events</span>
                  </a>
                </div>
              ) : null}
            </nav>
          ) : null}

          <h2 className="govuk-heading-m govuk-!-margin-top-8">How long events are kept</h2>
          <p className="govuk-body">Events are kept for {retentionDays.toLocaleString("en-GB")} days.</p>
          <RetentionForm current={retentionDays} answer={answer} />
        </div>
      </div>
    </>
  );
}
