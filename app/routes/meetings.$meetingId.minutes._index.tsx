import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect, useLocation } from "react-router";
import type { z } from "zod";
import { SuccessBanner } from "~/admin/components/success-banner";
import { actorFor } from "~/admin/shared.server";
import { idParam } from "~/agenda/agenda.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField, SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { SummaryList } from "~/components/summary-list";
import { Tag } from "~/components/tag";
import { formatDate, formatDateTime } from "~/format";
import { MinutesBreadcrumbs } from "~/minutes/components/breadcrumbs";
import { MinutesDocumentView } from "~/minutes/components/minutes-document";
import {
  addComment,
  changeMinutesStatus,
  commentableMeeting,
  resolveComment,
  runnableMeeting,
} from "~/minutes/minutes.server";
import { type CommentView, getMinutesPage } from "~/minutes/reading.server";
import {
  approveSchema,
  circulateSchema,
  commentSchema,
  MINUTES_STATUS_COLOURS,
  MINUTES_STATUS_LABELS,
  publishSchema,
  reopenSchema,
  resolveSchema,
} from "~/minutes/schemas";
import type { Route } from "./+types/meetings.$meetingId.minutes._index";

/*
 * /meetings/:meetingId/minutes: the minutes of a meeting for everyone who reads its board,
 * printable as an A4 document. Members comment on each item while the minutes are
 * circulated; the secretary (or an admin) resolves comments and moves the minutes on:
 * circulate, approve (at a later meeting or by the chair), publish, re-open.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Minutes: ${data.meeting.boardName}, ${formatDate(data.meeting.startsAt)} – Boardledger`
      : "Minutes – Boardledger",
  },
];

const DONE: Record<string, string> = {
  saved: "The minutes have been saved.",
  circulate: "The minutes have been circulated. Board members will be emailed a link to comment.",
  approve: "The minutes have been approved.",
  publish: "The minutes have been published.",
  reopen:
    "The minutes have been re-opened as a draft. What was published stays published until you publish again.",
  comment: "Your comment has been added.",
  resolve: "The comment has been marked as resolved.",
};

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await getMinutesPage(viewer, idParam(params.meetingId));
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return { ...page, done: DONE[done] ?? null };
}

interface ActionResult {
  form: string;
  result: SubmissionResult<string[]>;
}

const SCHEMAS = {
  circulate: circulateSchema,
  approve: approveSchema,
  publish: publishSchema,
  reopen: reopenSchema,
} as const;

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meetingId = idParam(params.meetingId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const actor = actorFor(viewer, request);
  const done = (what: string) => redirect(`/meetings/${meetingId}/minutes?done=${what}`);

  if (intent === "comment") {
    await commentableMeeting(viewer, meetingId);
    const form = `comment-${String(formData.get("item") ?? "all")}`;
    const submission = parseWithZod(formData, { schema: commentSchema });
    if (submission.status !== "success") {
      return data<ActionResult>({ form, result: submission.reply() }, { status: 400 });
    }
    const outcome = await addComment(viewer, actor, meetingId, submission.value);
    if (!outcome.ok) {
      return data<ActionResult>(
        { form, result: submission.reply({ formErrors: [outcome.message] }) },
        { status: outcome.status },
      );
    }
    return redirect(
      `/meetings/${meetingId}/minutes?done=comment#item-${submission.value.item ?? "comments"}`,
    );
  }

  // Everything else is for those who run the board: refused (404) before the form is read.
  await runnableMeeting(viewer, meetingId);
  if (intent === "resolve") {
    const submission = parseWithZod(formData, { schema: resolveSchema });
    if (submission.status !== "success")
      return data<ActionResult>({ form: "resolve", result: submission.reply() }, { status: 400 });
    const outcome = await resolveComment(viewer, actor, meetingId, submission.value.comment);
    if (!outcome.ok) {
      return data<ActionResult>(
        { form: "resolve", result: submission.reply({ formErrors: [outcome.message] }) },
        { status: outcome.status },
      );
    }
    return done("resolve");
  }
  if (intent === "circulate" || intent === "approve" || intent === "publish" || intent === "reopen") {
    const submission = parseWithZod(formData, { schema: SCHEMAS[intent] });
    if (submission.status !== "success") {
      return data<ActionResult>({ form: intent, result: submission.reply() }, { status: 400 });
    }
    const outcome = await changeMinutesStatus(viewer, actor, meetingId, submission.value);
    if (!outcome.ok) {
      const reply = outcome.field
        ? submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] } })
        : submission.reply({ formErrors: [outcome.message] });
      return data<ActionResult>({ form: intent, result: reply }, { status: outcome.status });
    }
    return done(intent);
  }
  return data<ActionResult>(
    { form: "unknown", result: { status: "error", error: { "": ["Reload the page and try again."] } } },
    { status: 400 },
  );
}

export default function MinutesPage(props: Route.ComponentProps) {
  // Each navigation starts the forms afresh from the latest answer.
  const location = useLocation();
  return <MinutesPageBody key={location.key} {...props} />;
}

function MinutesPageBody({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, minutes, writable, document, shown, showingPublished, comments, canRun, canComment } =
    loaderData;
  const last = actionData as ActionResult | undefined;
  const resultFor = (form: string) => (last?.form === form ? last.result : undefined);
  const commentsOn = (itemId: number | null) => comments.filter((c) => c.itemId === itemId);
  const editable = minutes === null || minutes.status === "draft" || minutes.status === "circulated";

  return (
    <>
      <MinutesBreadcrumbs meeting={meeting} />

      <SuccessBanner message={loaderData.done} />
      {last?.form === "resolve" || last?.form === "unknown" ? (
        <ErrorSummary form={{ errors: last.result.error?.[""] ?? undefined }} fields={[]} />
      ) : null}

      <span className="govuk-caption-l">{meeting.boardName}</span>
      <h1 className="govuk-heading-l">
        Minutes of the meeting on {formatDate(meeting.startsAt)}{" "}
        {minutes && (
          <Tag colour={MINUTES_STATUS_COLOURS[minutes.status]}>{MINUTES_STATUS_LABELS[minutes.status]}</Tag>
        )}
      </h1>

      {minutes === null ? (
        <NoMinutes canRun={canRun} writable={writable} meetingId={meeting.id} />
      ) : (
        <>
          <div className="app-no-print">
            <SummaryList
              rows={[
                { key: "Status", value: MINUTES_STATUS_LABELS[minutes.status] },
                ...(shown
                  ? [
                      {
                        key: showingPublished ? "Version shown" : "Last saved",
                        value: `Version ${shown.version}, ${formatDateTime(shown.savedAt)}${shown.savedBy ? ` by ${shown.savedBy}` : ""}`,
                      },
                    ]
                  : []),
                ...(minutes.circulatedAt
                  ? [{ key: "Circulated", value: formatDateTime(minutes.circulatedAt) }]
                  : []),
                ...(minutes.publishedAt
                  ? [{ key: "Last published", value: formatDateTime(minutes.publishedAt) }]
                  : []),
                ...(loaderData.publicPath
                  ? [
                      {
                        key: "Public page",
                        value: (
                          <a className="govuk-link" href={loaderData.publicPath}>
                            The published minutes, as the public sees them
                          </a>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            {canRun && (
              <div className="govuk-button-group">
                {editable && writable === "ok" && (
                  <Link className="govuk-button" to={`/meetings/${meeting.id}/minutes/edit`}>
                    Edit the minutes
                  </Link>
                )}
                <Link className="govuk-link" to={`/meetings/${meeting.id}/minutes/history`}>
                  History and changes
                </Link>
              </div>
            )}
            {showingPublished && (
              <div className="govuk-inset-text">
                The secretary is correcting these minutes. This is the version published on{" "}
                {shown ? formatDate(shown.savedAt) : ""}.
              </div>
            )}
            {canRun && <Lifecycle loaderData={loaderData} resultFor={resultFor} />}
            {/* Shown once JavaScript runs (see _minutes.scss); the browser's Print command works everywhere. */}
            <button
              type="button"
              className="govuk-button govuk-button--secondary app-print-button"
              onClick={() => window.print()}
            >
              Print the minutes
            </button>
          </div>

          {document ? (
            <MinutesDocumentView
              document={document}
              itemExtras={(itemId) => (
                <ItemComments
                  comments={commentsOn(itemId)}
                  itemId={itemId}
                  canComment={canComment}
                  canRun={canRun}
                  result={resultFor(`comment-${itemId}`)}
                />
              )}
            />
          ) : (
            <p className="govuk-body">The secretary has not circulated these minutes yet.</p>
          )}

          {(comments.length > 0 || canComment) && (
            <section className="app-no-print" id="item-comments">
              <h2 className="govuk-heading-m">Comments on the minutes as a whole</h2>
              <ItemComments
                comments={commentsOn(null)}
                itemId={null}
                canComment={canComment}
                canRun={canRun}
                result={resultFor("comment-all")}
              />
            </section>
          )}
        </>
      )}
    </>
  );
}

