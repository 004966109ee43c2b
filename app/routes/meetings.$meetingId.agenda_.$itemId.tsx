import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { ActionLogReviewTables } from "~/actions/components/action-log-review";
import { actionLogReview } from "~/actions/review.server";
import { actorFor } from "~/admin/shared.server";
import {
  agendaItem,
  idParam,
  meetingForAgenda,
  presenterOptions,
  removeAgendaItem,
  updateAgendaItem,
} from "~/agenda/agenda.server";
import { AgendaItemFields } from "~/agenda/components";
import { addPaper, checkPaper, removePaper, TOO_BIG } from "~/agenda/papers.server";
import {
  ACCEPTED_EXTENSIONS,
  agendaItemSchema,
  CANCELLED_MESSAGE,
  MAX_PAPER_BYTES,
  paperSchema,
  STANDING_LABELS,
} from "~/agenda/schemas";
import { ensure, notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { formatDateTime } from "~/format";
import type { Route } from "./+types/meetings.$meetingId.agenda_.$itemId";

/*
 * One agenda item: edit it, attach and remove its papers, or remove it (after a
 * confirmation page, so it works without JavaScript). The board's secretary or an admin only.
 */

export const meta: Route.MetaFunction = () => [{ title: "Agenda item – Boardledger" }];

/** The form's fields and a paper, with room for the multipart envelope. */
const MAX_BODY_BYTES = MAX_PAPER_BYTES + 64 * 1024;

async function load(request: Request, params: { meetingId?: string; itemId?: string }) {
  const viewer = await requireViewer(request);
  const meeting = await meetingForAgenda(viewer, idParam(params.meetingId));
  ensure(meeting !== undefined);
  const item = await agendaItem(viewer.db, meeting.id, idParam(params.itemId));
  ensure(item !== undefined);
  return { viewer, meeting, item };
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const { viewer, meeting, item } = await load(request, params);
  const presenters = await presenterOptions(viewer.db, meeting, [item.presenter_person_id]);
  const review =
    item.standing_kind === "action_log_review" && meeting.status !== "cancelled"
      ? await actionLogReview(viewer, meeting.id)
      : null;
  const search = new URL(request.url).searchParams;
  return {
    meeting: {
      id: meeting.id,
      boardName: meeting.board_name,
      startsAt: formatDateTime(meeting.starts_at),
      cancelled: meeting.status === "cancelled",
    },
    item,
    standingLabel: item.standing_kind
      ? (STANDING_LABELS[item.standing_kind as keyof typeof STANDING_LABELS] ?? null)
      : null,
    presenters,
    review,
    confirmRemove: search.get("remove") === "confirm",
    done: search.get("done"),
  };
}

/** The request's body, or null if it is larger than `limit` bytes (nothing beyond it is read). */
async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function uploadPaper(request: Request, params: { meetingId?: string; itemId?: string }) {
  const { viewer, meeting, item } = await load(request, params);
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === null) {
    const empty = parseWithZod(new FormData(), { schema: paperSchema });
    return data(
      { intent: "upload" as const, result: empty.reply({ fieldErrors: { paper: [TOO_BIG] } }) },
      { status: 413 },
    );
  }
  const formData = await new Request(request.url, {
    method: "POST",
    headers: request.headers,
    body,
  }).formData();
  const submission = parseWithZod(formData, { schema: paperSchema });
  if (submission.status !== "success") {
    return data({ intent: "upload" as const, result: submission.reply() }, { status: 400 });
  }
  const checked = await checkPaper(submission.value.paper);
  if (!checked.ok) {
    return data(
      { intent: "upload" as const, result: submission.reply({ fieldErrors: { paper: [checked.message] } }) },
      { status: checked.message === TOO_BIG ? 413 : 415 },
    );
  }
  const added = await addPaper(viewer.db, actorFor(viewer, request), meeting.id, item.id, checked);
  if (!added.ok) {
    return data(
      { intent: "upload" as const, result: submission.reply({ formErrors: [added.message] }) },
      { status: 409 },
    );
  }
  return redirect(`/meetings/${meeting.id}/agenda/${item.id}?done=uploaded`);
}

export async function action({ request, params }: Route.ActionArgs) {
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    return uploadPaper(request, params);
  }
  const { viewer, meeting, item } = await load(request, params);
  const actor = actorFor(viewer, request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "remove") {
    const result = await removeAgendaItem(viewer.db, actor, meeting.id, item.id);
    if (!result.ok) {
      if (result.notFound) notFound();
      return data(
        { intent: "remove" as const, error: result.formError ?? CANCELLED_MESSAGE },
        { status: 409 },
      );
    }
    return redirect(`/meetings/${meeting.id}/agenda?done=removed`);
  }
  if (intent === "remove-paper") {
    const result = await removePaper(viewer.db, actor, meeting.id, item.id, idParam(formData.get("paperId")));
    if (!result.ok) {
      if (!result.message) notFound();
      return data({ intent: "remove" as const, error: result.message }, { status: 409 });
    }
    return redirect(`/meetings/${meeting.id}/agenda/${item.id}?done=paper-removed`);
  }
  const submission = parseWithZod(formData, { schema: agendaItemSchema });
  if (submission.status !== "success") {
    return data({ intent: "save" as const, result: submission.reply() }, { status: 400 });
  }
  const result = await updateAgendaItem(viewer.db, actor, meeting.id, item.id, submission.value);
  if (!result.ok) {
    if (result.notFound) notFound();
    return data(
      {
        intent: "save" as const,
        result: submission.reply({
          formErrors: result.formError ? [result.formError] : undefined,
          fieldErrors: result.fieldErrors,
        }),
      },
      { status: result.formError ? 409 : 400 },
    );
  }
  return redirect(`/meetings/${meeting.id}/agenda?done=saved#item-${item.id}`);
}

