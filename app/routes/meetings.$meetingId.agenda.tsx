import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import {
  addAgendaItem,
  idParam,
  listAgenda,
  meetingForAgenda,
  moveAgendaItem,
  presenterOptions,
  timeAllowed,
} from "~/agenda/agenda.server";
import { AgendaItemFields, AgendaTotal } from "~/agenda/components";
import { agendaItemSchema, CANCELLED_MESSAGE, CLASSIFICATION_LABELS, PURPOSE_LABELS } from "~/agenda/schemas";
import { ensure, notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { formatDateTime, formatDuration } from "~/format";
import type { Route } from "./+types/meetings.$meetingId.agenda";

/*
 * The agenda builder: the board's secretary (or an admin) lists, adds and reorders a
 * meeting's items. "Move up" and "Move down" are real forms, so they work before JavaScript.
 */

export const meta: Route.MetaFunction = () => [{ title: "Agenda – Boardledger" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const meeting = await meetingForAgenda(viewer, idParam(params.meetingId));
  ensure(meeting !== undefined);
  const [items, presenters] = await Promise.all([
    listAgenda(viewer.db, meeting.id),
    presenterOptions(viewer.db, meeting),
  ]);
  const done = new URL(request.url).searchParams.get("done");
  return {
    meeting: {
      id: meeting.id,
      boardId: meeting.board_id,
      boardName: meeting.board_name,
      startsAt: formatDateTime(meeting.starts_at),
      durationMinutes: meeting.duration_minutes,
      cancelled: meeting.status === "cancelled",
    },
    items,
    timeAllowed: timeAllowed(items, meeting.duration_minutes),
    presenters,
    done,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meeting = await meetingForAgenda(viewer, idParam(params.meetingId));
  ensure(meeting !== undefined);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const actor = actorFor(viewer, request);
  if (intent === "up" || intent === "down") {
    const itemId = Number(formData.get("itemId"));
    if (!Number.isSafeInteger(itemId) || itemId <= 0) notFound();
    const result = await moveAgendaItem(viewer.db, actor, meeting.id, itemId, intent);
    if (!result.ok) {
      if (result.notFound) notFound();
      return data({ intent: "move" as const, error: result.formError ?? CANCELLED_MESSAGE }, { status: 409 });
    }
    return redirect(`/meetings/${meeting.id}/agenda#item-${itemId}`);
  }
  const submission = parseWithZod(formData, { schema: agendaItemSchema });
  if (submission.status !== "success") {
    return data({ intent: "add" as const, result: submission.reply() }, { status: 400 });
  }
  const result = await addAgendaItem(viewer.db, actor, meeting.id, submission.value);
  if (!result.ok) {
    if (result.notFound) notFound();
    return data(
      {
        intent: "add" as const,
        result: submission.reply({
          formErrors: result.formError ? [result.formError] : undefined,
          fieldErrors: result.fieldErrors,
        }),
      },
      { status: result.formError ? 409 : 400 },
    );
  }
  return redirect(`/meetings/${meeting.id}/agenda?done=added#item-${result.id}`);
}

export default function AgendaBuilder({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, items, presenters, done, timeAllowed } = loaderData;
  const [form, fields] = useForm<z.input<typeof agendaItemSchema>>({
    id: "add-item",
    lastResult: actionData?.intent === "add" ? actionData.result : undefined,
    defaultValue: { purpose: "discussion", classification: "official", minutes_allowed: "10" },
    constraint: getZodConstraint(agendaItemSchema),
    shouldValidate: "onSubmit",
  });
  const base = `/meetings/${meeting.id}/agenda`;
  return (
    <>
      <a href={`/meetings/${meeting.id}`} className="govuk-back-link">
        Back to the meeting
      </a>
      {done === "added" || done === "saved" || done === "removed" ? (
        <div className="govuk-notification-banner govuk-notification-banner--success" role="alert">
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">
              {done === "added" ? "Item added" : done === "saved" ? "Item saved" : "Item removed"}
            </p>
          </div>
        </div>
      ) : null}
      {actionData?.intent === "move" ? (
        <div className="govuk-error-summary" role="alert">
          <h2 className="govuk-error-summary__title">There is a problem</h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">{actionData.error}</p>
          </div>
        </div>
      ) : null}
      <span className="govuk-caption-l">
        {meeting.boardName}, {meeting.startsAt}
      </span>
      <h1 className="govuk-heading-l">Agenda</h1>
      {meeting.cancelled ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            {CANCELLED_MESSAGE}.
          </strong>
        </div>
      ) : null}
      <AgendaTotal text={timeAllowed.text} over={timeAllowed.over} />
      {items.length === 0 ? (
        <p className="govuk-body">There are no items on this agenda yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Agenda items in order</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                No.
              </th>
              <th scope="col" className="govuk-table__header">
                Item
              </th>
              <th scope="col" className="govuk-table__header">
                Presenter
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Time
              </th>
              <th scope="col" className="govuk-table__header">
                Papers
              </th>
              {meeting.cancelled ? null : (
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {items.map((item, index) => (
              <tr className="govuk-table__row" key={item.id} id={`item-${item.id}`}>
                <td className="govuk-table__cell">{index + 1}</td>
                <td className="govuk-table__cell">
                  <a className="govuk-link" href={`${base}/${item.id}`}>
                    {item.title}
                  </a>
                  <br />
                  <strong className="govuk-tag govuk-tag--grey">{PURPOSE_LABELS[item.purpose]}</strong>{" "}
                  {item.classification === "official_sensitive" ? (
                    <strong className="govuk-tag govuk-tag--red">
                      {CLASSIFICATION_LABELS[item.classification]}
                    </strong>
                  ) : null}{" "}
                  {item.standing_kind ? <span className="govuk-body-s">Standing item</span> : null}
                </td>
                <td className="govuk-table__cell">{item.presenter_name ?? "Not set"}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {formatDuration(item.minutes_allowed)}
                </td>
                <td className="govuk-table__cell">
                  {item.papers.length === 0 ? (
                    "None"
                  ) : (
                    <ul className="govuk-list">
                      {item.papers.map((paper) => (
                        <li key={paper.id}>
                          <a className="govuk-link" href={`/papers/${paper.id}`} download>
                            {paper.filename}
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                {meeting.cancelled ? null : (
                  <td className="govuk-table__cell">
                    <div className="govuk-button-group">
                      {index > 0 ? (
                        <Form method="post">
                          <input type="hidden" name="itemId" value={item.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="up"
                            className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                          >
                            Move up<span className="govuk-visually-hidden">: {item.title}</span>
                          </button>
                        </Form>
                      ) : null}
                      {index < items.length - 1 ? (
                        <Form method="post">
                          <input type="hidden" name="itemId" value={item.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="down"
                            className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
                          >
                            Move down<span className="govuk-visually-hidden">: {item.title}</span>
                          </button>
                        </Form>
                      ) : null}
                      <a className="govuk-link" href={`${base}/${item.id}`}>
                        Edit<span className="govuk-visually-hidden"> {item.title}</span>
                      </a>
                      <a className="govuk-link" href={`${base}/${item.id}?remove=confirm`}>
                        Remove<span className="govuk-visually-hidden"> {item.title}</span>
                      </a>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {meeting.cancelled ? null : (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h2 className="govuk-heading-m">Add an item</h2>
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
            <Form method="post" {...getFormProps(form)}>
              <AgendaItemFields fields={fields} presenters={presenters} />
              <SubmitButton name="intent" value="add">
                Add item
              </SubmitButton>
            </Form>
          </div>
        </div>
      )}
    </>
  );
}