function NoMinutes({
  canRun,
  writable,
  meetingId,
}: {
  canRun: boolean;
  writable: string;
  meetingId: number;
}) {
  if (writable === "cancelled")
    return <p className="govuk-body">This meeting was cancelled, so it has no minutes.</p>;
  if (writable === "not-started")
    return <p className="govuk-body">Minutes can be written once the meeting has taken place.</p>;
  if (!canRun) return <p className="govuk-body">The minutes of this meeting have not been written yet.</p>;
  return (
    <>
      <p className="govuk-body">The minutes of this meeting have not been written yet.</p>
      <Link className="govuk-button" to={`/meetings/${meetingId}/minutes/edit`}>
        Write the minutes
      </Link>
    </>
  );
}

type ResultFor = (form: string) => SubmissionResult<string[]> | undefined;

function Lifecycle({
  loaderData,
  resultFor,
}: {
  loaderData: Route.ComponentProps["loaderData"];
  resultFor: ResultFor;
}) {
  const { minutes, meeting, openComments, approvalMeetings } = loaderData;
  if (!minutes) return null;
  const version = String(minutes.version);
  return (
    <>
      {minutes.status === "draft" && (
        <SimpleTransition
          intent="circulate"
          version={version}
          result={resultFor("circulate")}
          heading="Circulate for comment"
          hint="Board members will be emailed a link to read the draft and comment on each item. You can keep editing while they comment."
          button="Circulate the minutes"
        />
      )}
      {minutes.status === "circulated" && (
        <ApproveForm
          version={version}
          result={resultFor("approve")}
          openComments={openComments}
          meetings={approvalMeetings}
        />
      )}
      {minutes.status === "approved" && (
        <SimpleTransition
          intent="publish"
          version={version}
          result={resultFor("publish")}
          heading="Publish"
          hint={
            meeting.boardVisibility === "public"
              ? "The minutes will appear on the board's public page and feed. OFFICIAL-SENSITIVE items show only their title, or nothing, as the board's settings say."
              : "This board is private: the minutes are published to its members only."
          }
          button="Publish the minutes"
        />
      )}
      {(minutes.status === "approved" || minutes.status === "published") && (
        <ReopenForm
          version={version}
          result={resultFor("reopen")}
          published={minutes.status === "published"}
        />
      )}
    </>
  );
}