export default function AgendaItemPage({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, item, standingLabel, presenters, review, confirmRemove, done } = loaderData;
  const base = `/meetings/${meeting.id}/agenda`;
  const [form, fields] = useForm<z.input<typeof agendaItemSchema>>({
    id: "edit-item",
    lastResult: actionData?.intent === "save" ? actionData.result : undefined,
    defaultValue: {
      title: item.title,
      purpose: item.purpose,
      presenter_person_id: item.presenter_person_id === null ? "" : String(item.presenter_person_id),
      minutes_allowed: String(item.minutes_allowed),
      classification: item.classification,
    },
    constraint: getZodConstraint(agendaItemSchema),
    shouldValidate: "onSubmit",
  });
  const [uploadForm, uploadFields] = useForm<z.input<typeof paperSchema>>({
    id: "upload-paper",
    lastResult: actionData?.intent === "upload" ? actionData.result : undefined,
    shouldValidate: "onSubmit",
  });
  const caption = (
    <span className="govuk-caption-l">
      {meeting.boardName}, {meeting.startsAt}
    </span>
  );

  if (confirmRemove && !meeting.cancelled) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <a href={base} className="govuk-back-link">
            Back to the agenda
          </a>
          {caption}
          <h1 className="govuk-heading-l">{`Are you sure you want to remove “${item.title}”?`}</h1>
          <p className="govuk-body">
            The item and its {item.papers.length === 1 ? "paper" : `${item.papers.length} papers`} will be
            removed from the agenda.
          </p>
          <Form method="post" action={`${base}/${item.id}`} className="govuk-button-group">
            <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--warning">
              Yes, remove this item
            </button>
            <a className="govuk-link" href={base}>
              No, keep it
            </a>
          </Form>
        </div>
      </div>
    );
  }

  const paperError = uploadFields.paper.errors?.[0];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={base} className="govuk-back-link">
          Back to the agenda
        </a>
        {done === "uploaded" || done === "paper-removed" ? (
          <div className="govuk-notification-banner govuk-notification-banner--success" role="alert">
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">
                {done === "uploaded" ? "Paper uploaded" : "Paper removed"}
              </p>
            </div>
          </div>
        ) : null}
        {actionData?.intent === "remove" ? (
          <div className="govuk-error-summary" role="alert">
            <h2 className="govuk-error-summary__title">There is a problem</h2>
            <div className="govuk-error-summary__body">
              <p className="govuk-body">{actionData.error}</p>
            </div>
          </div>
        ) : null}
        <ErrorSummary
          form={form}
          fields={[
            fields.title,
            fields.purpose,
            fields.presenter_person_id,
            fields.minutes_allowed,
            fields.classification,
          ]}
        />
        <ErrorSummary form={uploadForm} fields={[uploadFields.paper]} />
        {caption}
        <h1 className="govuk-heading-l">{meeting.cancelled ? item.title : "Edit agenda item"}</h1>
        {standingLabel ? <p className="govuk-body">Standing item: {standingLabel}.</p> : null}
        {meeting.cancelled ? (
          <p className="govuk-body">{CANCELLED_MESSAGE}.</p>
        ) : (
          <Form method="post" {...getFormProps(form)}>
            <AgendaItemFields fields={fields} presenters={presenters} />
            <div className="govuk-button-group">
              <SubmitButton name="intent" value="save">
                Save item
              </SubmitButton>
              <a className="govuk-link" href={`${base}/${item.id}?remove=confirm`}>
                Remove this item
              </a>
            </div>
          </Form>
        )}

        {review ? (
          <>
            <h2 className="govuk-heading-m">The action log for review</h2>
            <ActionLogReviewTables review={review} />
          </>
        ) : null}

        <h2 className="govuk-heading-m">Papers</h2>
        {item.papers.length === 0 ? (
          <p className="govuk-body">No papers yet.</p>
        ) : (
          <dl className="govuk-summary-list">
            {item.papers.map((paper) => (
              <div className="govuk-summary-list__row" key={paper.id}>
                <dt className="govuk-summary-list__key">
                  <a className="govuk-link" href={`/papers/${paper.id}`} download>
                    {paper.filename}
                  </a>
                </dt>
                <dd className="govuk-summary-list__value">{formatBytes(paper.size_bytes)}</dd>
                <dd className="govuk-summary-list__actions">
                  {meeting.cancelled ? null : (
                    <Form method="post">
                      <input type="hidden" name="paperId" value={paper.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="remove-paper"
                        className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                      >
                        Remove<span className="govuk-visually-hidden"> {paper.filename}</span>
                      </button>
                    </Form>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        )}
        {meeting.cancelled ? null : (
          <Form method="post" encType="multipart/form-data" {...getFormProps(uploadForm)}>
            <div className={`govuk-form-group${paperError ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label govuk-label--s" htmlFor={uploadFields.paper.id}>
                Upload a paper
              </label>
              <div id={`${uploadFields.paper.id}-hint`} className="govuk-hint">
                PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument, plain text or CSV, smaller
                than 10 MB
              </div>
              {paperError ? (
                <p id={`${uploadFields.paper.id}-error`} className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {paperError}
                </p>
              ) : null}
              <input
                className={`govuk-file-upload${paperError ? " govuk-file-upload--error" : ""}`}
                id={uploadFields.paper.id}
                name={uploadFields.paper.name}
                type="file"
                accept={ACCEPTED_EXTENSIONS.join(",")}
                aria-describedby={`${uploadFields.paper.id}-hint${paperError ? ` ${uploadFields.paper.id}-error` : ""}`}
              />
            </div>
            <SubmitButton secondary>Upload paper</SubmitButton>
          </Form>
        )}
      </div>
    </div>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