function SimpleTransition({
  intent,
  version,
  result,
  heading,
  hint,
  button,
}: {
  intent: string;
  version: string;
  result: SubmissionResult<string[]> | undefined;
  heading: string;
  hint: string;
  button: string;
}) {
  const [form] = useForm({ id: intent, lastResult: result, shouldValidate: "onSubmit" });
  return (
    <Form method="post" {...getFormProps(form)} noValidate>
      <ErrorSummary form={form} fields={[]} />
      <h2 className="govuk-heading-m">{heading}</h2>
      <p className="govuk-body">{hint}</p>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={version} />
      <SubmitButton>{button}</SubmitButton>
    </Form>
  );
}

function ApproveForm({
  version,
  result,
  openComments,
  meetings,
}: {
  version: string;
  result: SubmissionResult<string[]> | undefined;
  openComments: number;
  meetings: { value: string; label: string }[];
}) {
  const [form, fields] = useForm<z.input<typeof approveSchema>>({
    id: "approve",
    lastResult: result,
    defaultValue: {
      approvedBy: meetings.length > 0 ? "meeting" : "chair",
      approvedAtMeeting: meetings[0]?.value,
    },
    constraint: getZodConstraint(approveSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} noValidate>
      <ErrorSummary form={form} fields={[fields.approvedBy, fields.approvedAtMeeting]} />
      <h2 className="govuk-heading-m">Record approval</h2>
      {openComments > 0 && (
        <div className="govuk-inset-text">
          {openComments === 1 ? "One comment is" : `${openComments} comments are`} still open. Resolve every
          comment before recording approval.
        </div>
      )}
      <input type="hidden" name="intent" value="approve" />
      <input type="hidden" name="version" value={version} />
      <RadiosField
        field={fields.approvedBy}
        legend="How were the minutes approved?"
        options={[
          { value: "meeting", label: "As a true record at a later meeting of the board" },
          { value: "chair", label: "By the chair, between meetings" },
        ]}
      />
      {meetings.length > 0 ? (
        <SelectField
          field={fields.approvedAtMeeting}
          label="The meeting that approved them"
          hint="Only if they were approved at a meeting"
          options={meetings}
        />
      ) : (
        <p className="govuk-body">The board has not met since this meeting.</p>
      )}
      <SubmitButton>Record approval</SubmitButton>
    </Form>
  );
}

function ReopenForm({
  version,
  result,
  published,
}: {
  version: string;
  result: SubmissionResult<string[]> | undefined;
  published: boolean;
}) {
  const [form, fields] = useForm<z.input<typeof reopenSchema>>({
    id: "reopen",
    lastResult: result,
    constraint: getZodConstraint(reopenSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <details className="govuk-details" open={result !== undefined}>
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">Re-open these minutes to correct them</span>
      </summary>
      <div className="govuk-details__text">
        <Form method="post" {...getFormProps(form)} noValidate>
          <ErrorSummary form={form} fields={[fields.reason]} />
          <p className="govuk-body">
            Re-opened minutes go back to draft and must be circulated and approved again.
            {published
              ? " The version already published stays on the public page until you publish again."
              : ""}
          </p>
          <input type="hidden" name="intent" value="reopen" />
          <input type="hidden" name="version" value={version} />
          <TextAreaField field={fields.reason} label="Why are they being re-opened?" rows={3} />
          <SubmitButton secondary>Re-open the minutes</SubmitButton>
        </Form>
      </div>
    </details>
  );
}

function ItemComments({
  comments,
  itemId,
  canComment,
  canRun,
  result,
}: {
  comments: CommentView[];
  itemId: number | null;
  canComment: boolean;
  canRun: boolean;
  result: SubmissionResult<string[]> | undefined;
}) {
  if (comments.length === 0 && !canComment) return null;
  return (
    <div className="app-comments">
      {comments.length > 0 && (
        <h3 className="govuk-heading-s">
          {comments.length === 1 ? "1 comment" : `${comments.length} comments`}
        </h3>
      )}
      {comments.map((comment) => (
        <div key={comment.id} className={`app-comment${comment.resolvedAt ? " app-comment--resolved" : ""}`}>
          <p className="govuk-body-s govuk-!-margin-bottom-1">
            <strong>{comment.author}</strong>, {formatDateTime(comment.createdAt)}
            {comment.resolvedAt
              ? ` · Resolved${comment.resolvedBy ? ` by ${comment.resolvedBy}` : ""} on ${formatDate(comment.resolvedAt)}`
              : ""}
          </p>
          <p className="govuk-body app-prose govuk-!-margin-bottom-1">{comment.body}</p>
          {canRun && !comment.resolvedAt && (
            <Form method="post">
              <input type="hidden" name="intent" value="resolve" />
              <input type="hidden" name="comment" value={comment.id} />
              <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1">
                Mark as resolved
              </button>
            </Form>
          )}
        </div>
      ))}
      {canComment && <CommentForm itemId={itemId} result={result} />}
    </div>
  );
}

function CommentForm({
  itemId,
  result,
}: {
  itemId: number | null;
  result: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm<z.input<typeof commentSchema>>({
    id: `comment-${itemId ?? "all"}`,
    lastResult: result,
    constraint: getZodConstraint(commentSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} noValidate>
      <ErrorSummary form={form} fields={[fields.body]} />
      <input type="hidden" name="intent" value="comment" />
      {itemId !== null && <input type="hidden" name="item" value={itemId} />}
      <TextAreaField
        field={fields.body}
        label={itemId === null ? "Comment on the minutes as a whole" : "Comment on this item"}
        rows={3}
      />
      <SubmitButton secondary>Add comment</SubmitButton>
    </Form>
  );
}
